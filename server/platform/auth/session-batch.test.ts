import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';
import { withDatabase } from '../../test/template.ts';
import { placeScope, reachOf } from '../access/access.ts';
import { resolveSession } from './auth.service.ts';
import { sessionBatchStats } from './session-batch.ts';

// Issue 13 item 1: session resolution is batched across the requests of the moment, never served
// from memory. What a user relies on: a logout, a password change, a deactivation or an ended role
// holds from the very next request — also on a second app instance on the same database (here an
// app `b` beside the harness's app `a`: its own pool on PostgreSQL; on PGlite, which one process
// owns, a second app on the same embedded database).

let t: TestApp;
let b: FastifyInstance;
let bDatabase: Database | null = null;

beforeAll(async () => {
  t = await createTestApp();
  let database: Database = t.database;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const r = await t.database.db.execute<{ name: string }>(sql`select current_database() as name`);
    bDatabase = await openDatabase({ databaseUrl: withDatabase(serverUrl, r.rows[0]!.name), poolSize: 3 });
    database = bDatabase;
  }
  b = await buildApp({ database, config: loadConfig({ ROAMS_MODE: 'test', WEB_DIST: '/nonexistent' }), now: t.clock.now });
  await b.ready();
});
afterAll(async () => {
  await b?.close();
  await bDatabase?.close();
  await t?.close();
});

type Session = { token: string; csrf: string };

async function loginOn(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  expect(res.statusCode).toBe(200);
  const c = Object.fromEntries(res.cookies.map((x) => [x.name, x.value]));
  return { token: c.roams_session!, csrf: c.roams_csrf! };
}
const get = (app: FastifyInstance, s: Session, url: string) => app.inject({ method: 'GET', url, headers: { cookie: `roams_session=${s.token}` } });
const post = (app: FastifyInstance, s: Session, url: string, payload?: object) =>
  app.inject({
    method: 'POST',
    url,
    headers: { cookie: `roams_session=${s.token}; roams_csrf=${s.csrf}`, 'x-csrf-token': s.csrf },
    ...(payload ? { payload } : {}),
  });
const meStatus = async (app: FastifyInstance, s: Session) => (await get(app, s, '/api/v1/auth/me')).statusCode;
const userId = async (username: string) => (await t.database.db.execute<{ id: number }>(sql`select id from users where username = ${username}`)).rows[0]!.id;

describe('session resolution, batched, on two instances', () => {
  it('a logout on one instance ends the user’s sessions on the other at the very next request, even many at once', async () => {
    const onA = await loginOn(t.app, 'auditor_state');
    const onB = await loginOn(b, 'auditor_state');
    expect(await meStatus(b, onB)).toBe(200);
    expect(await meStatus(t.app, onA)).toBe(200);
    expect((await post(t.app, onA, '/api/v1/auth/logout')).statusCode).toBeLessThan(300);
    // Twenty requests at once on the other instance, all after the logout answered: none gets in.
    const after = await Promise.all(Array.from({ length: 20 }, () => meStatus(b, onB)));
    expect(after).toEqual(Array(20).fill(401));
    expect(await meStatus(t.app, onA)).toBe(401);
  });

  it('a password change on one instance ends the old sessions on the other; the new session works on both', async () => {
    const onB = await loginOn(b, 'treasury_bhopal');
    const onA = await loginOn(t.app, 'treasury_bhopal');
    expect(await meStatus(b, onB)).toBe(200);
    const res = await post(t.app, onA, '/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'Shipra ghat 2026 evening' });
    expect(res.statusCode).toBe(200);
    expect(await meStatus(b, onB)).toBe(401);
    const fresh = res.cookies.find((c) => c.name === 'roams_session')!.value;
    expect(await meStatus(b, { token: fresh, csrf: '' })).toBe(200);
    expect(await meStatus(t.app, { token: fresh, csrf: '' })).toBe(200);
  });

  it('a deactivation on one instance shuts the user out of the other at the very next request', async () => {
    const admin = await loginOn(t.app, 'officeadmin_state');
    const dm = await loginOn(b, 'dm_bhopal');
    const first = (await get(b, dm, '/api/v1/auth/me')).json().assignments[0] as { id: number };
    expect((await post(b, dm, '/api/v1/auth/switch', { assignmentId: first.id })).statusCode).toBe(200);
    expect((await get(b, dm, '/api/v1/contracts?page=1&pageSize=5')).statusCode).toBe(200);
    const res = await post(t.app, admin, `/api/v1/office-users/users/${await userId('dm_bhopal')}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect((await get(b, dm, '/api/v1/contracts?page=1&pageSize=5')).statusCode).toBe(401);
    expect((await post(t.app, admin, `/api/v1/office-users/users/${await userId('dm_bhopal')}/activate`)).statusCode).toBe(200);
  });

  it('an ended role assignment on one instance stops the session acting in it on the other at the very next request', async () => {
    const dmId = await userId('dm_bhopal');
    const office = (await t.database.db.execute<{ id: number }>(sql`select id from offices where id not in (79, 4881) order by id limit 1`)).rows[0]!.id;
    const [extra] = (
      await t.database.db.execute<{ id: number }>(sql`
        insert into role_assignments (user_id, role, scope_kind, scope_id, office_id, designation)
        values (${dmId}, 'department_manager', 'office', ${office}, ${office}, 'Additional charge') returning id`)
    ).rows;
    const dm = await loginOn(b, 'dm_bhopal');
    expect((await post(b, dm, '/api/v1/auth/switch', { assignmentId: extra!.id })).statusCode).toBe(200);
    expect((await get(b, dm, '/api/v1/contracts?page=1&pageSize=5')).statusCode).toBe(200);
    const admin = await loginOn(t.app, 'officeadmin_state');
    expect((await post(t.app, admin, `/api/v1/office-users/assignments/${extra!.id}/end`)).statusCode).toBe(200);
    expect((await get(b, dm, '/api/v1/contracts?page=1&pageSize=5')).statusCode).toBe(401);
  });

  it('places the actor’s scope in the office tree with the session (no lookup of its own), as the access layer would', async () => {
    for (const username of ['dm_bhopal', 'ddo_bhopal', 'officeadmin_fin', 'auditor_state']) {
      const s = await loginOn(b, username);
      const me = (await get(b, s, '/api/v1/auth/me')).json();
      const a = me.assignments[0] as { id: number };
      expect((await post(b, s, '/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
      const loaded = await resolveSession(bDatabase?.db ?? t.database.db, s.token, t.clock.now());
      const actor = loaded!.actor!;
      expect(await reachOf(t.database.db, actor)).toEqual(await placeScope(t.database.db, actor.scopeKind, actor.scopeId));
    }
  });

  it('answers concurrent requests with fewer lookups than requests, each with its own session', async () => {
    const users = ['officeadmin_state', 'auditor_state', 'finance_admin', 'ddo_bhopal', 'agency_admin'];
    const sessions = await Promise.all(users.map((u) => loginOn(b, u)));
    const bDb = bDatabase?.db ?? t.database.db;
    const before = sessionBatchStats(bDb);
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => get(b, sessions[i % users.length]!, '/api/v1/auth/me')));
    const after = sessionBatchStats(bDb);
    expect(replies.map((r) => r.json().user.username)).toEqual(Array.from({ length: 40 }, (_, i) => users[i % users.length]));
    expect(after.requests - before.requests).toBe(40);
    expect(after.lookups - before.lookups).toBeLessThan(40);
  });
});
