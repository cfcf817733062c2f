import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type {
  TBill,
  TCreditCreate,
  TImportResult,
  TImportRow,
  TInvoiceCredits,
  TPayDate,
  TPaymentCreate,
  TPaymentImport,
} from '../../../shared/contracts/payment.ts';
import type { TFieldCode, TFieldError } from '../../../shared/errors.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import type { IfmisAdapter, IfmisBill } from '../../platform/adapters/ifmis.ts';
import { IfmisUnavailable } from '../../platform/adapters/ifmis.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { readTable } from '../../platform/tabular/tabular.ts';
import { billAccess, creditInvoiceAccess } from './payment.policy.ts';
import * as invoice from '../invoice/index.ts';
import * as repo from './payment.repo.ts';
import {
  type BillFacts,
  checkPaymentRows,
  creditFlag,
  daysBetween,
  fileDate,
  type PaymentRowIn,
  rupeesToPaise,
  UTR_PATTERN,
  wageDueDate,
} from './payment.rules.ts';

/**
 * Bills to IFMIS, payments, worker credits and pay dates (spec 06, issue 17; docs/PAYMENTS.md).
 *
 * Who does what (decided here, documented in docs/PAYMENTS.md): the DDO who pays the bill sends it
 * to IFMIS and records its payments (by hand or from the treasury's payment file), each with the
 * second factor (bar A5); the agency records what each worker received; Finance and the
 * department read everything in their scope. Every money action takes an Idempotency-Key (bar
 * M1) and writes its rows, the workflow step, the invoice event and the audit entry in one
 * transaction (bar M5).
 */

const n = (v: string | number | null | undefined) => Number(v ?? 0);

function hashOf(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex');
}

/** A file's bad rows as field errors `rows.<row>.<field>` (the problem document's `errors`). */
function rowErrors(rows: readonly TImportRow[]): TFieldError[] {
  return rows.flatMap((r) => r.errors.map((e) => ({ field: `rows.${r.row}.${e.field}`, code: e.code as TFieldCode })));
}

function requireKey(key: string | undefined): string {
  const k = key?.trim() ?? '';
  if (k.length < 8 || k.length > 100) throw new AppError('idempotency_key_required');
  return k;
}

/** Database refusals of a money action as the errors users get. */
function translateDb(e: unknown): never {
  if (e instanceof AppError) throw e;
  const msg = `${(e as Error)?.message ?? ''} ${((e as { cause?: Error }).cause as Error | undefined)?.message ?? ''}`;
  if (msg.includes('ROAMS_OVERPAID')) throw new AppError('payment_above_payable', { errors: [{ field: 'amountPaise', code: 'too_big' }] });
  if (isUniqueViolation(e) && (pgConstraint(e) === 'payments_utr_uq' || pgConstraint(e) === 'worker_credits_utr_uq'))
    throw new AppError('utr_duplicate', { errors: [{ field: 'utr', code: 'duplicate' }] });
  if (isUniqueViolation(e) && pgConstraint(e) === 'payments_reverses_uq') throw new AppError('payment_already_returned');
  throw guardRefusal(e) ?? e;
}

// --- Reading -------------------------------------------------------------------------------------

