import type { TSanctionPostInput } from '../../../shared/contracts/sanction.ts';
import type { Db, Tx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './sanction.repo.ts';
import { checkPost, lockedOr, orderInScope, unlockedPost } from './sanction.checks.ts';
import { orderOut, postAudit } from './sanction.mappers.ts';

/** Sanction orders: the posts of an unlocked order — add, change, delete. */

/**
 * One line per HOD, skill level and post name on an order: a second (a double click on "add", a
 * retry) would count the posts twice. Checked under the order's lock (orderInScope … true), so
 * twenty at once take turns and one line is written.
 */
async function refuseTwin(tx: Tx, orderId: number, input: TSanctionPostInput, self?: number) {
  const twin = (await repo.listPosts(tx, [orderId])).some(
    (p) => p.id !== self && p.hodId === input.hodId && p.skillLevelId === input.skillLevelId && p.postNameId === input.postNameId,
  );
  if (twin) throw new AppError('sanction_post_duplicate');
}

export async function addPost(db: Db, ctx: Ctx, orderId: number, input: TSanctionPostInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const order = await orderInScope(tx, actor, orderId, true);
      if (order.lockedAt) throw new AppError('sanction_locked');
      await checkPost(tx, order, input);
      await refuseTwin(tx, orderId, input);
      const post = await repo.insertPost(
        tx,
        {
          orderId,
          hodId: input.hodId,
          skillLevelId: input.skillLevelId,
          postNameId: input.postNameId,
          total: input.total,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        },
        input.offices.filter((o) => o.posts !== 0),
      );
      await recordAudit(tx, ctx, {
        entity: 'sanction_post',
        entityId: post.id,
        action: 'create',
        departmentId: order.departmentId,
        after: { orderId, ...postAudit(input) },
      });
    });
  } catch (e) {
    lockedOr(e);
  }
  return orderOut(db, orderId);
}

export async function updatePost(db: Db, ctx: Ctx, orderId: number, postId: number, input: TSanctionPostInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const { order, before } = await unlockedPost(tx, actor, orderId, postId);
      // The post as it stands (a double click, a retry): nothing to write or audit.
      const asked = postAudit(input);
      const sorted = { orderId, ...asked, offices: [...asked.offices].sort((a, b) => a.officeId - b.officeId) };
      if (JSON.stringify(sorted) === JSON.stringify(before)) return;
      await checkPost(tx, order, input);
      await refuseTwin(tx, orderId, input, postId);
      await repo.replacePost(
        tx,
        postId,
        { hodId: input.hodId, skillLevelId: input.skillLevelId, postNameId: input.postNameId, total: input.total, updatedAt: ctx.now },
        input.offices.filter((o) => o.posts !== 0),
      );
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
