import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { TInvoice, TInvoiceDetail, TInvoiceLine, TInvoiceListQuery, TInvoiceSummary, TVerifyResult } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, guardRefusal } from '../../platform/errors.ts';
import { type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { agencyInvoiceParty } from '../agency/index.ts';
import { activeContractsWhere, contractInvoiceTerms } from '../contract/index.ts';
import { laterSettlement, releaseSources } from './invoice.arrears.ts';
import { releaseCarry } from './invoice.recovery-carry.ts';
import { documentHash, type InvoiceDocument } from './invoice.document.ts';
import { type ProofGateVerdict, proofGate } from './invoice.gate.ts';
import { billAnswer } from './invoice.bill.ts';
import { invoiceAccess } from './invoice.policy.ts';
import * as repo from './invoice.repo.ts';
import { DEFAULT_PREFIX, invoiceNumber, maskAadhaar, seriesYear, verifyUrl } from './invoice.rules.ts';
import { workflowAnswer } from './invoice.workflow.ts';
import { renderInvoicePdf } from './pdf/render.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * Invoice use cases (spec 06, issue 16) besides generation (invoice.generate.ts): read and list
 * within the caller's reach, cancel with a credit note, the document, the PDF, and the public
 * verification.
 */

/** Services Accounting Code of manpower supply services (GST SAC 998519). */
export const SAC_CODE = '998519';

/** The last month that is over on a day ('YYYY-MM'). */
export function lastMonthOver(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

// --- Reading -------------------------------------------------------------------------------------

function lineOut(l: repo.LineRow): TInvoiceLine {
  return {
    code: l.code,
    nameEn: l.labelEn,
    nameHi: l.labelHi,
    kind: l.kind,
    stage: l.stage,
    basePaise: Number(l.basePaise),
    ratePpm: l.ratePpm,
    amountPaise: Number(l.amountPaise),
    arrearsMonth: l.arrearsMonth,
  };
}

const sum = (ls: repo.LineRow[], pick: (l: repo.LineRow) => boolean) => ls.filter(pick).reduce((a, l) => a + Number(l.amountPaise), 0);
const isEpf = (l: repo.LineRow) => l.stage === 'cost' && /^(EPF|EDLI)/.test(l.code);
const isEsic = (l: repo.LineRow) => l.stage === 'cost' && l.code.startsWith('ESIC');
const isBonus = (l: repo.LineRow) => l.stage === 'reimbursed';

function detailOut(d: repo.DetailRow, lines: repo.LineRow[]): TInvoiceDetail {
  return {
    resourceId: d.resourceId,
    nameEn: d.nameEn,
    nameHi: d.nameHi,
    maskedAadhaar: maskAadhaar(d.aadhaarLast4),
    postEn: d.postEn,
    postHi: d.postHi,
    skillLevelEn: d.skillLevelEn,
    skillLevelHi: d.skillLevelHi,
    paidDays: d.paidDays,
    daysInMonth: d.daysInMonth,
    monthlyWagePaise: Number(d.basicPaise) + Number(d.vdaPaise),
    earnedWagePaise: Number(d.earnedWagePaise),
    epfPaise: sum(lines, isEpf),
    esicPaise: sum(lines, isEsic),
    bonusPaise: sum(lines, isBonus),
    esicCovered: d.esicCovered,
    costPaise: Number(d.costPaise),
    totalPaise: Number(d.costPaise) + Number(d.reimbursedPaise),
    employeeDeductionPaise: Number(d.employeeDeductionPaise),
    netWagePaise: Number(d.netWagePaise),
    lines: lines.map(lineOut),
  };
}

function summaryOut(h: repo.HeaderRow): TInvoiceSummary {
  return {
    id: h.id,
    invoiceNo: h.invoiceNo,
    invoiceDate: h.invoiceDate,
    month: h.month,
    status: h.status,
    contractId: h.contractId,
    contractNo: h.contractNo,
    agencyId: h.agencyId,
    agencyName: h.agencyName,
    officeNameEn: h.officeNameEn,
    officeNameHi: h.officeNameHi,
    ddoCode: h.ddoCode,
    resources: Number(h.resources),
    totalPaise: Number(h.totalPaise),
    creditNoteNo: h.creditNoteNo,
    stage: h.stage,
  };
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

async function invoiceOut(db: DbOrTx, actor: Actor, h: repo.HeaderRow, cancellable: boolean): Promise<TInvoice> {
  const [details, lines, terms, workflow, bill] = await readAll(db, [
    () => repo.detailsOf(db, h.id),
    () => repo.linesOf(db, h.id),
    () => contractInvoiceTerms(db, h.contractId),
    () => workflowAnswer(db, actor, h),
    () => billAnswer(db, h.id),
  ]);
  const invoiceLines = lines.filter((l) => l.detailId === null);
  return {
    ...summaryOut(h),
    gemContractNo: terms?.gemContractNo ?? '',
    departmentNameEn: h.departmentNameEn,
    departmentNameHi: h.departmentNameHi,
    intraState: h.intraState,
    wageBasis: h.wageBasis,
    serviceChargeBp: h.serviceChargeBp,
    bonusBp: h.bonusBp,
    subtotalPaise: Number(h.subtotalPaise),
    serviceChargePaise: Number(h.serviceChargePaise),
    reimbursedPaise: Number(h.reimbursedPaise),
    taxablePaise: Number(h.taxablePaise),
    gstPaise: Number(h.gstPaise),
    roundOffPaise: Number(h.roundOffPaise),
    taxLines: invoiceLines.filter((l) => l.stage === 'tax').map(lineOut),
    invoiceLines: invoiceLines.map(lineOut),
    details: details.map((d) =>
      detailOut(
        d,
        lines.filter((l) => l.detailId === d.id),
      ),
    ),
    contentHash: h.contentHash,
    verifyUrl: verifyUrl(h.invoiceNo, h.agencyId, h.contentHash),
    generatedAt: iso(h.generatedAt)!,
    cancelledAt: iso(h.cancelledAt),
    cancelReason: h.cancelReason,
    creditNoteDate: h.creditNoteDate,
    cancellable,
    workflow,
    bill,
  };
}

export async function getInvoice(db: DbOrTx, ctx: Ctx, id: number): Promise<TInvoice> {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, invoiceAccess, id);
  const h = await repo.getHeader(db, id);
  if (!h) throw new AppError('not_found');
  const mayCancel =
    actor.scopeKind === 'agency' &&
    (actor.role === 'agency_admin' || actor.role === 'agency_operator') &&
    h.status === 'active' &&
    (h.stage === 'draft' || h.stage === 'returned');
  return invoiceOut(db, actor, h, mayCancel);
}

export async function listInvoices(db: Db, ctx: Ctx, q: TInvoiceListQuery) {
  const reach = await reachOf(db, actorOf(ctx));
  const conds: SQL[] = [sourceCondition(reach, invoiceAccess)];
  if (q.contractId) conds.push(sql`i.contract_id = ${q.contractId}`);
  if (q.month) conds.push(sql`i.month = ${`${q.month}-01`}`);
  if (q.status) conds.push(sql`i.status = ${q.status}`);
  if (q.stage) conds.push(sql`coalesce((select w.stage from invoice_workflow w where w.invoice_id = i.id), 'draft') = ${q.stage}`);
  const { rows, total } = await repo.listHeaders(db, sql.join(conds, sql` and `), q.pageSize, (q.page - 1) * q.pageSize);
  const items = rows.map(summaryOut);
  // The proof gate's verdict for the invoices on this page that await the DDO (at most a page of
  // them; one verdict per agency, department and month), so the desk marks the held ones.
  const verdicts = new Map<string, Promise<ProofGateVerdict>>();
  await Promise.all(
    rows.map(async (h, k) => {
      if (h.status !== 'active' || h.stage !== 'verified') return;
      const key = `${h.agencyId}/${h.departmentId}/${h.month}`;
      if (!verdicts.has(key)) verdicts.set(key, proofGate(db, { agencyId: h.agencyId, departmentId: h.departmentId, month: h.month }));
      const v = await verdicts.get(key);
      const item = items[k];
      if (v?.held && item) items[k] = { ...item, gateHeldMonth: v.proofMonth };
    }),
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** The contracts the caller's agency may invoice, and the latest month that is over. */
export async function options(db: Db, ctx: Ctx) {
  const actor = actorOf(ctx);
  const contracts = actor.scopeKind === 'agency' ? await activeContractsWhere(db, sql`c.agency_id = ${actor.scopeId}`) : [];
  return {
    contracts: contracts.map((c) => ({ id: c.id, contractNo: c.contractNo, startDate: c.startDate ?? '', endDate: c.endDate ?? '' })),
    lastMonth: lastMonthOver(todayIst(ctx.now)),
  };
}

// --- Cancel --------------------------------------------------------------------------------------

/**
 * Cancels an active invoice of the caller's agency (before any later workflow: issue 17 adds
 * submit / verify), with the reason; the credit note takes the next number of the same series.
 * The invoice stays, inactive; the month may then be generated again.
 */
export async function cancelInvoice(db: Db, ctx: Ctx, id: number, reason: string): Promise<TInvoice> {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, invoiceAccess, id);
  if (actor.scopeKind !== 'agency') throw new AppError('forbidden');
  const today = todayIst(ctx.now);
  try {
    await db.transaction(async (tx) => {
      const h = await repo.getHeader(tx, id, true);
      if (!h || h.agencyId !== actor.scopeId) throw new AppError('not_found');
      if (h.status !== 'active') throw new AppError('invoice_not_cancellable');
      // In the workflow (issue 17) only a returned invoice goes back to the agency to cancel.
      if (h.stage !== 'draft' && h.stage !== 'returned') throw new AppError('invoice_wrong_stage');
      // Its month's revisions settled on a later active invoice, or a recovery balance it carried forward
      // taken over by one: regenerating this month would bill (or recover) them twice.
      const later = await laterSettlement(tx, id);
      if (later) throw new AppError('invoice_arrears_settled_later', { params: { invoiceNo: later } });
      const prefix = (await repo.prefixOf(tx, h.agencyId)) ?? DEFAULT_PREFIX;
      const fy = seriesYear(today);
      const n = await repo.takeNumber(tx, h.agencyId, fy);
      const creditNoteNo = invoiceNumber(prefix, fy, n);
      if (!creditNoteNo) throw new AppError('invoice_series_full');
      await repo.cancel(tx, id, { by: actor.userId, at: ctx.now, reason, creditNoteNo, creditNoteDate: today });
      // The revisions it settled are free again: the next invoice of the contract settles them.
      await releaseSources(tx, id, ctx.now);
      // The recovery balances it took over are open again (in full), and those it carried forward void:
      // its recoveries are pending again, so the next invoice computes them afresh (invoice.recovery-carry.ts).
      await releaseCarry(tx, id, ctx.now);
      await recordAudit(tx, ctx, {
        entity: 'invoice',
        entityId: id,
        action: 'cancel',
        before: { status: 'active' },
        after: { status: 'cancelled', reason, creditNoteNo },
        departmentId: h.departmentId,
      });
    });
  } catch (e) {
    throw guardRefusal(e) ?? e;
  }
  return getInvoice(db, ctx, id);
}

// --- Document, PDF, verification ----------------------------------------------------------------

/** What the PDF shows, from the stored invoice (the same function gives the hash at generation). */
export async function buildDocument(db: DbOrTx, id: number): Promise<InvoiceDocument> {
  const h = await repo.getHeader(db, id);
  if (!h) throw new AppError('not_found');
  const [details, lines, terms, party] = await readAll(db, [
    () => repo.detailsOf(db, id),
    () => repo.linesOf(db, id),
    () => contractInvoiceTerms(db, h.contractId),
    () => agencyInvoiceParty(db, h.agencyId),
  ]);
  return documentOf(h, details, lines, terms?.gemContractNo ?? '', party);
}

/** The header's fields a document shows. */
export type DocumentHeader = Pick<
  repo.HeaderRow,
  | 'agencyId'
  | 'agencyName'
  | 'invoiceNo'
  | 'invoiceDate'
  | 'month'
  | 'status'
  | 'departmentNameEn'
  | 'departmentNameHi'
  | 'officeNameEn'
  | 'officeNameHi'
  | 'ddoCode'
  | 'contractNo'
  | 'subtotalPaise'
  | 'serviceChargeBp'
  | 'serviceChargePaise'
  | 'reimbursedPaise'
  | 'taxablePaise'
  | 'roundOffPaise'
  | 'totalPaise'
  | 'creditNoteNo'
  | 'creditNoteDate'
  | 'cancelReason'
>;

/**
 * The document from an invoice's rows — as stored (`buildDocument`) or as about to be written (the
 * month's batch hashes it before the insert, with the same function).
 */
export function documentOf(
  h: DocumentHeader,
  details: readonly repo.DetailRow[],
  lines: readonly repo.LineRow[],
  gemContractNo: string,
  party: { legalName: string; gstin: string; pan: string; address: string } | null | undefined,
): InvoiceDocument {
  const byDetail = new Map<number | null, repo.LineRow[]>();
  for (const l of lines) {
    const own = byDetail.get(l.detailId);
    if (own) own.push(l);
    else byDetail.set(l.detailId, [l]);
  }
  const invoiceLines = byDetail.get(null) ?? [];
  const doc: Omit<InvoiceDocument, 'verifyUrl' | 'contentHash'> = {
    invoiceNo: h.invoiceNo,
    invoiceDate: h.invoiceDate,
    month: h.month,
    status: h.status,
    agency: { name: party?.legalName ?? h.agencyName, gstin: party?.gstin ?? '', pan: party?.pan ?? '', address: party?.address ?? '' },
    billTo: {
      departmentEn: h.departmentNameEn,
      departmentHi: h.departmentNameHi,
      officeEn: h.officeNameEn,
      officeHi: h.officeNameHi,
      ddoCode: h.ddoCode,
    },
    contractNo: h.contractNo,
    gemContractNo,
    sacCode: SAC_CODE,
    lines: details.map((d) => {
      const own = byDetail.get(d.id) ?? [];
      return {
        name: d.nameEn || d.nameHi,
        maskedAadhaar: maskAadhaar(d.aadhaarLast4),
        postEn: d.postEn,
        postHi: d.postHi,
        paidDays: d.paidDays,
        daysInMonth: d.daysInMonth,
        wagePaise: Number(d.earnedWagePaise),
        epfPaise: sum(own, isEpf),
        esicPaise: sum(own, isEsic),
        bonusPaise: sum(own, isBonus),
        totalPaise: Number(d.costPaise) + Number(d.reimbursedPaise),
      };
    }),
    arrears: invoiceLines
      .filter((l) => l.arrearsMonth !== null)
      .map((l) => ({ month: l.arrearsMonth!, labelEn: l.labelEn, labelHi: l.labelHi, amountPaise: Number(l.amountPaise) })),
    totals: {
      subtotalPaise: Number(h.subtotalPaise),
      serviceChargeBp: h.serviceChargeBp,
      serviceChargePaise: Number(h.serviceChargePaise),
      reimbursedPaise: Number(h.reimbursedPaise),
      taxablePaise: Number(h.taxablePaise),
      taxLines: invoiceLines
        .filter((l) => l.stage === 'tax')
        .map((l) => ({ code: l.code, nameEn: l.labelEn, nameHi: l.labelHi, ratePpm: l.ratePpm, amountPaise: Number(l.amountPaise) })),
      roundOffPaise: Number(h.roundOffPaise),
      totalPaise: Number(h.totalPaise),
    },
    creditNote: h.status === 'cancelled' && h.creditNoteNo ? { number: h.creditNoteNo, date: h.creditNoteDate ?? '', reason: h.cancelReason } : null,
  };
  const contentHash = documentHash(doc);
  return { ...doc, contentHash, verifyUrl: verifyUrl(h.invoiceNo, h.agencyId, contentHash) };
}

/**
 * The invoice PDF: the stored file when it was rendered before, else rendered now and stored
 * with its SHA-256 (first render wins). While the renderer is not built, 503 `pdf_unavailable`.
 */
export async function invoicePdf(db: Db, store: FileStore, ctx: Ctx, id: number): Promise<{ bytes: Buffer; invoiceNo: string }> {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, invoiceAccess, id);
  const h = await repo.getHeader(db, id);
  if (!h) throw new AppError('not_found');
  if (h.pdfFileId !== null) {
    const f = await getStoredFile(db, h.pdfFileId);
    if (f) return { bytes: await store.get(f.storageKey), invoiceNo: h.invoiceNo };
  }
  const doc = await buildDocument(db, id);
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await renderInvoicePdf(doc));
  } catch {
    throw new AppError('pdf_unavailable');
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const safeName = `${h.invoiceNo.replace(/\//g, '-')}.pdf`;
  await db.transaction(async (tx) => {
    const again = await repo.getHeader(tx, id, true);
    if (again?.pdfFileId !== null) return;
    const { file } = await saveUpload(tx, store, { bytes, sha256, sizeBytes: bytes.length, mime: 'application/pdf', safeName }, actor.userId, ctx.now);
    await repo.setPdf(tx, id, file.id, sha256);
    await recordAudit(tx, ctx, { entity: 'invoice', entityId: id, action: 'pdf_stored', after: { fileId: file.id, sha256 }, departmentId: h.departmentId });
  });
  const stored = await repo.getHeader(db, id);
  if (stored?.pdfFileId != null && stored.pdfSha256 !== sha256) {
    const f = await getStoredFile(db, stored.pdfFileId);
    if (f) return { bytes: await store.get(f.storageKey), invoiceNo: h.invoiceNo };
  }
  return { bytes, invoiceNo: h.invoiceNo };
}

/**
 * Public verification (no login): the invoice of that agency with that number, and whether the
 * content hash from the QR code matches the stored one. `unknown` says nothing else.
 */
export async function verify(db: Db, q: { no: string; agency: number; h: string }): Promise<TVerifyResult> {
  const none: TVerifyResult = { result: 'unknown', invoiceNo: null, invoiceDate: null, agencyName: null, totalPaise: null, month: null };
  const id = await repo.byNumber(db, q.agency, q.no);
  if (id === null) return none;
  const h = await repo.getHeader(db, id);
  if (!h) return none;
  // A hash that does not match says only that: the invoice's figures are not shown to a guess.
  if (h.contentHash !== q.h) return { ...none, result: 'altered', invoiceNo: h.invoiceNo };
  const result = h.status === 'cancelled' ? 'cancelled' : 'genuine';
  return { result, invoiceNo: h.invoiceNo, invoiceDate: h.invoiceDate, agencyName: h.agencyName, totalPaise: Number(h.totalPaise), month: h.month };
}
