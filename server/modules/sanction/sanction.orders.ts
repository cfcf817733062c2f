import type { TCreateOrderFields, TUpdateOrderBody } from '../../../shared/contracts/sanction.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type AcceptedFile, earlierUploadInReach, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import * as repo from './sanction.repo.ts';
import { checkDate, checkFloor, checkRef, duplicateOrderNo, fail, issuingDepartment, lockedOr, orderInScope } from './sanction.checks.ts';
import { auditOrder, orderOut } from './sanction.mappers.ts';
import { reachOf } from '../../platform/access/access.ts';
import { sanctionFileHolder } from './sanction.policy.ts';

/** Sanction orders: an order's life — create with its PDF, correct, replace the PDF, delete, lock. */

/**
 * "Create Outsourced Sanction Order": the particulars and the (already checked) PDF. The number
 * is unique in the department (a double-clicked Save therefore creates one order); the date is
 * not in the future (IST); a reduction / cancellation names a locked order of the department.
 */
export async function createOrder(db: Db, ctx: Ctx, store: FileStore, fields: TCreateOrderFields, file: AcceptedFile) {
  const actor = actorOf(ctx);
  const departmentId = await issuingDepartment(db, actor, fields.departmentId);
  checkDate(ctx, fields.orderDate);
  try {
    const { id, duplicateOfFileId } = await db.transaction(async (tx) => {
      await checkRef(tx, departmentId, fields.kind, fields.refOrderId);
      if (await repo.orderNoTaken(tx, departmentId, fields.orderNo)) throw duplicateOrderNo();
      const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
      const order = await repo.insertOrder(tx, {
        departmentId,
        orderNo: fields.orderNo,
        orderDate: fields.orderDate,
        issuingOfficerName: fields.issuingOfficerName,
        issuingOfficerDesignation: fields.issuingOfficerDesignation,
        remark: fields.remark,
        kind: fields.kind,
        refOrderId: fields.kind === 'original' ? null : (fields.refOrderId ?? null),
        fileId: saved.file.id,
        createdBy: actor.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'sanction_order',
        entityId: order.id,
        action: 'create',
        departmentId,
        after: {
          ...auditOrder(order),
          file: { sha256: file.sha256, sizeBytes: file.sizeBytes, name: file.safeName, duplicateOfFileId: saved.duplicateOfFileId },
        },
      });
      return { id: order.id, duplicateOfFileId: await earlierUploadInReach(tx, await reachOf(tx, actor), saved.file, sanctionFileHolder) };
    });
    return { order: await orderOut(db, id), duplicateOfFileId };
  } catch (e) {
    return lockedOr(e);
  }
}

export async function updateOrder(db: Db, ctx: Ctx, id: number, body: TUpdateOrderBody) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const before = await orderInScope(tx, actor, id, true);
      if (before.lockedAt) throw new AppError('sanction_locked');
      if (body.kind !== undefined && body.kind !== before.kind) fail('validation_failed', [{ field: 'kind', code: 'invalid_value' }]);
      if (body.refOrderId !== undefined && (body.refOrderId ?? null) !== before.refOrderId)
        fail('validation_failed', [{ field: 'refOrderId', code: 'invalid_value' }]);
      checkDate(ctx, body.orderDate);
      // The particulars as they stand (a double click, a retry): nothing to write or audit.
      if (
        body.orderNo === before.orderNo &&
        body.orderDate === before.orderDate &&
        body.issuingOfficerName === before.issuingOfficerName &&
        body.issuingOfficerDesignation === before.issuingOfficerDesignation &&
        body.remark === before.remark
      )
        return;
      if (await repo.orderNoTaken(tx, before.departmentId, body.orderNo, id)) throw duplicateOrderNo();
      const after = await repo.updateOrder(tx, id, {
        orderNo: body.orderNo,
        orderDate: body.orderDate,
        issuingOfficerName: body.issuingOfficerName,
        issuingOfficerDesignation: body.issuingOfficerDesignation,
        remark: body.remark,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'sanction_order',
        entityId: id,
        action: 'update',
        departmentId: before.departmentId,
        before: auditOrder(before),
        after: auditOrder(after),
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, id);
}

