import { createHash } from 'node:crypto';
import type { TBill } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { computeBillDeductions, type HeadDef, type LineOut } from '../../../shared/domain/invoice-engine.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { AppError } from '../../platform/errors.ts';
import { type FileStore, saveUpload } from '../../platform/files/files.ts';
import { agencyPayee } from '../agency/index.ts';
import { contractBillTerms } from '../contract/index.ts';
import { headsInForce } from '../rates/index.ts';
import { bankAccountsOf } from '../resource/index.ts';
import { buildDocument } from './invoice.service.ts';
import * as repo from './invoice.repo.ts';
import { seriesYear } from './invoice.rules.ts';
import * as wrepo from './invoice.workflow.repo.ts';
import { renderInvoicePdf } from './pdf/render.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * The bill for IFMIS (spec 06 "Verification, approval, bill, payment", "Who pays the worker";
 * issue 17 item 3), made inside the DDO's approving transaction. The rules chosen are written
 * where they are applied and in docs/INVOICES.md "The bill".
 */

/**
 * Our choice — the bill number: `BL/<financial year as YYyy>/<invoice id, 7 digits>`, e.g.
 * `BL/2627/0000123` (15 characters of [A-Za-z0-9/-], within the 24 the table allows). One bill per
 * invoice, so the invoice id makes it unique without a counter to lock; the year says when it was
 * made, as on the treasury's own bill registers.
 */
export function billNumber(invoiceId: number, today: string): string {
  const fy = seriesYear(today);
  return `BL/${fy.slice(2, 4)}${fy.slice(5, 7)}/${String(invoiceId).padStart(7, '0')}`;
}

/** TDS 194C at 1 % when the PAN's 4th character says individual (P) or Hindu undivided family (H); 2 % for the others. */
export function isPanIndividual(pan: string): boolean {
  const c = pan.charAt(3).toUpperCase();
  return c === 'P' || c === 'H';
}

export type BillPlan = {
  tdsBasePaise: number;
  deductions: LineOut[];
  deductionsPaise: number;
  netPayablePaise: number;
  /** Direct payment: each worker's net wage; the agency the remainder. Through the agency: the agency alone. */
  payees: {
    kind: 'agency' | 'worker';
    detailId: number | null;
    resourceId: number | null;
    name: string;
    bankAccount: string;
    ifsc: string;
    amountPaise: number;
  }[];
};

/**
 * The bill's amounts, pure (tested to the paisa in invoice.bill.test.ts). TDS base = invoice total
 * − GST: spec 06 and issue 17 say TDS 194C is "on the amount excluding GST" (so the round-off,
 * part of the amount charged, is in the base); GST TDS is on the same taxable value. The GST-TDS
 * threshold is judged on `contractValuePaise` (see `contractValueFor`).
 */
export function planBill(input: {
  totalPaise: number;
  gstPaise: number;
  heads: HeadDef[];
  pan: string;
  contractValuePaise: number;
  paymentMode: 'through_agency' | 'direct';
  agency: { name: string; bankAccount: string; ifsc: string };
  workers: { detailId: number; resourceId: number; name: string; netWagePaise: number; bankAccount: string | null; ifsc: string | null }[];
}): BillPlan {
  const tdsBasePaise = input.totalPaise - input.gstPaise;
  const deductions = computeBillDeductions({
    heads: input.heads,
    taxablePaise: tdsBasePaise,
    panIndividual: isPanIndividual(input.pan),
    contractValuePaise: input.contractValuePaise,
  });
  const deductionsPaise = deductions.reduce((a, d) => a + d.amountPaise, 0);
  const netPayablePaise = input.totalPaise - deductionsPaise;
  const agencyLine = (amountPaise: number) => ({ kind: 'agency' as const, detailId: null, resourceId: null, ...input.agency, amountPaise });
  if (input.paymentMode === 'through_agency') return { tdsBasePaise, deductions, deductionsPaise, netPayablePaise, payees: [agencyLine(netPayablePaise)] };
  const workers = input.workers.map((w) => {
    if (!w.bankAccount || !w.ifsc) throw new AppError('bill_bank_account_missing', { params: { name: w.name } });
    return {
      kind: 'worker' as const,
      detailId: w.detailId,
      resourceId: w.resourceId,
      name: w.name,
      bankAccount: w.bankAccount,
      ifsc: w.ifsc,
      amountPaise: w.netWagePaise,
    };
  });
  const wages = workers.reduce((a, w) => a + w.amountPaise, 0);
  // The agency's line (service charge, statutory remittances, GST, less the deductions) cannot be negative.
  if (wages > netPayablePaise) throw new AppError('bill_payees_exceed_net', { params: { wages: formatPaise(wages), net: formatPaise(netPayablePaise) } });
  return { tdsBasePaise, deductions, deductionsPaise, netPayablePaise, payees: [...workers, agencyLine(netPayablePaise - wages)] };
}

