import type { TAgencyDocKind, TOperator } from '../../../shared/contracts/agency.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { createOnce, idempotencyOf } from '../../platform/idempotency/idempotency.ts';
import { AppError, fieldError, throwDbError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, saveUpload } from '../../platform/files/files.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import * as users from '../users/index.ts';
import { newUsername, temporaryPassword } from '../users/index.ts';
import * as repo from './agency.repo.ts';
import { AGENCY_UNIQUE_ERRORS } from './agency.signup.ts';
import { agencyOut, listAgencyUsers, ownAgencyId } from './agency.view.ts';

/**
 * What an agency's admin does for its own agency (permission `agency.self`): add documents, and
 * add and remove operators (user accounts through the users module).
 */

/** 404 unless the caller is this agency's admin (routes call it before reading an upload). */
export function assertOwnAgency(ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  if (ownAgencyId(actor) !== id) throw new AppError('not_found');
}

/** The agency admin adds a document (a newer one of a kind supersedes the older; nothing is deleted). */
export async function uploadDocument(
  db: Db,
  ctx: Ctx,
  store: FileStore,
  id: number,
  kind: TAgencyDocKind,
  file: AcceptedFile,
  key?: string,
): Promise<{ agency: Awaited<ReturnType<typeof agencyOut>>; replayed: boolean }> {
  const actor = actorOf(ctx);
  assertOwnAgency(ctx, id);
  // Idempotent on the optional Idempotency-Key (the upload form sends one): a double click stores one document.
  const idem = idempotencyOf(ctx, `agency.document:${id}`, key, { kind, sha256: file.sha256 });
  const { replayed } = await createOnce(db, idem, async (tx) => {
    if (!(await repo.getAgencyRow(tx, id))) throw new AppError('not_found');
    const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
    const doc = await repo.insertDocument(tx, { agencyId: id, kind, fileId: saved.file.id, uploadedBy: actor.userId, createdAt: ctx.now });
    await recordAudit(tx, ctx, {
      entity: 'agency_document',
      entityId: doc.id,
      action: 'uploaded',
      after: { agencyId: id, kind, sha256: file.sha256, sizeBytes: file.sizeBytes, name: file.safeName, duplicateOfFileId: saved.duplicateOfFileId },
    });
    return doc.id;
  });
  return { agency: await agencyOut(db, actor, id, todayIst(ctx.now)), replayed };
}

function operatorOut(r: Awaited<ReturnType<typeof listAgencyUsers>>[number]): TOperator {
  return {
    userId: r.userId,
    assignmentId: r.assignmentId,
    name: r.name,
    username: r.username,
    mobile: r.mobile,
    role: r.role as TOperator['role'],
    active: r.active && r.userStatus === 'active',
    mustChangePassword: r.mustChangePassword,
  };
}

export async function listOperators(db: Db, ctx: Ctx) {
  const agencyId = ownAgencyId(actorOf(ctx));
  return { items: (await listAgencyUsers(db, agencyId)).map(operatorOut) };
}

/** The agency admin adds an operator: a new user (temporary password by SMS, changed at first login). */
export async function addOperator(db: Db, ctx: Ctx, body: { name: string; mobile: string }) {
  const actor = actorOf(ctx);
  const agencyId = ownAgencyId(actor);
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  try {
    return await db.transaction(async (tx) => {
      if (!(await repo.getAgencyRow(tx, agencyId))) throw new AppError('not_found');
      // A double click on "add": the second waits for the first and is told the number is registered.
      await users.lockMobile(tx, body.mobile);
      if (await users.mobileRegistered(tx, body.mobile)) throw fieldError('mobile', 'mobile_registered');
      const username = await newUsername(tx, body.name, body.mobile);
      const { user, assignment: a } = await users.createUserWithAssignment(
        tx,
        ctx,
        { username, name: body.name, mobile: body.mobile, passwordHash, mustChangePassword: true },
        { role: 'agency_operator', scopeKind: 'agency', scopeId: agencyId },
        { action: 'operator_added' },
      );
      await enqueueMessage(tx, { channel: 'sms', recipient: user.mobile, template: 'auth.sms.new_user', params: { username, password }, locale: user.locale });
      return { userId: user.id, assignmentId: a.id, username };
    });
  } catch (e) {
    throwDbError(e, AGENCY_UNIQUE_ERRORS);
  }
}

/** Ends an operator's role in the agency (sessions end); a user left with no role is deactivated. */
export async function removeOperator(db: Db, ctx: Ctx, assignmentId: number) {
  const actor = actorOf(ctx);
  const agencyId = ownAgencyId(actor);
  await db.transaction(async (tx) => {
    const a = await users.lockAssignment(tx, assignmentId);
    if (!a || a.scopeKind !== 'agency' || a.scopeId !== agencyId || a.role !== 'agency_operator') throw new AppError('not_found');
    if (!a.active) return;
    await users.endAssignment(tx, a.id, ctx.now);
    const others = await users.otherActiveAssignments(tx, a.userId, a.id);
    if (others === 0) await users.setUserStatus(tx, a.userId, 'inactive', ctx.now);
    await recordAudit(tx, ctx, {
      entity: 'role_assignment',
      entityId: a.id,
      action: 'operator_removed',
      before: { userId: a.userId, role: a.role, active: true },
      after: { active: false, userDeactivated: others === 0 },
    });
  });
  return listOperators(db, ctx);
}
