import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { TOfficeUserStatus } from '../../../shared/contracts/users.ts';
import type { DbOrTx } from '../../db/client.ts';
import { likeOf } from '../../db/query.ts';
import { readAll } from '../../db/read-all.ts';
import { roleAssignments, sessions, users } from '../../platform/auth/auth.table.ts';
import { offices } from '../org/index.ts';

/**
 * The users of one office: one row per role assignment shown under it, paged and searched.
 *
 * Ordered by the user's name through the assignment's own copy of it (`user_name`, kept equal to
 * `users.name` by the database, migration 0056). Without a search or a filter on the user's
 * status, the page is read in that order from `role_assignments_office_name_idx` — 25 rows, not
 * the office's ≈ 400 looked up, sorted and numbered — and counted by a separate index-only
 * statement. With a search or a user-status filter the conditions need the user, and the page
 * carries its count through `count(*) over ()` as before (few rows match).
 *
 * Each assignment's user is read by primary key (a LATERAL lookup with `limit 1`, which the planner
 * does not flatten into an ordinary join): as a plain join, the planner hash-joined a sequential
 * scan of every user in the state for a large office, and with a search it ran the `ilike`s over
 * all users instead of the office's. See bench/RESULTS.md.
 */
export async function listOfficeUsers(db: DbOrTx, p: { officeId: number; q: string; status: TOfficeUserStatus; page: number; pageSize: number }) {
  const u = db
    .select({
      id: users.id,
      name: users.name,
      username: users.username,
      employeeId: users.employeeId,
      mobile: users.mobile,
      officePhone: users.officePhone,
      status: users.status,
    })
    .from(users)
    .where(eq(users.id, roleAssignments.userId))
    .limit(1)
    .as('u');
  const conds: (SQL | undefined)[] = [eq(roleAssignments.officeId, p.officeId)];
  if (p.status === 'current') conds.push(eq(roleAssignments.active, true));
  if (p.status === 'active') conds.push(eq(roleAssignments.active, true), eq(u.status, 'active'));
  if (p.status === 'inactive') conds.push(eq(roleAssignments.active, true), eq(u.status, 'inactive'));
  if (p.status === 'ended') conds.push(eq(roleAssignments.active, false));
  if (p.q) {
    const like = likeOf(p.q);
    conds.push(
      or(
        ilike(u.name, like),
        ilike(u.employeeId, like),
        ilike(u.mobile, like),
        ilike(u.username, like),
        ilike(roleAssignments.designation, like),
        ilike(roleAssignments.officialEmail, like),
      ),
    );
  }
  const where = and(...conds);
  const offset = (p.page - 1) * p.pageSize;
  // Conditions on the assignment alone: the page comes from the index, the count separately.
  const byIndex = !p.q && (p.status === 'current' || p.status === 'ended' || p.status === 'all');
  const columns = {
    assignmentId: roleAssignments.id,
    userId: u.id,
    name: u.name,
    username: u.username,
    employeeId: u.employeeId,
    officeId: offices.id,
    officeNameEn: offices.nameEn,
    officeNameHi: offices.nameHi,
    mobile: u.mobile,
    officePhone: u.officePhone,
    officialEmail: roleAssignments.officialEmail,
    designation: roleAssignments.designation,
    role: roleAssignments.role,
    userStatus: u.status,
    assignmentActive: roleAssignments.active,
    endedAt: roleAssignments.endedAt,
  };
  // Numbered by a window only when the page cannot come from the index (the count is then apart).
  const totalCol = byIndex ? sql<number>`0`.as('total') : sql<number>`count(*) over ()::int`.as('total');
  const page = () =>
    db
      .select({ ...columns, total: totalCol })
      .from(roleAssignments)
      .crossJoinLateral(u)
      .innerJoin(offices, eq(offices.id, roleAssignments.officeId))
      .where(where)
      .orderBy(desc(roleAssignments.active), asc(roleAssignments.userName), asc(roleAssignments.id))
      .limit(p.pageSize)
      .offset(offset);
  if (byIndex) {
    const [rows, counted] = await readAll(db, [page, () => db.select({ n: sql<number>`count(*)::int` }).from(roleAssignments).where(where)]);
    return { items: rows, total: counted[0]?.n ?? 0 };
  }
  const rows = await page();
  let total = rows[0]?.total ?? 0;
  // A page past the end has no row to carry the count: count separately (rare).
  if (!rows.length && offset > 0) {
    const [c] = await db.select({ n: sql<number>`count(*)::int` }).from(roleAssignments).crossJoinLateral(u).where(where);
    total = c?.n ?? 0;
  }
  // The rows as they came: their extra `total` is never written (the response writer writes only
  // the declared properties); copying 25 rows to drop it cost ≈ 3 % of a list request's CPU.
  return { items: rows, total };
}

export async function findUserByMobile(db: DbOrTx, mobile: string) {
  const [u] = await db.select().from(users).where(eq(users.mobile, mobile)).limit(1);
  return u ?? null;
}