/**
 * Our choice — the contract's value for the GST-TDS threshold (section 51 CGST Act: the value of
 * the supply under one contract above ₹2.5 lakh). Contracts carry no value field, so it is the
 * larger of (a) the version's value estimated from its posts (contract.published.ts
 * `contractBillTerms`) and (b) the taxable value of the contract's active invoices so far,
 * this one included — a contract that has already been billed beyond the threshold is above it
 * whatever the estimate says.
 */
export async function contractValueFor(db: DbOrTx, contractId: number, estimatedValuePaise: number): Promise<number> {
  return Math.max(estimatedValuePaise, await wrepo.billedValueOf(db, contractId));
}

/**
 * The invoice PDF's SHA-256 for the bill: the stored PDF's, else the PDF rendered now (outside the
 * approving transaction: rendering takes a worker's time) and stored by `storePdfIn` inside it.
 * Our choice: when the renderer is unavailable the approval is refused (503 `pdf_unavailable`,
 * nothing written) — the spec attaches the PDF to the bill, and a bill without its document
 * would reach the treasury unverifiable.
 */
export type PendingPdf = { sha256: string; bytes: Buffer | null; safeName: string };

export async function pdfForBill(db: Db, invoiceId: number): Promise<PendingPdf> {
  const h = await repo.getHeader(db, invoiceId);
  if (!h) throw new AppError('not_found');
  if (h.pdfSha256) return { sha256: h.pdfSha256, bytes: null, safeName: '' };
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await renderInvoicePdf(await buildDocument(db, invoiceId)));
  } catch {
    throw new AppError('pdf_unavailable');
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes, safeName: `${h.invoiceNo.replace(/\//g, '-')}.pdf` };
}

/** Stores a freshly rendered PDF on the invoice inside the transaction; answers the SHA-256 the invoice now holds. */
async function storePdfIn(tx: Tx, store: FileStore, ctx: Ctx, invoiceId: number, pdf: PendingPdf): Promise<string> {
  const h = await repo.getHeader(tx, invoiceId);
  if (h?.pdfSha256) return h.pdfSha256;
  if (!pdf.bytes) throw new AppError('pdf_unavailable');
  const { file } = await saveUpload(
    tx,
    store,
    { bytes: pdf.bytes, sha256: pdf.sha256, sizeBytes: pdf.bytes.length, mime: 'application/pdf', safeName: pdf.safeName },
    actorOf(ctx).userId,
    ctx.now,
  );
  await repo.setPdf(tx, invoiceId, file.id, pdf.sha256);
  return pdf.sha256;
}

/** Writes the bill, its deductions and payees for an invoice being approved (inside the approving transaction). */
export async function makeBill(
  tx: Tx,
  store: FileStore,
  ctx: Ctx,
  h: repo.HeaderRow,
  contractVersionId: number,
  pdf: PendingPdf,
): Promise<{ billId: number; billNo: string; netPayablePaise: number }> {
  const actor = actorOf(ctx);
  const today = todayIst(ctx.now);
  const terms = await contractBillTerms(tx, contractVersionId);
  if (!terms || terms.budgetLineId === null) throw new AppError('bill_no_budget_line');
  const [heads, agency, details] = await readAll(tx, [() => headsInForce(tx, today), () => agencyPayee(tx, h.agencyId), () => repo.detailsOf(tx, h.id)]);
  if (!agency) throw new AppError('not_found');
  const accounts =
    terms.paymentMode === 'direct'
      ? await bankAccountsOf(
          tx,
          details.map((d) => d.resourceId),
        )
      : new Map();
  const plan = planBill({
    totalPaise: Number(h.totalPaise),
    gstPaise: Number(h.gstPaise),
    heads,
    pan: agency.pan,
    contractValuePaise: await contractValueFor(tx, h.contractId, terms.estimatedValuePaise),
    paymentMode: terms.paymentMode,
    agency: { name: agency.legalName, bankAccount: agency.bankAccount, ifsc: agency.ifsc },
    workers: details.map((d) => ({
      detailId: d.id,
      resourceId: d.resourceId,
      name: d.nameEn || d.nameHi,
      netWagePaise: Number(d.netWagePaise),
      bankAccount: accounts.get(d.resourceId)?.bankAccount ?? null,
      ifsc: accounts.get(d.resourceId)?.ifsc ?? null,
    })),
  });
  const sha256 = await storePdfIn(tx, store, ctx, h.id, pdf);
  const billNo = billNumber(h.id, today);
  const billId = await wrepo.insertBill(tx, {
    invoiceId: h.id,
    billNo,
    agencyId: h.agencyId,
    departmentId: h.departmentId,
    officeId: h.officeId,
    ddoCodeId: h.ddoCodeId,
    ddoCode: h.ddoCode,
    budgetLineId: terms.budgetLineId,
    paymentMode: terms.paymentMode,
    grossPaise: Number(h.totalPaise),
    gstPaise: Number(h.gstPaise),
    tdsBasePaise: plan.tdsBasePaise,
    deductionsPaise: plan.deductionsPaise,
    netPayablePaise: plan.netPayablePaise,
    invoicePdfSha256: sha256,
    // Nothing payable (a ₹0 invoice): the bill is the record of the approval and never goes to IFMIS (settleNothingPayable).
    ...(plan.netPayablePaise === 0 ? { status: 'not_payable' as const } : {}),
    createdBy: actor.userId,
    createdAt: ctx.now,
  });
  await wrepo.insertBillDeductions(
    tx,
    plan.deductions.map((d) => ({ billId, code: d.code, basePaise: d.basePaise, ratePpm: d.ratePpm, amountPaise: d.amountPaise })),
  );
  await wrepo.insertBillPayees(
    tx,
    // Numbered from 1, as the bill page, its Excel and the treasury's payment file (payee_seq) count them.
    plan.payees.map((p, i) => ({
      billId,
      seq: i + 1,
      kind: p.kind,
      resourceId: p.resourceId,
      invoiceDetailId: p.detailId,
      name: p.name,
      bankAccount: p.bankAccount,
      ifsc: p.ifsc,
      amountPaise: p.amountPaise,
    })),
  );
  return { billId, billNo, netPayablePaise: plan.netPayablePaise };
}

