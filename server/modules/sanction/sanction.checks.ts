import type { TSanctionPostInput } from '../../../shared/contracts/sanction.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { DbOrTx } from '../../db/client.ts';
import { mayAccess, reachOf, requireRecord } from '../../platform/access/access.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { sanctionOrderAccess } from './sanction.policy.ts';
import * as repo from './sanction.repo.ts';
import { capacityCounts } from './sanction.seams.ts';
import { belowFloor, checkPostNumbers } from './sanction.rules.ts';

/**
 * Sanction orders: the checks the use cases share — the order in the actor's reach, the issuing
 * department, the referenced order, a post's numbers and masters, the floor a reduction may not
 * go below — and the database refusals as user errors.
 */

export type Key = { officeId: number; skillLevelId: number; postNameId: number };

/** Resources deployed per (office, skill level, post name): approved and not relieved (the resource module counts them, wired through sanction.seams.ts). */
export async function deployedFor(db: DbOrTx, keys: Key[]): Promise<Map<string, number>> {
  const counted = await capacityCounts().deployed(db, keys);
  return new Map(
    keys.map((k) => [repo.capKey(k.officeId, k.skillLevelId, k.postNameId), counted.get(repo.capKey(k.officeId, k.skillLevelId, k.postNameId)) ?? 0]),
  );
}

export function fail(code: 'validation_failed', errors: TFieldError[]): never {
  throw new AppError(code, { errors });
}

/**
 * A refusal by the database as the user's error: the "locked" guard (trigger, migration 0003) →
 * 409 sanction_locked (platform guardRefusal), a taken order number, a post line twice.
 */
export function lockedOr(e: unknown): never {
  throwDbError(e, {
    sanction_orders_dept_order_no_uq: duplicateOrderNo,
    sanction_posts_line_uq: () => new AppError('duplicate', { errors: [{ field: 'postNameId', code: 'duplicate' }] }),
  });
}

export function duplicateOrderNo() {
  return new AppError('duplicate_order_no', { errors: [{ field: 'orderNo', code: 'duplicate' }] });
}

export function checkDate(ctx: Ctx, orderDate: string) {
  if (orderDate > todayIst(ctx.now)) throw new AppError('date_in_future', { errors: [{ field: 'orderDate', code: 'date_in_future' }] });
}

/** The order if it exists and the actor may reach it (the access layer); else 404 (no existence leak). */
export async function orderInScope(db: DbOrTx, actor: Actor, id: number, forUpdate = false) {
  await requireRecord(db, actor, sanctionOrderAccess, id);
  const order = forUpdate ? await repo.getOrderForUpdate(db, id) : await repo.getOrder(db, id);
  if (!order) throw new AppError('not_found');
  return order;
}

/**
 * The referenced order of a reduction / cancellation order: a locked order of the same
 * department, not itself a cancellation, and not already cancelled.
 */
export async function checkRef(db: DbOrTx, departmentId: number, kind: string, refOrderId: number | null | undefined, selfId?: number) {
  if (kind === 'original') {
    if (refOrderId !== undefined && refOrderId !== null)
      throw new AppError('ref_order_invalid', { errors: [{ field: 'refOrderId', code: 'ref_order_invalid' }] });
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

/**
 * The issuing department: the one named (whose orders the actor may reach), or — when none is
 * named — the department the actor's scope sits in (state scope covers several: it must name one).
 */
export async function issuingDepartment(db: DbOrTx, actor: Actor, departmentId: number | undefined): Promise<number> {
  const reach = await reachOf(db, actor);
  if (departmentId !== undefined) {
    const d = await repo.getDepartment(db, departmentId);
    if (!d?.active || !mayAccess(reach, 'department_record', { departmentId: d.id }))
      throw new AppError('validation_failed', { errors: [{ field: 'departmentId', code: 'invalid_value' }] });
    return d.id;
  }
  if (reach.scopeKind !== 'state' && reach.departmentId !== null && mayAccess(reach, 'department_record', { departmentId: reach.departmentId }))
    return reach.departmentId;
  throw new AppError('validation_failed', { errors: [{ field: 'departmentId', code: 'required' }] });
}

/**
 * Checks a post against the order: numbers (rules), masters, the HOD in the order's department,
 * offices of that HOD, and — for a reduction — that no office falls below 0 or below deployed.
 */
export async function checkPost(
  tx: DbOrTx,
  order: { id: number; kind: 'original' | 'reduction' | 'cancellation'; departmentId: number },
  input: TSanctionPostInput,
) {
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
  if (outside.length)
    throw new AppError('office_not_in_hod', { errors: outside.map(({ i }) => ({ field: `offices.${i}`, code: 'office_not_in_hod' as const })) });
  if (errors.length) throw new AppError('posts_sum_mismatch', { errors, params: errors[0]!.params ?? {} });

  if (order.kind === 'reduction') {
    await checkFloor(
      tx,
      input.offices.map((o, i) => ({
        officeId: o.officeId,
        skillLevelId: input.skillLevelId,
        postNameId: input.postNameId,
        n: o.posts,
        field: `offices.${i}`,
      })),
    );
  }
}

/**
 * A reduction (changes `n` ≤ 0 per key) may not take what locked orders sanction below 0 or below
 * what is deployed there (rules.belowFloor); each key's refusal is reported on its `field`.
 */
export async function checkFloor(tx: DbOrTx, changes: (Key & { n: number; field: string })[]) {
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

/**
 * A post of an unlocked order in the actor's reach (the order row locked for the transaction),
 * with what it was — for the audit event of a change or a deletion.
 */
export async function unlockedPost(tx: DbOrTx, actor: Actor, orderId: number, postId: number) {
  const order = await orderInScope(tx, actor, orderId, true);
  const post = await repo.getPost(tx, orderId, postId);
  if (!post) throw new AppError('not_found');
  if (order.lockedAt) throw new AppError('sanction_locked');
  const offices = await repo.postOffices(tx, postId);
  const before = { orderId, hodId: post.hodId, skillLevelId: post.skillLevelId, postNameId: post.postNameId, total: post.total, offices };
  return { order, before };
}
