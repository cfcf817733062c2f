import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `roams_session=${token}` } });

describe('A7 sessions', () => {
  it('A7 tokens are ≥ 128-bit random, new at every login, and the database keeps only their hash', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const c = await t.login('officeadmin_state');
      const token = c.cookies.roams_session!;
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
      tokens.add(token);
    }
    expect(tokens.size).toBe(5);
    const rows = await t.database.db.execute<{ id: string }>(sql`select id from sessions`);
    const ids = new Set(rows.rows.map((r) => r.id));
    for (const token of tokens) {
      expect(ids.has(token)).toBe(false);
      expect(ids.has(createHash('sha256').update(token).digest('hex'))).toBe(true);
    }
  });

  it('A7 a session cookie planted before login is not adopted (rotation): the login answer carries a new token', async () => {
    const c = await t.login('officeadmin_state');
    const planted = c.cookies.roams_session!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'auditor_state', password: DEMO_PASSWORD },
      headers: { cookie: `roams_session=${planted}` },
    });
    expect(res.statusCode).toBe(200);
    const fresh = res.cookies.find((x) => x.name === 'roams_session')!.value;
    expect(fresh).not.toBe(planted);
    expect((await me(planted)).statusCode).toBe(401);
    expect((await me(fresh)).json().user.username).toBe('auditor_state');
  });

  it('A7 idle limit is measured from the last request, not from login', async () => {
    const c = await t.login('auditor_state');
    t.clock.advance(20 * 60_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(20 * 60_000); // 40 min after login, 20 after last use
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(30 * 60_000 + 1_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('A7 money roles (DDO, treasury, PD admin) idle out after 15 minutes, others do not', async () => {
    const ddo = await t.login('ddo_bhopal');
    const treasury = await t.login('treasury_bhopal');
    const dm = await t.login('officeadmin_state');
    t.clock.advance(14 * 60_000);
    expect((await ddo.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000 + 1_000);
    expect((await ddo.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await treasury.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await dm.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('A7 an expired session stays dead even if the clock is put back', async () => {
    const c = await t.login('officeadmin_state');
    const token = c.cookies.roams_session!;
    const start = t.clock.now();
    t.clock.advance(12 * 3600_000 + 1);
    expect((await me(token)).statusCode).toBe(401);
    t.clock.set(start);
    expect((await me(token)).statusCode).toBe(401);
  });

  it('A7 logout ends every session of the user', async () => {
    const office = await t.login('officeadmin_fin');
    const home = await t.login('officeadmin_fin');
    const other = await t.login('auditor_state');
    expect((await office.post('/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await office.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await home.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await other.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('A7 a password change ends every other session and hands the changer a fresh one', async () => {
    const a = await t.login('dm_bhopal');
    const b = await t.login('dm_bhopal');
    const oldToken = a.cookies.roams_session!;
    const res = await a.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'new session passphrase' });
    expect(res.statusCode).toBe(200);
    expect(a.cookies.roams_session).not.toBe(oldToken);
    expect((await me(oldToken)).statusCode).toBe(401);
    expect((await b.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('A7 a password reset by one-time code ends every session', async () => {
    await t.flushOutbox();
    const c = await t.login('agency_admin');
    const forgot = await t.anon.post('/api/v1/auth/forgot', { username: 'agency_admin' });
    await t.flushOutbox();
    const code = (await t.lastSms('9876500006'))!.match(/\b(\d{6})\b/)![1];
    const reset = await t.anon.post('/api/v1/auth/reset', { requestId: forgot.json().requestId, code, newPassword: 'reset session passphrase' });
    expect(reset.statusCode).toBe(200);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('A7 deactivating a user or ending the acting role ends the session at its next request', async () => {
    const c = await t.login('pd_admin');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    await t.database.db.execute(sql`update role_assignments set active = false where user_id = (select id from users where username = 'pd_admin')`);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    await t.database.db.execute(sql`update role_assignments set active = true where user_id = (select id from users where username = 'pd_admin')`);
    const d = await t.login('pd_admin');
    await t.database.db.execute(sql`update users set status = 'inactive' where username = 'pd_admin'`);
    expect((await d.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await t.anon.post('/api/v1/auth/login', { username: 'pd_admin', password: DEMO_PASSWORD })).statusCode).toBe(401);
    await t.database.db.execute(sql`update users set status = 'active' where username = 'pd_admin'`);
  });

  it('A7 cookies: session HttpOnly + SameSite=Strict + Path=/, CSRF cookie readable by scripts; no Secure in plain-HTTP test mode', async () => {
    const res = await t.anon.post('/api/v1/auth/login', { username: 'auditor_state', password: DEMO_PASSWORD });
    const session = res.cookies.find((c) => c.name === 'roams_session')!;
    const csrf = res.cookies.find((c) => c.name === 'roams_csrf')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session.maxAge).toBeLessThanOrEqual(12 * 3600);
    expect(csrf.httpOnly).not.toBe(true);
    expect(csrf.sameSite).toBe('Strict');
    expect(session.secure).toBeFalsy();
  });

  it('A7 with cookieSecure (production) every cookie is Secure', async () => {
    const config = loadConfig({ ROAMS_MODE: 'test', COOKIE_SECURE: 'true', WEB_DIST: '/nonexistent' });
    const app = await buildApp({ database: t.database, config, now: t.clock.now });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'auditor_state', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      const names = res.cookies.map((c) => c.name).sort();
      expect(names).toEqual(['roams_csrf', 'roams_session']);
      for (const c of res.cookies) expect(c, c.name).toMatchObject({ secure: true, sameSite: 'Strict' });
      const token = res.cookies.find((c) => c.name === 'roams_session')!.value;
      const csrf = res.cookies.find((c) => c.name === 'roams_csrf')!.value;
      const out = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: `roams_session=${token}; roams_csrf=${csrf}`, 'x-csrf-token': csrf },
      });
      expect(out.statusCode).toBe(200);
      for (const c of out.cookies) expect(c, c.name).toMatchObject({ secure: true, value: '' });
    } finally {
      await app.close();
    }
  });
});