async function billOut(db: DbOrTx, ctx: Ctx, b: repo.BillRow): Promise<TBill> {
  const actor = actorOf(ctx);
  const [payees, payments, deductions] = await Promise.all([repo.payeesOf(db, [b.id]), repo.paymentsOf(db, [b.id]), invoice.billDeductionsOf(db, b.id)]);
  const paid = n(b.paid_paise);
  return {
    id: b.id,
    invoiceId: b.invoice_id,
    invoiceNo: b.invoice_no,
    billNo: b.bill_no,
    agencyId: b.agency_id,
    ddoCode: b.ddo_code,
    budgetLine: b.budget_line,
    paymentMode: b.payment_mode,
    grossPaise: n(b.gross_paise),
    deductionsPaise: n(b.deductions_paise),
    netPayablePaise: n(b.net_payable_paise),
    deductions: deductions.map((d) => ({ code: d.code, basePaise: n(d.base_paise), ratePpm: d.rate_ppm, amountPaise: n(d.amount_paise) })),
    status: b.status,
    ifmisRef: b.ifmis_ref,
    ifmisReason: b.ifmis_reason,
    sentAt: b.sent_at ? new Date(b.sent_at).toISOString() : null,
    answeredAt: b.answered_at ? new Date(b.answered_at).toISOString() : null,
    stage: b.stage ?? '',
    paidPaise: paid,
    outstandingPaise: n(b.net_payable_paise) - paid,
    payees: payees.map((p) => ({
      id: p.id,
      seq: p.seq,
      kind: p.kind,
      name: p.name,
      bankAccount: maskAccount(p.bank_account),
      ifsc: p.ifsc,
      amountPaise: n(p.amount_paise),
      paidPaise: n(p.paid_paise),
      outstandingPaise: n(p.amount_paise) - n(p.paid_paise),
    })),
    payments: payments.map((p) => ({
      id: p.id,
      payeeSeq: p.seq,
      payDate: p.pay_date,
      utr: p.utr,
      amountPaise: n(p.amount_paise),
      status: p.status,
      source: p.source,
      reversesId: p.reverses_id,
    })),
    maySend: actor.role === 'ddo' && (b.status === 'prepared' || b.status === 'rejected') && b.stage === 'approved',
    mayRecordPayment: actor.role === 'ddo' && b.status === 'acknowledged',
  };
}

async function billInScope(db: DbOrTx, ctx: Ctx, id: number): Promise<repo.BillRow> {
  await requireRecord(db, actorOf(ctx), billAccess, id);
  const b = await repo.getBill(db, id);
  if (!b) throw new AppError('not_found');
  return b;
}

export async function getBill(db: DbOrTx, ctx: Ctx, id: number): Promise<TBill> {
  return billOut(db, ctx, await billInScope(db, ctx, id));
}

export async function getBillOfInvoice(db: DbOrTx, ctx: Ctx, invoiceId: number): Promise<TBill> {
  await requireRecord(db, actorOf(ctx), creditInvoiceAccess, invoiceId);
  const id = await repo.billIdOfInvoice(db, invoiceId);
  if (!id) throw new AppError('not_found');
  return getBill(db, ctx, id);
}

export async function listBills(db: Db, ctx: Ctx) {
  const reach = await reachOf(db, actorOf(ctx));
  const rows = await repo.listBills(db, sourceCondition(reach, billAccess));
  return {
    items: rows.map((b) => ({
      id: b.id,
      invoiceId: b.invoice_id,
      invoiceNo: b.invoice_no,
      billNo: b.bill_no,
      ddoCode: b.ddo_code,
      status: b.status,
      ifmisRef: b.ifmis_ref,
      netPayablePaise: n(b.net_payable_paise),
      paidPaise: n(b.paid_paise),
      outstandingPaise: n(b.net_payable_paise) - n(b.paid_paise),
      stage: b.stage ?? '',
    })),
  };
}

/** The bill as IFMIS receives it (the JSON export and the adapter's payload): full bank accounts, for the treasury only. */
export async function ifmisPayload(db: DbOrTx, b: repo.BillRow): Promise<IfmisBill> {
  const [payees, deductions] = await Promise.all([repo.payeesOf(db, [b.id]), invoice.billDeductionsOf(db, b.id)]);
  return {
    billNo: b.bill_no,
    ddoCode: b.ddo_code,
    budgetLine: b.budget_line,
    grossPaise: n(b.gross_paise),
    deductions: deductions.map((d) => ({ code: d.code, amountPaise: n(d.amount_paise) })),
    deductionsPaise: n(b.deductions_paise),
    netPaise: n(b.net_payable_paise),
    payees: payees.map((p) => ({ seq: p.seq, kind: p.kind, name: p.name, bankAccount: p.bank_account, ifsc: p.ifsc, amountPaise: n(p.amount_paise) })),
    invoicePdfSha256: b.invoice_pdf_sha256,
  };
}

