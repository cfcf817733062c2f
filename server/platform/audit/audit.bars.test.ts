import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { checksOn } from '../../test/helpers.ts';
import type { Actor } from '../context.ts';
import { recordAudit, recordAudits, redact, verifyAuditChain } from './audit.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const count = async () => Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log`)).rows[0]!.n);
const ctx = { actor: null, ip: '10.5.0.1' };

const { dbRefusal: refusal } = checksOn(() => t.database);

describe('P5 audit trail', () => {
  it('P5 the database refuses UPDATE, DELETE and TRUNCATE on the audit trail', async () => {
    await t.login('finance_admin'); // at least one entry
    const before = await count();
    expect(before).toBeGreaterThan(0);
    expect(await refusal(sql`update audit_log set action = 'nothing_happened'`)).toMatch(/ROAMS_IMMUTABLE: UPDATE/);
    expect(await refusal(sql`delete from audit_log where seq = (select min(seq) from audit_log)`)).toMatch(/ROAMS_IMMUTABLE: DELETE/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/ROAMS_IMMUTABLE: TRUNCATE/);
    // Not even the hash columns, not even inside a transaction that also inserts.
    const both = await t.database.db
      .transaction(async (tx) => {
        await recordAudit(tx, ctx, { entity: 'probe', action: 'probe' });
        await tx.execute(sql`update audit_log set hash = '' where entity = 'probe'`);
      })
      .then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => (e.cause ?? e).message,
      );
    expect(both).toMatch(/ROAMS_IMMUTABLE/);
    expect(await count()).toBe(before);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('P5 the database sets seq, time and hashes itself: a forged prev_hash/hash on insert is overwritten', async () => {
    await t.database.db.execute(
      sql`insert into audit_log (entity, action, prev_hash, hash, seq, at) values ('probe', 'forged', 'x', 'y', 999999, '2001-01-01')`,
    );
    const r = await t.database.db.execute<{ seq: number; hash: string; at: string }>(
      sql`select seq, hash, at::text as at from audit_log where action = 'forged'`,
    );
    expect(r.rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(r.rows[0]!.seq)).not.toBe(999999);
    expect(r.rows[0]!.at.startsWith('2001')).toBe(false);
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it('P5 the chain stays valid under concurrent writers (20 parallel audited actions)', async () => {
    const before = await count();
    const clients = await Promise.all([t.login('auditor_state'), t.login('officeadmin_state')]);
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        t.database.db.transaction((tx) => recordAudit(tx, ctx, { entity: 'probe', entityId: i, action: 'parallel', after: { i } })),
      ),
      ...Array.from({ length: 5 }, () => t.anon.post('/api/v1/auth/login', { username: 'auditor_state', password: 'not-the-password-x' })),
      ...Array.from({ length: 5 }, (_, i) =>
        clients[i % 2]!.put('/api/v1/auth/locale', { locale: i % 2 ? 'en' : 'hi' }).then(() => clients[i % 2]!.post('/api/v1/audit/verify')),
      ),
    ]);
    // Five wrong passwords put auditor_state under the progressive login delay (bar A6); let the
    // (fake) clock pass it, as a person would wait, so the later tests can log in again.
    t.clock.advance(5 * 60_000);
    const v = await verifyAuditChain(t.database.db);
    expect(v).toMatchObject({ ok: true, firstBadSeq: null });
    expect(v.checked).toBe(await count());
    expect(v.checked).toBeGreaterThanOrEqual(before + 2 + 10 + 5);
    // seq has no gaps and each entry links to the one before it.
    const links = await t.database.db.execute<{ bad: number }>(sql`
      select count(*)::int as bad from (
        select prev_hash, lag(hash) over (order by seq) as prev, seq, lag(seq) over (order by seq) as pseq from audit_log) x
      where pseq is not null and (prev_hash <> prev or seq <> pseq + 1)`);
    expect(links.rows[0]!.bad).toBe(0);
  });

  it('a login by a user with several roles, before choosing one, is recorded with no role (was "Resource (worker)")', async () => {
    await t.login('dm_bhopal');
    const r = await t.database.db.execute<{ role: string; assignment_id: number | null }>(sql`
      select role, assignment_id from audit_log where action = 'login' and actor_name = (select name from users where username = 'dm_bhopal') order by seq desc limit 1`);
    expect(r.rows[0]).toEqual({ role: '', assignment_id: null });
  });

  it("a department-scoped auditor's search shows only that department's entries; a state auditor sees all", async () => {
    const db = t.database.db;
    const depts = (await db.execute<{ id: number }>(sql`select id from departments order by id limit 2`)).rows.map((r) => Number(r.id));
    const [mine, other] = depts as [number, number];
    await db.transaction(async (tx) => {
      await recordAudit(tx, ctx, { entity: 'probe', action: 'dept_probe', departmentId: mine });
      await recordAudit(tx, ctx, { entity: 'probe', action: 'dept_probe', departmentId: other });
      await recordAudit(tx, ctx, { entity: 'probe', action: 'dept_probe' });
    });
    const hash = (await db.execute<{ h: string }>(sql`select password_hash as h from users where username = 'auditor_state'`)).rows[0]!.h;
    const u = (
      await db.execute<{ id: number }>(
        sql`insert into users (username, name, mobile, password_hash, must_change_password) values ('dept_auditor', 'Dept Auditor', '9123400077', ${hash}, false) returning id`,
      )
    ).rows[0]!;
    await db.execute(sql`insert into role_assignments (user_id, role, scope_kind, scope_id) values (${u.id}, 'auditor', 'department', ${mine})`);
    const departments = async (username: string) => {
      const c = await t.login(username);
      const r = await c.get('/api/v1/audit?action=dept_probe&pageSize=50');
      expect(r.statusCode).toBe(200);
      return (r.json() as { items: { seq: number }[]; total: number }).total;
    };
    expect(await departments('dept_auditor')).toBe(1);
    expect(await departments('auditor_state')).toBe(3);
  });

  it('P5 entries are numbered 1, 2, 3… without gaps, also after a writer rolls back (issue 12.3)', async () => {
    const seqs = async () => (await t.database.db.execute<{ seq: number }>(sql`select seq from audit_log order by seq`)).rows.map((r) => Number(r.seq));
    await expect(
      t.database.db.transaction(async (tx) => {
        await recordAudit(tx, ctx, { entity: 'probe', action: 'rolled_back' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await t.database.db.transaction((tx) => recordAudit(tx, ctx, { entity: 'probe', action: 'after_rollback' }));
    const all = await seqs();
    expect(all).toEqual(all.map((_, i) => i + 1));
  });

  it('P5 verification over HTTP: auditors and Finance may run it, it is itself audited, others are refused', async () => {
    const auditor = await t.login('auditor_state');
    const res = await auditor.post('/api/v1/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, firstBadSeq: null, reason: null });
    const last = await t.database.db.execute<{ action: string; entity: string; role: string }>(
      sql`select action, entity, role from audit_log order by seq desc limit 1`,
    );
    expect(last.rows[0]).toEqual({ action: 'verified', entity: 'audit_log', role: 'auditor' });
    const dm = await t.login('officeadmin_state');
    expect((await dm.post('/api/v1/audit/verify')).statusCode).toBe(403);
    expect((await t.anon.post('/api/v1/audit/verify')).statusCode).toBe(401);
  });

  it('P5 redaction: secret keys never enter before/after, at any depth', async () => {
    expect(
      redact({
        password: 'p',
        newPassword: 'q',
        otp: '123456',
        csrfToken: 't',
        session_id: 's',
        aadhaarNumber: '123412341234',
        account_number: '1',
        nested: [{ codeHash: 'h', name: 'ok' }],
      }),
    ).toEqual({
      password: '[redacted]',
      newPassword: '[redacted]',
      otp: '[redacted]',
      csrfToken: '[redacted]',
      session_id: '[redacted]',
      aadhaarNumber: '[redacted]',
      account_number: '[redacted]',
      nested: [{ codeHash: '[redacted]', name: 'ok' }],
    });
    await t.database.db.transaction((tx) =>
      recordAudit(tx, ctx, { entity: 'probe', action: 'redaction', before: { password: 'hunter2-secret-probe' }, after: { deep: { otp: '987654' } } }),
    );
    const r = await t.database.db.execute<{ b: string; a: string }>(sql`select before::text as b, after::text as a from audit_log where action = 'redaction'`);
    expect(r.rows[0]!.b).not.toContain('hunter2-secret-probe');
    expect(r.rows[0]!.a).not.toContain('987654');
  });

  it('audit search: by user id (including failed logins typed with it), role, address, entity, action and IST dates, paged on the server', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'treasury_bhopal', password: 'wrong-password-probe' },
      remoteAddress: '10.77.1.5',
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'treasury_bhopal', password: 'Roams@Demo2026' },
      remoteAddress: '10.77.1.5',
    });
    const c = await t.login('finance_admin');
    const get = async (q: string) => {
      const res = await c.get(`/api/v1/audit?${q}`);
      expect(res.statusCode, q).toBe(200);
      return res.json() as { items: { action: string; actorUsername: string | null; role: string; ip: string; at: string; entity: string }[]; total: number };
    };
    const byUser = await get('username=Treasury_Bhopal&entity=session');
    expect(byUser.items.map((i) => i.action)).toEqual(['login', 'login_failed']);
    expect(byUser.items[0]).toMatchObject({ actorUsername: 'treasury_bhopal', role: 'treasury_officer', ip: '10.77.1.5' });
    expect((await get('ip=10.77.')).total).toBe(2);
    expect((await get('role=treasury_officer&action=login')).items.every((i) => i.role === 'treasury_officer' && i.action === 'login')).toBe(true);
    // The fake clock does not reach the database's own timestamps: date filters use the entry times.
    const today = new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
    expect((await get(`from=${today}&to=${today}&ip=10.77.`)).total).toBe(2);
    expect((await get(`to=2020-01-01&ip=10.77.`)).total).toBe(0);
    const page1 = await get('pageSize=3&page=1');
    const page2 = await get('pageSize=3&page=2');
    expect(page1.items).toHaveLength(3);
    expect(page1.total).toBeGreaterThan(6);
    expect(page2.items[0]!.at <= page1.items[2]!.at).toBe(true);
    expect((await c.get('/api/v1/audit?pageSize=500')).statusCode).toBe(400);
  });

  const gapsAndBadLinks = async () =>
    Number(
      (
        await t.database.db.execute<{ bad: number }>(sql`
          select count(*)::int as bad from (
            select prev_hash, lag(hash) over (order by seq) as prev, seq, lag(seq) over (order by seq) as pseq from audit_log) x
          where pseq is not null and (prev_hash <> prev or seq <> pseq + 1)`)
      ).rows[0]!.bad,
    );

  it('P5 many entries at once (a bulk import) are chained in the order given, exactly as one at a time would be (migration 0023)', async () => {
    const before = await count();
    const actor: Actor = { userId: 1, name: 'Batch Probe', assignmentId: 1, role: 'agency_admin', scopeKind: 'agency', scopeId: 1 };
    const who = { actor, ip: '10.5.0.9' };
    const one = { entity: 'probe', entityId: 'single', action: 'batch_shape', departmentId: 1, after: { name: 'नाम', password: 'never-stored-probe' } };
    await t.database.db.transaction(async (tx) => {
      await recordAudit(tx, who, one);
      await recordAudits(tx, who, [
        { ...one, entityId: 'batch' },
        ...Array.from({ length: 300 }, (_, i) => ({ entity: 'probe', entityId: i, action: 'batch_order', after: { i } })),
      ]);
      await recordAudit(tx, who, { entity: 'probe', action: 'after_batch' });
    });
    expect(await count()).toBe(before + 303);
    // Same columns as the single writer's entry (actor, role, redaction), only the number differs.
    const shape = await t.database.db.execute<Record<string, unknown>>(sql`
      select entity_id, actor_user_id, actor_name, assignment_id, role, ip, department_id, before, after::text as after
        from audit_log where action = 'batch_shape' order by seq`);
    expect(shape.rows).toHaveLength(2);
    expect({ ...shape.rows[1], entity_id: 'single' }).toEqual(shape.rows[0]);
    expect(shape.rows[0]!.after).not.toContain('never-stored-probe');
    // In the order given, numbered on from the entry before, and the single writer after it goes on.
    const order = await t.database.db.execute<{ seq: number; i: number }>(sql`
      select seq, (after->>'i')::int as i from audit_log where action = 'batch_order' order by seq`);
    expect(order.rows.map((r) => Number(r.i))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const first = Number(order.rows[0]!.seq);
    expect(order.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 300 }, (_, i) => first + i));
    expect(await gapsAndBadLinks()).toBe(0);
    expect(await verifyAuditChain(t.database.db, 97)).toMatchObject({ ok: true, firstBadSeq: null });
    // The row trigger chained 'after_batch' by itself again (its link is checked above); the mode is not left on.
    const flag = await t.database.db.execute<{ v: string | null }>(sql`select current_setting('roams.audit_chained', true) as v`);
    expect(flag.rows[0]!.v).not.toBe('on');
  });

  it('P5 a batch that rolls back leaves no gap; nothing but audit_append may insert pre-chained rows without a hash', async () => {
    await expect(
      t.database.db.transaction(async (tx) => {
        await recordAudits(
          tx,
          ctx,
          Array.from({ length: 50 }, (_, i) => ({ entity: 'probe', entityId: i, action: 'batch_rolled_back' })),
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await t.database.db.transaction((tx) => recordAudits(tx, ctx, [{ entity: 'probe', action: 'batch_after_rollback' }]));
    const seqs = (await t.database.db.execute<{ seq: number }>(sql`select seq from audit_log order by seq`)).rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await recordAuditsNone()).toBe(0);
    // Claiming "already chained" by hand does not let an entry without its chain in.
    const refused = await refusal(sql`
      with f as (select set_config('roams.audit_chained', 'on', true))
      insert into audit_log (entity, action) select 'probe', 'unchained' from f`);
    expect(refused).toMatch(/ROAMS_AUDIT_UNCHAINED/);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
  const recordAuditsNone = async () =>
    Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'batch_rolled_back'`)).rows[0]!.n);

  it('P5 two bulk writers and single writers at the same moment make one gapless, valid chain; each batch stays in one piece', async () => {
    const before = await count();
    const batch = (k: number) =>
      t.database.db.transaction(async (tx) => {
        // The first batch starts with its many entries (audit_append itself waits for the lock), the second after an entry of its own.
        if (k === 2) await recordAudit(tx, ctx, { entity: 'probe', entityId: `batch${k}`, action: 'race_batch_head' });
        await recordAudits(
          tx,
          ctx,
          Array.from({ length: 400 }, (_, i) => ({ entity: 'probe', entityId: `${k}:${i}`, action: 'race_batch', after: { k, i } })),
        );
        if (k === 1) await recordAudit(tx, ctx, { entity: 'probe', entityId: `batch${k}`, action: 'race_batch_tail' });
      });
    // A single writer that holds the chain's lock a while before committing: a batch that waited
    // for it must link to its entry, not to the one before.
    const slowSingle = (i: number) =>
      t.database.db.transaction(async (tx) => {
        await recordAudit(tx, ctx, { entity: 'probe', entityId: i, action: 'race_single' });
        await tx.execute(sql`select pg_sleep(0.05)`);
      });
    await Promise.all([slowSingle(0), batch(1), slowSingle(1), batch(2), ...Array.from({ length: 6 }, (_, i) => slowSingle(i + 2))]);
    expect(await count()).toBe(before + 2 * 401 + 8);
    expect(await gapsAndBadLinks()).toBe(0);
    const v = await verifyAuditChain(t.database.db, 250);
    expect(v).toMatchObject({ ok: true, firstBadSeq: null });
    expect(v.checked).toBe(await count());
    for (const k of [1, 2]) {
      const s = await t.database.db.execute<{ lo: number; hi: number; n: number }>(sql`
        select min(seq)::bigint as lo, max(seq)::bigint as hi, count(*)::int as n from audit_log
         where action = 'race_batch' and after->>'k' = ${String(k)}`);
      expect(Number(s.rows[0]!.hi) - Number(s.rows[0]!.lo) + 1).toBe(400);
      expect(Number(s.rows[0]!.n)).toBe(400);
    }
  });

  // Keep last: it tampers with the trail.
  it('P5 tampering through a superuser back door (triggers disabled) is detected and located', async () => {
    const entries = await t.database.db.execute<{ seq: number }>(sql`select seq from audit_log order by seq`);
    const victim = Number(entries.rows[Math.floor(entries.rows.length / 2)]!.seq);
    await t.database.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    try {
      await t.database.db.execute(sql`update audit_log set ip = '6.6.6.6' where seq = ${victim}`);
      expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: false, firstBadSeq: victim, reason: 'content_changed' });
      // Re-hashing the edited entry to hide the edit breaks the link to the next one instead.
      await t.database.db.execute(sql`update audit_log set hash = audit_entry_digest(prev_hash, audit_log.*) where seq = ${victim}`);
      const next = Number(entries.rows[Math.floor(entries.rows.length / 2) + 1]!.seq);
      expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: false, firstBadSeq: next, reason: 'broken_link' });
      // Deleting an entry is found too, as the number that is missing.
      const early = Number(entries.rows[2]!.seq);
      await t.database.db.execute(sql`delete from audit_log where seq = ${early}`);
      const v = await verifyAuditChain(t.database.db);
      expect(v).toMatchObject({ ok: false, reason: 'missing_entry', firstBadSeq: early });
      const auditor = await t.login('auditor_state');
      expect((await auditor.post('/api/v1/audit/verify')).json()).toMatchObject({ ok: false, firstBadSeq: early });
    } finally {
      await t.database.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    }
  });
});
