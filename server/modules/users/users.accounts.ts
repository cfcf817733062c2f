import type { TLocale } from '../../../shared/locales/index.ts';
import type { TRole, TScopeKind } from '../../../shared/roles.ts';
import type { DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { Ctx } from '../../platform/context.ts';
import * as repo from './users.repo.ts';

/**
 * User accounts and role assignments, created and ended in one way for every module (issue 10:
 * the users module owns them; agencies call these for their admins and operators). Each function
 * runs inside the caller's transaction and writes its own audit entries; messages (SMS with a
 * temporary password, …) and the translation of unique violations stay with the caller's use case.
 */

export type NewUser = {
  username: string;
  name: string;
  mobile: string;
  passwordHash: string;
  mustChangePassword: boolean;
  locale?: TLocale;
  employeeId?: string;
  officePhone?: string;
};

export type NewAssignment = {
  role: TRole;
  scopeKind: TScopeKind;
  scopeId: number;
  /** The office the assignment is shown under (office users), if any. */
  officeId?: number | null;
  designation?: string;
  officialEmail?: string;
};

/** Where an audit entry is filed and what the assignment's entry is called ('created', 'mapped', 'operator_added'). */
export type AssignmentAudit = { departmentId?: number | null; action?: string };

/**
 * Adds a role assignment to an existing user and audits it (entity `role_assignment`).
 * An official e-mail, when given, counts as updated now.
 */
export async function addAssignment(tx: DbOrTx, ctx: Ctx, userId: number, a: NewAssignment, audit: AssignmentAudit = {}) {
  const officialEmail = a.officialEmail ?? '';
  const row = await repo.insertAssignment(tx, {
    userId,
    role: a.role,
    scopeKind: a.scopeKind,
    scopeId: a.scopeId,
    officeId: a.officeId ?? null,
    designation: a.designation ?? '',
    officialEmail,
    emailUpdatedAt: officialEmail ? ctx.now : null,
    createdAt: ctx.now,
    createdBy: ctx.actor?.userId ?? null,
  });
  await recordAudit(tx, ctx, {
    entity: 'role_assignment',
    entityId: row.id,
    action: audit.action ?? 'created',
    departmentId: audit.departmentId ?? null,
    after: {
      userId,
      role: row.role,
      scopeKind: row.scopeKind,
      scopeId: row.scopeId,
      officeId: row.officeId,
      designation: row.designation,
      officialEmail: row.officialEmail,
      active: true,
    },
  });
  return row;
}

/**
 * Creates a user (active, password changed now) with a first role assignment, and audits both:
 * `user` 'created' (never the password), then the assignment (`audit.action`, default 'created').
 */
export async function createUserWithAssignment(tx: DbOrTx, ctx: Ctx, u: NewUser, a: NewAssignment, audit: AssignmentAudit = {}) {
  const user = await repo.insertUser(tx, {
    username: u.username,
    name: u.name,
    mobile: u.mobile,
    employeeId: u.employeeId ?? '',
    officePhone: u.officePhone ?? '',
    passwordHash: u.passwordHash,
    mustChangePassword: u.mustChangePassword,
    ...(u.locale ? { locale: u.locale } : {}),
    passwordChangedAt: ctx.now,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    entity: 'user',
    entityId: user.id,
    action: 'created',
    departmentId: audit.departmentId ?? null,
    after: { username: user.username, name: user.name, employeeId: user.employeeId, mobile: user.mobile, officePhone: user.officePhone, status: user.status },
  });
  const assignment = await addAssignment(tx, ctx, user.id, a, audit);
  return { user, assignment };
}

/**
 * Ends a role assignment: it can no longer be used, and the sessions acting in it end. Returns
 * how many sessions ended. The caller decides who may, and audits why.
 */
export async function endAssignment(tx: DbOrTx, assignmentId: number, now: Date): Promise<number> {
  await repo.endAssignment(tx, assignmentId, now);
  return repo.revokeAssignmentSessions(tx, assignmentId, now);
}

/** Sets a user's status; deactivation ends every session of the user. Returns how many sessions ended. */
export async function setUserStatus(tx: DbOrTx, userId: number, status: 'active' | 'inactive', now: Date): Promise<number> {
  await repo.setUserStatus(tx, userId, status, now);
  return status === 'inactive' ? repo.revokeUserSessions(tx, userId, now) : 0;
}

/** How many active role assignments the user has besides `exceptId`. */
export async function otherActiveAssignments(db: DbOrTx, userId: number, exceptId: number): Promise<number> {
  return (await repo.listUserAssignments(db, userId)).filter((x) => x.active && x.id !== exceptId).length;
}

/** A role assignment, locked for a change in the caller's transaction (null if there is none). */
export const lockAssignment = repo.findAssignmentForUpdate;

/** Is this mobile number already some user's? */
export async function mobileRegistered(db: DbOrTx, mobile: string): Promise<boolean> {
  return (await repo.findUserByMobile(db, mobile)) !== null;
}

/** Serialises account creation for one mobile number in the caller's transaction (see repo.lockMobile). */
export const lockMobile = repo.lockMobile;

/** Is this login id taken (case-insensitive)? */
export const usernameTaken = repo.usernameExists;

/** The users holding a role in one scope (e.g. an agency's admins and operators), active roles first. */
export const listScopeMembers = repo.listScopeMembers;
