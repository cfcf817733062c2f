import type {
  TCapacityQuery,
  TCapacityRow,
  TCreateOrderFields,
  TOrderExportQuery,
  TOrderListQuery,
  TSanctionOrder,
  TSanctionOrderSummary,
  TSanctionPostInput,
  TUpdateOrderBody,
} from '../../../shared/contracts/sanction.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { mayAccess, reachOf, requireAccess, requireRecord } from '../../platform/access/access.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { type Column, writeCsv, writeXlsx } from '../../platform/tabular/tabular.ts';
import { coveredFor } from '../contract/index.ts';
import { sanctionOrderAccess } from './sanction.policy.ts';
import * as repo from './sanction.repo.ts';
import { belowFloor, checkPostNumbers } from './sanction.rules.ts';

type Key = { officeId: number; skillLevelId: number; postNameId: number };

// --- Seams for modules that do not exist yet --------------------------------------------------

/** Resources deployed per (office, skill level, post name). Seam: 0 until the resources module lands. */
export async function deployedFor(_db: DbOrTx, keys: Key[]): Promise<Map<string, number>> {
  return new Map(keys.map((k) => [repo.capKey(k.officeId, k.skillLevelId, k.postNameId), 0]));
}

// --- Helpers ----------------------------------------------------------------------------------

function fail(code: 'validation_failed', errors: TFieldError[]): never {
  throw new AppError(code, { errors });
}

/**
 * A refusal by the database as the user's error: the "locked" guard (trigger, migration 0003) →
 * 409 sanction_locked (platform guardRefusal), a taken order number, a post line twice.
 */
function lockedOr(e: unknown): never {
  throwDbError(e, {
    sanction_orders_dept_order_no_uq: duplicateOrderNo,
    sanction_posts_line_uq: () => new AppError('duplicate', { errors: [{ field: 'postNameId', code: 'duplicate' }] }),
  });
}

function duplicateOrderNo() {
  return new AppError('duplicate_order_no', { errors: [{ field: 'orderNo', code: 'duplicate' }] });
}

function checkDate(ctx: Ctx, orderDate: string) {
  if (orderDate > todayIst(ctx.now)) throw new AppError('date_in_future', { errors: [{ field: 'orderDate', code: 'date_in_future' }] });
}

function summaryOut(r: repo.OrderSummaryRow): TSanctionOrderSummary {
  return {
    id: r.id,
    orderNo: r.orderNo,
    orderDate: r.orderDate,
    issuingOfficerName: r.issuingOfficerName,
    issuingOfficerDesignation: r.issuingOfficerDesignation,
    remark: r.remark,
    kind: r.kind,
    refOrderId: r.refOrderId,
    refOrderNo: r.refOrderNo,
    departmentId: r.departmentId,
    departmentNameEn: r.departmentNameEn,
    departmentNameHi: r.departmentNameHi,
    locked: r.lockedAt !== null,
    lockedAt: r.lockedAt ? r.lockedAt.toISOString() : null,
    postCount: Number(r.postCount),
    totalPosts: Number(r.totalPosts),
    file: { sizeBytes: Number(r.fileSizeBytes), sha256: r.fileSha256 },
    createdAt: r.createdAt.toISOString(),
  };
}

async function orderOut(db: DbOrTx, id: number): Promise<TSanctionOrder> {
  const s = await repo.getOrderSummary(db, id);
  if (!s) throw new AppError('not_found');
  const locked = s.lockedAt !== null;
  const posts = await repo.listPosts(db, [id]);
  return { ...summaryOut(s), posts: posts.map((p) => ({ ...p, locked })) };
}

/** The order if it exists and the actor may reach it (the access layer); else 404 (no existence leak). */
async function orderInScope(db: DbOrTx, actor: Actor, id: number, forUpdate = false) {
  await requireRecord(db, actor, sanctionOrderAccess, id);
  const order = forUpdate ? await repo.getOrderForUpdate(db, id) : await repo.getOrder(db, id);
  if (!order) throw new AppError('not_found');
  return order;
}