export async function billPayload(db: DbOrTx, ctx: Ctx, id: number): Promise<IfmisBill> {
  return ifmisPayload(db, await billInScope(db, ctx, id));
}

/** The treasury's queue: bills made after `since` (Finance statewide, a treasury officer its treasury's DDO codes). */
export async function ifmisQueue(db: Db, ctx: Ctx, since: string | undefined) {
  const actor = actorOf(ctx);
  const rows = await repo.billsSince(db, since ?? null, 500);
  let visible = rows;
  if (actor.role === 'treasury_officer') {
    const ids = new Set(await repo.billIdsOfTreasury(db, actor.scopeId));
    visible = rows.filter((r) => ids.has(r.id));
  }
  const items = [];
  for (const b of visible) {
    const p = await ifmisPayload(db, b);
    items.push({
      billNo: p.billNo,
      ddoCode: p.ddoCode,
      budgetLine: p.budgetLine,
      grossPaise: p.grossPaise,
      deductionsPaise: p.deductionsPaise,
      netPaise: p.netPaise,
      deductions: p.deductions,
      payees: p.payees,
      invoicePdfSha256: p.invoicePdfSha256,
      status: b.status,
      ifmisRef: b.ifmis_ref,
      createdAt: new Date(b.created_at).toISOString(),
    });
  }
  const last = rows.at(-1);
  return { items, next: rows.length === 500 && last ? new Date(last.created_at).toISOString() : null };
}

