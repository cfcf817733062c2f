import type { TInvoiceMonthCreate, TInvoiceMonthResult } from '../../../shared/contracts/invoice.ts';
import type { HeadDef } from '../../../shared/domain/invoice-engine.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { type AuditEvent, recordAudits } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { AppError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { type AgencyInvoiceParty, agencyInvoiceParties } from '../agency/index.ts';
import { sheetStates } from '../attendance/index.ts';
import { type ContractInvoiceTerms, contractsInvoiceTerms } from '../contract/index.ts';
import { minimumWagesOverlapping } from '../rates/index.ts';
import { documentHash } from './invoice.document.ts';
import { monthRatesReader } from './invoice.month-parts.ts';
import {
  auditAfter,
  billedResources,
  checkMinimumWages,
  computeTotals,
  detailRows,
  engineInputs,
  engineTerms,
  generateFor,
  headerValues,
  lineRows,
  minimumsOn,
  monthRates,
  NO_ARREARS,
  notFinalised,
} from './invoice.generate.ts';
import * as repo from './invoice.repo.ts';
import { DEFAULT_PREFIX, invoiceNumber, isIntraState, monthRange, portalStateCode, seriesYear } from './invoice.rules.ts';
import { documentOf } from './invoice.service.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * The month's invoices of many contracts at once (bar S2: every contract in the state at month
 * end). The inputs of all contracts are read with a fixed number of set-based queries; each
 * contract goes through the same refusals and the same engine as `generateFor` (the pieces are
 * shared, in invoice.generate.ts); the invoices are written per chunk of contracts in one
 * transaction with a fixed number of statements (number blocks, headers, details, lines, audit).
 *
 * Contracts with something pending to settle from earlier months (attendance or rate revisions,
 * found by one query) go through `generateFor` one by one after the batch: arrears need the
 * earlier invoices' details and rates, are rare at month end, and that path is the tested one.
 * A refusal is reported per contract with its error code; nothing is written for it.
 */

export type MonthInvoiceResult =
  | { contractId: number; ok: true; invoiceId: number; invoiceNo: string; path: 'batch' | 'single' }
  | { contractId: number; ok: false; code: string; params?: Record<string, unknown> };

/** Contracts per transaction: a chunk's headers are one statement of ≈ 35 parameters each. */
export const CONTRACT_CHUNK = 500;
/** Chunks written at once (each its own transaction and connection). */
export const WRITERS = 2;