function auditOrder(o: { orderNo: string; orderDate: string; issuingOfficerName: string; issuingOfficerDesignation: string; remark: string; kind: string; refOrderId: number | null; fileId: number; departmentId: number }) {
  return { orderNo: o.orderNo, orderDate: o.orderDate, issuingOfficerName: o.issuingOfficerName, issuingOfficerDesignation: o.issuingOfficerDesignation, remark: o.remark, kind: o.kind, refOrderId: o.refOrderId, fileId: o.fileId, departmentId: o.departmentId };
}

/**
 * The referenced order of a reduction / cancellation order: a locked order of the same
 * department, not itself a cancellation, and not already cancelled.
 */
async function checkRef(db: DbOrTx, departmentId: number, kind: string, refOrderId: number | null | undefined, selfId?: number) {
  if (kind === 'original') {
    if (refOrderId !== undefined && refOrderId !== null) throw new AppError('ref_order_invalid', { errors: [{ field: 'refOrderId', code: 'ref_order_invalid' }] });
    return null;
  }
  if (refOrderId === undefined || refOrderId === null) throw new AppError('ref_order_invalid', { errors: [{ field: 'refOrderId', code: 'required' }] });
  const ref = await repo.getOrder(db, refOrderId);
  const bad = () => new AppError('ref_order_invalid', { errors: [{ field: 'refOrderId', code: 'ref_order_invalid' }] });
  if (!ref || ref.departmentId !== departmentId || ref.lockedAt === null || ref.kind === 'cancellation' || ref.id === selfId) throw bad();
  const cancels = await repo.cancellationsOf(db, ref.id, selfId);
  if (cancels.some((c) => c.lockedAt !== null)) throw bad();
  if (kind === 'cancellation' && cancels.length > 0) throw bad();
  return ref;
}

// --- Queries ----------------------------------------------------------------------------------

export async function listOrders(db: Db, ctx: Ctx, q: TOrderListQuery) {
  const { items, total } = await repo.listOrders(db, await reachOf(db, actorOf(ctx)), q);
  return { items: items.map(summaryOut), total, page: q.page, pageSize: q.pageSize };
}

export async function getOrder(db: Db, ctx: Ctx, id: number) {
  await orderInScope(db, actorOf(ctx), id);
  return orderOut(db, id);
}

/** 404 unless the order exists in scope (routes call it before reading an upload). */
export async function assertOrderVisible(db: Db, ctx: Ctx, id: number) {
  await orderInScope(db, actorOf(ctx), id);
}

export async function getOrderFile(db: Db, ctx: Ctx, store: FileStore, id: number) {
  const order = await orderInScope(db, actorOf(ctx), id);
  const file = await getStoredFile(db, order.fileId);
  if (!file) throw new AppError('not_found');
  const bytes = await store.get(file.storageKey);
  return { bytes, name: file.originalName, mime: file.mime };
}

const EXPORT_COLUMNS: Column<TSanctionOrderSummary>[] = [
  { key: 'orderNo', value: (r) => r.orderNo },
  { key: 'orderDate', value: (r) => r.orderDate },
  { key: 'kind', value: (r) => r.kind },
  { key: 'refOrderNo', value: (r) => r.refOrderNo },
  { key: 'departmentEn', value: (r) => r.departmentNameEn },
  { key: 'departmentHi', value: (r) => r.departmentNameHi },
  { key: 'issuingOfficerName', value: (r) => r.issuingOfficerName },
  { key: 'issuingOfficerDesignation', value: (r) => r.issuingOfficerDesignation },
  { key: 'remark', value: (r) => r.remark },
  { key: 'locked', value: (r) => (r.locked ? 'true' : 'false') },
  { key: 'lockedAt', value: (r) => r.lockedAt },
  { key: 'postCount', value: (r) => r.postCount },
  { key: 'totalPosts', value: (r) => r.totalPosts },
  { key: 'fileSha256', value: (r) => r.file.sha256 },
  { key: 'createdAt', value: (r) => r.createdAt },
];

