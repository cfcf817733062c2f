import { accessCondition, type Reach } from '../access/access.ts';
import { and, asc, desc, eq, getTableColumns, gte, ilike, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { countUpTo, escapeLike } from '../../db/query.ts';
import type { Ctx } from '../context.ts';
import { users } from '../auth/auth.table.ts';
import { auditLog } from './audit.table.ts';
import { readAll } from '../../db/read-all.ts';

/** Keys whose values never enter the audit trail or a log (bar P3). */
const SECRET_KEY = /pass(word)?|otp|token|secret|hash|session|aadhaar|account_?number|code_hash/i;

export function redact(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v);
    return out;
  }
  return value;
}

export type AuditEvent = {
  entity: string;
  entityId?: string | number;
  action: string;
  before?: unknown;
  after?: unknown;
  departmentId?: number | null;
};

/**
 * Appends one entry, in the caller's transaction so that the change and its record commit
 * together. The database assigns seq and the hash chain (migration 0001).
 */
export async function recordAudit(tx: DbOrTx, ctx: Pick<Ctx, 'actor' | 'ip'>, e: AuditEvent): Promise<void> {
  await tx.insert(auditLog).values(auditRow(ctx, e));
}

/**
 * Appends many entries in the caller's transaction (a bulk import's one entry per record), chained
 * in one pass by `audit_append` (migration 0023): one advisory lock and one look-up of the last
 * entry for the lot, numbered and linked in the order given — the same chain as one at a time.
 * Measured (bench/resource-bulk.ts, 5,000 entries): the row trigger's lock, look-up and digest
 * per row were the slower half of the import; drizzle's multi-row VALUES slower still.
 */
export async function recordAudits(tx: DbOrTx, ctx: Pick<Ctx, 'actor' | 'ip'>, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => {
    const r = auditRow(ctx, e);
    return {
      actor_user_id: r.actorUserId,
      actor_name: r.actorName,
      assignment_id: r.assignmentId,
      role: r.role,
      ip: r.ip,
      entity: r.entity,
      entity_id: r.entityId,
      action: r.action,
      department_id: r.departmentId,
      before: r.before,
      after: r.after,
    };
  });
  await tx.execute(sql`select audit_append(${JSON.stringify(rows)}::json)`);
}

function auditRow(ctx: Pick<Ctx, 'actor' | 'ip'>, e: AuditEvent): typeof auditLog.$inferInsert {
  return {
    actorUserId: ctx.actor?.userId ?? null,
    actorName: ctx.actor?.name ?? '',
    // A user who has logged in but not yet chosen among several roles acts in none (assignment 0):
    // the entry names no role (it showed "Resource (worker)", issue 12.3).
    assignmentId: ctx.actor?.assignmentId || null,
    role: ctx.actor?.assignmentId ? ctx.actor.role : '',
    ip: ctx.ip,
    entity: e.entity,
    entityId: e.entityId === undefined ? '' : String(e.entityId),
    action: e.action,
    departmentId: e.departmentId ?? null,
    before: (redact(e.before) ?? null) as object | null,
    after: (redact(e.after) ?? null) as object | null,
  };
}

export type AuditQuery = {
  entity?: string | undefined;
  action?: string | undefined;
  actorUserId?: number | undefined;
  username?: string | undefined;
  role?: string | undefined;
  ip?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Who is asking: entries are records of their department (`department_record`), so a
   *  department-scoped auditor sees that department's entries and the state sees all. */
  reach: Reach;
  page: number;
  pageSize: number;
};

