import { randomInt } from 'node:crypto';
import type { TAddOfficeUserBody, TLookupReply, TOfficeUsersQuery } from '../../../shared/contracts/users.ts';
import { FINANCE_ASSIGNABLE_ROLES, OFFICE_ASSIGNABLE_ROLES, ROLE_SCOPES, type TRole, type TScopeKind } from '../../../shared/roles.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/password.ts';
import { mayAccess, reachOf, requireAccess } from '../../platform/access/access.ts';
import { mayManageScope, mayMapUser } from './users.policy.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError, isUniqueViolation, pgConstraint, throwDbError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { getOfficePlace, searchOfficesInScope } from '../org/index.ts';
import { addAssignment, createUserWithAssignment, endAssignment as endAssignmentAndSessions, setUserStatus as setStatusAndSessions } from './users.accounts.ts';
import * as repo from './users.repo.ts';

type Assignment = NonNullable<Awaited<ReturnType<typeof repo.findAssignmentById>>>;

/**
 * The office if it exists and the actor reaches it (the access layer's rule for kind 'office':
 * users are shown under an office); otherwise "not found" (no existence leak).
 */
async function officeInScope(db: DbOrTx, actor: Actor, officeId: number) {
  const place = await getOfficePlace(db, officeId);
  requireAccess(await reachOf(db, actor), 'office', place);
  return place!;
}

/**
 * May the actor manage (end / deactivate through) this assignment? The office it is shown under
 * must be in scope (else it is "not found"); its own scope must not be wider than the actor's,
 * and an office admin manages only the roles an office admin can give.
 */
async function checkManageable(db: DbOrTx, actor: Actor, a: Assignment): Promise<{ departmentId: number }> {
  if (a.officeId === null) throw new AppError('not_found');
  const place = await officeInScope(db, actor, a.officeId);
  if (actor.role !== 'finance_admin' && !OFFICE_ASSIGNABLE_ROLES.includes(a.role as TRole)) throw new AppError('forbidden');
  const wider = !mayManageScope(await reachOf(db, actor), a.scopeKind as TScopeKind, a.scopeId, place);
  if (wider) throw new AppError('forbidden');
  return { departmentId: place.departmentId };
}

export async function searchOffices(db: Db, ctx: Ctx, q: string) {
  const actor = actorOf(ctx);
  const rows = await searchOfficesInScope(db, await reachOf(db, actor), q, 30);
  return rows.map((r) => ({ id: r.id, nameEn: r.nameEn, nameHi: r.nameHi, departmentNameEn: r.departmentNameEn, departmentNameHi: r.departmentNameHi }));
}

export async function listOfficeUsers(db: Db, ctx: Ctx, q: TOfficeUsersQuery) {
  const actor = actorOf(ctx);
  await officeInScope(db, actor, q.officeId);
  const { items, total } = await repo.listOfficeUsers(db, q);
  return {
    items: items.map((r) => ({ ...r, role: r.role as TRole, endedAt: r.endedAt ? r.endedAt.toISOString() : null })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Tells the add form whether the mobile is already a user (its name only) and already in the office. */
export async function lookupMobile(db: Db, ctx: Ctx, q: { officeId: number; mobile: string }): Promise<TLookupReply> {
  const actor = actorOf(ctx);
  await officeInScope(db, actor, q.officeId);
  const u = await repo.findUserByMobile(db, q.mobile);
  if (!u) return { exists: false, name: null, inOffice: false };
  return { exists: true, name: u.name, inOffice: await repo.hasActiveAssignmentInOffice(db, u.id, q.officeId) };
}

const PW_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A random 14-character temporary password (about 80 bits). */
export function temporaryPassword(): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < 14; i++) s += PW_ALPHABET[randomInt(0, PW_ALPHABET.length)];
    if (!passwordProblem(s)) return s;
  }
}

