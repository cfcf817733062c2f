import { and, count, eq, gt, isNull, ne, type Placeholder, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { isUnnamed, withNamedFallback } from '../../db/named.ts';
import { loginAttempts, otps, roleAssignments, sessions, users } from './auth.table.ts';

export async function findUserByUsername(db: DbOrTx, username: string) {
  const [u] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`).limit(1);
  return u ?? null;
}

export async function findUserById(db: DbOrTx, id: number) {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return u ?? null;
}

/** The user, locked until the transaction ends (a password changed twice at once: one after the other). */
export async function lockUser(db: DbOrTx, id: number) {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1).for('update');
  return u ?? null;
}

/** The tables a scope kind names, and the column of each holding its name (agencies: one legal name in both languages). */
const SCOPE_NAMES: ReadonlyArray<readonly [kind: string, table: string, en: string, hi: string]> = [
  ['district', 'districts', 'name_en', 'name_hi'],
  ['department', 'departments', 'name_en', 'name_hi'],
  ['hod', 'hods', 'name_en', 'name_hi'],
  ['agency', 'agencies', 'legal_name', 'legal_name'],
  ['treasury', 'treasuries', 'name_en', 'name_hi'],
  ['pd_account', 'pd_accounts', 'name_en', 'name_hi'],
];

/** A scope's name in one language: one scalar look-up by primary key, only for its own kind (null for any other). */
function scopeName(lang: 'en' | 'hi') {
  const arms = SCOPE_NAMES.map(
    ([kind, table, en, hi]) =>
      sql`when ${kind} then (select x.${sql.raw(lang === 'en' ? en : hi)} from ${sql.raw(table)} x where x.id = ${roleAssignments.scopeId})`,
  );
  return sql<string | null>`case ${roleAssignments.scopeKind} ${sql.join(arms, sql` `)} end`;
}

/**
 * Active assignments of a user, with the office they are shown under (for the picker and profile)
 * and the name of a scope that is not an office (`scopeNameEn/Hi`): a district admin's district
 * (its office is only where it is listed, so the header and the role switcher name the district),
 * a department, HOD, agency, treasury or PD account — so an agency admin reads "Agency admin —
 * <its agency>", not only "Agency" (these are other modules' tables, read the same way).
 *
 * The office and department names come from the organisation masters (modules/org), which the
 * platform must not import (modules build on the platform, not the other way round). Of the
 * ways to invert that — a name lookup the app passes in, or a named query here — this is the
 * named query: two reference tables read by primary key, written as raw SQL over their table
 * names (as the access layer's `placeScope` does). A lookup passed in would mean wiring in
 * app.ts and a second round trip for every login and role switch, for three columns.
 */
export async function listAssignments(db: DbOrTx, userId: number, opts: { activeOnly?: boolean } = {}) {
  return db
    .select({
      id: roleAssignments.id,
      role: roleAssignments.role,
      scopeKind: roleAssignments.scopeKind,
      scopeId: roleAssignments.scopeId,
      officeId: roleAssignments.officeId,
      designation: roleAssignments.designation,
      officialEmail: roleAssignments.officialEmail,
      emailUpdatedAt: roleAssignments.emailUpdatedAt,
      active: roleAssignments.active,
      officeNameEn: sql<string | null>`o.name_en`,
      officeNameHi: sql<string | null>`o.name_hi`,
      departmentNameEn: sql<string | null>`d.name_en`,
      departmentNameHi: sql<string | null>`d.name_hi`,
      // What a scope that is not an office is called (district, department, HOD, agency,
      // treasury, PD account): named in the header and the role switcher instead of its kind.
      scopeNameEn: scopeName('en'),
      scopeNameHi: scopeName('hi'),
      addedAt: roleAssignments.createdAt,
      addedByName: sql<string | null>`ub.name`,
    })
    .from(roleAssignments)
    .leftJoin(sql`offices o`, sql`o.id = ${roleAssignments.officeId}`)
    .leftJoin(sql`users ub`, sql`ub.id = ${roleAssignments.createdBy}`)
    .leftJoin(sql`departments d`, sql`d.id = o.department_id`)
    .where(and(eq(roleAssignments.userId, userId), opts.activeOnly === false ? undefined : eq(roleAssignments.active, true)))
    .orderBy(roleAssignments.id);
}

export async function insertSession(db: DbOrTx, s: typeof sessions.$inferInsert) {
  await db.insert(sessions).values(s);
}

/** Where a session's scope sits in the office tree, read beside it (the access layer's `placeScope`, in SQL). */
export type SessionPlace = { departmentId: number | null; hodId: number | null; officeId: number | null };

/**
 * Many sessions with their users, assignments and the place of each assignment's scope in the
 * office tree, in one round trip (the ids as one array parameter: the same statement text
 * whatever the batch's size) (the batched session resolution of `auth.service.ts`). The
 * place follows `placeScope` in server/platform/access exactly: a department is its own
 * department; a HOD its department and itself; an office itself; a DDO code its office; a scope
 * id that names nothing, nothing. Offices, HODs and DDO codes are the organisation masters'
 * tables, read here by primary key as raw SQL (as `listAssignments` does), since the platform
 * does not import modules.
 */
function loadSessionsQuery(db: DbOrTx, ids: Placeholder | readonly string[], one = false) {
  return db
    .select({
      session: sessions,
      user: users,
      assignment: roleAssignments,
      place: {
        departmentId: sql<
          number | null
        >`case ${roleAssignments.scopeKind} when 'department' then ${roleAssignments.scopeId} when 'hod' then sh.department_id when 'office' then so.department_id when 'ddo' then sdo.department_id end`,
        hodId: sql<number | null>`case ${roleAssignments.scopeKind} when 'hod' then sh.id when 'office' then so.hod_id when 'ddo' then sdo.hod_id end`,
        officeId: sql<number | null>`case ${roleAssignments.scopeKind} when 'office' then so.id when 'ddo' then sdo.id end`,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(roleAssignments, eq(roleAssignments.id, sessions.assignmentId))
    .leftJoin(sql`hods sh`, sql`${roleAssignments.scopeKind} = 'hod' and sh.id = ${roleAssignments.scopeId}`)
    .leftJoin(sql`offices so`, sql`${roleAssignments.scopeKind} = 'office' and so.id = ${roleAssignments.scopeId}`)
    .leftJoin(sql`ddo_codes sd`, sql`${roleAssignments.scopeKind} = 'ddo' and sd.id = ${roleAssignments.scopeId}`)
    .leftJoin(sql`offices sdo`, sql`sdo.id = sd.office_id`)
    .where(
      and(
        one ? sql`${sessions.id} = ${Array.isArray(ids) ? ids[0] : ids}` : sql`${sessions.id} = any(${Array.isArray(ids) ? sql.param([...ids]) : ids}::text[])`,
        isNull(sessions.revokedAt),
      ),
    );
}

/**
 * The session lookup is the one statement every request runs (issue 13 item 1: "prepared
 * statements for the hot queries"): built once per database handle and sent as a named prepared
 * statement, so neither drizzle's SQL building nor PostgreSQL's parse and plan are paid per
 * request. node-postgres prepares it once per pooled connection; a schema change invalidates the
 * server's cached plan by itself.
 */
const SESSIONS_STATEMENT = 'roams_load_sessions';
/**
 * One session (the usual case: a batch of one) has a statement of its own, `sessions.id = $1`.
 * PostgreSQL plans the array form afresh on every run: its generic plan assumes ten ids (cost 159
 * against 24 for the one it is given), so it never switches to it, and planning the seven-table
 * join cost ≈ 0.9 ms a request — more than the rest of a list request's own statements. For one id
 * the generic plan is the custom one, and after five runs it is kept (bench/RESULTS.md).
 */
const SESSION_STATEMENT = 'roams_load_session';
type LoadSessions = ReturnType<typeof loadSessionsQuery>;
const prepared = {
  [SESSIONS_STATEMENT]: new WeakMap<object, ReturnType<LoadSessions['prepare']>>(),
  [SESSION_STATEMENT]: new WeakMap<object, ReturnType<LoadSessions['prepare']>>(),
};

export async function loadSessions(db: DbOrTx, ids: readonly string[]) {
  const one = ids.length === 1;
  const name = one ? SESSION_STATEMENT : SESSIONS_STATEMENT;
  if (isUnnamed(name)) return loadSessionsQuery(db, ids, one);
  let q = prepared[name].get(db);
  if (!q) {
    q = loadSessionsQuery(db, sql.placeholder('ids'), one).prepare(name);
    prepared[name].set(db, q);
  }
  const statement = q;
  return withNamedFallback(
    name,
    () => statement.execute({ ids: one ? ids[0] : [...ids] }),
    async () => loadSessionsQuery(db, ids, one),
  );
}

export async function touchSession(db: DbOrTx, id: string, now: Date) {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function revokeSession(db: DbOrTx, id: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Ends every live session of the user; answers how many it ended (none: a repeat, e.g. a second logout at once). */
export async function revokeAllSessions(db: DbOrTx, userId: number, now: Date): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}

/** The session, locked until the transaction ends (two requests of one login at once take turns). */
export async function lockSession(db: DbOrTx, id: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1).for('update');
  return row ?? null;
}

export async function setSessionAssignment(db: DbOrTx, id: string, assignmentId: number) {
  await db.update(sessions).set({ assignmentId }).where(eq(sessions.id, id));
}

export async function recordLoginAttempt(db: DbOrTx, a: typeof loginAttempts.$inferInsert) {
  const [row] = await db.insert(loginAttempts).values(a).returning({ id: loginAttempts.id });
  return row!.id;
}

/** Turns a reserved attempt (recorded as a failure before the password check) into a success. */
export async function markAttemptSucceeded(db: DbOrTx, id: number, userId: number) {
  await db.update(loginAttempts).set({ success: true, userId }).where(eq(loginAttempts.id, id));
}

/** Takes back a reserved attempt whose password was never checked (the hash gate refused it). */
export async function deleteAttempt(db: DbOrTx, id: number) {
  await db.delete(loginAttempts).where(eq(loginAttempts.id, id));
}

/**
 * Serialises the throttling decisions for one account and one address until the transaction
 * ends (transaction-level advisory locks): the count and the reservation that follows it are
 * one step, so parallel attempts cannot all read the same count (150 parallel attempts got 119
 * password checks before). Always the account first, then the address: no lock cycle.
 */
export async function lockThrottleKeys(db: DbOrTx, username: string, ip: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:user:${username.toLowerCase()}`}))`);
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:ip:${ip}`}))`);
}

/**
 * Failures in the window for this account — from any address and from this address, with the
 * time of the latest of each — and failures from this address across all accounts.
 */
export async function countRecentFailures(db: DbOrTx, username: string, ip: string, since: Date) {
  const [row] = await db
    .select({
      all: count(),
      fromIp: sql<number>`count(*) filter (where ${loginAttempts.ip} = ${ip})::int`,
      lastAll: sql<string | null>`max(${loginAttempts.at})`,
      lastFromIp: sql<string | null>`max(${loginAttempts.at}) filter (where ${loginAttempts.ip} = ${ip})`,
    })
    .from(loginAttempts)
    .where(and(sql`lower(${loginAttempts.username}) = lower(${username})`, eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
  const [addr] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
  const at = (v: string | Date | null | undefined) => (v ? new Date(v) : null);
  return { all: row?.all ?? 0, fromIp: row?.fromIp ?? 0, lastAll: at(row?.lastAll), lastFromIp: at(row?.lastFromIp), address: addr?.n ?? 0 };
}

/**
 * Failed logins since `since` across all accounts and addresses, and the oldest of them (the
 * global cap; the partial index login_attempts_failed_at_idx answers it from the index alone).
 */
export async function countFailuresSince(db: DbOrTx, since: Date) {
  const [row] = await db
    .select({ n: count(), oldest: sql<string | null>`min(${loginAttempts.at})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
  return { n: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

/** Has this account logged in successfully from this address recently? (a "known" address) */
export async function isKnownAddress(db: DbOrTx, username: string, ip: string, since: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(sql`lower(${loginAttempts.username}) = lower(${username})`, eq(loginAttempts.success, true), eq(loginAttempts.ip, ip), gt(loginAttempts.at, since)),
    );
  return (row?.n ?? 0) > 0;
}

