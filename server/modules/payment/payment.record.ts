import type { TBill, TPaymentCreate } from '../../../shared/contracts/payment.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import * as invoice from '../invoice/index.ts';
import { billAccess } from './payment.policy.ts';
import * as repo from './payment.repo.ts';
import { type BillFacts, checkPaymentRows } from './payment.rules.ts';
import { hashOf, n, requireKey, translateDb } from './payment.common.ts';
import { billInScope, getBill } from './payment.bill-read.ts';
import { syncCredited } from './payment.credits.ts';
import { readAll } from '../../db/read-all.ts';

// --- Payments -------------------------------------------------------------------------------------

/** The facts the row checks need, for the reachable bills named. */
export async function billFacts(db: DbOrTx, ctx: Ctx, billNos: string[]): Promise<Map<string, BillFacts>> {
  const reach = await reachOf(db, actorOf(ctx));
  const bills = await repo.billsByNo(db, sourceCondition(reach, billAccess), [...new Set(billNos.filter((x) => x.length > 0 && x.length <= 24))]);
  const ids = bills.map((b) => b.id);
  const [payees, payments] = await readAll(db, [() => repo.payeesOf(db, ids), () => repo.paymentsOf(db, ids)]);
  const out = new Map<string, BillFacts>();
  for (const b of bills) {
    out.set(b.bill_no, {
      billId: b.id,
      billNo: b.bill_no,
      status: b.status,
      sentOn: b.sent_at ? todayIst(new Date(b.sent_at)) : null,
      payees: payees
        .filter((p) => p.bill_id === b.id)
        .map((p) => ({
          payeeId: p.id,
          seq: p.seq,
          bankAccount: p.bank_account,
          amountPaise: n(p.amount_paise),
          paidPaise: n(p.paid_paise),
          credits: new Map(
            payments
              .filter((x) => x.payee_id === p.id && x.status === 'credited')
              .map((x) => [x.utr, { id: x.id, amountPaise: n(x.amount_paise), returned: x.returned }] as const),
          ),
        })),
    });
  }
  return out;
}

export type GoodRow = Extract<ReturnType<typeof checkPaymentRows>[number], { ok: true }>;

/**
 * Writes checked payment rows in the caller's transaction: each payment, the worker credit it is
 * (direct payment, a worker's own line) or undoes, and for each bill now wholly paid the workflow's
 * billed → paid with its event — or, for a paid bill a bank return has left short, paid → billed
 * (`payment_reopened`). The payee line's lock (trigger) keeps a line from being overpaid.
 */
export async function writePayments(
  tx: Tx,
  ctx: Ctx,
  rows: readonly GoodRow[],
  extra: { source: 'import' | 'hand'; batchId: number | null; key: string | null; hash: string | null; reason: string },
): Promise<number[]> {
  const actor = actorOf(ctx);
  const at = ctx.now.toISOString();
  const ids: number[] = [];
  const billIds = [...new Set(rows.map((r) => r.billId))].sort((a, b) => a - b);
  for (const id of billIds) await invoice.lockBill(tx, id);
  const payees = new Map((await repo.payeesOf(tx, billIds)).map((p) => [p.id, p]));
  for (const r of rows) {
    const id = await repo.insertPayment(tx, {
      billId: r.billId,
      payeeId: r.payeeId,
      payDate: r.payDate,
      utr: r.utr,
      amountPaise: r.amountPaise,
      status: r.status,
      reversesId: r.reversesId,
      reason: extra.reason,
      source: extra.source,
      batchId: extra.batchId,
      key: extra.key,
      hash: extra.hash,
      userId: actor.userId,
      at,
    });
    ids.push(id);
    const p = payees.get(r.payeeId);
    if (p?.kind === 'worker' && p.invoice_detail_id && p.resource_id) {
      const bill = (await repo.getBill(tx, r.billId))!;
      const reverses = r.reversesId ? await repo.creditOfPayment(tx, r.reversesId) : null;
      await repo.insertCredits(tx, [
        {
          invoiceId: bill.invoice_id,
          detailId: p.invoice_detail_id,
          resourceId: p.resource_id,
          agencyId: bill.agency_id,
          utr: r.utr,
          amountPaise: r.amountPaise,
          creditDate: r.payDate,
          kind: r.status === 'credited' ? 'credit' : 'reversal',
          reversesId: reverses?.id ?? null,
          source: 'bill_payment',
          paymentId: id,
          batchId: null,
          userId: actor.userId,
          at,
        },
      ]);
    }
  }
  for (const id of billIds) {
    const b = (await repo.getBill(tx, id))!;
    const paid = n(b.paid_paise);
    const net = n(b.net_payable_paise);
    if (paid === net && (await invoice.advanceWorkflow(tx, b.invoice_id, 'billed', at))) {
      await invoice.insertBillEvent(tx, { invoiceId: b.invoice_id, action: 'paid', userId: actor.userId, role: actor.role, at });
    } else if (paid < net && (await invoice.reopenWorkflow(tx, b.invoice_id, at))) {
      // Only a bank return lowers what is paid: the invoice is payable again (paid → billed).
      const returns = rows.filter((r) => r.billId === id && r.status === 'returned').map((r) => r.utr);
      await invoice.insertBillEvent(tx, {
        invoiceId: b.invoice_id,
        action: 'payment_reopened',
        userId: actor.userId,
        role: actor.role,
        at,
        remarks: returns.join(', '),
      });
      await recordAudit(tx, ctx, {
        entity: 'bill',
        entityId: id,
        action: 'payment_reopened',
        before: { stage: 'paid' },
        after: { stage: 'billed', paidPaise: paid, outstandingPaise: net - paid, returns },
        departmentId: b.department_id,
      });
    }
    await syncCredited(
      tx,
      ctx,
      b.invoice_id,
      b.department_id,
      rows.filter((r) => r.billId === id && r.status === 'returned').map((r) => r.utr),
    );
    await recordAudit(tx, ctx, {
      entity: 'bill',
      entityId: id,
      action: 'payment',
      after: {
        payments: rows.filter((r) => r.billId === id).map((r) => ({ payeeId: r.payeeId, utr: r.utr, amountPaise: r.amountPaise, status: r.status })),
        paidPaise: n(b.paid_paise),
      },
      departmentId: b.department_id,
    });
  }
  return ids;
}