/** The planned invoices by agency (contract order within each), cut into chunks of about `size` at agency boundaries (a larger agency is split). */
function agencyChunks(planned: readonly Planned[], size: number): Planned[][] {
  const byAgency = new Map<number, Planned[]>();
  for (const p of planned) {
    const own = byAgency.get(p.agencyId);
    if (own) own.push(p);
    else byAgency.set(p.agencyId, [p]);
  }
  const chunks: Planned[][] = [];
  let cur: Planned[] = [];
  for (const agency of [...byAgency.keys()].sort((a, b) => a - b)) {
    for (const p of byAgency.get(agency)!) {
      if (cur.length >= size) {
        chunks.push(cur);
        cur = [];
      }
      cur.push(p);
    }
    if (cur.length >= size / 2) {
      chunks.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

type Planned = {
  terms: ContractInvoiceTerms;
  agencyId: number;
  party: AgencyInvoiceParty;
  intraState: boolean;
  inputs: ReturnType<typeof engineInputs>;
  out: Awaited<ReturnType<typeof computeTotals>>;
};

function refusal(contractId: number, e: unknown): MonthInvoiceResult {
  if (e instanceof AppError) return { contractId, ok: false, code: e.code, ...(e.params ? { params: e.params } : {}) };
  throw e;
}

/**
 * Generates the invoice of `month` ('YYYY-MM') for each contract. With `agencyId`, a contract of
 * another agency is `not_found` (the caller acts for that agency); without, the caller has
 * checked (the state's month-end run, the bench). Results in the order of `contractIds`.
 */
export async function generateMonthInvoices(
  db: Db,
  ctx: Ctx,
  input: { month: string; contractIds: readonly number[]; agencyId?: number; writers?: number; onPhase?: (phase: string, ms: number) => void },
): Promise<MonthInvoiceResult[]> {
  let mark = performance.now();
  const phase = (name: string) => {
    const at = performance.now();
    input.onPhase?.(name, at - mark);
    mark = at;
  };
  const { first, last, days } = monthRange(input.month);
  const today = todayIst(ctx.now);
  const ids = [...new Set(input.contractIds)];
  const results = new Map<number, MonthInvoiceResult>();
  const refuse = (id: number, code: string, params?: Record<string, unknown>) =>
    results.set(id, { contractId: id, ok: false, code, ...(params ? { params } : {}) });

  // 1. The contracts, their in-force terms, the month's existing invoices and what is pending: four queries.
  const [owners, termsOf, existing, pending] = await readAll(db, [
    () => repo.contractAgencies(db, ids),
    () => contractsInvoiceTerms(db, ids),
    () => repo.activeInvoicesOf(db, ids, first),
    () => repo.contractsWithPendingArrears(db, ids, first),
  ]);
  const candidates: ContractInvoiceTerms[] = [];
  const single: number[] = [];
  for (const id of ids) {
    const agency = owners.get(id);
    if (agency === undefined || (input.agencyId !== undefined && agency !== input.agencyId)) {
      refuse(id, 'not_found');
      continue;
    }
    const terms = termsOf.get(id);
    if (!terms || terms.status !== 'active' || !terms.startDate || !terms.endDate) refuse(id, 'invoice_contract_not_in_force');
    else if (last >= today) refuse(id, 'invoice_month_not_over');
    else if (last < terms.startDate || first > terms.endDate) refuse(id, 'invoice_month_outside_contract', { from: terms.startDate, to: terms.endDate });
    else if (existing.has(`${id}:${terms.ddoCodeId}`)) refuse(id, 'invoice_exists');
    else if (pending.has(id)) single.push(id);
    else candidates.push(terms);
  }

  // 2. Everything the candidates' invoices read, set-based: resources on the rolls, sheet states,
  //    finalised days, minimum wages, the month's rates, parties, office names, prefixes.
  const candidateIds = candidates.map((t) => t.id);
  const [people, daysRows, rates, parties, prefixes] = await readAll(db, [
    () => repo.resourcesOfContracts(db, candidateIds, first, last),
    () => repo.finalisedDaysOfContracts(db, candidateIds, first),
    () => monthRates(db, input.month),
    () =>
      agencyInvoiceParties(
        db,
        candidates.map((t) => t.agencyId),
      ),
    () =>
      repo.prefixesOf(
        db,
        candidates.map((t) => t.agencyId),
      ),
  ]);
  const peopleOf = new Map<number, repo.ContractResource[]>();
  for (const p of people) {
    const own = peopleOf.get(p.contractId);
    if (own) own.push(p);
    else peopleOf.set(p.contractId, [p]);
  }
  const [states, minimums] = await readAll(db, [
    () =>
      sheetStates(
        db,
        people.map((p) => p.officeId),
        first,
      ),
    () => minimumWagesOverlapping(db, [...new Set(people.map((p) => p.skillLevelId))], first, last),
  ]);
  const daysOf = new Map<number, { resourceId: number; paidDays: number }[]>();
  for (const d of daysRows) {
    const own = daysOf.get(d.resourceId);
    if (own) own.push(d);
    else daysOf.set(d.resourceId, [d]);
  }
  const stateOf = new Map(states.map((s) => [s.officeId, s.state]));
  const openOffices = states.filter((s) => s.state !== 'finalised').map((s) => s.officeId);
  const names = await repo.officeNames(db, [...openOffices, ...candidates.map((t) => t.officeId)]);
  const minimumOn = minimumsOn(minimums, first);
  const label = new Map<string, HeadDef>(rates.heads.map((h) => [h.code, h]));
  // A rate row starting inside the month (a mid-month revision): the contracts' resources are then
  // computed over the month's parts, as generateFor does (invoice.month-parts.ts). One query for the month.
  const split = (await monthRatesReader(db).startsInside(input.month, null, null)).length > 0 ? { db, month: input.month } : undefined;

  phase('read');
  // 3. Each contract through the same refusals and engine as generateFor.
  const planned: Planned[] = [];
  for (const terms of candidates) {
    try {
      const own = peopleOf.get(terms.id) ?? [];
      const open = own.find((p) => stateOf.get(p.officeId) !== 'finalised');
      if (open) throw notFinalised(ctx, open.officeId, names);
      const { billed, postOf, paid } = billedResources(
        terms,
        own,
        own.flatMap((p) => daysOf.get(p.id) ?? []),
      );
      checkMinimumWages(billed, postOf, minimums);
      const party = parties.get(terms.agencyId);
      if (!party) throw new AppError('not_found');
      const intraState = isIntraState(party.gstin, portalStateCode());
      const inputs = engineInputs(billed, postOf, paid, days, minimumOn, rates.esicThreshold);
      const out = await computeTotals(inputs, engineTerms(terms, intraState), rates, NO_ARREARS, split);
      planned.push({ terms, agencyId: terms.agencyId, party, intraState, inputs, out });
    } catch (e) {
      results.set(terms.id, refusal(terms.id, e));
    }
  }

  phase('compute');
  // 4. The writes, a chunk of contracts per transaction.
  const docNames = await repo.documentNames(
    db,
    planned.map((p) => p.terms.departmentId),
    planned.flatMap((p) => p.inputs.map((i) => i.person.postNameId)),
  );
  // Chunks cut at agency boundaries where they can be (an agency's contracts together, in contract
  // order), written by WRITERS transactions at once: two chunks then lock different counter rows,
  // and one's inserts run while the other's are checked and indexed (PostgreSQL; PGlite's single
  // connection takes them in turn).
  const chunks = agencyChunks(planned, CONTRACT_CHUNK);
  const writeOne = async (chunk: readonly Planned[]) => {
    try {
      for (const r of await writeChunk(db, ctx, chunk, { first, month: input.month, today, label, prefixes, names, docNames })) results.set(r.contractId, r);
    } catch (e) {
      // Another generation of one of these contract-months won the race (or a series is full):
      // the chunk rolled back whole; each of its contracts goes through generateFor, which says which.
      if (!(e instanceof AppError) && !(isUniqueViolation(e) && pgConstraint(e) === 'invoices_active_month_uq')) throw guardRefusal(e) ?? e;
      single.push(...chunk.map((p) => p.terms.id));
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(input.writers ?? WRITERS, chunks.length) }, async () => {
      while (next < chunks.length) await writeOne(chunks[next++]!);
    }),
  );

  phase('write');
  // 5. Contracts with arrears to settle (and a lost race's chunk): one by one.
  for (const id of single) {
    const agencyId = owners.get(id)!;
    try {
      const { id: invoiceId } = await generateFor(db, ctx, agencyId, undefined, { contractId: id, month: input.month });
      const no = await repo.getHeader(db, invoiceId);
      results.set(id, { contractId: id, ok: true, invoiceId, invoiceNo: no?.invoiceNo ?? '', path: 'single' });
    } catch (e) {
      results.set(id, refusal(id, e));
    }
  }
  phase('one by one');
  return ids.map((id) => results.get(id)!);
}

/**
 * `POST /api/v1/invoices/month`: an agency's admin or operator generates the month's invoices of
 * all its active contracts (or those named) at once. Another agency's contract is reported
 * `not_found`; each refusal carries its message in the caller's language.
 */
export async function generateMonth(db: Db, ctx: Ctx, body: TInvoiceMonthCreate): Promise<TInvoiceMonthResult> {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'agency') throw new AppError('forbidden');
  const contractIds = body.contractIds ?? (await repo.activeContractIdsOf(db, actor.scopeId));
  const results = await generateMonthInvoices(db, ctx, { month: body.month, contractIds, agencyId: actor.scopeId });
  const t = translator(ctx.locale);
  return {
    made: results.filter((r) => r.ok).length,
    refused: results.filter((r) => !r.ok).length,
    results: results.map((r) =>
      r.ok
        ? { contractId: r.contractId, ok: true, invoiceId: r.invoiceId, invoiceNo: r.invoiceNo, code: null, message: null }
        : { contractId: r.contractId, ok: false, invoiceId: null, invoiceNo: null, code: r.code, message: t(`errors.${r.code}`, r.params ?? {}) },
    ),
  };
}

type ChunkContext = {
  first: string;
  month: string;
  today: string;
  label: ReadonlyMap<string, HeadDef>;
  prefixes: ReadonlyMap<number, string>;
  names: ReadonlyMap<number, { nameEn: string; nameHi: string }>;
  docNames: Awaited<ReturnType<typeof repo.documentNames>>;
};

/**
 * One transaction: a block of numbers per agency (one statement), the documents and their hashes
 * in memory (the same `documentOf` as `buildDocument`, on the rows about to be written), the
 * headers (one statement), the details (one per 5,000), the lines (one per 5,000), the audit
 * entries (one pass).
 */
async function writeChunk(db: Db, ctx: Ctx, chunk: readonly Planned[], c: ChunkContext): Promise<MonthInvoiceResult[]> {
  const fy = seriesYear(c.today);
  return db.transaction(async (tx) => {
    const counts = new Map<number, number>();
    for (const p of chunk) counts.set(p.agencyId, (counts.get(p.agencyId) ?? 0) + 1);
    const next = await repo.takeNumberBlocks(tx, fy, counts);
    const headers = chunk.map((p) => {
      const n = next.get(p.agencyId)!;
      next.set(p.agencyId, n + 1);
      const invoiceNo = invoiceNumber(c.prefixes.get(p.agencyId) ?? DEFAULT_PREFIX, fy, n);
      if (!invoiceNo) throw new AppError('invoice_series_full');
      const values = headerValues(p.terms, p.agencyId, c.first, invoiceNo, c.today, p.intraState, p.out, NO_ARREARS);
      return { ...values, contentHash: inMemoryHash(p, values, c), generatedBy: ctx.actor?.userId ?? null, generatedAt: ctx.now };
    });
    const invoiceIds = await repo.insertInvoices(tx, headers);
    const details = chunk.flatMap((p) => detailRows(invoiceIds.get(p.terms.id)!, p.out, p.inputs));
    const detailIds = await repo.insertDetails(tx, details);
    let at = 0;
    const lines = chunk.flatMap((p) => {
      const own = detailIds.slice(at, at + p.out.resources.length);
      at += p.out.resources.length;
      return lineRows(invoiceIds.get(p.terms.id)!, own, p.out, [], c.label);
    });
    await repo.insertLines(tx, lines);
    const events: AuditEvent[] = headers.map((h, k) => ({
      entity: 'invoice',
      entityId: invoiceIds.get(h.contractId)!,
      action: 'generate',
      after: { ...auditAfter(h.invoiceNo, h.contractId, c.month, chunk[k]!.out, NO_ARREARS, h.contentHash), settledRevisions: [], settledRateRevisions: [] },
      departmentId: h.departmentId,
    }));
    await recordAudits(tx, ctx, events);
    return headers.map((h) => ({
      contractId: h.contractId,
      ok: true as const,
      invoiceId: invoiceIds.get(h.contractId)!,
      invoiceNo: h.invoiceNo,
      path: 'batch' as const,
    }));
  });
}

/**
 * The content hash of an invoice about to be written: `documentOf` (what `buildDocument` uses on
 * the stored rows) on the rows as they will be stored. Detail ids only pair lines with their
 * detail here, so positions stand in for them. Equality with the stored document's hash is tested
 * (invoice.generate-batch.test.ts).
 */
function inMemoryHash(p: Planned, h: ReturnType<typeof headerValues>, c: ChunkContext): string {
  const dept = c.docNames.departments.get(p.terms.departmentId);
  const office = c.names.get(p.terms.officeId);
  const details = detailRows(0, p.out, p.inputs).map((d, k) => {
    const post = c.docNames.posts.get(d.postNameId);
    return {
      ...d,
      id: k + 1,
      aadhaarLast4: d.aadhaarLast4 ?? '',
      dayRatePaise: undefined,
      postEn: post?.nameEn ?? '',
      postHi: post?.nameHi ?? '',
      skillLevelEn: '',
      skillLevelHi: '',
    };
  });
  const lines = lineRows(
    0,
    details.map((d) => d.id),
    p.out,
    [],
    c.label,
  ).map((l) => ({ ...l, detailId: l.detailId ?? null, arrearsMonth: null, labelEn: l.labelEn ?? '', labelHi: l.labelHi ?? '' }));
  const doc = documentOf(
    {
      agencyId: p.agencyId,
      agencyName: p.party.legalName,
      invoiceNo: h.invoiceNo,
      invoiceDate: h.invoiceDate,
      month: c.month,
      status: 'active',
      departmentNameEn: dept?.nameEn ?? '',
      departmentNameHi: dept?.nameHi ?? '',
      officeNameEn: office?.nameEn ?? '',
      officeNameHi: office?.nameHi ?? '',
      ddoCode: h.ddoCode,
      contractNo: p.terms.contractNo,
      subtotalPaise: h.subtotalPaise,
      serviceChargeBp: h.serviceChargeBp,
      serviceChargePaise: h.serviceChargePaise,
      reimbursedPaise: h.reimbursedPaise,
      taxablePaise: h.taxablePaise,
      roundOffPaise: h.roundOffPaise,
      totalPaise: h.totalPaise,
      creditNoteNo: null,
      creditNoteDate: null,
      cancelReason: '',
    },
    details,
    lines,
    p.terms.gemContractNo,
    p.party,
  );
  return documentHash(doc);
}
