import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { type Database, migrateDatabase, openDatabase } from '../db/client.ts';
import { seedDemo } from '../db/seed/demo.ts';
import { deliverDueMessages } from '../platform/outbox/outbox.service.ts';
import { sandboxEmail, sandboxSms } from '../platform/adapters/sms.ts';
import { adminQuery, DEMO_PASSWORD, TEST_SEED, type Templates, withDatabase } from './template.ts';
import { sha256 } from '../platform/auth/tokens.ts';

export { DEMO_PASSWORD } from './template.ts';

/** A clock tests can move. */
export type FakeClock = { now: () => Date; advance: (ms: number) => void; set: (d: Date) => void };
export function fakeClock(start = new Date('2026-11-25T05:00:00Z')): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}

/**
 * A fresh database for one test file, cloned from the template the Vitest globalSetup built once
 * for the run (template.ts): an in-process PGlite loaded from the template's dump by default, or —
 * when TEST_DATABASE_URL points at a PostgreSQL server — CREATE DATABASE … TEMPLATE on that
 * server, dropped afterwards. `seed: false` clones the migrated-only template. Without a
 * globalSetup (a harness used elsewhere), it migrates and seeds as before.
 */
export async function openTestDatabase(opts: { seed?: boolean } = {}): Promise<Database & { drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL || undefined;
  const seed = opts.seed !== false;
  const provided = inject('roamsTemplates') as Templates | undefined;
  const templates = provided && provided.engine === (serverUrl ? 'postgres' : 'pglite') ? provided : undefined;
  let database: Database;
  let drop = async () => {};
  if (serverUrl) {
    const name = `roams_t_${randomBytes(6).toString('hex')}`;
    const template = templates?.engine === 'postgres' ? (seed ? templates.seeded : templates.bare) : null;
    await adminQuery(serverUrl, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
    database = await openDatabase({ databaseUrl: withDatabase(serverUrl, name), poolSize: 5 });
    drop = () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    const template = templates?.engine === 'pglite' ? (seed ? templates.seeded : templates.bare) : undefined;
    database = await openDatabase({ dataDir: null, ...(template ? { loadDataDir: template } : {}) });
  }
  if (!templates) {
    await migrateDatabase(database);
    if (seed) await seedDemo(database.db, TEST_SEED);
  }
  return {
    ...database,
    drop: async () => {
      await database.close();
      await drop();
    },
  };
}

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  clock: FakeClock;
  /** Logs in and returns a client that sends the session cookie and CSRF header. */
  login: (username: string, password?: string) => Promise<Client>;
  /** A fresh client without cookies each time it is read. */
  readonly anon: Client;
  /** Delivers queued SMS / e-mail through the sandbox adapters. */
  flushOutbox: () => Promise<number>;
  /** Latest sandbox SMS body to a mobile number. */
  lastSms: (mobile: string) => Promise<string | null>;
  /** Asks for a second-factor code on this client's login (bar A5) and reads it from the sandbox SMS. */
  stepUpCode: (c: Client) => Promise<string>;
  close: () => Promise<void>;
};

export type Client = {
  request: (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  get: (url: string) => Promise<LightMyRequestResponse>;
  post: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  put: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  del: (url: string) => Promise<LightMyRequestResponse>;
  cookies: Record<string, string>;
};

function makeClient(app: FastifyInstance, cookies: Record<string, string> = {}): Client {
  const request = async (opts: InjectOptions) => {
    const cookieHeader = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
    if (cookieHeader) headers.cookie = cookieHeader;
    if (cookies.roams_csrf && opts.method && opts.method !== 'GET') headers['x-csrf-token'] ??= cookies.roams_csrf;
    const res = await app.inject({ ...opts, headers });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) delete cookies[c.name];
      else cookies[c.name] = c.value;
    }
    return res;
  };
  return {
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) => request({ method: 'POST', url, ...(body === undefined ? {} : { payload: body as object }) }),
    put: (url, body) => request({ method: 'PUT', url, ...(body === undefined ? {} : { payload: body as object }) }),
    del: (url) => request({ method: 'DELETE', url }),
    cookies,
  };
}

/** Moves a login to its assignment at office `officeId` (of `role`, when it holds several there). */
export async function switchTo(c: Client, officeId: number, role?: string) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null; role: string }[] };
  const a = me.assignments.find((x) => x.officeId === officeId && (role === undefined || x.role === role));
  expect(a, `assignment ${role ?? 'any role'} at office ${officeId}`).toBeDefined();
  expect((await c.post('/api/v1/auth/switch', { assignmentId: a!.id })).statusCode).toBe(200);
}

export async function createTestApp(opts: { seed?: boolean; clock?: FakeClock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await openTestDatabase({ seed: opts.seed });
  const clock = opts.clock ?? fakeClock();
  const app = await buildApp({ database, config: loadConfig({ ROAMS_MODE: 'test', WEB_DIST: '/nonexistent', ...opts.env }), now: clock.now });
  await app.ready();
  const adapters = { sms: sandboxSms(database.db), email: sandboxEmail(database.db) };
  return {
    app,
    database,
    clock,
    get anon() {
      return makeClient(app);
    },
    async login(username, password = DEMO_PASSWORD) {
      const c = makeClient(app);
      const res = await c.post('/api/v1/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return c;
    },
    flushOutbox: () => deliverDueMessages(database.db, adapters),
    async stepUpCode(c) {
      const res = await c.post('/api/v1/auth/step-up');
      if (res.statusCode !== 200) throw new Error(`step-up failed: ${res.statusCode} ${res.body}`);
      await deliverDueMessages(database.db, adapters);
      const r = await database.db.execute<{ body: string }>(
        sql`select m.body from sandbox_messages m join users u on u.mobile = m.recipient join sessions s on s.user_id = u.id
            where s.id = ${sha256(c.cookies.roams_session ?? '')} order by m.id desc limit 1`,
      );
      const code = r.rows[0]?.body.match(/\b(\d{6})\b/)?.[1];
      if (!code) throw new Error('no step-up code in the sandbox SMS');
      return code;
    },
    async lastSms(mobile) {
      const r = await database.db.execute<{ body: string }>(sql`select body from sandbox_messages where recipient = ${mobile} order by id desc limit 1`);
      return r.rows[0]?.body ?? null;
    },
    async close() {
      await app.close();
      await (database as Database & { drop: () => Promise<void> }).drop();
    },
  };
}

/**
 * A fingerprint of every table's content except the ones that change on every request
 * (sessions, login attempts, the security log): equal before and after means "nothing changed".
 */
export async function dbFingerprint(database: Database): Promise<string> {
  const tables = await database.db.execute<{ t: string }>(sql`
    select table_name as t from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('sessions', 'login_attempts', 'security_events')
    order by table_name`);
  const parts: string[] = [];
  for (const { t } of tables.rows) {
    const r = await database.db.execute<{ h: string }>(sql.raw(`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`));
    parts.push(`${t}:${r.rows[0]?.h}`);
  }
  return parts.join(',');
}