export async function exportOrders(db: Db, ctx: Ctx, q: TOrderExportQuery) {
  const rows = (await repo.listOrdersAll(db, await reachOf(db, actorOf(ctx)), q)).map(summaryOut);
  const body = q.format === 'xlsx' ? await writeXlsx(EXPORT_COLUMNS, rows, 'sanction-orders') : writeCsv(EXPORT_COLUMNS, rows);
  await recordAudit(db, ctx, { entity: 'sanction_order', action: 'export', after: { format: q.format, rows: rows.length, q: q.q ?? null, locked: q.locked ?? null } });
  return { body, filename: `sanction-orders-${todayIst(ctx.now)}.${q.format}` };
}

export async function options(db: Db, ctx: Ctx) {
  return repo.options(db, await reachOf(db, actorOf(ctx)));
}

export async function hodOffices(db: Db, ctx: Ctx, hodId: number) {
  const hod = await repo.getHod(db, hodId);
  requireAccess(await reachOf(db, actorOf(ctx)), 'department_record', hod);
  return repo.activeOfficesOfHod(db, hodId);
}

/**
 * Sanctioned, covered, deployed and vacant posts per (office, skill level, post name) in the
 * actor's scope. Sanctioned = the sum over LOCKED orders (reductions negative, a locked
 * cancellation negating its referenced order). This is the module's public read for contracts
 * and resources (exported from index.ts).
 */
export async function getCapacity(db: DbOrTx, filters: TCapacityQuery, actor: Actor) {
  const { items, total } = await repo.capacityPage(db, await reachOf(db, actor), filters);
  const keys = items.map((r) => ({ officeId: r.office_id, skillLevelId: r.skill_level_id, postNameId: r.post_name_id }));
  const [covered, deployed] = await Promise.all([coveredFor(db, keys), deployedFor(db, keys)]);
  const rows: TCapacityRow[] = items.map((r) => {
    const k = repo.capKey(r.office_id, r.skill_level_id, r.post_name_id);
    const sanctioned = Number(r.sanctioned);
    const dep = deployed.get(k) ?? 0;
    return {
      officeId: r.office_id,
      officeNameEn: r.office_name_en,
      officeNameHi: r.office_name_hi,
      skillLevelId: r.skill_level_id,
      skillLevelNameEn: r.skill_name_en,
      skillLevelNameHi: r.skill_name_hi,
      postNameId: r.post_name_id,
      postNameEn: r.post_name_en,
      postNameHi: r.post_name_hi,
      sanctioned,
      covered: covered.get(k) ?? 0,
      deployed: dep,
      vacant: sanctioned - dep,
    };
  });
  return { items: rows, total, page: filters.page, pageSize: filters.pageSize };
}

export async function capacity(db: Db, ctx: Ctx, q: TCapacityQuery) {
  return getCapacity(db, q, actorOf(ctx));
}

// --- Orders -----------------------------------------------------------------------------------

/**
 * The issuing department: the one named (whose orders the actor may reach), or — when none is
 * named — the department the actor's scope sits in (state scope covers several: it must name one).
 */
async function issuingDepartment(db: DbOrTx, actor: Actor, departmentId: number | undefined): Promise<number> {
  const reach = await reachOf(db, actor);
  if (departmentId !== undefined) {
    const d = await repo.getDepartment(db, departmentId);
    if (!d?.active || !mayAccess(reach, 'department_record', { departmentId: d.id })) throw new AppError('validation_failed', { errors: [{ field: 'departmentId', code: 'invalid_value' }] });
    return d.id;
  }
  if (reach.scopeKind !== 'state' && reach.departmentId !== null && mayAccess(reach, 'department_record', { departmentId: reach.departmentId })) return reach.departmentId;
  throw new AppError('validation_failed', { errors: [{ field: 'departmentId', code: 'required' }] });
}

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
        after: { ...auditOrder(order), file: { sha256: file.sha256, sizeBytes: file.sizeBytes, name: file.safeName, duplicateOfFileId: saved.duplicateOfFileId } },
      });
      return { id: order.id, duplicateOfFileId: saved.duplicateOfFileId };
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
      if (body.refOrderId !== undefined && (body.refOrderId ?? null) !== before.refOrderId) fail('validation_failed', [{ field: 'refOrderId', code: 'invalid_value' }]);
      checkDate(ctx, body.orderDate);
      if (await repo.orderNoTaken(tx, before.departmentId, body.orderNo, id)) throw duplicateOrderNo();
      const after = await repo.updateOrder(tx, id, {
        orderNo: body.orderNo,
        orderDate: body.orderDate,
        issuingOfficerName: body.issuingOfficerName,
        issuingOfficerDesignation: body.issuingOfficerDesignation,
        remark: body.remark,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, { entity: 'sanction_order', entityId: id, action: 'update', departmentId: before.departmentId, before: auditOrder(before), after: auditOrder(after) });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, id);
}

