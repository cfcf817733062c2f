import type { TBill } from '../../../shared/contracts/payment.ts';
import type { Db } from '../../db/client.ts';
import type { IfmisAdapter } from '../../platform/adapters/ifmis.ts';
import { IfmisUnavailable } from '../../platform/adapters/ifmis.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import * as invoice from '../invoice/index.ts';
import * as repo from './payment.repo.ts';
import { hashOf, requireKey, SameKey, translateDb } from './payment.common.ts';
import { billInScope, billOut, getBill, ifmisPayload } from './payment.bill-read.ts';

// --- Sending a bill -------------------------------------------------------------------------------

/**
 * The DDO sends the bill to IFMIS (second factor, Idempotency-Key). The bill is marked sent in one
 * transaction (with the event that holds the key, and the code consumed), IFMIS is called outside
 * any transaction, and its answer is written in a second: acknowledged (the workflow goes
 * approved → billed), rejected with its reason (the bill may be sent again), or no answer (the bill
 * goes back to prepared, 503 `ifmis_unavailable`; a retry with the same key sends it again, and
 * IFMIS answers a bill number it has seen with the same acknowledgement).
 */
export async function sendBill(
  db: Db,
  ctx: Ctx,
  ifmis: IfmisAdapter,
  billId: number,
  key: string | undefined,
  code: string | undefined,
): Promise<{ bill: TBill; replayed: boolean }> {
  const actor = actorOf(ctx);
  // The record's scope first: another DDO's bill is "not found" whatever else the request lacks.
  const b = await billInScope(db, ctx, billId);
  const idem = requireKey(key);
  const hash = hashOf({ action: 'send_bill', billId });
  const earlier = await invoice.invoiceEventByKey(db, actor.userId, idem);
  let replayed = false;
  if (earlier) {
    if (earlier.requestHash !== hash) throw new AppError('idempotency_key_reused');
    replayed = true;
    if (b.status === 'acknowledged' || b.status === 'rejected') return { bill: await billOut(db, ctx, b), replayed };
  }
  if (actor.role !== 'ddo') throw new AppError('forbidden');
  // A bill of ₹0 settled its invoice at approval; a treasury passes no nil bill (docs/PAYMENTS.md).
  if (b.status === 'not_payable') throw new AppError('bill_not_payable');
  try {
    await checkStepUp(db, ctx, code, idem);
  } catch (e) {
    // A twin under another key (a second click) may have sent the bill since the first look, and
    // spent the code doing so: that is "already sent" (409), not the code's 422.
    if (!(e instanceof AppError)) throw e;
    if (await invoice.invoiceEventByKey(db, actor.userId, idem)) return sendBill(db, ctx, ifmis, billId, key, code);
    const now = await repo.getBill(db, billId);
    if (!replayed && now && now.status !== 'prepared' && now.status !== 'rejected') throw new AppError('bill_already_sent');
    throw e;
  }
  const at = ctx.now.toISOString();
  if (!replayed) {
    if (b.status !== 'prepared' && b.status !== 'rejected') throw new AppError('bill_already_sent');
    if (b.stage !== 'approved') throw new AppError('bill_not_approved');
    try {
      await db.transaction(async (tx) => {
        await invoice.lockBill(tx, billId);
        // Under the bill's lock: the same key sent at the same moment has made its event by now.
        if (await invoice.invoiceEventByKey(tx, actor.userId, idem)) throw new SameKey();
        // The bill's state before the code: a twin under another key that passed the code check
        // while the first was being written finds the bill sent (409), not the code spent (422).
        if (!(await invoice.setBillStatus(tx, billId, ['prepared', 'rejected'], { status: 'sent', sentAt: at }))) throw new AppError('bill_already_sent');
        await consumeStepUp(tx, ctx, code, idem);
        await invoice.insertBillEvent(tx, { invoiceId: b.invoice_id, action: 'bill_sent', userId: actor.userId, role: actor.role, at, key: idem, hash });
        await recordAudit(tx, ctx, {
          entity: 'bill',
          entityId: billId,
          action: 'send',
          before: { status: b.status },
          after: { status: 'sent' },
          departmentId: b.department_id,
        });
      });
    } catch (e) {
      if (e instanceof SameKey || (isUniqueViolation(e) && pgConstraint(e) === 'invoice_events_idem_uq')) return sendBill(db, ctx, ifmis, billId, key, code);
      translateDb(e);
    }
  } else {
    // A retry after no answer (or a crash): the bill is sent again under the same key.
    await db.transaction(async (tx) => {
      await invoice.lockBill(tx, billId);
      await invoice.setBillStatus(tx, billId, ['prepared'], { status: 'sent', sentAt: at });
    });
  }
  let answer: Awaited<ReturnType<IfmisAdapter['submitBill']>>;
  try {
    answer = await ifmis.submitBill(await ifmisPayload(db, (await repo.getBill(db, billId))!));
  } catch (e) {
    if (!(e instanceof IfmisUnavailable)) throw e;
    await db.transaction(async (tx) => {
      await invoice.lockBill(tx, billId);
      if (await invoice.setBillStatus(tx, billId, ['sent'], { status: 'prepared' }))
        await recordAudit(tx, ctx, {
          entity: 'bill',
          entityId: billId,
          action: 'ifmis_unavailable',
          after: { status: 'prepared' },
          departmentId: b.department_id,
        });
    });
    throw new AppError('ifmis_unavailable');
  }
  const answeredAt = ctx.now.toISOString();
  await db.transaction(async (tx) => {
    await invoice.lockBill(tx, billId);
    if (answer.status === 'acknowledged') {
      if (!(await invoice.setBillStatus(tx, billId, ['sent'], { status: 'acknowledged', ifmisRef: answer.ackNo, answeredAt }))) return;
      await invoice.insertBillEvent(tx, {
        invoiceId: b.invoice_id,
        action: 'bill_acknowledged',
        userId: actor.userId,
        role: actor.role,
        at: answeredAt,
        remarks: answer.ackNo,
      });
      await invoice.advanceWorkflow(tx, b.invoice_id, 'approved', answeredAt);
      await recordAudit(tx, ctx, {
        entity: 'bill',
        entityId: billId,
        action: 'acknowledged',
        after: { status: 'acknowledged', ifmisRef: answer.ackNo },
        departmentId: b.department_id,
      });
    } else {
      if (!(await invoice.setBillStatus(tx, billId, ['sent'], { status: 'rejected', reason: answer.reason, answeredAt }))) return;
      await invoice.insertBillEvent(tx, {
        invoiceId: b.invoice_id,
        action: 'bill_rejected',
        userId: actor.userId,
        role: actor.role,
        at: answeredAt,
        remarks: answer.reason,
      });
      await recordAudit(tx, ctx, {
        entity: 'bill',
        entityId: billId,
        action: 'rejected',
        after: { status: 'rejected', reason: answer.reason },
        departmentId: b.department_id,
      });
    }
  });
  return { bill: await getBill(db, ctx, billId), replayed };
}