/** A login id from the name's Latin letters (or "user") and the mobile's last four digits. */
export async function newUsername(db: DbOrTx, name: string, mobile: string): Promise<string> {
  const base =
    (name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z]/g, '')
      .slice(0, 12) || 'user') + mobile.slice(-4);
  for (let i = 0; i < 50; i++) {
    const candidate = i === 0 ? base : `${base}${i + 1}`;
    if (!(await repo.usernameExists(db, candidate))) return candidate;
  }
  return `${base}${randomInt(1000, 9999)}`;
}

export type AddResult = { outcome: 'created' | 'mapped'; userId: number; assignmentId: number; username: string };

/**
 * Adds a user to an office by mobile number (manual section 7). An existing user is mapped (a
 * new role assignment for the office); otherwise a user is created with a random temporary
 * password that must be changed at first login, sent with the user id by SMS through the
 * outbox. The password is never logged, audited or returned.
 */
export async function addOfficeUser(
  db: Db,
  ctx: Ctx,
  body: TAddOfficeUserBody & { name: string; employeeId: string; officePhone: string; officialEmail: string; designation: string },
): Promise<AddResult> {
  const actor = actorOf(ctx);
  const place = await officeInScope(db, actor, body.officeId);
  const role = body.role as TRole;
  let scope: { scopeKind: TScopeKind; scopeId: number };
  if (FINANCE_ASSIGNABLE_ROLES.includes(role)) {
    // A district admin (issue 15 item 4): given only by Finance, scoped to the district of the office it is shown under.
    if (actor.role !== 'finance_admin' || actor.scopeKind !== 'state') throw new AppError('forbidden');
    if (ROLE_SCOPES[role].includes('district') && place.districtId !== null) scope = { scopeKind: 'district', scopeId: place.districtId };
    else throw fieldError('role', 'invalid_value');
  } else if (ROLE_SCOPES[role].includes('office')) scope = { scopeKind: 'office', scopeId: place.officeId };
  else if (
    ROLE_SCOPES[role].includes('department') &&
    // A department-wide role only from a scope that reaches the whole department.
    mayManageScope(await reachOf(db, actor), 'department', place.departmentId, place)
  ) {
    scope = { scopeKind: 'department', scopeId: place.departmentId };
  } else throw fieldError('role', 'invalid_value');

  const existing = await repo.findUserByMobile(db, body.mobile);
  if (!existing && !body.name) throw fieldError('name', 'required');
  // Hash outside the transaction (it takes a while); the password itself leaves only by SMS.
  const password = existing ? null : temporaryPassword();
  const passwordHash = password ? await hashPassword(password) : null;
  try {
    return await db.transaction(async (tx) => {
      const assignment = {
        role,
        scopeKind: scope.scopeKind,
        scopeId: scope.scopeId,
        officeId: place.officeId,
        designation: body.designation,
        officialEmail: body.officialEmail,
      };
      if (!existing) {
        const username = await newUsername(tx, body.name, body.mobile);
        const newUser = {
          username,
          name: body.name,
          employeeId: body.employeeId,
          mobile: body.mobile,
          officePhone: body.officePhone,
          passwordHash: passwordHash!,
          mustChangePassword: true,
        };
        const { user, assignment: a } = await createUserWithAssignment(tx, ctx, newUser, assignment, { departmentId: place.departmentId });
        await enqueueMessage(tx, {
          channel: 'sms',
          recipient: user.mobile,
          template: 'auth.sms.new_user',
          params: { username: user.username, password: password! },
          locale: user.locale,
        });
        return { outcome: 'created' as const, userId: user.id, assignmentId: a.id, username: user.username };
      }
      const user = existing;
      if (await repo.findActiveAssignment(tx, { userId: user.id, role, ...scope })) throw new AppError('already_in_office');
      if (!mayMapUser(await repo.activeDepartmentsOf(tx, user.id), place.departmentId))
        throw new AppError('user_of_other_department', { errors: [{ field: 'mobile', code: 'user_of_other_department' }] });
      const a = await addAssignment(tx, ctx, user.id, assignment, { departmentId: place.departmentId, action: 'mapped' });
      const t = translator(user.locale);
      await enqueueMessage(tx, {
        channel: 'sms',
        recipient: user.mobile,
        template: 'auth.sms.added_to_office',
        params: { role: t(`common.roles.${role}`), office: `${user.locale === 'hi' ? place.nameHi : place.nameEn} (${place.officeId})` },
        locale: user.locale,
      });
      return { outcome: 'mapped' as const, userId: user.id, assignmentId: a.id, username: user.username };
    });
  } catch (e) {
    // The same new person added twice at once (a double click): the twin that lost created nobody;
    // it is answered as if it had come a moment later — the person now exists, so mapped, or
    // already in the office (409) — not as a mistyped mobile.
    const constraint = isUniqueViolation(e) ? pgConstraint(e) : undefined;
    if (!existing && (constraint === 'users_mobile_uq' || constraint === 'users_username_uq') && (await repo.findUserByMobile(db, body.mobile)))
      return addOfficeUser(db, ctx, body);
    // Races with the checks above: the same new mobile added twice, the same role mapped twice.
    throwDbError(e, { users_mobile_uq: () => fieldError('mobile', 'duplicate'), role_assignments_active_uq: () => new AppError('already_in_office') });
  }
}

