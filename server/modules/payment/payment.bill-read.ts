import { createHash } from 'node:crypto';
import type { TBill } from '../../../shared/contracts/payment.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import type { IfmisBill } from '../../platform/adapters/ifmis.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/files.ts';
import * as invoice from '../invoice/index.ts';
import { billAccess, creditInvoiceAccess } from './payment.policy.ts';
import * as repo from './payment.repo.ts';
import { n } from './payment.common.ts';
import { readAll } from '../../db/read-all.ts';

/** Reading bills (spec 06, issue 17; docs/PAYMENTS.md): a bill with its payees and payments, lists, the IFMIS payload and the treasury's queue. */

// --- Reading -------------------------------------------------------------------------------------

export async function billOut(db: DbOrTx, ctx: Ctx, b: repo.BillRow): Promise<TBill> {
  const actor = actorOf(ctx);
  const [payees, payments, deductions] = await readAll(db, [
    () => repo.payeesOf(db, [b.id]),
    () => repo.paymentsOf(db, [b.id]),
    () => invoice.billDeductionsOf(db, b.id),
  ]);
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

export async function billInScope(db: DbOrTx, ctx: Ctx, id: number): Promise<repo.BillRow> {
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
  const [payees, deductions] = await readAll(db, [() => repo.payeesOf(db, [b.id]), () => invoice.billDeductionsOf(db, b.id)]);
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

/**
 * The invoice PDF as an attachment of the bill's JSON export (file name, SHA-256 of the bytes
 * attached, base64). A bill made by the DDO's approval carries the digest of exactly this stored
 * PDF (invoice.workflow.test.ts checks it); the demo's PAYDEMO bills, made outside the approval,
 * carry the invoice's content hash instead.
 */
export async function billPdfAttachment(db: Db, store: FileStore, ctx: Ctx, id: number): Promise<{ fileName: string; sha256: string; contentBase64: string }> {
  const b = await billInScope(db, ctx, id);
  const { bytes, invoiceNo } = await invoice.invoicePdf(db, store, ctx, b.invoice_id);
  return {
    fileName: `${invoiceNo.replace(/\//g, '-')}.pdf`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    contentBase64: bytes.toString('base64'),
  };
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
