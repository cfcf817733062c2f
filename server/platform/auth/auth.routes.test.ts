import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('login', () => {
  it('logs in with the README credentials and sets a HttpOnly SameSite session cookie', async () => {
    const res = await t.anon.post('/api/v1/auth/login', { username: 'officeadmin_state', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'roams_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    // ≥ 128 bits: 32 random bytes, base64url.
    expect(Buffer.from(cookie.value, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(res.json().user.username).toBe('officeadmin_state');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers a wrong password and an unknown user alike, with a 401 problem document in the caller language', async () => {
    const a = await t.anon.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'officeadmin_state', password: 'wrong-password-123' },
      headers: { 'accept-language': 'en' },
    });
    const b = await t.anon.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody_here', password: 'wrong-password-123' },
      headers: { 'accept-language': 'en' },
    });
    expect(a.statusCode).toBe(401);
    expect(a.headers['content-type']).toContain('application/problem+json');
    expect(a.json()).toMatchObject({ status: 401, code: 'invalid_credentials', title: 'The user id or password is wrong.' });
    expect(b.json()).toEqual(a.json());
    const hi = await t.anon.post('/api/v1/auth/login', { username: 'officeadmin_state', password: 'wrong-password-123' });
    expect(hi.json().title).toBe('यूजर आई डी या पासवर्ड गलत है।');
  });

  it('rotates the session token at login and revokes the previous one', async () => {
    const c = await t.login('dm_bhopal');
    const first = c.cookies.roams_session;
    const again = await c.post('/api/v1/auth/login', { username: 'dm_bhopal', password: DEMO_PASSWORD });
    expect(again.statusCode).toBe(200);
    expect(c.cookies.roams_session).not.toBe(first);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `roams_session=${first}` } });
    expect(old.statusCode).toBe(401);
  });

  it('records logins and failed logins in the audit trail without the password', async () => {
    await t.anon.post('/api/v1/auth/login', { username: 'auditor_state', password: 'a-secret-guess-999' });
    const r = await t.database.db.execute<{ action: string; before: unknown; after: unknown }>(
      sql`select action, before, after from audit_log where entity = 'session' order by seq`,
    );
    const actions = r.rows.map((x) => x.action);
    expect(actions).toContain('login');
    expect(actions).toContain('login_failed');
    const all = await t.database.db.execute(sql`select * from audit_log`);
    expect(JSON.stringify(all.rows)).not.toContain('a-secret-guess-999');
    expect(JSON.stringify(all.rows)).not.toContain(DEMO_PASSWORD);
  });

  it('refuses unknown fields and missing fields, naming each', async () => {
    const res = await t.anon.post('/api/v1/auth/login', { username: 'x', role: 'finance_admin' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(fields).toEqual(expect.arrayContaining(['password:required', 'role:unknown_field']));
  });
});

describe('sessions', () => {
  it('requires authentication for /me', async () => {
    expect((await t.anon.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const c = await t.login('officeadmin_state');
    const res = await c.request({ method: 'PUT', url: '/api/v1/auth/locale', payload: { locale: 'en' }, headers: { 'x-csrf-token': 'forged' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
    expect((await c.put('/api/v1/auth/locale', { locale: 'en' })).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes and after 12 hours in all', async () => {
    const c = await t.login('officeadmin_state');
    t.clock.advance(29 * 60_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const res = await c.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('session_expired');
    const d = await t.login('officeadmin_state');
    for (let i = 0; i < 25; i++) {
      t.clock.advance(29 * 60_000);
      await d.get('/api/v1/auth/me');
    }
    expect((await d.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('gives money roles a 15-minute idle timeout', async () => {
    const c = await t.login('ddo_bhopal');
    t.clock.advance(16 * 60_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const c = await t.login('officeadmin_state');
    const token = c.cookies.roams_session;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `roams_session=${token}` } });
    expect(res.statusCode).toBe(401);
  });
});

describe('security headers', () => {
  it('sends a CSP with object-src none and no-store on API answers', async () => {
    const res = await t.anon.get('/api/health');
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('publishes an OpenAPI 3 document', async () => {
    const res = await t.anon.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toMatch(/^3\./);
    expect(Object.keys(res.json().paths)).toContain('/api/v1/auth/login');
  });
});