/**
 * A payment entered by hand (the DDO, second factor): one credit of a payee line, or a bank return
 * of an earlier credit (same UTR, its whole amount) which reopens the line.
 */
export async function recordPayment(
  db: Db,
  ctx: Ctx,
  key: string | undefined,
  input: TPaymentCreate,
): Promise<{ bill: TBill; paymentId: number; replayed: boolean }> {
  const actor = actorOf(ctx);
  const idem = requireKey(key);
  const { code, ...body } = input;
  const hash = hashOf({ action: 'payment', ...body });
  const earlier = await repo.paymentByKey(db, actor.userId, idem);
  if (earlier) {
    if (earlier.request_hash !== hash) throw new AppError('idempotency_key_reused');
    return { bill: await getBill(db, ctx, earlier.bill_id), paymentId: earlier.id, replayed: true };
  }
  const b = await billInScope(db, ctx, input.billId);
  if (actor.role !== 'ddo') throw new AppError('forbidden');
  const amountText = `${Math.trunc(input.amountPaise / 100)}.${String(input.amountPaise % 100).padStart(2, '0')}`;
  const check = async () =>
    checkPaymentRows(
      [{ billNo: b.bill_no, payee: String(input.payeeSeq), payDate: input.payDate, utr: input.utr, amount: amountText, status: input.status }],
      await billFacts(db, ctx, [b.bill_no]),
      todayIst(ctx.now),
    )[0];
  let stepUpRefusal: unknown = null;
  try {
    await checkStepUp(db, ctx, code, idem);
  } catch (e) {
    // A twin under another key (a second click) may have recorded this payment since the first
    // look, and spent the code doing so: its answer is what a later twin gets (the UTR taken),
    // not the code's 422. The rows are checked below; the code's refusal stands if they pass. (A
    // missing or wrong code is refused at once, as before.)
    if (!(e instanceof AppError) || e.code !== 'otp_expired') throw e;
    stepUpRefusal = e;
  }
  const checked = await check();
  if (!checked || !checked.ok) {
    // The same key sent at the same moment may have recorded this very payment since the first look.
    if (await repo.paymentByKey(db, actor.userId, idem)) return recordPayment(db, ctx, key, input);
    const errors = checked && !checked.ok ? checked.errors : [];
    const first = errors[0]?.code ?? 'validation_failed';
    const field = (f: string) => ({ payee: 'payeeSeq', amount: 'amountPaise', billNo: 'billId' })[f] ?? f;
    const top = first === 'amount_above_payable' ? 'payment_above_payable' : first === 'bill_not_acknowledged' ? 'bill_not_acknowledged' : 'validation_failed';
    throw new AppError(top, { errors: errors.map((e) => ({ field: field(e.field), code: e.code as TFieldCode })) });
  }
  if (stepUpRefusal) throw stepUpRefusal;
  let paymentId = 0;
  try {
    await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, code, idem);
      [paymentId] = (await writePayments(tx, ctx, [checked], { source: 'hand', batchId: null, key: idem, hash, reason: input.reason })) as [number];
    });
  } catch (e) {
    // The same key sent at the same moment: the other request made the payment (its UTR or key is now taken).
    if (isUniqueViolation(e) && (await repo.paymentByKey(db, actor.userId, idem))) return recordPayment(db, ctx, key, input);
    // A twin under another key that passed the checks while the first was being written finds the
    // code spent: if the payment is now refused (its UTR taken), that refusal, not the code's 422.
    if (e instanceof AppError && e.code === 'otp_expired') {
      if (await repo.paymentByKey(db, actor.userId, idem)) return recordPayment(db, ctx, key, input);
      const again = await check();
      if (again && !again.ok) return recordPayment(db, ctx, key, input);
    }
    translateDb(e);
  }
  return { bill: await getBill(db, ctx, b.id), paymentId, replayed: false };
}
