import type { TErrorCode } from '../../../shared/errors.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { requireStatus, resourceInScope } from './resource.checks.ts';
import * as repo from './resource.repo.ts';

/** Who decided, when, and the remark: the decision columns of a request row (resource.table.ts `decisionColumns`). */
export const decided = (actor: Actor, ctx: Ctx, remark: string) => ({ decidedBy: actor.userId, decidedAt: ctx.now, decisionRemark: remark });

/** What marks a request decided: its new state and `decided`. */
export type TDecisionSet = ReturnType<typeof decided> & { state: 'approved' | 'refused' };

/**
 * The department's decision on an open request of a working resource (relieving, replacement,
 * profile change, a death the agency reported), inside the caller's transaction: the resource
 * locked, in the caller's reach and working (`approved`); the open request locked (none:
 * `notPending`); a refusal needs a remark; then the request marked approved / refused with who,
 * when and the remark — once: a second click finds it decided (`notPending`). The caller carries
 * the decision out and audits it. `requestFirst`: look the request up before checking that the
 * resource is working (an event: a missing one is "not found" whatever the resource's status).
 */
export async function decideRequest<T, U>(
  tx: DbOrTx,
  ctx: Ctx,
  actor: Actor,
  id: number,
  approve: boolean,
  remark: string,
  spec: {
    open: () => Promise<T | null>;
    notPending: TErrorCode;
    mark: (open: T, set: TDecisionSet, r: repo.ResourceRow) => Promise<U | null>;
    requestFirst?: boolean;
  },
): Promise<{ r: repo.ResourceRow; open: T; after: U }> {
  const r = await resourceInScope(tx, actor, id, true);
  const find = async () => {
    const open = await spec.open();
    if (!open) throw new AppError(spec.notPending);
    return open;
  };
  let open: T;
  if (spec.requestFirst) {
    open = await find();
    requireStatus(r, 'approved');
  } else {
    requireStatus(r, 'approved');
    open = await find();
  }
  if (!approve && remark === '') throw fieldError('remark', 'required');
  const after = await spec.mark(open, { state: approve ? 'approved' : 'refused', ...decided(actor, ctx, remark) }, r);
  if (!after) throw new AppError(spec.notPending);
  return { r, open, after };
}

/**
 * A decision carried out: the working resource `id` relieved on `on` for `reason` (a relieving
 * approved, a replacement, a death) — moved only from `approved`, so it happens once.
 */
export async function relieveResource(
  tx: DbOrTx,
  ctx: Ctx,
  id: number,
  relieving: { on: string; reason: NonNullable<repo.ResourceRow['relieveReason']>; remark: string },
) {
  const moved = await repo.moveStatus(tx, id, 'approved', {
    status: 'relieved',
    relievedOn: relieving.on,
    relieveReason: relieving.reason,
    relieveRemark: relieving.remark,
    updatedAt: ctx.now,
  });
  if (!moved) throw new AppError('resource_not_approved');
}