export async function usernameExists(db: DbOrTx, username: string) {
  const [u] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${username})`).limit(1);
  return Boolean(u);
}

export async function insertUser(db: DbOrTx, u: typeof users.$inferInsert) {
  const [row] = await db.insert(users).values(u).returning();
  return row!;
}

export async function findActiveAssignment(db: DbOrTx, a: { userId: number; role: string; scopeKind: string; scopeId: number }) {
  const [row] = await db
    .select()
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, a.userId),
        eq(roleAssignments.role, a.role),
        eq(roleAssignments.scopeKind, a.scopeKind),
        eq(roleAssignments.scopeId, a.scopeId),
        eq(roleAssignments.active, true),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Is the user in this office now (an active assignment shown under it)? */
export async function hasActiveAssignmentInOffice(db: DbOrTx, userId: number, officeId: number) {
  const [row] = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.officeId, officeId), eq(roleAssignments.active, true)))
    .limit(1);
  return Boolean(row);
}

/** The departments a user holds active roles in (through the office shown, or a department scope). */
export async function activeDepartmentsOf(db: DbOrTx, userId: number): Promise<number[]> {
  const r = await db.execute<{ id: number }>(sql`
    select distinct coalesce(o.department_id, case when ra.scope_kind = 'department' then ra.scope_id end) as id
      from role_assignments ra left join offices o on o.id = ra.office_id
     where ra.user_id = ${userId} and ra.active`);
  return r.rows.map((x) => x.id).filter((x): x is number => x !== null);
}

export async function insertAssignment(db: DbOrTx, a: typeof roleAssignments.$inferInsert) {
  const [row] = await db.insert(roleAssignments).values(a).returning();
  return row!;
}

export async function findAssignmentForUpdate(db: DbOrTx, id: number) {
  const [row] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, id)).limit(1).for('update');
  return row ?? null;
}

export async function findAssignmentById(db: DbOrTx, id: number) {
  const [row] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, id)).limit(1);
  return row ?? null;
}

export async function listUserAssignments(db: DbOrTx, userId: number) {
  return db.select().from(roleAssignments).where(eq(roleAssignments.userId, userId)).orderBy(asc(roleAssignments.id));
}

export async function findUserForUpdate(db: DbOrTx, id: number) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1).for('update');
  return row ?? null;
}

export async function endAssignment(db: DbOrTx, id: number, now: Date) {
  await db.update(roleAssignments).set({ active: false, endedAt: now }).where(eq(roleAssignments.id, id));
}

export async function setUserStatus(db: DbOrTx, id: number, status: 'active' | 'inactive', now: Date) {
  await db.update(users).set({ status, updatedAt: now }).where(eq(users.id, id));
}

/** Ends the sessions acting in one assignment; returns how many. */
export async function revokeAssignmentSessions(db: DbOrTx, assignmentId: number, now: Date) {
  const r = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.assignmentId, assignmentId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return r.length;
}

/** Ends every session of a user; returns how many. */
export async function revokeUserSessions(db: DbOrTx, userId: number, now: Date) {
  const r = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return r.length;
}

/** The users holding one of `roles` in a scope, active assignments first, then by role and name. */
export async function listScopeMembers(db: DbOrTx, scope: { scopeKind: string; scopeId: number; roles: readonly string[] }) {
  return db
    .select({
      userId: users.id,
      assignmentId: roleAssignments.id,
      name: users.name,
      username: users.username,
      mobile: users.mobile,
      role: roleAssignments.role,
      active: roleAssignments.active,
      userStatus: users.status,
      mustChangePassword: users.mustChangePassword,
      locale: users.locale,
    })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.scopeKind, scope.scopeKind), eq(roleAssignments.scopeId, scope.scopeId), inArray(roleAssignments.role, [...scope.roles])))
    .orderBy(desc(roleAssignments.active), asc(roleAssignments.role), asc(users.name));
}

/**
 * The name of the user whose id `userId` holds, as a SQL expression another module's list may
 * select (read only: who moved a status, who created a record) — so they read our table
 * through us instead of joining it themselves.
 */
export function userNameOf(userId: SQL | AnyColumn): SQL<string | null> {
  return sql<string | null>`(select u.name from users u where u.id = ${userId})`;
}

export async function officeManagers(db: DbOrTx, officeId: number) {
  return db
    .select({ userId: users.id, mobile: users.mobile, locale: users.locale, officialEmail: roleAssignments.officialEmail })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        eq(roleAssignments.role, 'department_manager'),
        eq(roleAssignments.scopeKind, 'office'),
        eq(roleAssignments.scopeId, officeId),
        eq(roleAssignments.active, true),
        eq(users.status, 'active'),
      ),
    )
    .orderBy(asc(users.id));
}

/**
 * Accounts for one mobile number are made one at a time (a transaction-level advisory lock): of two
 * "add" requests at once the second waits and then finds the number registered, instead of both
 * passing the check and colliding on the login id they both derived from it.
 */
export async function lockMobile(db: DbOrTx, mobile: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`user:mobile:${mobile}`}))`);
}
