import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { placeScope } from '../access/access.ts';
import { recordSecurityEvent, searchSecurityEvents } from './security.service.ts';
import { escapeLike } from '../../db/query.ts';

/**
 * The security log's search as the log grows (migration 0051): "User ID" gives the user's own
 * events and the refusals where the id was typed, in any letters, exactly as reading the whole
 * log does; counts stop at their cap and say so.
 */
let t: TestApp;
let ddoId = 0;
beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  ddoId = Number((await db.execute<{ id: number }>(sql`select id from users where username = 'ddo_bhopal'`)).rows[0]!.id);
  for (let i = 0; i < 8; i++) await recordSecurityEvent(db, { userId: ddoId, userName: 'Sunita Verma', ip: '10.8.0.1', status: 403, code: 'forbidden' });
  for (let i = 0; i < 5; i++)
    await recordSecurityEvent(db, { ip: '10.8.0.2', status: 401, code: 'login_throttled', details: { username: i % 2 ? 'DDO_Bhopal' : 'ddo_bhopal' } });
  for (let i = 0; i < 6; i++) await recordSecurityEvent(db, { ip: '10.8.0.3', status: 401, code: 'login_throttled', details: { username: 'someone_else' } });
});
afterAll(async () => {
  await t?.close();
});

const idsWhere = async (where: ReturnType<typeof sql>) =>
  (await t.database.db.execute<{ id: number }>(sql`select id from security_events where ${where} order by id desc`)).rows.map((r) => Number(r.id));

describe('security log search at scale', () => {
  it('"User ID": the user’s events and the refusals typed with the id, in any letters, newest first', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    const expected = await idsWhere(sql`user_id = ${ddoId} or lower(details->>'username') = 'ddo_bhopal'`);
    expect(expected.length).toBe(13);
    const r = await searchSecurityEvents(t.database.db, { reach: state, username: 'Ddo_Bhopal', page: 1, pageSize: 100 });
    expect(r.rows.map((x) => Number(x.id))).toEqual(expected);
    expect(r).toMatchObject({ total: 13, totalCapped: false });
    const typedOnly = await searchSecurityEvents(t.database.db, { reach: state, username: 'someone_else', page: 1, pageSize: 100 });
    expect(typedOnly.total).toBe(6);
  });

  it('a count stops at its cap and says so; the page is the same either way', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    const q = { reach: state, code: 'login_throttled', page: 1, pageSize: 3 };
    const exact = await searchSecurityEvents(t.database.db, q);
    expect(exact).toMatchObject({ total: 11, totalCapped: false });
    const capped = await searchSecurityEvents(t.database.db, q, 4);
    expect(capped).toMatchObject({ total: 4, totalCapped: true });
    expect(capped.rows.map((x) => x.id)).toEqual(exact.rows.map((x) => x.id));
    // Exactly at the cap is still exact.
    expect(await searchSecurityEvents(t.database.db, q, 11)).toMatchObject({ total: 11, totalCapped: false });
  });

  it('the start of an address finds what reading the whole log finds, newest first (migration 0054)', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    await recordSecurityEvent(t.database.db, { ip: '2001:DB8::9', status: 404, code: 'not_found' });
    for (const ip of ['10.8.', '10.8.0.1', '10.8.0.10', '1', '2001:db8', '2001:DB8::9', '192.168.', '%', '_']) {
      const expected = await idsWhere(sql`lower(ip) like ${`${escapeLike(ip.toLowerCase())}%`}`);
      const r = await searchSecurityEvents(t.database.db, { reach: state, ip, page: 1, pageSize: 100 });
      expect(
        r.rows.map((x) => Number(x.id)),
        ip,
      ).toEqual(expected.slice(0, 100));
      expect(r.total, ip).toBe(expected.length);
    }
    const names = (await t.database.db.execute<{ indexname: string }>(sql`select indexname from pg_indexes where tablename = 'security_events'`)).rows.map(
      (r) => r.indexname,
    );
    expect(names).toContain('security_events_ip_id_idx');
  });

  it('the route answers totalCapped beside the total', async () => {
    const c = await t.login('auditor_state');
    const res = await c.get('/api/v1/security-events?username=someone_else&pageSize=2');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 6, totalCapped: false, page: 1, pageSize: 2 });
  });
});