/** 'a, b' → ['a', 'b']: the codes a filter names. */
function codesOf(v: string): string[] {
  return v
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * The most a search counts exactly (`totalCapped` beyond it). A state's trail grows by about ten
 * million entries a year; counting every match of a broad search (all logins, a department's
 * year) read them all on every page — 70–220 ms at a million entries, ten times that at ten. The
 * page itself reads only its 25 entries (the indexes of migration 0050 end with seq).
 */
export const AUDIT_COUNT_CAP = 10_000;

export async function searchAudit(db: Db, query: AuditQuery, countCap = AUDIT_COUNT_CAP) {
  const conds: SQL[] = [];
  // A filter may name several codes that read the same to a person ("create" and "created" are both "Created"), comma-separated.
  if (query.entity) conds.push(inArray(auditLog.entity, codesOf(query.entity)));
  if (query.action) conds.push(inArray(auditLog.action, codesOf(query.action)));
  if (query.actorUserId) conds.push(eq(auditLog.actorUserId, query.actorUserId));
  if (query.username) {
    const u = query.username;
    // The entries of the user with that login id, and the sessions typed with it (failed logins
    // too), as the list of their seqs: the page then reads the newest of those by seq. Written as
    // "actor in (that user) or typed", the planner guessed thousands of matches spread over the
    // trail and walked it newest first until it had 25 (208 ms at a million entries; 2 ms so).
    const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${u})`);
    const typed = sql`select seq from audit_log where entity = 'session' and lower(entity_id) = lower(${u})`;
    const seqs = user ? sql`select seq from audit_log where actor_user_id = ${user.id} union all ${typed}` : typed;
    conds.push(sql`${auditLog.seq} = any(array(${seqs}))`);
  }
  if (query.role) conds.push(eq(auditLog.role, query.role));
  if (query.ip) conds.push(ilike(auditLog.ip, `${escapeLike(query.ip)}%`));
  if (query.from) conds.push(gte(auditLog.at, new Date(`${query.from}T00:00:00+05:30`)));
  if (query.to) conds.push(lte(auditLog.at, new Date(`${query.to}T23:59:59.999+05:30`)));
  // The whole trail, unfiltered, as the state sees it: entries are never deleted and are numbered
  // without gaps after `meta.audit_gapless_after` (migration 0007; 0 on a database created since),
  // so the count is the entries up to that number plus the last seq beyond it — a fixed, usually
  // empty, range read by the key instead of the whole trail.
  const whole = conds.length === 0 && query.reach.scopeKind === 'state';
  conds.push(accessCondition(query.reach, 'department_record', { departmentId: sql`${auditLog.departmentId}` }));
  const where = and(...conds);
  const [rows, count] = await readAll(db, [
    () =>
      db
        .select({ ...getTableColumns(auditLog), actorUsername: users.username })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorUserId))
        .where(where)
        .orderBy(desc(auditLog.seq))
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
    async () => {
      if (!whole) return countUpTo(db, auditLog, where, countCap);
      const r = await db.execute<{ n: string }>(sql`
        with g as (select coalesce((select (value #>> '{}')::bigint from meta where key = 'audit_gapless_after'), 0) as v)
        select (select count(*) from audit_log, g where seq <= g.v)
             + greatest(coalesce((select max(seq) from audit_log), 0) - (select v from g), 0) as n`);
      return { total: Number(r.rows[0]?.n ?? 0), capped: false };
    },
  ]);
  return { rows, total: count.total, totalCapped: count.capped };
}

export type VerifyResult = { ok: boolean; checked: number; firstBadSeq: number | null; reason: string | null };

/**
 * Walks the chain in seq order, in pages, recomputing each hash in the database with the same
 * function the insert trigger used. Reports the first entry whose link or content does not match,
 * or whose number does not follow the previous one (`missing_entry`; entries are numbered without
 * gaps since migration 0007 — the ones before `meta.audit_gapless_after` kept their old numbers).
 */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prev = '';
  let after = 0;
  let checked = 0;
  const g = await db.execute<{ v: number | string | null }>(sql`select (value #>> '{}')::bigint as v from meta where key = 'audit_gapless_after'`);
  const gaplessAfter = Number(g.rows[0]?.v ?? 0);
  for (;;) {
    const rows = await db
      .select({
        seq: auditLog.seq,
        prevHash: auditLog.prevHash,
        hash: auditLog.hash,
        recomputed: sql<string>`audit_entry_digest(${auditLog.prevHash}, audit_log.*)`,
      })
      .from(auditLog)
      .where(sql`${auditLog.seq} > ${after}`)
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const r of rows) {
      if (r.seq > gaplessAfter && r.seq !== after + 1) return { ok: false, checked, firstBadSeq: after + 1, reason: 'missing_entry' };
      if (r.prevHash !== prev) return { ok: false, checked, firstBadSeq: r.seq, reason: 'broken_link' };
      if (r.recomputed !== r.hash) return { ok: false, checked, firstBadSeq: r.seq, reason: 'content_changed' };
      prev = r.hash;
      after = r.seq;
      checked++;
    }
    if (rows.length < pageSize) return { ok: true, checked, firstBadSeq: null, reason: null };
  }
}
