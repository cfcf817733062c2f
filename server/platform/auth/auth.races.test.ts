import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';
import { allSucceed, type Answer, answers, auditCount, burst, countOf, oneWinner, RATE_LIMITED } from '../../test/races.ts';
import { OTP_MAX_PER_HOUR } from './auth.service.ts';
import { sha256 } from './tokens.ts';

/**
 * Twenty identical requests at once on the security and profile routes (a double click, a retry,
 * two tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL): logout, the password changed, the
 * role switched, the official e-mail, the locale, a code asked for (forgot password, the second
 * factor) and the password reset. Never a 500; each change made and audited once; a code asked
 * for twenty times never sends more than the hourly limit of SMS.
 */
let t: TestApp;
const N = 20;

beforeAll(async () => {
  t = await createTestApp();
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const db = () => t.database.db;
const count = (q: ReturnType<typeof sql>) => countOf(db(), q);
const no500 = (rs: readonly Answer[]) => expect(rs.filter((r) => r.statusCode >= 500).length, answers(rs)).toBe(0);
const codeOf = (r: Answer) => (r.statusCode < 300 ? String(r.statusCode) : `${r.statusCode} ${(JSON.parse(r.body) as { code?: string }).code}`);
const userId = async (username: string) => (await db().execute<{ id: number }>(sql`select id from users where username = ${username}`)).rows[0]!.id;
const liveSessions = async (uid: number) => count(sql`select count(*)::int as n from sessions where user_id = ${uid} and revoked_at is null`);
/** A copy of a login's cookies: each request of a burst its own tab, so one answer's cookies do not move the others. */
const tab = (c: Client) => ({ ...c.cookies });
function send(c: Client, method: 'POST' | 'PUT', url: string, payload?: object) {
  const cookies = tab(c);
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  return () => t.app.inject({ method, url, headers: { cookie, 'x-csrf-token': cookies.roams_csrf ?? '' }, ...(payload ? { payload } : {}) });
}

describe(`${N} identical requests at once`, () => {
  it('logout: every answer 200 or 401 (the session already ended), every session ended, audited once', async () => {
    const c = await t.login('officeadmin_state');
    const uid = await userId('officeadmin_state');
    const before = await auditCount(db(), 'session', uid, 'logout');
    const rs = await burst(N, send(c, 'POST', '/api/v1/auth/logout'));
    no500(rs);
    for (const x of rs) expect(['200', '401 session_expired'], answers(rs)).toContain(codeOf(x));
    expect(await liveSessions(uid)).toBe(0);
    expect(await auditCount(db(), 'session', uid, 'logout'), answers(rs)).toBe(before + 1);
  });

  it('change password: changed once (one audit entry, one live session: the winner’s); the others refused with a code', async () => {
    const c = await t.login('officeadmin_fin');
    const uid = await userId('officeadmin_fin');
    const newPassword = 'Race-proof passphrase 2026';
    const rs = await burst(N, send(c, 'POST', '/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword }));
    no500(rs);
    const win = oneWinner(rs, ['401 session_expired', RATE_LIMITED, '409 password_already_changed']);
    expect(await auditCount(db(), 'user', uid, 'password_changed'), answers(rs)).toBe(1);
    const token = (win.cookies as { name: string; value: string }[]).find((k) => k.name === 'roams_session')!.value;
    expect(await count(sql`select count(*)::int as n from sessions where user_id = ${uid} and revoked_at is null and id = ${sha256(token)}`)).toBe(1);
    expect(await liveSessions(uid), answers(rs)).toBe(1);
    expect((await t.anon.post('/api/v1/auth/login', { username: 'officeadmin_fin', password: newPassword })).statusCode).toBe(200);
  });

  it('switch to another role: every answer 200, the session on it, audited once', async () => {
    const c = await t.login('dm_bhopal');
    const uid = await userId('dm_bhopal');
    const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number }[]; activeAssignmentId: number | null };
    const other = me.assignments.find((a) => a.id !== me.activeAssignmentId);
    expect(other).toBeDefined();
    const before = await auditCount(db(), 'session', uid, 'switch_assignment');
    const rs = await burst(N, send(c, 'POST', '/api/v1/auth/switch', { assignmentId: other!.id }));
    allSucceed(rs, 200);
    expect((await c.get('/api/v1/auth/me')).json().activeAssignmentId).toBe(other!.id);
    expect(await auditCount(db(), 'session', uid, 'switch_assignment'), answers(rs)).toBe(before + 1);
  });

  it('the official e-mail of an assignment: every answer 200, saved, audited once with the true before', async () => {
    const c = await t.login('dm_bhopal');
    const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number }[] };
    const id = me.assignments[0]!.id;
    expect((await c.post('/api/v1/auth/switch', { assignmentId: id })).statusCode).toBe(200);
    const email = `race-${Date.now()}@mp.gov.in`;
    const rs = await burst(N, send(c, 'PUT', `/api/v1/profile/assignments/${id}/email`, { officialEmail: email }));
    allSucceed(rs, 200);
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where entity = 'role_assignment' and entity_id = ${String(id)} and action = 'email_updated' and after->>'officialEmail' = ${email}`,
      ),
      answers(rs),
    ).toBe(1);
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where entity = 'role_assignment' and entity_id = ${String(id)} and action = 'email_updated' and before->>'officialEmail' = ${email}`,
      ),
    ).toBe(0);
  });

  it('forgot password: every answer 202; no more codes (and SMS) than the hourly limit', async () => {
    const uid = await userId('finance_admin');
    const rs = await burst(N, () => t.anon.post('/api/v1/auth/forgot', { username: 'finance_admin' }));
    allSucceed(rs, 202);
    expect(await count(sql`select count(*)::int as n from otps where user_id = ${uid} and purpose = 'password_reset'`), answers(rs)).toBe(OTP_MAX_PER_HOUR);
    expect(await auditCount(db(), 'user', uid, 'password_reset_requested')).toBe(OTP_MAX_PER_HOUR);
  });

  it('the second factor asked for: no more codes than the hourly limit; the others 429', async () => {
    const c = await t.login('ddo_bhopal');
    const uid = await userId('ddo_bhopal');
    const rs = await burst(N, send(c, 'POST', '/api/v1/auth/step-up'));
    no500(rs);
    for (const x of rs) expect(['200', RATE_LIMITED], answers(rs)).toContain(codeOf(x));
    const sent = rs.filter((x) => x.statusCode === 200).length;
    expect(sent, answers(rs)).toBe(OTP_MAX_PER_HOUR);
    expect(await count(sql`select count(*)::int as n from otps where user_id = ${uid} and purpose = 'second_factor'`)).toBe(OTP_MAX_PER_HOUR);
    expect(await auditCount(db(), 'user', uid, 'step_up_requested')).toBe(OTP_MAX_PER_HOUR);
  });

  it('password reset with the right code: reset once (one audit entry); the others refused, the code spent', async () => {
    const uid = await userId('agency_admin');
    const f = await t.anon.post('/api/v1/auth/forgot', { username: 'agency_admin' });
    const requestId = (f.json() as { requestId: string }).requestId;
    await t.flushOutbox();
    const mobile = (await db().execute<{ mobile: string }>(sql`select mobile from users where id = ${uid}`)).rows[0]!.mobile;
    const code = /\b(\d{6})\b/.exec((await t.lastSms(mobile)) ?? '')?.[1];
    expect(code).toBeTruthy();
    const rs = await burst(N, () => t.anon.post('/api/v1/auth/reset', { requestId, code, newPassword: 'Reset race passphrase 2026' }));
    no500(rs);
    oneWinner(rs, ['422 otp_expired', RATE_LIMITED]);
    expect(await auditCount(db(), 'user', uid, 'password_reset'), answers(rs)).toBe(1);
  });
});