export async function replaceOrderFile(db: Db, ctx: Ctx, store: FileStore, id: number, file: AcceptedFile) {
  const actor = actorOf(ctx);
  let duplicateOfFileId: number | null = null;
  try {
    await db.transaction(async (tx) => {
      const before = await orderInScope(tx, actor, id, true);
      if (before.lockedAt) throw new AppError('sanction_locked');
      const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
      duplicateOfFileId = saved.duplicateOfFileId;
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
      await recordAudit(tx, ctx, { entity: 'sanction_order', entityId: id, action: 'delete', departmentId: before.departmentId, before: { ...auditOrder(before), posts: posts.map((p) => ({ hodId: p.hodId, skillLevelId: p.skillLevelId, postNameId: p.postNameId, total: p.total, offices: p.offices.map((o) => ({ officeId: o.officeId, posts: o.posts })) })) } });
    });
  } catch (e) {
    lockedOr(e);
  }
}

// --- Posts ------------------------------------------------------------------------------------

/**
 * Checks a post against the order: numbers (rules), masters, the HOD in the order's department,
 * offices of that HOD, and — for a reduction — that no office falls below 0 or below deployed.
 */
async function checkPost(tx: DbOrTx, order: { id: number; kind: 'original' | 'reduction' | 'cancellation'; departmentId: number }, input: TSanctionPostInput) {
  const { errors } = checkPostNumbers(order.kind, input);
  const masterErrors: TFieldError[] = [];
  const hod = await repo.getHod(tx, input.hodId);
  if (!hod?.active || hod.departmentId !== order.departmentId) masterErrors.push({ field: 'hodId', code: 'invalid_value' });
  if (!(await repo.skillLevelActive(tx, input.skillLevelId))) masterErrors.push({ field: 'skillLevelId', code: 'not_found' });
  if (!(await repo.postNameActive(tx, input.postNameId))) masterErrors.push({ field: 'postNameId', code: 'not_found' });
  const nonSum = errors.filter((e) => e.code !== 'posts_sum_mismatch');
  if (masterErrors.length || nonSum.length) fail('validation_failed', [...masterErrors, ...nonSum]);

  const hodOffices = new Set((await repo.activeOfficesOfHod(tx, input.hodId)).map((o) => o.id));
  const outside = input.offices.map((o, i) => ({ o, i })).filter(({ o }) => !hodOffices.has(o.officeId));
  if (outside.length) throw new AppError('office_not_in_hod', { errors: outside.map(({ i }) => ({ field: `offices.${i}`, code: 'office_not_in_hod' as const })) });
  if (errors.length) throw new AppError('posts_sum_mismatch', { errors, params: errors[0]!.params ?? {} });

  if (order.kind === 'reduction') {
    await checkFloor(tx, input.offices.map((o, i) => ({ officeId: o.officeId, skillLevelId: input.skillLevelId, postNameId: input.postNameId, n: o.posts, field: `offices.${i}` })));
  }
}

/**
 * A reduction (changes `n` ≤ 0 per key) may not take what locked orders sanction below 0 or below
 * what is deployed there (rules.belowFloor); each key's refusal is reported on its `field`.
 */
