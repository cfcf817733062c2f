import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { DEMO_PASSWORD, fakeClock, openTestDatabase } from '../../test/harness.ts';
import { sandboxEmail, sandboxSms } from '../adapters/sms.ts';
import { deliverDueMessages } from '../outbox/outbox.service.ts';

/**
 * Bar P3: run the identity flows with every log line captured (at `trace`, with the same
 * redaction main.ts configures) and scan the logs and the tables that record activity for
 * every secret the flows handled.
 */
const logLines: string[] = [];
const secrets = new Map<string, string>(); // value → what it is
let database: Database & { drop: () => Promise<void> };
let app: FastifyInstance;
const clock = fakeClock();

function client() {
  const jar: Record<string, string> = {};
  return {
    jar,
    async send(opts: InjectOptions) {
      const headers: Record<string, string> = {
        ...(opts.headers as Record<string, string>),
        cookie: Object.entries(jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      };
      if (jar.roams_csrf && opts.method !== 'GET') headers['x-csrf-token'] = jar.roams_csrf;
      const res = await app.inject({ ...opts, headers });
      for (const c of res.cookies) {
        jar[c.name] = c.value;
        if (c.value && (c.name === 'roams_session' || c.name === 'roams_csrf')) secrets.set(c.value, c.name);
      }
      return res;
    },
  };
}

beforeAll(async () => {
  database = await openTestDatabase();
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  // Same redaction as server/main.ts, at the most talkative level.
  const logger = { level: 'trace', stream, redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'] };
  app = await buildApp({ database, config: loadConfig({ ROAMS_MODE: 'test', WEB_DIST: '/nonexistent' }), now: clock.now, logger });
  await app.ready();
  const adapters = { sms: sandboxSms(database.db), email: sandboxEmail(database.db) };
  const sms = async (mobile: string) => {
    await deliverDueMessages(database.db, adapters);
    const r = await database.db.execute<{ body: string }>(sql`select body from sandbox_messages where recipient = ${mobile} order by id desc limit 1`);
    return r.rows[0]?.body ?? '';
  };
  const login = (c: ReturnType<typeof client>, username: string, password: string) =>
    c.send({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

  secrets.set(DEMO_PASSWORD, 'password');
  // 1. Logins and failed logins, some typing a mobile or an Aadhaar-like number as the user id.
  const a = client();
  expect((await login(a, 'auditor_state', DEMO_PASSWORD)).statusCode).toBe(200);
  await a.send({ method: 'GET', url: '/api/v1/audit' });
  for (const [u, p] of [
    ['auditor_state', 'wrong-secret-guess-1'],
    ['9876500009', 'wrong-secret-guess-2'],
    ['499118665246', 'wrong-secret-guess-3'],
    ['nobody_at_all', 'wrong-secret-guess-4'],
  ] as const) {
    secrets.set(p, 'password guess');
    expect((await login(client(), u, p)).statusCode).toBe(401);
  }
  secrets.set('9876500009', 'mobile');
  secrets.set('499118665246', 'aadhaar-like number');
  secrets.set('4991 1866 5246', 'aadhaar-like number');
  // 2. Password change.
  const d = client();
  await login(d, 'dm_bhopal', DEMO_PASSWORD);
  secrets.set('changed-secret-passphrase', 'password');
  expect(
    (
      await d.send({
        method: 'POST',
        url: '/api/v1/auth/change-password',
        payload: { currentPassword: DEMO_PASSWORD, newPassword: 'changed-secret-passphrase' },
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await d.send({
        method: 'POST',
        url: '/api/v1/auth/change-password',
        payload: { currentPassword: 'bad-current-secret', newPassword: 'other-secret-passphrase' },
      })
    ).statusCode,
  ).toBe(400);
  secrets.set('bad-current-secret', 'password');
  secrets.set('other-secret-passphrase', 'password');
  await d.send({ method: 'POST', url: '/api/v1/auth/logout' });
  // 3. Reset with a one-time code, one wrong code first.
  const r = client();
  const forgot = await r.send({ method: 'POST', url: '/api/v1/auth/forgot', payload: { username: 'officeadmin_fin' } });
  const requestId = forgot.json().requestId as string;
  secrets.set(requestId, 'reset request id');
  const code = (await sms('9876500003')).match(/\b(\d{6})\b/)![1]!;
  secrets.set(code, 'OTP');
  secrets.set('9876500003', 'mobile');
  const wrong = code === '000000' ? '999999' : '000000';
  expect(
    (await r.send({ method: 'POST', url: '/api/v1/auth/reset', payload: { requestId, code: wrong, newPassword: 'reset-secret-passphrase' } })).statusCode,
  ).toBe(422);
  expect((await r.send({ method: 'POST', url: '/api/v1/auth/reset', payload: { requestId, code, newPassword: 'reset-secret-passphrase' } })).statusCode).toBe(
    200,
  );
  secrets.set('reset-secret-passphrase', 'password');
  expect((await login(client(), 'officeadmin_fin', 'reset-secret-passphrase')).statusCode).toBe(200);
  // A request that fails validation, echoing nothing secret back into the log.
  await login(client(), 'x', '');
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/**
 * The secrets found in `haystack`. A one-time code must stand as a token of its own (not inside a
 * longer run of letters and digits): it is six random digits, and the audit trail holds hashes,
 * ids, amounts and times by the thousand — as a bare substring a code was once found inside one of
 * them by chance (CI, 2026-12-07: 'OTP (574632…)'), while a code that leaked stands on its own
 * ("code":"574632"). Every other secret is long enough to be looked for anywhere (a mobile number
 * after "+91" too).
 */
function leaks(haystack: string, allowed: string[] = []): string[] {
  const found: string[] = [];
  for (const [value, what] of secrets) {
    if (allowed.includes(what)) continue;
    // A code is six digits: no character of it needs escaping in the pattern.
    const at = what === 'OTP' ? (new RegExp(`(?<![0-9A-Za-z])${value}(?![0-9A-Za-z])`).exec(haystack)?.index ?? -1) : haystack.indexOf(value);
    if (at >= 0) found.push(`${what} (${value.slice(0, 6)}…): …${haystack.slice(Math.max(0, at - 40), at + value.length + 40)}…`);
  }
  return found;
}

async function tableText(table: string): Promise<string> {
  const r = await database.db.execute<{ x: string }>(sql.raw(`select x::text as x from "${table}" x`));
  return r.rows.map((row) => row.x).join('\n');
}

describe('P3 no secrets in logs or activity records', () => {
  it('P3 the flows produced log lines and activity records to scan', async () => {
    expect(logLines.length).toBeGreaterThan(20);
    expect(logLines.join('')).toContain('/api/v1/auth/login');
    expect((await tableText('audit_log')).length).toBeGreaterThan(100);
    expect(secrets.size).toBeGreaterThan(10);
  });

  it('P3 the captured application log holds no password, OTP, session or CSRF token, mobile or Aadhaar-like number', () => {
    expect(leaks(logLines.join(''))).toEqual([]);
  });

  it('P3 the audit trail holds none of them', async () => {
    expect(leaks(await tableText('audit_log'))).toEqual([]);
  });

  it('P3 login_attempts holds none of them; a number typed as the user id keeps only its last four digits', async () => {
    const text = await tableText('login_attempts');
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('XXXXXX0009');
    expect(text).toContain('XXXXXXXX5246');
  });

  it('P3 the outbox keeps no one-time code once the message is delivered, and sessions/otps keep only hashes', async () => {
    const outbox = await database.db.execute<{ x: string }>(sql`select params::text || ' ' || template || ' ' || coalesce(last_error, '') as x from outbox`);
    expect(leaks(outbox.rows.map((x) => x.x).join('\n'))).toEqual([]);
    // The CSRF token is not a secret from its own session: the server keeps it to compare.
    expect(leaks(await tableText('sessions'), ['roams_csrf'])).toEqual([]);
    // A code is bound to its reset request by id; the code itself is kept only as a hash.
    expect(leaks(await tableText('otps'), ['reset request id'])).toEqual([]);
  });
});