/** Another request with the same key got there first: answer as its replay. */
class SameKey extends Error {}

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
  await checkStepUp(db, ctx, code, idem);
  const at = ctx.now.toISOString();
  if (!replayed) {
    if (b.status !== 'prepared' && b.status !== 'rejected') throw new AppError('bill_already_sent');
    if (b.stage !== 'approved') throw new AppError('bill_not_approved');
    try {
      await db.transaction(async (tx) => {
        await invoice.lockBill(tx, billId);
        // Under the bill's lock: the same key sent at the same moment has made its event by now.
        if (await invoice.invoiceEventByKey(tx, actor.userId, idem)) throw new SameKey();
        await consumeStepUp(tx, ctx, code, idem);
        if (!(await invoice.setBillStatus(tx, billId, ['prepared', 'rejected'], { status: 'sent', sentAt: at }))) throw new AppError('bill_already_sent');
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

// --- Payments -------------------------------------------------------------------------------------

/** The facts the row checks need, for the reachable bills named. */
async function billFacts(db: DbOrTx, ctx: Ctx, billNos: string[]): Promise<Map<string, BillFacts>> {
  const reach = await reachOf(db, actorOf(ctx));
  const bills = await repo.billsByNo(db, sourceCondition(reach, billAccess), [...new Set(billNos.filter((x) => x.length > 0 && x.length <= 24))]);
  const ids = bills.map((b) => b.id);
  const [payees, payments] = await Promise.all([repo.payeesOf(db, ids), repo.paymentsOf(db, ids)]);
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

type GoodRow = Extract<ReturnType<typeof checkPaymentRows>[number], { ok: true }>;

/**
 * Writes checked payment rows in the caller's transaction: each payment, the worker credit it is
 * (direct payment, a worker's own line) or undoes, and for each bill now wholly paid the workflow's
 * billed → paid with its event — or, for a paid bill a bank return has left short, paid → billed
 * (`payment_reopened`). The payee line's lock (trigger) keeps a line from being overpaid.
 */
async function writePayments(
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
    await maybeCredited(tx, ctx, b.invoice_id);
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
  await checkStepUp(db, ctx, code, idem);
  const facts = await billFacts(db, ctx, [b.bill_no]);
  const amountText = `${Math.trunc(input.amountPaise / 100)}.${String(input.amountPaise % 100).padStart(2, '0')}`;
  const [checked] = checkPaymentRows(
    [{ billNo: b.bill_no, payee: String(input.payeeSeq), payDate: input.payDate, utr: input.utr, amount: amountText, status: input.status }],
    facts,
    todayIst(ctx.now),
  );
  if (!checked || !checked.ok) {
    // The same key sent at the same moment may have recorded this very payment since the first look.
    if (await repo.paymentByKey(db, actor.userId, idem)) return recordPayment(db, ctx, key, input);
    const errors = checked && !checked.ok ? checked.errors : [];
    const first = errors[0]?.code ?? 'validation_failed';
    const field = (f: string) => ({ payee: 'payeeSeq', amount: 'amountPaise', billNo: 'billId' })[f] ?? f;
    const top = first === 'amount_above_payable' ? 'payment_above_payable' : first === 'bill_not_acknowledged' ? 'bill_not_acknowledged' : 'validation_failed';
    throw new AppError(top, { errors: errors.map((e) => ({ field: field(e.field), code: e.code as TFieldCode })) });
  }
  let paymentId = 0;
  try {
    await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, code, idem);
      [paymentId] = (await writePayments(tx, ctx, [checked], { source: 'hand', batchId: null, key: idem, hash, reason: input.reason })) as [number];
    });
  } catch (e) {
    // The same key sent at the same moment: the other request made the payment (its UTR or key is now taken).
    if (isUniqueViolation(e) && (await repo.paymentByKey(db, actor.userId, idem))) return recordPayment(db, ctx, key, input);
    translateDb(e);
  }
  return { bill: await getBill(db, ctx, b.id), paymentId, replayed: false };
}

const PAYMENT_COLUMNS: Record<string, keyof PaymentRowIn> = {
  bill_no: 'billNo',
  billno: 'billNo',
  'bill no': 'billNo',
  payee_seq: 'payee',
  payee: 'payee',
  account: 'payee',
  account_no: 'payee',
  pay_date: 'payDate',
  date: 'payDate',
  utr: 'utr',
  amount: 'amount',
  status: 'status',
};

function decodeFile(contentBase64: string): Buffer {
  const buf = Buffer.from(contentBase64, 'base64');
  if (buf.length === 0) throw new AppError('file_empty');
  if (buf.length > 2_000_000) throw new AppError('file_too_large');
  return buf;
}

async function readRows<K extends string>(buf: Buffer, columns: Record<string, K>): Promise<{ row: number; cells: Record<K, string> }[]> {
  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(buf);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('import_invalid');
  }
  const keys = [...new Set(Object.values(columns))];
  const out = table.rows.map(({ row, cells }) => {
    const r = {} as Record<K, string>;
    for (const k of keys) r[k] = '';
    for (const [h, v] of Object.entries(cells)) {
      const k = columns[h.trim().toLowerCase()];
      if (k) r[k] = String(v ?? '').trim();
    }
    return { row, cells: r };
  });
  if (out.length === 0) throw new AppError('file_empty');
  if (out.length > 5000) throw new AppError('import_invalid');
  return out;
}

/**
 * The treasury's payment file (CSV or XLSX: bill no, payee seq or account, date, UTR, amount in
 * rupees, status). A dry run lists every row with its errors and saves nothing; saving a file with
 * bad rows is refused (422 `payment_file_has_errors`, nothing saved) unless `saveGoodRows`, which
 * saves the good rows and lists the bad. The save (DDO, second factor, Idempotency-Key) writes the
 * batch and every good row in one transaction.
 */
export async function importPayments(db: Db, ctx: Ctx, key: string | undefined, input: TPaymentImport): Promise<TImportResult> {
  const actor = actorOf(ctx);
  const buf = decodeFile(input.contentBase64);
  const sha = createHash('sha256').update(buf).digest('hex');
  const hash = hashOf({ action: 'payment_import', sha, saveGoodRows: input.saveGoodRows });
  if (!input.dryRun) {
    const idem = requireKey(key);
    const earlier = await repo.batchByKey(db, actor.userId, idem);
    if (earlier) {
      if (earlier.request_hash !== hash) throw new AppError('idempotency_key_reused');
      return {
        dryRun: false,
        saved: true,
        batchId: earlier.id,
        rowsTotal: earlier.rows_total,
        rowsGood: earlier.rows_saved,
        rowsBad: earlier.rows_refused,
        rows: [],
      };
    }
  }
  const rows = await readRows(buf, PAYMENT_COLUMNS);
  const facts = await billFacts(
    db,
    ctx,
    rows.map((r) => r.cells.billNo),
  );
  const checked = checkPaymentRows(
    rows.map((r) => r.cells),
    facts,
    todayIst(ctx.now),
  );
  const out: TImportRow[] = rows.map((r, i) => {
    const c = checked[i]!;
    return {
      row: r.row,
      billNo: r.cells.billNo,
      payee: r.cells.payee,
      payDate: fileDate(r.cells.payDate) ?? r.cells.payDate,
      utr: r.cells.utr.toUpperCase(),
      amountPaise: c.ok ? c.amountPaise : c.amountPaise,
      status: r.cells.status.toLowerCase() || 'credited',
      errors: c.ok ? [] : c.errors,
    };
  });
  const good = checked.filter((c): c is GoodRow => c.ok);
  const result: TImportResult = {
    dryRun: input.dryRun,
    saved: false,
    batchId: null,
    rowsTotal: rows.length,
    rowsGood: good.length,
    rowsBad: rows.length - good.length,
    rows: out,
  };
  if (input.dryRun) return result;
  if (actor.role !== 'ddo') throw new AppError('forbidden');
  // The same key sent at the same moment may have saved this file since the first look.
  if ((result.rowsBad > 0 || good.length === 0) && key && (await repo.batchByKey(db, actor.userId, requireKey(key))))
    return importPayments(db, ctx, key, input);
  if (result.rowsBad > 0 && !input.saveGoodRows) throw new AppError('payment_file_has_errors', { errors: rowErrors(out) });
  if (good.length === 0) throw new AppError('payment_file_has_errors', { errors: rowErrors(out) });
  const idem = requireKey(key);
  await checkStepUp(db, ctx, input.code, idem);
  try {
    result.batchId = await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, input.code, idem);
      const batchId = await repo.insertBatch(tx, {
        kind: 'treasury_payments',
        fileName: input.fileName,
        sha,
        invoiceId: null,
        total: rows.length,
        saved: good.length,
        key: idem,
        hash,
        userId: actor.userId,
        at: ctx.now.toISOString(),
      });
      await writePayments(tx, ctx, good, { source: 'import', batchId, key: null, hash: null, reason: '' });
      return batchId;
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'payment_batches_idem_uq') return importPayments(db, ctx, key, input);
    translateDb(e);
  }
  result.saved = true;
  return result;
}