/** Ends a role assignment: it can no longer be used, and sessions acting in it end. */
export async function endAssignment(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  return db.transaction(async (tx) => {
    const a = await repo.findAssignmentForUpdate(tx, id);
    if (!a) throw new AppError('not_found');
    const { departmentId } = await checkManageable(tx, actor, a);
    if (a.id === actor.assignmentId) throw new AppError('own_account');
    if (!a.active) return { assignmentId: a.id, active: false, endedAt: a.endedAt ? a.endedAt.toISOString() : null };
    const all = await repo.listUserAssignments(tx, a.userId);
    if (!all.some((x) => x.active && x.id !== a.id)) throw new AppError('last_assignment');
    const revoked = await endAssignmentAndSessions(tx, a.id, ctx.now);
    await recordAudit(tx, ctx, {
      entity: 'role_assignment',
      entityId: a.id,
      action: 'ended',
      departmentId,
      before: { userId: a.userId, role: a.role, officeId: a.officeId, active: true, endedAt: null },
      after: { userId: a.userId, role: a.role, officeId: a.officeId, active: false, endedAt: ctx.now.toISOString(), loggedOut: revoked },
    });
    return { assignmentId: a.id, active: false, endedAt: ctx.now.toISOString() };
  });
}

/**
 * Activates or deactivates a user (never deletes). The user must be shown under an office in
 * the actor's scope, and every active role of the user must be one the actor manages — so an
 * admin cannot switch off someone's roles elsewhere. Deactivation ends every session.
 */
export async function setUserStatus(db: Db, ctx: Ctx, userId: number, status: 'active' | 'inactive') {
  const actor = actorOf(ctx);
  return db.transaction(async (tx) => {
    const user = await repo.findUserForUpdate(tx, userId);
    if (!user) throw new AppError('not_found');
    const all = await repo.listUserAssignments(tx, user.id);
    const reach = await reachOf(tx, actor);
    let departmentId: number | null = null;
    for (const a of all) {
      if (a.officeId === null) continue;
      const place = await getOfficePlace(tx, a.officeId);
      if (place && mayAccess(reach, 'office', place)) {
        departmentId = place.departmentId;
        break;
      }
    }
    if (departmentId === null) throw new AppError('not_found');
    for (const a of all) {
      if (!a.active) continue;
      try {
        await checkManageable(tx, actor, a);
      } catch {
        throw new AppError('forbidden');
      }
    }
    if (user.id === actor.userId) throw new AppError('own_account');
    if (user.status === status) return { userId: user.id, status };
    const revoked = await setStatusAndSessions(tx, user.id, status, ctx.now);
    await recordAudit(tx, ctx, {
      entity: 'user',
      entityId: user.id,
      action: status === 'inactive' ? 'deactivated' : 'activated',
      departmentId,
      before: { status: user.status },
      after: { status, ...(status === 'inactive' ? { loggedOut: revoked } : {}) },
    });
    return { userId: user.id, status };
  });
}
