import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { placeScope } from '../access/access.ts';
import { recordAudits, searchAudit } from './audit.service.ts';
import { escapeLike } from '../../db/query.ts';

/**
 * The audit trail's search as a state's trail grows (migration 0050; bench/RESULTS.md "Audit trail
 * at scale"): each filter gives what reading the whole trail gives, the page the newest first,
 * and a count that stops at its cap and says so.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Logins by name (one failed, typed in other letters), and entries of two departments.
  await t.login('finance_admin');
  await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'DDO_Bhopal', password: 'wrong-password-1' } });
  await t.login('ddo_bhopal');
  const events = Array.from({ length: 30 }, (_, i) => ({
    entity: i % 3 === 0 ? 'probe_kind' : 'probe_other',
    entityId: String(i),
    action: i % 2 === 0 ? 'probe_made' : 'probe_changed',
    departmentId: i % 5 === 0 ? 2 : 1,
  }));
  await t.database.db.transaction((tx) => recordAudits(tx, { actor: null, ip: '10.9.0.1' }, events));
});
afterAll(async () => {
  await t?.close();
});

const seqsWhere = async (where: ReturnType<typeof sql>) =>
  (await t.database.db.execute<{ seq: number }>(sql`select seq from audit_log where ${where} order by seq desc`)).rows.map((r) => Number(r.seq));

describe('audit trail search at scale', () => {
  it('the whole trail: the total is every entry (the last seq), the newest first', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    const all = await seqsWhere(sql`true`);
    const r = await searchAudit(t.database.db, { reach: state, page: 1, pageSize: 10 });
    expect(r.total).toBe(all.length);
    expect(r.totalCapped).toBe(false);
    expect(r.rows.map((x) => x.seq)).toEqual(all.slice(0, 10));
  });

  it('a login id finds the user’s entries and the sessions typed with it, in any letters; an unknown one only what was typed', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    const expected = await seqsWhere(
      sql`actor_user_id = (select id from users where username = 'ddo_bhopal') or (entity = 'session' and lower(entity_id) = 'ddo_bhopal')`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const r = await searchAudit(t.database.db, { reach: state, username: 'Ddo_Bhopal', page: 1, pageSize: 200 });
    expect(r.rows.map((x) => x.seq)).toEqual(expected);
    expect(r.total).toBe(expected.length);
    expect(r.rows.some((x) => x.action === 'login_failed')).toBe(true);
    const unknown = await searchAudit(t.database.db, { reach: state, username: 'nobody_here', page: 1, pageSize: 200 });
    expect(unknown.total).toBe(0);
  });

  it('a count stops at its cap and says so; the page is the same newest entries either way', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    const q = { reach: state, entity: 'probe_kind,probe_other', page: 1, pageSize: 4 };
    const exact = await searchAudit(t.database.db, q);
    expect(exact).toMatchObject({ total: 30, totalCapped: false });
    const capped = await searchAudit(t.database.db, q, 12);
    expect(capped).toMatchObject({ total: 12, totalCapped: true });
    expect(capped.rows.map((x) => x.seq)).toEqual(exact.rows.map((x) => x.seq));
    // Exactly at the cap is still exact.
    expect(await searchAudit(t.database.db, q, 30)).toMatchObject({ total: 30, totalCapped: false });
    // Kind and action together.
    const pair = await searchAudit(t.database.db, { ...q, entity: 'probe_kind', action: 'probe_made', pageSize: 50 });
    expect(pair.rows.map((x) => x.seq)).toEqual(await seqsWhere(sql`entity = 'probe_kind' and action = 'probe_made'`));
  });

  it('a department-scoped auditor: that department’s entries, counted to the cap', async () => {
    const dept = await placeScope(t.database.db, 'department', 2);
    const expected = await seqsWhere(sql`department_id = 2`);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    const r = await searchAudit(t.database.db, { reach: dept, page: 1, pageSize: 200 });
    expect(r.rows.map((x) => x.seq)).toEqual(expected);
    expect(r).toMatchObject({ total: expected.length, totalCapped: false });
    expect(await searchAudit(t.database.db, { reach: dept, page: 1, pageSize: 2 }, 3)).toMatchObject({ total: 3, totalCapped: true });
  });

  it('a role, and the start of an address, find what reading the whole trail finds, newest first (migration 0053)', async () => {
    const state = await placeScope(t.database.db, 'state', 0);
    // An entry from an IPv6 address (hex letters, typed in capitals), by an actor in a role of its own.
    const [someone] = (await t.database.db.execute<{ id: number }>(sql`select id from users order by id limit 1`)).rows;
    const actor = { userId: Number(someone!.id), name: 'Probe', assignmentId: 1, role: 'pd_admin' as const, scopeKind: 'pd_account' as const, scopeId: 1 };
    await t.database.db.transaction((tx) =>
      recordAudits(tx, { actor, ip: '2001:DB8::7' }, [{ entity: 'probe_ip', entityId: '1', action: 'probe_made', departmentId: 1 }]),
    );
    const roles = (await t.database.db.execute<{ role: string }>(sql`select distinct role from audit_log`)).rows.map((r) => r.role);
    expect(roles).toContain('pd_admin');
    for (const role of [...roles.filter((r) => r !== ''), 'nobody_acts_as_this']) {
      const expected = await seqsWhere(sql`role = ${role}`);
      const r = await searchAudit(t.database.db, { reach: state, role, page: 1, pageSize: 200 });
      expect(
        r.rows.map((x) => x.seq),
        role,
      ).toEqual(expected.slice(0, 200));
      expect(r.total, role).toBe(expected.length);
    }
    for (const ip of ['10.9.', '10.9.0.1', '10.9.0.10', '1', '2001:db8', '2001:DB8::7', '%', '_', '']) {
      const expected = await seqsWhere(sql`lower(ip) like ${`${escapeLike(ip.toLowerCase())}%`}`);
      const r = await searchAudit(t.database.db, { reach: state, ip: ip || undefined, page: 1, pageSize: 200 });
      expect(
        r.rows.map((x) => x.seq),
        ip,
      ).toEqual(expected.slice(0, 200));
      expect(r.total, ip).toBe(Math.min(expected.length, 10_000));
    }
    const names = (await t.database.db.execute<{ indexname: string }>(sql`select indexname from pg_indexes where tablename = 'audit_log'`)).rows.map(
      (r) => r.indexname,
    );
    expect(names).toEqual(expect.arrayContaining(['audit_log_role_seq_idx', 'audit_log_ip_seq_idx']));
  });

  it('the route answers totalCapped beside the total', async () => {
    const c = await t.login('auditor_state');
    const res = await c.get('/api/v1/audit?entity=probe_kind&pageSize=5');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 10, totalCapped: false, page: 1, pageSize: 5 });
    expect((res.json() as { items: unknown[] }).items).toHaveLength(5);
  });
});

describe('the audit search has no free-text filter', () => {
  it('q is refused as an unknown field, not ignored', async () => {
    const c = await t.login('auditor_state');
    const res = await c.get('/api/v1/audit?q=Bench');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'q', code: 'unknown_field' }] });
    expect(res.body).not.toMatch(/at |stack|node_modules/);
  });
});