// --- Worker credits -------------------------------------------------------------------------------

async function invoiceInScope(db: DbOrTx, ctx: Ctx, invoiceId: number): Promise<repo.InvoiceRow> {
  await requireRecord(db, actorOf(ctx), creditInvoiceAccess, invoiceId);
  const inv = await repo.getInvoice(db, invoiceId);
  if (!inv) throw new AppError('not_found');
  return inv;
}

/** Each worker of an invoice: net wage, what was credited, and the flag (ok / short / missing / over). */
export async function invoiceCredits(db: DbOrTx, ctx: Ctx, invoiceId: number): Promise<TInvoiceCredits> {
  const actor = actorOf(ctx);
  const inv = await invoiceInScope(db, ctx, invoiceId);
  const rows = await repo.detailCredits(db, invoiceId);
  const workers = rows.map((r) => {
    const net = n(r.net_wage_paise);
    const credited = n(r.credited_paise);
    return {
      invoiceDetailId: r.detail_id,
      resourceId: r.resource_id,
      nameEn: r.name_en,
      nameHi: r.name_hi,
      netWagePaise: net,
      creditedPaise: credited,
      shortPaise: Math.max(0, net - credited),
      lastCreditDate: r.last_credit_date,
      utrs: r.utrs ?? [],
      flag: creditFlag(net, credited),
    };
  });
  return {
    invoiceId,
    invoiceNo: inv.invoice_no,
    month: inv.month,
    agencyId: inv.agency_id,
    paymentMode: inv.payment_mode,
    workers,
    flagged: workers.filter((w) => w.flag !== 'ok').length,
    mayRecord: (actor.role === 'agency_admin' || actor.role === 'agency_operator') && inv.status === 'active' && inv.payment_mode !== 'direct',
  };
}