async function checkFloor(tx: DbOrTx, changes: (Key & { n: number; field: string })[]) {
  // In turn: one transaction's connection runs one query at a time.
  const sanctioned = await repo.sanctionedFor(tx, changes);
  const deployed = await deployedFor(tx, changes);
  const below: TFieldError[] = [];
  for (const c of changes) {
    const k = repo.capKey(c.officeId, c.skillLevelId, c.postNameId);
    const after = (sanctioned.get(k) ?? 0) + c.n;
    const dep = deployed.get(k) ?? 0;
    if (belowFloor(after, dep)) below.push({ field: c.field, code: 'below_deployed', params: { after, deployed: dep } });
  }
  if (below.length) throw new AppError('reduction_below_deployed', { errors: below });
}

function postAudit(input: TSanctionPostInput) {
  return { hodId: input.hodId, skillLevelId: input.skillLevelId, postNameId: input.postNameId, total: input.total, offices: input.offices.filter((o) => o.posts !== 0) };
}

export async function addPost(db: Db, ctx: Ctx, orderId: number, input: TSanctionPostInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const order = await orderInScope(tx, actor, orderId, true);
      if (order.lockedAt) throw new AppError('sanction_locked');
      await checkPost(tx, order, input);
      const post = await repo.insertPost(tx, { orderId, hodId: input.hodId, skillLevelId: input.skillLevelId, postNameId: input.postNameId, total: input.total, createdAt: ctx.now, updatedAt: ctx.now }, input.offices.filter((o) => o.posts !== 0));
      await recordAudit(tx, ctx, { entity: 'sanction_post', entityId: post.id, action: 'create', departmentId: order.departmentId, after: { orderId, ...postAudit(input) } });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, orderId);
}

/**
 * A post of an unlocked order in the actor's reach (the order row locked for the transaction),
 * with what it was — for the audit event of a change or a deletion.
 */
async function unlockedPost(tx: DbOrTx, actor: Actor, orderId: number, postId: number) {
  const order = await orderInScope(tx, actor, orderId, true);
  const post = await repo.getPost(tx, orderId, postId);
  if (!post) throw new AppError('not_found');
  if (order.lockedAt) throw new AppError('sanction_locked');
  const offices = await repo.postOffices(tx, postId);
  const before = { orderId, hodId: post.hodId, skillLevelId: post.skillLevelId, postNameId: post.postNameId, total: post.total, offices };
  return { order, before };
}

export async function updatePost(db: Db, ctx: Ctx, orderId: number, postId: number, input: TSanctionPostInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const { order, before } = await unlockedPost(tx, actor, orderId, postId);
      await checkPost(tx, order, input);
      await repo.replacePost(tx, postId, { hodId: input.hodId, skillLevelId: input.skillLevelId, postNameId: input.postNameId, total: input.total, updatedAt: ctx.now }, input.offices.filter((o) => o.posts !== 0));
      await recordAudit(tx, ctx, {
        entity: 'sanction_post',
        entityId: postId,
        action: 'update',
        departmentId: order.departmentId,
        before,
        after: { orderId, ...postAudit(input) },
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, orderId);
}

export async function deletePost(db: Db, ctx: Ctx, orderId: number, postId: number) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const { order, before } = await unlockedPost(tx, actor, orderId, postId);
      await repo.deletePost(tx, postId);
      await recordAudit(tx, ctx, {
        entity: 'sanction_post',
        entityId: postId,
        action: 'delete',
        departmentId: order.departmentId,
        before,
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, orderId);
}

// --- Lock -------------------------------------------------------------------------------------

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
        await checkFloor(tx, contrib.map((c) => ({ ...c, field: `capacity.${c.officeId}.${c.skillLevelId}.${c.postNameId}` })));
      }
      const locked = await repo.lockOrder(tx, id, actor.userId, ctx.now);
      if (!locked) throw new AppError('sanction_locked');
      await recordAudit(tx, ctx, {
        entity: 'sanction_order',
        entityId: id,
        action: 'lock',
        departmentId: order.departmentId,
        before: { lockedAt: null },
        after: { lockedAt: ctx.now.toISOString(), kind: order.kind, refOrderId: order.refOrderId, posts: posts.length, totalPosts: posts.reduce((s, p) => s + p.total, 0) },
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, id);
}
