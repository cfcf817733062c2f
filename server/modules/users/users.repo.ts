import { and, asc, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { TOfficeUserStatus } from '../../../shared/contracts/users.ts';
import type { DbOrTx } from '../../db/client.ts';
import { roleAssignments, sessions, users } from '../../platform/auth/auth.table.ts';
import { offices } from '../org/index.ts';

function likeOf(q: string) {
  return `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
}

/** The users of one office: one row per role assignment shown under it, paged and searched. */
export async function listOfficeUsers(db: DbOrTx, p: { officeId: number; q: string; status: TOfficeUserStatus; page: number; pageSize: number }) {
  const conds: (SQL | undefined)[] = [eq(roleAssignments.officeId, p.officeId)];
  if (p.status === 'current') conds.push(eq(roleAssignments.active, true));
  if (p.status === 'active') conds.push(eq(roleAssignments.active, true), eq(users.status, 'active'));
  if (p.status === 'inactive') conds.push(eq(roleAssignments.active, true), eq(users.status, 'inactive'));
  if (p.status === 'ended') conds.push(eq(roleAssignments.active, false));
  if (p.q) {
    const like = likeOf(p.q);
    conds.push(or(ilike(users.name, like), ilike(users.employeeId, like), ilike(users.mobile, like), ilike(users.username, like), ilike(roleAssignments.designation, like), ilike(roleAssignments.officialEmail, like)));
  }
  const where = and(...conds);
  const [items, [c]] = await Promise.all([
    db
      .select({
        assignmentId: roleAssignments.id,
        userId: users.id,
        name: users.name,
        username: users.username,
        employeeId: users.employeeId,
        officeId: offices.id,
        officeNameEn: offices.nameEn,
        officeNameHi: offices.nameHi,
        mobile: users.mobile,
        officePhone: users.officePhone,
        officialEmail: roleAssignments.officialEmail,
        designation: roleAssignments.designation,
        role: roleAssignments.role,
        userStatus: users.status,
        assignmentActive: roleAssignments.active,
        endedAt: roleAssignments.endedAt,
      })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .innerJoin(offices, eq(offices.id, roleAssignments.officeId))
      .where(where)
      .orderBy(desc(roleAssignments.active), asc(users.name), asc(roleAssignments.id))
      .limit(p.pageSize)
      .offset((p.page - 1) * p.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(roleAssignments).innerJoin(users, eq(users.id, roleAssignments.userId)).where(where),
  ]);
  return { items, total: c?.n ?? 0 };
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
    .where(and(eq(roleAssignments.userId, a.userId), eq(roleAssignments.role, a.role), eq(roleAssignments.scopeKind, a.scopeKind), eq(roleAssignments.scopeId, a.scopeId), eq(roleAssignments.active, true)))
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
  const r = await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.assignmentId, assignmentId), isNull(sessions.revokedAt))).returning({ id: sessions.id });
  return r.length;
}

/** Ends every session of a user; returns how many. */
export async function revokeUserSessions(db: DbOrTx, userId: number, now: Date) {
  const r = await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).returning({ id: sessions.id });
  return r.length;
}
