import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';
import { consumeOtp, issueOtp, OTP_MAX_PER_HOUR, OTP_MAX_TRIES, OTP_TTL_MS } from './auth.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.flushOutbox();
});
afterAll(async () => {
  await t?.close();
});

const NEW_PW = 'a fresh river passphrase';

/** Asks for a reset code for `username`, delivers the SMS, returns the request id and the code. */
async function requestCode(username: string, mobile: string): Promise<{ requestId: string; code: string | null }> {
  const res = await t.anon.post('/api/v1/auth/forgot', { username });
  expect(res.statusCode).toBe(202);
  const before = await t.lastSms(mobile);
  await t.flushOutbox();
  const sms = await t.lastSms(mobile);
  const code = sms !== before || before === null ? (sms?.match(/\b(\d{6})\b/)?.[1] ?? null) : null;
  return { requestId: res.json().requestId, code };
}

async function userId(username: string): Promise<number> {
  const r = await t.database.db.execute<{ id: number }>(sql`select id from users where username = ${username}`);
  return r.rows[0]!.id;
}

describe('A5 one-time codes', () => {
  it('A5 sends a 6-digit code by SMS and keeps only its hash', async () => {
    const { requestId, code } = await requestCode('officeadmin_fin', '9876500003');
    expect(code).toMatch(/^\d{6}$/);
    const r = await t.database.db.execute<{ code_hash: string; expires_at: string; created_at: string }>(
      sql`select code_hash, expires_at, created_at from otps where binding_id = ${requestId}`,
    );
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.code_hash).not.toContain(code!);
    expect(r.rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    // Valid at most 10 minutes.
    expect(new Date(r.rows[0]!.expires_at).getTime() - new Date(r.rows[0]!.created_at).getTime()).toBeLessThanOrEqual(10 * 60_000);
    // The outbox forgets the code once the SMS is out.
    const ob = await t.database.db.execute(sql`select params::text as p from outbox where recipient = '9876500003'`);
    expect(JSON.stringify(ob.rows)).not.toContain(code!);
  });

  it('A5 the answer to "forgot password" does not tell whether the user id exists', async () => {
    const known = await t.anon.post('/api/v1/auth/forgot', { username: 'treasury_bhopal' });
    const unknown = await t.anon.post('/api/v1/auth/forgot', { username: 'no_such_user_here' });
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(Object.keys(unknown.json())).toEqual(Object.keys(known.json()));
    expect(unknown.json().requestId).toHaveLength(known.json().requestId.length);
  });

  it('A5 a code is single use', async () => {
    const { requestId, code } = await requestCode('pd_admin', '9876500008');
    const first = await t.anon.post('/api/v1/auth/reset', { requestId, code, newPassword: NEW_PW });
    expect(first.statusCode).toBe(200);
    const again = await t.anon.post('/api/v1/auth/reset', { requestId, code, newPassword: 'another fine passphrase' });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('otp_expired');
    // The first reset stands: the new password works, the old one and the replay's do not.
    expect((await t.anon.post('/api/v1/auth/login', { username: 'pd_admin', password: NEW_PW })).statusCode).toBe(200);
    expect((await t.anon.post('/api/v1/auth/login', { username: 'pd_admin', password: 'another fine passphrase' })).statusCode).toBe(401);
  });

  it('A5 a code expires after 10 minutes (fake clock), and works just before', async () => {
    expect(OTP_TTL_MS).toBeLessThanOrEqual(10 * 60_000);
    const late = await requestCode('treasury_bhopal', '9876500007');
    t.clock.advance(10 * 60_000 + 1);
    const res = await t.anon.post('/api/v1/auth/reset', { requestId: late.requestId, code: late.code, newPassword: NEW_PW });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('otp_expired');
    expect((await t.anon.post('/api/v1/auth/login', { username: 'treasury_bhopal', password: DEMO_PASSWORD })).statusCode).toBe(200);

    const inTime = await requestCode('treasury_bhopal', '9876500007');
    t.clock.advance(9 * 60_000 + 59_000);
    expect((await t.anon.post('/api/v1/auth/reset', { requestId: inTime.requestId, code: inTime.code, newPassword: NEW_PW })).statusCode).toBe(200);
  });

  it('A5 a code is bound to its own request: another request id does not accept it', async () => {
    const a = await requestCode('agency_admin', '9876500006');
    const b = await requestCode('agency_admin', '9876500006');
    expect(a.code).not.toBeNull();
    if (a.code === b.code) return; // one in a million: nothing to tell apart
    const cross = await t.anon.post('/api/v1/auth/reset', { requestId: b.requestId, code: a.code, newPassword: NEW_PW });
    expect(cross.statusCode).toBe(422);
    expect(cross.json().code).toBe('otp_invalid');
    const stranger = await t.anon.post('/api/v1/auth/reset', { requestId: 'x'.repeat(43), code: a.code, newPassword: NEW_PW });
    expect(stranger.json().code).toBe('otp_expired');
    expect((await t.anon.post('/api/v1/auth/login', { username: 'agency_admin', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('A5 second-factor codes are bound to the login they were issued for and to their purpose', async () => {
    const uid = await userId('ddo_bhopal');
    const code = await issueOtp(t.database.db, uid, 'second_factor', 'login-session-A', t.clock.now());
    expect(code).toMatch(/^\d{6}$/);
    await expect(consumeOtp(t.database.db, 'second_factor', 'login-session-B', code!, t.clock.now())).rejects.toMatchObject({ code: 'otp_expired' });
    await expect(consumeOtp(t.database.db, 'password_reset', 'login-session-A', code!, t.clock.now())).rejects.toMatchObject({ code: 'otp_expired' });
    expect(await consumeOtp(t.database.db, 'second_factor', 'login-session-A', code!, t.clock.now())).toBe(uid);
    await expect(consumeOtp(t.database.db, 'second_factor', 'login-session-A', code!, t.clock.now())).rejects.toMatchObject({ code: 'otp_expired' });
  });

  it('A5 wrong guesses are limited: after 5 wrong codes even the right one is refused', async () => {
    const { requestId, code } = await requestCode('auditor_state', '9876500009');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < OTP_MAX_TRIES; i++) {
      const r = await t.anon.post('/api/v1/auth/reset', { requestId, code: wrong, newPassword: NEW_PW });
      expect(r.json().code).toBe('otp_invalid');
    }
    const right = await t.anon.post('/api/v1/auth/reset', { requestId, code, newPassword: NEW_PW });
    expect(right.statusCode).toBe(422);
    expect(right.json().code).toBe('otp_expired');
    expect((await t.anon.post('/api/v1/auth/login', { username: 'auditor_state', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('A5 a bad new password does not burn the code', async () => {
    const { requestId, code } = await requestCode('officeadmin_state', '9876543210');
    const weak = await t.anon.post('/api/v1/auth/reset', { requestId, code, newPassword: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect((await t.anon.post('/api/v1/auth/reset', { requestId, code, newPassword: NEW_PW })).statusCode).toBe(200);
  });

  it('A5 issuing is rate-limited: at most 5 codes an hour per user, then none are sent; after the hour again', async () => {
    t.clock.advance(2 * 3600_000);
    const mobile = '9876500001';
    const sent = async () =>
      Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sandbox_messages where recipient = ${mobile}`)).rows[0]!.n);
    const start = await sent();
    for (let i = 0; i < OTP_MAX_PER_HOUR; i++) await requestCode('finance_admin', mobile);
    expect(await sent()).toBe(start + OTP_MAX_PER_HOUR);
    const extra = await t.anon.post('/api/v1/auth/forgot', { username: 'finance_admin' });
    expect(extra.statusCode).toBe(202); // same answer outside
    await t.flushOutbox();
    expect(await sent()).toBe(start + OTP_MAX_PER_HOUR);
    const audit = await t.database.db.execute<{ action: string }>(sql`select action from audit_log order by seq desc limit 1`);
    expect(audit.rows[0]!.action).toBe('password_reset_throttled');
    t.clock.advance(3600_000 + 1);
    const later = await requestCode('finance_admin', mobile);
    expect(later.code).toMatch(/^\d{6}$/);
  });
});