/**
 * Replaces an unlocked order's file, the order row locked first so that replacements at once are
 * taken one after another; the file the order already holds (same content and name) is not
 * stored or audited again, and its answer is the order as it is.
 */
export async function replaceOrderFile(db: Db, ctx: Ctx, store: FileStore, id: number, file: AcceptedFile) {
  const actor = actorOf(ctx);
  let duplicateOfFileId: number | null = null;
  try {
    await db.transaction(async (tx) => {
      const before = await orderInScope(tx, actor, id, true);
      if (before.lockedAt) throw new AppError('sanction_locked');
      // The same file again (a double click, a retry, two tabs) changes nothing: neither stored nor audited.
      const held = await getStoredFile(tx, before.fileId);
      if (held && held.sha256 === file.sha256 && held.originalName === file.safeName) return;
      const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
      duplicateOfFileId = await earlierUploadInReach(tx, await reachOf(tx, actor), saved.file, sanctionFileHolder);
      await repo.updateOrder(tx, id, { fileId: saved.file.id, updatedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'sanction_order',
        entityId: id,
        action: 'replace_file',
        departmentId: before.departmentId,
        before: { fileId: before.fileId },
        after: { fileId: saved.file.id, sha256: file.sha256, sizeBytes: file.sizeBytes, name: file.safeName, duplicateOfFileId: saved.duplicateOfFileId },
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return { order: await orderOut(db, id), duplicateOfFileId };
}

/** Deletes an unlocked order with its posts (its uploaded file stays on record). */
export async function deleteOrder(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const before = await orderInScope(tx, actor, id, true);
      if (before.lockedAt) throw new AppError('sanction_locked');
      const posts = await repo.listPosts(tx, [id]);
      if ((await repo.cancellationsOf(tx, id)).length > 0) throw new AppError('conflict');
      await repo.deleteOrder(tx, id);
      await recordAudit(tx, ctx, {
        entity: 'sanction_order',
        entityId: id,
        action: 'delete',
        departmentId: before.departmentId,
        before: {
          ...auditOrder(before),
          posts: posts.map((p) => ({
            hodId: p.hodId,
            skillLevelId: p.skillLevelId,
            postNameId: p.postNameId,
            total: p.total,
            offices: p.offices.map((o) => ({ officeId: o.officeId, posts: o.posts })),
          })),
        },
      });
    });
  } catch (e) {
    lockedOr(e);
  }
}

/**
 * "Lock Now". Locks of one department run one at a time (advisory lock), so capacity checks see
 * every earlier lock; the UPDATE only matches an unlocked row, so of two concurrent clicks one
 * locks and the other gets 409 sanction_locked. A reduction or cancellation may not take any
 * office below 0 or below what is deployed there.
 */
export async function lockOrder(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const seen = await orderInScope(tx, actor, id);
      await repo.lockDepartmentForSanction(tx, seen.departmentId);
      const order = await repo.getOrderForUpdate(tx, id);
      if (!order) throw new AppError('not_found');
      if (order.lockedAt) throw new AppError('sanction_locked');
      const posts = await repo.listPosts(tx, [id]);
      if (order.kind !== 'cancellation' && posts.length === 0) throw new AppError('sanction_empty');
      if (order.kind !== 'original') {
        await checkRef(tx, order.departmentId, order.kind, order.refOrderId, order.id);
        const contrib = await repo.orderContribution(tx, order);
        await checkFloor(
          tx,
          contrib.map((c) => ({ ...c, field: `capacity.${c.officeId}.${c.skillLevelId}.${c.postNameId}` })),
        );
      }
      const locked = await repo.lockOrder(tx, id, actor.userId, ctx.now);
      if (!locked) throw new AppError('sanction_locked');
      await recordAudit(tx, ctx, {
        entity: 'sanction_order',
        entityId: id,
        action: 'lock',
        departmentId: order.departmentId,
        before: { lockedAt: null },
        after: {
          lockedAt: ctx.now.toISOString(),
          kind: order.kind,
          refOrderId: order.refOrderId,
          posts: posts.length,
          totalPosts: posts.reduce((s, p) => s + p.total, 0),
        },
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, id);
}
