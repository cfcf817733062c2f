import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';
import { MAX_FAILURES_PER_HOUR } from './auth.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

function loginFrom(ip: string, username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip, headers: { 'accept-language': 'en' } });
}

async function failTimes(ip: string, username: string, n: number) {
  for (let i = 0; i < n; i++) {
    const r = await loginFrom(ip, username, `wrong-guess-${i}-abcdef`);
    expect(r.statusCode, `failure ${i + 1}`).toBe(401);
  }
}

describe('A6 throttling', () => {
  it('A6 allows 100 failures per account per hour, then refuses even the right password with a 429 problem', async () => {
    expect(MAX_FAILURES_PER_HOUR).toBeLessThanOrEqual(100);
    await failTimes('10.6.0.1', 'officeadmin_fin', MAX_FAILURES_PER_HOUR);
    const refused = await loginFrom('10.6.0.1', 'officeadmin_fin', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, code: 'too_many_attempts' });
    expect(refused.cookies.find((c) => c.name === 'roams_session')).toBeUndefined();
    // From another (unknown) address it is the same account: still refused.
    expect((await loginFrom('10.6.0.2', 'officeadmin_fin', DEMO_PASSWORD)).statusCode).toBe(429);
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where entity_id = 'officeadmin_fin' order by seq desc limit 1`,
    );
    expect(audit.rows[0]!.action).toBe('login_throttled');
  }, 120_000);

  it('A6 the refusal lasts no longer than the hour window: then the right password works', async () => {
    t.clock.advance(59 * 60_000);
    expect((await loginFrom('10.6.0.1', 'officeadmin_fin', DEMO_PASSWORD)).statusCode).toBe(429);
    t.clock.advance(2 * 60_000);
    expect((await loginFrom('10.6.0.1', 'officeadmin_fin', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('A6 an attacker elsewhere cannot lock the user out from an address the user logged in from', async () => {
    expect((await loginFrom('10.6.1.1', 'dm_bhopal', DEMO_PASSWORD)).statusCode).toBe(200); // the user's office PC
    await failTimes('203.0.113.9', 'dm_bhopal', MAX_FAILURES_PER_HOUR);
    expect((await loginFrom('203.0.113.9', 'dm_bhopal', DEMO_PASSWORD)).statusCode).toBe(429);
    expect((await loginFrom('198.51.100.7', 'dm_bhopal', DEMO_PASSWORD)).statusCode).toBe(429);
    const ok = await loginFrom('10.6.1.1', 'dm_bhopal', DEMO_PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.cookies.find((c) => c.name === 'roams_session')).toBeDefined();
  }, 120_000);

  it('A6 failures for an account are counted case-insensitively (no bypass by changing case)', async () => {
    t.clock.advance(2 * 3600_000);
    await failTimes('10.6.2.1', 'AUDITOR_STATE', MAX_FAILURES_PER_HOUR / 2);
    await failTimes('10.6.2.1', 'auditor_state', MAX_FAILURES_PER_HOUR / 2);
    expect((await loginFrom('10.6.2.1', 'Auditor_State', DEMO_PASSWORD)).statusCode).toBe(429);
  }, 120_000);
});