/**
 * Our choice — a bill with nothing payable (docs/PAYMENTS.md "A bill of ₹0"; migration 0044). An
 * invoice whose carried recoveries take the whole month totals ₹0, and so does its bill. A treasury
 * passes no nil bill and a payment must be > 0, so it is not sent: in the approving transaction the
 * bill (status `not_payable`, made by `makeBill`) settles the invoice — the workflow goes approved →
 * paid (`paid_at` the approval's time, `billed_at` left empty: nothing was billed), event
 * `nothing_payable`, and an audit entry on the bill. The verification and approval before it are
 * the same as any invoice's: the department still checks the recovery the invoice records.
 */
export async function settleNothingPayable(tx: Tx, ctx: Ctx, h: repo.HeaderRow, bill: { billId: number; billNo: string }): Promise<void> {
  const actor = actorOf(ctx);
  await wrepo.updateWorkflow(tx, h.id, { stage: 'paid', paidAt: ctx.now, updatedAt: ctx.now });
  await wrepo.insertEvent(tx, {
    invoiceId: h.id,
    action: 'nothing_payable',
    actorUserId: actor.userId,
    actorRole: actor.role,
    at: ctx.now,
    remarks: bill.billNo,
    idempotencyKey: null,
    requestHash: null,
  });
  await recordAudit(tx, ctx, {
    entity: 'bill',
    entityId: bill.billId,
    action: 'not_payable',
    before: { stage: 'approved' },
    after: { stage: 'paid', status: 'not_payable', netPayablePaise: 0 },
    departmentId: h.departmentId,
  });
}

const masked = (account: string) => (account.length <= 4 ? account : `${'X'.repeat(account.length - 4)}${account.slice(-4)}`);

/** The invoice's bill as the invoice answer shows it (bank accounts masked), or null. */
export async function billAnswer(db: DbOrTx, invoiceId: number): Promise<TBill | null> {
  const b = await wrepo.billOf(db, invoiceId);
  if (!b) return null;
  const { deductions, payees } = await wrepo.billPartsOf(db, b.id);
  const heads = new Map((await headsInForce(db, todayIst(new Date(b.createdAt)))).map((x) => [x.code, x]));
  return {
    id: b.id,
    billNo: b.billNo,
    ddoCode: b.ddoCode,
    budgetLine: b.budgetLine,
    paymentMode: b.paymentMode,
    grossPaise: Number(b.grossPaise),
    gstPaise: Number(b.gstPaise),
    tdsBasePaise: Number(b.tdsBasePaise),
    deductionsPaise: Number(b.deductionsPaise),
    netPayablePaise: Number(b.netPayablePaise),
    invoicePdfSha256: b.invoicePdfSha256,
    status: b.status,
    createdAt: new Date(b.createdAt).toISOString(),
    deductions: deductions.map((d) => ({
      code: d.code,
      nameEn: heads.get(d.code)?.nameEn ?? d.code,
      nameHi: heads.get(d.code)?.nameHi ?? d.code,
      basePaise: Number(d.basePaise),
      ratePpm: d.ratePpm,
      amountPaise: Number(d.amountPaise),
    })),
    payees: payees.map((p) => ({ kind: p.kind, name: p.name, bankAccount: masked(p.bankAccount), ifsc: p.ifsc, amountPaise: Number(p.amountPaise) })),
  };
}
