import { and, desc, eq, getTableColumns, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { countUpTo, escapeLike } from '../../db/query.ts';
import { accessCondition, type Reach } from '../access/access.ts';
import { users } from '../auth/auth.table.ts';
import { AUDIT_COUNT_CAP, redact } from '../audit/audit.service.ts';
import { securityEvents } from './security.table.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * Retention of the security log: at least one year (bar P5: CERT-In asks 180 days, DPDP one
 * year). Nothing deletes from the table today; a purge job, if one is added, keeps this many days.
 */
export const SECURITY_LOG_RETENTION_DAYS = 400;

export type SecurityEvent = {
  userId?: number | null;
  userName?: string;
  role?: string;
  departmentId?: number | null;
  ip: string;
  method?: string;
  route?: string;
  status: number;
  code: string;
  /** Never secrets: keys that look like passwords, codes, tokens are redacted anyway. */
  details?: Record<string, unknown>;
};

/**
 * Appends one event outside any business transaction (a refused request has none), so that a
 * refusal is on record even when the request's own work rolled back.
 */
export async function recordSecurityEvent(db: Db, e: SecurityEvent): Promise<void> {
  await db.insert(securityEvents).values({
    userId: e.userId ?? null,
    userName: (e.userName ?? '').slice(0, 200),
    role: e.role ?? '',
    departmentId: e.departmentId ?? null,
    ip: e.ip.slice(0, 64),
    method: (e.method ?? '').slice(0, 10),
    route: (e.route ?? '').slice(0, 300),
    status: e.status,
    code: e.code.slice(0, 64),
    details: e.details ? (redact(e.details) as object) : null,
  });
}

export type SecurityQuery = {
  userId?: number | undefined;
  username?: string | undefined;
  ip?: string | undefined;
  code?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** A department-scoped auditor sees events of its department's users; the state sees all. */
  reach: Reach;
  page: number;
  pageSize: number;
};

export async function searchSecurityEvents(db: Db, q: SecurityQuery, countCap = AUDIT_COUNT_CAP) {
  const conds: SQL[] = [accessCondition(q.reach, 'department_record', { departmentId: sql`${securityEvents.departmentId}` })];
  if (q.userId) conds.push(eq(securityEvents.userId, q.userId));
  if (q.username) {
    // The user's own events, and refusals where the id was typed (a failed login, a reset request
    // for it), as the list of their ids: the page then reads the newest of those (migration 0051;
    // as "user in (sub-query) or typed" it read the whole log, as the audit trail's did).
    const u = q.username;
    const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${u})`);
    const typed = sql`select id from security_events where details ? 'username' and lower(details->>'username') = lower(${u})`;
    const ids = user ? sql`select id from security_events where user_id = ${user.id} union all ${typed}` : typed;
    conds.push(sql`${securityEvents.id} = any(array(${ids}))`);
  }
  if (q.ip) conds.push(ilike(securityEvents.ip, `${escapeLike(q.ip)}%`));
  if (q.code) conds.push(eq(securityEvents.code, q.code));
  if (q.from) conds.push(gte(securityEvents.at, new Date(`${q.from}T00:00:00+05:30`)));
  if (q.to) conds.push(lte(securityEvents.at, new Date(`${q.to}T23:59:59.999+05:30`)));
  const where = and(...conds);
  const [rows, count] = await readAll(db, [
    () =>
      db
        .select({ ...getTableColumns(securityEvents), username: users.username })
        .from(securityEvents)
        .leftJoin(users, eq(users.id, securityEvents.userId))
        .where(where)
        .orderBy(desc(securityEvents.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
    // Counted to the same cap as the audit trail (anyone can add refused requests to this log).
    () => countUpTo(db, securityEvents, where, countCap),
  ]);
  return { rows, total: count.total, totalCapped: count.capped };
}
