import { Writable } from 'node:stream';
import { eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { departments, offices } from '../../db/schema.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { securityEvents } from './security.table.ts';

let t: TestApp;
let finAdmin: Client; // officeadmin_fin: Finance department, no audit.read
let finAdminId: number;
let sedOfficeId: number;
beforeAll(async () => {
  t = await createTestApp();
  finAdmin = await t.login('officeadmin_fin');
  finAdminId = (await finAdmin.get('/api/v1/auth/me')).json().user.id;
  const db = t.database.db;
  const [sed] = await db.select().from(departments).where(eq(departments.code, 'SED'));
  const [o] = await db.select().from(offices).where(eq(offices.departmentId, sed!.id)).limit(1);
  sedOfficeId = o!.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const lastId = async () => Number((await t.database.db.execute<{ n: number }>(sql`select coalesce(max(id), 0)::int as n from security_events`)).rows[0]!.n);
const since = (id: number) => t.database.db.select().from(securityEvents).where(gt(securityEvents.id, id));

describe('P5 security log: refusals are on record', () => {
  it('a 404 on another scope’s record leaves one event naming the user, address, route and code', async () => {
    const mark = await lastId();
    expect((await finAdmin.get(`/api/v1/office-users?officeId=${sedOfficeId}`)).statusCode).toBe(404);
    const ev = await since(mark);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ userId: finAdminId, ip: '127.0.0.1', method: 'GET', route: '/api/v1/office-users', status: 404, code: 'not_found' });
    expect(ev[0]!.userName).not.toBe('');
    expect(ev[0]!.role).toBe('office_admin');
  });

  it('a CSRF failure leaves one event', async () => {
    const mark = await lastId();
    const res = await finAdmin.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { 'x-csrf-token': 'forged' } });
    expect(res.statusCode).toBe(403);
    const ev = await since(mark);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ userId: finAdminId, ip: '127.0.0.1', method: 'POST', route: '/api/v1/auth/logout', status: 403, code: 'csrf_failed' });
    expect(JSON.stringify(ev[0]!.details)).not.toContain('forged');
  });

  it('a 403 for lack of permission leaves one event, and the search is refused to roles without audit.read', async () => {
    const mark = await lastId();
    expect((await finAdmin.get('/api/v1/security-events')).statusCode).toBe(403);
    const ev = await since(mark);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ userId: finAdminId, ip: '127.0.0.1', route: '/api/v1/security-events', status: 403, code: 'forbidden' });
    expect((await t.anon.get('/api/v1/security-events')).statusCode).toBe(401);
  });

  it('Finance and the state auditor search it by user, code, address and date', async () => {
    for (const who of ['finance_admin', 'auditor_state']) {
      const c = await t.login(who);
      const r = await c.get(`/api/v1/security-events?userId=${finAdminId}&code=csrf_failed&ip=127.&from=2000-01-01&to=2100-12-31`);
      expect(r.statusCode).toBe(200);
      const page = r.json();
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({ userId: finAdminId, code: 'csrf_failed', route: '/api/v1/auth/logout' });
      expect((await c.get('/api/v1/security-events?code=csrf_failed&to=2000-01-01')).json().total).toBe(0);
    }
  });

  it('language change, a wrong reset code, forgot-password for an unknown user id and a failed login are recorded, without secrets', async () => {
    const mark = await lastId();
    expect((await finAdmin.put('/api/v1/auth/locale', { locale: 'en' })).statusCode).toBe(200);
    expect((await t.anon.post('/api/v1/auth/forgot', { username: 'no-such-user-9' })).statusCode).toBe(202);
    const forgot = await t.anon.post('/api/v1/auth/forgot', { username: 'officeadmin_fin' });
    expect(forgot.statusCode).toBe(202);
    const wrong = await t.anon.post('/api/v1/auth/reset', { requestId: forgot.json().requestId, code: '000000', newPassword: 'Plenty-Long-Secret-77' });
    expect(wrong.statusCode).toBe(422);
    expect((await t.anon.post('/api/v1/auth/login', { username: 'officeadmin_fin', password: 'Wrong-Secret-Pw-91' })).statusCode).toBe(401);
    const ev = await since(mark);
    const codes = ev.map((e) => e.code);
    expect(codes).toContain('locale_changed');
    expect(ev.find((e) => e.code === 'locale_changed')).toMatchObject({ userId: finAdminId, details: { locale: 'en' } });
    expect(ev.find((e) => e.code === 'password_reset_unknown_user')).toMatchObject({ userId: null, details: { username: 'no-such-user-9' } });
    expect(codes.filter((c) => c === 'password_reset_unknown_user')).toHaveLength(1); // not for the real user
    expect(codes).toContain('otp_invalid');
    expect(ev.find((e) => e.code === 'invalid_credentials')).toMatchObject({ status: 401, details: { username: 'officeadmin_fin' } });
    const all = JSON.stringify(ev);
    for (const secret of [
      '000000',
      'Plenty-Long-Secret-77',
      'Wrong-Secret-Pw-91',
      forgot.json().requestId,
      finAdmin.cookies.roams_session,
      finAdmin.cookies.roams_csrf,
    ])
      expect(all).not.toContain(secret);
  });

  it('the search by login id finds that user’s refusals and the failed logins where it was typed, and nobody else’s', async () => {
    const typo = 'Wrong-Secret-Pw-33';
    expect((await t.anon.post('/api/v1/auth/login', { username: 'finance_admin', password: typo })).statusCode).toBe(401);
    const auditor = await t.login('auditor_state');
    const page = (await auditor.get('/api/v1/security-events?username=FINANCE_ADMIN&pageSize=100')).json();
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect(
      page.items.every(
        (e: { username: string | null; details: { username?: string } }) => e.username === 'finance_admin' || e.details?.username === 'finance_admin',
      ),
    ).toBe(true);
    expect(page.items.find((e: { code: string }) => e.code === 'invalid_credentials')).toMatchObject({ userId: null, username: null, status: 401 });
    // The finance office admin's own refusals carry its login id, for the page's "who".
    const mine = (await auditor.get('/api/v1/security-events?username=officeadmin_fin&code=csrf_failed')).json();
    expect(mine.total).toBe(1);
    expect(mine.items[0]).toMatchObject({ userId: finAdminId, username: 'officeadmin_fin' });
    expect((await auditor.get('/api/v1/security-events?username=no-such-user-0')).json().total).toBe(0);
    expect(JSON.stringify(page)).not.toContain(typo);
  });

  it('every request log line of a logged-in user names the user id', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const app = await buildApp({
      database: t.database,
      config: loadConfig({ ROAMS_MODE: 'test', WEB_DIST: '/nonexistent' }),
      logger: { level: 'info', stream },
      now: t.clock.now,
    });
    const fresh = await t.login('officeadmin_fin');
    const cookie = Object.entries(fresh.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    await app.close();
    expect(res.statusCode).toBe(200);
    const done = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(done).toHaveLength(1);
    expect(done[0].userId).toBe(finAdminId);
  });
});