/** Stamps the workflow's credited_at the first time every worker's credits reach the net wage. */
async function maybeCredited(tx: Tx, ctx: Ctx, invoiceId: number): Promise<void> {
  const rows = await repo.detailCredits(tx, invoiceId);
  if (rows.length === 0 || rows.some((r) => n(r.credited_paise) < n(r.net_wage_paise))) return;
  const actor = actorOf(ctx);
  if (await invoice.stampCredited(tx, invoiceId, ctx.now.toISOString()))
    await invoice.insertBillEvent(tx, { invoiceId, action: 'credited', userId: actor.userId, role: actor.role, at: ctx.now.toISOString() });
}

type CreditIn = { resourceId: string; utr: string; amount: string; creditDate: string };
const CREDIT_COLUMNS: Record<string, keyof CreditIn> = {
  resource_id: 'resourceId',
  resource: 'resourceId',
  worker_id: 'resourceId',
  utr: 'utr',
  amount: 'amount',
  date: 'creditDate',
  credit_date: 'creditDate',
};

type CheckedCredit =
  | { ok: true; detailId: number; resourceId: number; utr: string; amountPaise: number; creditDate: string }
  | { ok: false; errors: { field: string; code: string }[]; amountPaise: number | null };

function checkCredits(items: readonly CreditIn[], details: readonly repo.DetailCreditRow[], existing: Set<string>, today: string): CheckedCredit[] {
  const byResource = new Map(details.map((d) => [d.resource_id, d]));
  const seen = new Set<string>();
  return items.map((it): CheckedCredit => {
    const errors: { field: string; code: string }[] = [];
    const d = /^\d{1,10}$/.test(it.resourceId.trim()) ? byResource.get(Number(it.resourceId)) : undefined;
    if (!d) errors.push({ field: 'resourceId', code: 'worker_not_on_invoice' });
    const utr = it.utr.trim().toUpperCase();
    if (!UTR_PATTERN.test(utr)) errors.push({ field: 'utr', code: 'utr_invalid' });
    else if (d && (existing.has(`${d.detail_id}:${utr}`) || seen.has(`${d.detail_id}:${utr}`))) errors.push({ field: 'utr', code: 'utr_duplicate' });
    const amount = rupeesToPaise(it.amount);
    if (amount === null) errors.push({ field: 'amount', code: 'amount_invalid' });
    else if (amount <= 0) errors.push({ field: 'amount', code: 'amount_not_positive' });
    const date = fileDate(it.creditDate);
    if (!date) errors.push({ field: 'creditDate', code: 'date_invalid' });
    else if (date > today) errors.push({ field: 'creditDate', code: 'date_in_future' });
    if (d) seen.add(`${d.detail_id}:${utr}`);
    if (errors.length > 0 || !d || amount === null || !date) return { ok: false, errors, amountPaise: amount };
    return { ok: true, detailId: d.detail_id, resourceId: d.resource_id, utr, amountPaise: amount, creditDate: date };
  });
}

/**
 * The agency records what it paid each worker for an invoice (UTR per worker), by form or from its
 * bank file (CSV / XLSX: resource_id, utr, amount, date). One request is one batch with its
 * Idempotency-Key; all its rows are saved together or none (unless `saveGoodRows` for a file).
 */