export async function updatePassword(db: DbOrTx, userId: number, passwordHash: string, mustChange: boolean, now: Date) {
  await db.update(users).set({ passwordHash, mustChangePassword: mustChange, passwordChangedAt: now, updatedAt: now }).where(eq(users.id, userId));
}

export async function insertOtp(db: DbOrTx, o: typeof otps.$inferInsert) {
  const [row] = await db.insert(otps).values(o).returning({ id: otps.id });
  return row!.id;
}

/**
 * Codes of one user and purpose are issued one at a time (a transaction-level advisory lock): twenty
 * requests at once cannot all count the hour's codes before any is written and pass the limit.
 */
export async function lockOtpIssue(db: DbOrTx, userId: number, purpose: 'password_reset' | 'second_factor') {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${purpose}:${userId}`}))`);
}

export async function countOtpsSince(db: DbOrTx, userId: number, purpose: 'password_reset' | 'second_factor', since: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(otps)
    .where(and(eq(otps.userId, userId), eq(otps.purpose, purpose), gt(otps.createdAt, since)));
  return row?.n ?? 0;
}

/** The newest unused code bound to this binding, locked for the check. */
export async function lockLatestOtp(db: DbOrTx, purpose: 'password_reset' | 'second_factor', bindingId: string) {
  const [row] = await db
    .select()
    .from(otps)
    .where(and(eq(otps.purpose, purpose), eq(otps.bindingId, bindingId), isNull(otps.usedAt)))
    .orderBy(sql`${otps.id} desc`)
    .limit(1)
    .for('update');
  return row ?? null;
}

export async function markOtp(db: DbOrTx, id: number, patch: { attempts?: number; usedAt?: Date }) {
  await db.update(otps).set(patch).where(eq(otps.id, id));
}

/** Sets the user's language; true when it changed (the same language again writes nothing, so of requests at once one changes it). */
export async function setUserLocale(db: DbOrTx, userId: number, locale: 'hi' | 'en'): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ locale })
    .where(and(eq(users.id, userId), ne(users.locale, locale)))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function findAssignment(db: DbOrTx, id: number, lock = false) {
  const q = db.select().from(roleAssignments).where(eq(roleAssignments.id, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function setAssignmentEmail(db: DbOrTx, id: number, email: string, now: Date) {
  await db.update(roleAssignments).set({ officialEmail: email, emailUpdatedAt: now }).where(eq(roleAssignments.id, id));
}