export async function recordCredits(
  db: Db,
  ctx: Ctx,
  invoiceId: number,
  key: string | undefined,
  input: { items: CreditIn[]; fileName: string; sha: string; dryRun: boolean; saveGoodRows: boolean },
): Promise<TImportResult> {
  const actor = actorOf(ctx);
  const inv = await invoiceInScope(db, ctx, invoiceId);
  const hash = hashOf({ action: 'credits', invoiceId, sha: input.sha, saveGoodRows: input.saveGoodRows });
  if (!input.dryRun) {
    const idem = requireKey(key);
    const earlier = await repo.batchByKey(db, actor.userId, idem);
    if (earlier) {
      if (earlier.request_hash !== hash) throw new AppError('idempotency_key_reused');
      return {
        dryRun: false,
        saved: true,
        batchId: earlier.id,
        rowsTotal: earlier.rows_total,
        rowsGood: earlier.rows_saved,
        rowsBad: earlier.rows_refused,
        rows: [],
      };
    }
  }
  if (actor.role !== 'agency_admin' && actor.role !== 'agency_operator') throw new AppError('forbidden');
  if (inv.status !== 'active') throw new AppError('invoice_not_active');
  if (inv.payment_mode === 'direct') throw new AppError('credits_direct_mode');
  const details = await repo.detailCredits(db, invoiceId);
  const checked = checkCredits(input.items, details, await repo.existingCreditUtrs(db, invoiceId), todayIst(ctx.now));
  const rows: TImportRow[] = input.items.map((it, i) => {
    const c = checked[i]!;
    return {
      row: i + 2,
      billNo: '',
      payee: it.resourceId,
      payDate: fileDate(it.creditDate) ?? it.creditDate,
      utr: it.utr.toUpperCase(),
      amountPaise: c.amountPaise,
      status: 'credited',
      errors: c.ok ? [] : c.errors,
    };
  });
  const good = checked.filter((c): c is Extract<CheckedCredit, { ok: true }> => c.ok);
  const result: TImportResult = {
    dryRun: input.dryRun,
    saved: false,
    batchId: null,
    rowsTotal: rows.length,
    rowsGood: good.length,
    rowsBad: rows.length - good.length,
    rows,
  };
  if (input.dryRun) return result;
  if (result.rowsBad > 0 && key && (await repo.batchByKey(db, actor.userId, requireKey(key)))) return recordCredits(db, ctx, invoiceId, key, input);
  if (result.rowsBad > 0 && !input.saveGoodRows) throw new AppError('credit_file_has_errors', { errors: rowErrors(rows) });
  if (good.length === 0) throw new AppError('credit_file_has_errors', { errors: rowErrors(rows) });
  const idem = requireKey(key);
  const at = ctx.now.toISOString();
  try {
    result.batchId = await db.transaction(async (tx) => {
      const batchId = await repo.insertBatch(tx, {
        kind: 'agency_credits',
        fileName: input.fileName,
        sha: input.sha,
        invoiceId,
        total: rows.length,
        saved: good.length,
        key: idem,
        hash,
        userId: actor.userId,
        at,
      });
      await repo.insertCredits(
        tx,
        good.map((g) => ({
          invoiceId,
          detailId: g.detailId,
          resourceId: g.resourceId,
          agencyId: inv.agency_id,
          utr: g.utr,
          amountPaise: g.amountPaise,
          creditDate: g.creditDate,
          kind: 'credit' as const,
          reversesId: null,
          source: 'agency' as const,
          paymentId: null,
          batchId,
          userId: actor.userId,
          at,
        })),
      );
      await maybeCredited(tx, ctx, invoiceId);
      await recordAudit(tx, ctx, {
        entity: 'invoice',
        entityId: invoiceId,
        action: 'worker_credits',
        after: { batchId, credits: good.length, totalPaise: good.reduce((s, g) => s + g.amountPaise, 0) },
        departmentId: inv.department_id,
      });
      return batchId;
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'payment_batches_idem_uq') return recordCredits(db, ctx, invoiceId, key, input);
    translateDb(e);
  }
  result.saved = true;
  return result;
}

export async function recordCreditsForm(db: Db, ctx: Ctx, invoiceId: number, key: string | undefined, input: TCreditCreate): Promise<TImportResult> {
  const items = input.items.map((i) => ({
    resourceId: String(i.resourceId),
    utr: i.utr,
    amount: `${Math.trunc(i.amountPaise / 100)}.${String(i.amountPaise % 100).padStart(2, '0')}`,
    creditDate: i.creditDate,
  }));
  return recordCredits(db, ctx, invoiceId, key, { items, fileName: 'form', sha: hashOf(input), dryRun: false, saveGoodRows: false });
}

export async function importCredits(
  db: Db,
  ctx: Ctx,
  invoiceId: number,
  key: string | undefined,
  input: { fileName: string; contentBase64: string; dryRun: boolean; saveGoodRows: boolean },
): Promise<TImportResult> {
  await invoiceInScope(db, ctx, invoiceId);
  const buf = decodeFile(input.contentBase64);
  const rows = await readRows(buf, CREDIT_COLUMNS);
  const res = await recordCredits(db, ctx, invoiceId, key, {
    items: rows.map((r) => r.cells),
    fileName: input.fileName,
    sha: createHash('sha256').update(buf).digest('hex'),
    dryRun: input.dryRun,
    saveGoodRows: input.saveGoodRows,
  });
  res.rows = res.rows.map((r, i) => ({ ...r, row: rows[i]?.row ?? r.row }));
  return res;
}

/** Workers whose credits do not match their net wage, over the reachable bills (an agency its own). */
export async function creditFlags(db: Db, ctx: Ctx, agencyId: number | undefined) {
  const reach = await reachOf(db, actorOf(ctx));
  const conds: SQL[] = [sourceCondition(reach, creditInvoiceAccess)];
  if (agencyId) conds.push(sql`i.agency_id = ${agencyId}`);
  const rows = await repo.creditFlags(db, sql.join(conds, sql` and `));
  return {
    items: rows.map((r) => ({
      invoiceId: r.invoice_id,
      invoiceNo: r.invoice_no,
      month: r.month,
      agencyId: r.agency_id,
      resourceId: r.resource_id,
      nameEn: r.name_en,
      nameHi: r.name_hi,
      netWagePaise: n(r.net_wage_paise),
      creditedPaise: n(r.credited_paise),
      flag: creditFlag(n(r.net_wage_paise), n(r.credited_paise)),
    })),
  };
}

// --- Pay dates ------------------------------------------------------------------------------------

/**
 * Every reachable invoice with its dates and the wage due date (7th, or 10th for an agency with
 * ≥ 1,000 workers on its rolls, of the month after the wage month). Breached: the workers were
 * wholly credited after the due date, or are not yet and the due date has passed.
 */
export async function payDates(db: Db, ctx: Ctx, breachedOnly: boolean): Promise<{ items: TPayDate[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  const today = todayIst(ctx.now);
  const rows = await repo.payDates(db, sourceCondition(reach, creditInvoiceAccess));
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  const items = rows.map((r) => {
    const due = wageDueDate(r.month, r.workers);
    const creditedOn = r.all_credited ? r.credited_on : null;
    const until = creditedOn ?? today;
    const daysLate = Math.max(0, daysBetween(due, until));
    return {
      invoiceId: r.invoice_id,
      invoiceNo: r.invoice_no,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      month: r.month,
      workersOnRolls: r.workers,
      dueDate: due,
      invoiceDate: r.invoice_date,
      submittedAt: iso(r.submitted_at),
      approvedAt: iso(r.approved_at),
      billedAt: iso(r.billed_at),
      paidAt: iso(r.paid_at),
      creditedOn,
      daysLate,
      breached: daysLate > 0,
    };
  });
  return { items: breachedOnly ? items.filter((i) => i.breached) : items };
}
