import { createHash } from 'node:crypto';
import type { TInvoice, TInvoiceCreate } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import { computeBillDeductions, computeInvoice, EngineError, type HeadDef, type ResourceInput, totalInvoice } from '../../../shared/domain/invoice-engine.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { agencyInvoiceParty } from '../agency/index.ts';
import { finalisedDays, sheetStates } from '../attendance/index.ts';
import { type ContractInvoiceTerms, contractInvoiceTerms, contractPlace } from '../contract/index.ts';
import { headsInForce, type MinimumWage, minimumWagesOverlapping, wageDefinitionOn } from '../rates/index.ts';
import { type ArrearsLine, computeArrears, insertSources, pendingRevisions } from './invoice.arrears.ts';
import { computeRateArrears, insertRateSources, pendingRateRevisions } from './invoice.rate-arrears.ts';
import { documentHash } from './invoice.document.ts';
import { splitMonthResources } from './invoice.month-parts.ts';
import { type CarryPlan, insertCarry, NO_CARRY, type OpenBalance, openBalances, planRecoveries, planRecoveriesKeepingWages } from './invoice.recovery-carry.ts';
import * as repo from './invoice.repo.ts';
import type { invoiceDetails, invoiceLines } from './invoice.table.ts';
import { DEFAULT_PREFIX, esicPeriodStart, invoiceNumber, isIntraState, monthRange, portalStateCode, seriesYear } from './invoice.rules.ts';

import { buildDocument, getInvoice } from './invoice.service.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * Generating an invoice (spec 06 "Computing an invoice", issue 16 item 2): the inputs read from
 * contracts, resources, attendance and rates, every refusal, the engine, arrears, and the write of
 * header → details → lines with its audit entry in one transaction.
 */

/** The request's fingerprint for its idempotency key. */
function requestHash(input: TInvoiceCreate): string {
  return createHash('sha256')
    .update(JSON.stringify({ contractId: input.contractId, month: input.month }))
    .digest('hex');
}

/** Paise as ₹12,34,567.89 for a refusal's message (integer arithmetic, no floats). */
const money = (n: number): string => formatPaise(n);

/**
 * Generates the invoice. Refused with the reason, nothing written: no such contract of the
 * caller's agency (404); no in-force version; a month outside the version's period or not yet
 * over; an office with resources under the contract whose sheet is not finalised; a post wage
 * below the minimum wage in force on some day of the month; nobody with paid days; an active
 * invoice for the contract-month already (409 `invoice_exists`, also under a race — the unique
 * index decides). Idempotent on the `Idempotency-Key` header when one is sent.
 */
export async function generate(db: Db, ctx: Ctx, key: string | undefined, input: TInvoiceCreate): Promise<{ invoice: TInvoice; replayed: boolean }> {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'agency') throw new AppError('forbidden');
  const { id, replayed } = await generateFor(db, ctx, actor.scopeId, key, input);
  return { invoice: await getInvoice(db, ctx, id), replayed };
}

/**
 * Generation for an agency: the caller has checked that the actor acts for it (the demo seed
 * calls it without an actor: the audit entry then names no one).
 */
export async function generateFor(
  db: Db,
  ctx: Ctx,
  agencyId: number,
  key: string | undefined,
  input: TInvoiceCreate,
): Promise<{ id: number; replayed: boolean }> {
  const idemKey = key?.trim() || null;
  if (idemKey !== null && (idemKey.length < 8 || idemKey.length > 100)) throw new AppError('idempotency_key_required');
  const hash = requestHash(input);
  const replay = async () => {
    const existing = idemKey ? await repo.invoiceByKey(db, agencyId, idemKey) : null;
    if (existing && existing.requestHash !== hash) throw new AppError('idempotency_key_reused');
    return existing ? { id: existing.id, replayed: true } : null;
  };
  const before = await replay();
  if (before) return before;
  try {
    return await generateOnce(db, ctx, agencyId, idemKey, hash, input);
  } catch (e) {
    // The same key sent twice at once (a double click): both passed the look-up above, and the
    // second met the first's invoice — at the check for an active invoice or at its unique index.
    // It is the same request: it answers the first's invoice (20 at once: races test).
    if (e instanceof AppError && e.code === 'invoice_exists') {
      const after = await replay();
      if (after) return after;
    }
    throw e;
  }
}

async function generateOnce(
  db: Db,
  ctx: Ctx,
  agencyId: number,
  idemKey: string | null,
  hash: string,
  input: TInvoiceCreate,
): Promise<{ id: number; replayed: boolean }> {
  const userId = ctx.actor?.userId ?? null;
  // Another agency's contract, or none: not found (no existence leak).
  const place = await contractPlace(db, input.contractId);
  if (!place || place.agencyId !== agencyId) throw new AppError('not_found');
  const terms = await contractInvoiceTerms(db, input.contractId);
  if (!terms || terms.status !== 'active' || !terms.startDate || !terms.endDate)
    throw new AppError('invoice_contract_not_in_force', { errors: [{ field: 'contractId', code: 'invalid_value' }] });
  const { first, last, days } = monthRange(input.month);
  const today = todayIst(ctx.now);
  if (last >= today) throw new AppError('invoice_month_not_over', { errors: [{ field: 'month', code: 'invalid_value' }] });
  if (last < terms.startDate || first > terms.endDate)
    throw new AppError('invoice_month_outside_contract', {
      errors: [{ field: 'month', code: 'invalid_value' }],
      params: { from: terms.startDate, to: terms.endDate },
    });
  if (await repo.activeInvoiceFor(db, terms.id, first, terms.ddoCodeId)) throw new AppError('invoice_exists');

  const people = await repo.contractResources(db, terms.id, first, last);
  // Every office where the contract has resources that month must have its sheet finalised.
  const states = await sheetStates(
    db,
    people.map((p) => p.officeId),
    first,
  );
  const open = states.find((s) => s.state !== 'finalised');
  if (open) throw notFinalised(ctx, open.officeId, await repo.officeNames(db, [open.officeId]));
  const daysRows = await finalisedDays(
    db,
    people.map((p) => p.id),
    first,
  );
  const { billed, postOf, paid } = billedResources(terms, people, daysRows);
  const skillIds = [...new Set(billed.map((p) => p.skillLevelId))];
  const minimums = await minimumWagesOverlapping(db, skillIds, first, last);
  checkMinimumWages(billed, postOf, minimums);

  const [month, party] = await readAll(db, [() => monthRates(db, input.month), () => agencyInvoiceParty(db, agencyId)]);
  if (!party) throw new AppError('not_found');
  const intraState = isIntraState(party.gstin, portalStateCode());
  const inputs = engineInputs(billed, postOf, paid, days, minimumsOn(minimums, first), month.esicThreshold);
  const termsIn = engineTerms(terms, intraState);
  // Arrears / recoveries of earlier months from attendance revisions approved since (invoice.arrears.ts).
  // Then those of late rate revisions (invoice.rate-arrears.ts): both computed with the rates in
  // force for the earlier month now, so together they bring it to what it is owed, once.
  const attendanceArrears = await computeArrears(db, await pendingRevisions(db, terms.id, first));
  const rateArrears = await computeRateArrears(db, await pendingRateRevisions(db, terms.id, first));
  const arrears = {
    lines: [...attendanceArrears.lines, ...rateArrears.lines],
    costPaise: attendanceArrears.costPaise + rateArrears.costPaise,
    reimbursedPaise: attendanceArrears.reimbursedPaise + rateArrears.reimbursedPaise,
  };
  // Recovery balances carried forward by earlier invoices of the contract, and what this one cannot
  // recover carried on (invoice.recovery-carry.ts): the invoice is never negative.
  const balances = await openBalances(db, terms.id, agencyId);
  // Paying workers directly: the recovery never eats into the workers' wages of the month (planRecoveriesKeepingWages).
  const directPay = terms.paymentMode === 'direct' ? { billHeads: await headsInForce(db, today) } : undefined;
  const out = await computeTotals(inputs, termsIn, month, arrears, { db, month: input.month }, balances, directPay);
  const carry = out.carry;
  const billedArrears: ArrearsTotals = {
    lines: [...arrears.lines, ...carry.lines],
    costPaise: arrears.costPaise + carry.costPaise,
    reimbursedPaise: arrears.reimbursedPaise + carry.reimbursedPaise,
  };
  const heads = month.heads;
  const label = new Map<string, HeadDef>(heads.map((h) => [h.code, h]));
  const prefix = (await repo.prefixOf(db, agencyId)) ?? DEFAULT_PREFIX;
  const fy = seriesYear(today);

  let id: number;
  try {
    id = await db.transaction(async (tx) => {
      const n = await repo.takeNumber(tx, agencyId, fy);
      const invoiceNo = invoiceNumber(prefix, fy, n);
      if (!invoiceNo) throw new AppError('invoice_series_full');
      const invoiceId = await repo.insertInvoice(tx, {
        ...headerValues(terms, agencyId, first, invoiceNo, today, intraState, out, billedArrears),
        contentHash: '',
        idempotencyKey: idemKey,
        requestHash: idemKey ? hash : null,
        generatedBy: userId,
        generatedAt: ctx.now,
      });
      // Every detail in one statement (ids in order), then every line — the resources' heads, the
      // arrears and the invoice-level lines — in one more: no statement per resource.
      const detailIds = await repo.insertDetails(tx, detailRows(invoiceId, out, inputs));
      await repo.insertLines(tx, lineRows(invoiceId, detailIds, out, billedArrears.lines, label));
      // The earlier invoices of both kinds of settlement are locked FOR SHARE here (a racing cancel waits).
      await insertSources(
        tx,
        invoiceId,
        attendanceArrears.sources,
        rateArrears.sources.map((r) => r.earlierInvoiceId),
      );
      await insertRateSources(tx, invoiceId, rateArrears.sources);
      await insertCarry(tx, { id: invoiceId, contractId: terms.id, agencyId }, carry);
      const contentHash = documentHash(await buildDocument(tx, invoiceId));
      await repo.setContentHash(tx, invoiceId, contentHash);
      await recordAudit(tx, ctx, {
        entity: 'invoice',
        entityId: invoiceId,
        action: 'generate',
        after: {
          ...auditAfter(invoiceNo, terms.id, input.month, out, billedArrears, contentHash),
          settledRevisions: attendanceArrears.sources.map((x) => x.revisionId),
          settledRateRevisions: rateArrears.sources.map((x) => ({
            earlierInvoiceId: x.earlierInvoiceId,
            resourceId: x.resourceId,
            rateTable: x.rateTable,
            rateRowId: x.rateRowId,
          })),
          ...(carry.settlements.length > 0 ? { recoveryBalancesTakenOver: carry.settlements } : {}),
          ...(carry.carried.length > 0 ? { recoveriesCarriedForward: carry.carried } : {}),
        },
        departmentId: terms.departmentId,
      });
      return invoiceId;
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'invoices_active_month_uq') throw new AppError('invoice_exists');
    if (isUniqueViolation(e) && pgConstraint(e) === 'invoice_arrears_sources_live_uq') throw new AppError('invoice_arrears_conflict');
    if (isUniqueViolation(e) && pgConstraint(e) === 'invoice_rate_arrears_sources_live_uq') throw new AppError('invoice_arrears_conflict');
    if (isUniqueViolation(e) && pgConstraint(e) === 'invoice_recovery_settlements_live_uq') throw new AppError('invoice_arrears_conflict');
    if (isUniqueViolation(e) && pgConstraint(e) === 'invoices_idem_uq' && idemKey) {
      const again = await repo.invoiceByKey(db, agencyId, idemKey);
      if (again && again.requestHash === hash) return { id: again.id, replayed: true };
      throw new AppError('idempotency_key_reused');
    }
    throw guardRefusal(e) ?? e;
  }
  return { id, replayed: false };
}

type BilledInput = ResourceInput & { person: repo.ContractResource };
type Computed = ReturnType<typeof totalInvoice>;

/** The invoice's details, one per billed resource in the engine's order. */
export function detailRows(invoiceId: number, out: Computed, inputs: readonly BilledInput[]): (typeof invoiceDetails.$inferInsert)[] {
  return out.resources.map((r, i) => {
    const src = inputs[i]!;
    return {
      invoiceId,
      resourceId: src.person.id,
      officeId: src.person.officeId,
      skillLevelId: src.person.skillLevelId,
      postNameId: src.person.postNameId,
      nameEn: src.person.nameEn,
      nameHi: src.person.nameHi,
      aadhaarLast4: src.person.aadhaarLast4 ?? '',
      basicPaise: src.basicPaise,
      vdaPaise: src.vdaPaise,
      minimumWagePaise: src.minimumWagePaise ?? 0,
      paidDays: r.paidDays,
      daysInMonth: r.daysInMonth,
      dayRatePaise: r.dayRatePaise,
      earnedWagePaise: r.earnedWagePaise,
      pfWagePaise: r.pfWagePaise,
      esicWagePaise: r.esicWagePaise,
      bonusWagePaise: r.bonusWagePaise,
      esicCovered: r.esicCovered,
      costPaise: r.costPaise,
      reimbursedPaise: r.reimbursedPaise,
      employeeDeductionPaise: r.employeeDeductionPaise,
      netWagePaise: r.netWagePaise,
    };
  });
}

/**
 * The invoice's lines: each resource's heads (under its detail), then the arrears and recoveries
 * (invoice-level, naming their month and resource), then the service charge and taxes.
 */
export function lineRows(
  invoiceId: number,
  detailIds: readonly number[],
  out: Computed,
  arrearsLines: readonly ArrearsLine[],
  label: ReadonlyMap<string, HeadDef>,
): (typeof invoiceLines.$inferInsert)[] {
  const named = (code: string) => ({ labelEn: label.get(code)?.nameEn ?? code, labelHi: label.get(code)?.nameHi ?? code });
  return [
    ...out.resources.flatMap((r, i) => r.lines.map((l, k) => ({ invoiceId, detailId: detailIds[i]!, ...l, ...named(l.code), sortOrder: k }))),
    ...arrearsLines.map(({ source: _s, ...l }, k) => ({ invoiceId, detailId: null, ...l, sortOrder: k })),
    ...out.lines.map((l, k) => ({ invoiceId, detailId: null, ...l, ...named(l.code), sortOrder: arrearsLines.length + k })),
  ];
}

// --- The pieces generation shares with the month's batch (invoice.generate-batch.ts) -------------

/** Refusal: an office with resources under the contract has not finalised its sheet (named in the user's language). */
export function notFinalised(ctx: Ctx, officeId: number, names: ReadonlyMap<number, { nameEn: string; nameHi: string }>): AppError {
  const o = names.get(officeId);
  const office = (ctx.locale === 'hi' ? o?.nameHi : o?.nameEn) ?? `#${officeId}`;
  return new AppError('invoice_attendance_not_finalised', { params: { office } });
}

type PostOf = (p: repo.ContractResource) => ContractInvoiceTerms['posts'][number] | undefined;

/**
 * The resources billed: those with paid days in the finalised rows, each on its post in the
 * contract (same skill level and post name, its office's first). Refused: nobody with paid days;
 * a billed resource on no post of the contract.
 */
export function billedResources(
  terms: ContractInvoiceTerms,
  people: readonly repo.ContractResource[],
  daysRows: readonly { resourceId: number; paidDays: number }[],
): { billed: repo.ContractResource[]; postOf: PostOf; paid: Map<number, number> } {
  const paid = new Map(daysRows.filter((d) => d.paidDays > 0).map((d) => [d.resourceId, d.paidDays]));
  const billed = people.filter((p) => paid.has(p.id));
  if (billed.length === 0) throw new AppError('invoice_no_paid_days');
  const postOf: PostOf = (p) =>
    terms.posts.find((x) => x.skillLevelId === p.skillLevelId && x.postNameId === p.postNameId && x.officeId === p.officeId) ??
    terms.posts.find((x) => x.skillLevelId === p.skillLevelId && x.postNameId === p.postNameId);
  for (const p of billed) if (!postOf(p)) throw new AppError('invoice_resource_not_in_contract', { params: { name: p.nameEn || p.nameHi } });
  return { billed, postOf, paid };
}

/** Refused: the contract's wage below a minimum wage of the skill level in force on any day of the month. */
export function checkMinimumWages(billed: readonly repo.ContractResource[], postOf: PostOf, minimums: readonly MinimumWage[]): void {
  for (const p of billed) {
    const post = postOf(p)!;
    const below = minimums.find((m) => m.skillLevelId === p.skillLevelId && m.totalPaise > post.basicPaise + post.vdaPaise);
    if (below)
      throw new AppError('invoice_below_minimum_wage', {
        params: { from: below.effectiveFrom, minimum: money(below.totalPaise), wage: money(post.basicPaise + post.vdaPaise) },
      });
  }
}

/** Each skill level's minimum wage in force on the first of the month (the bonus cap's floor; 0 when none), from the month's rows. */
export function minimumsOn(minimums: readonly MinimumWage[], first: string): Map<number, number> {
  const on = new Map<number, number>();
  for (const m of minimums) if (m.effectiveFrom <= first && (m.effectiveTo === null || m.effectiveTo >= first)) on.set(m.skillLevelId, m.totalPaise);
  return on;
}

/** The rates of a month, the same for every contract: heads and wage definition on its first day, the ESIC threshold of its contribution period. */
export type MonthRates = { heads: HeadDef[]; wageDefinition: Awaited<ReturnType<typeof wageDefinitionOn>>; esicThreshold: number | null };

export async function monthRates(db: DbOrTx, month: string): Promise<MonthRates> {
  const { first } = monthRange(month);
  const [heads, wageDefinition, esicHeads] = await readAll(db, [
    () => headsInForce(db, first),
    () => wageDefinitionOn(db, first),
    () => headsInForce(db, esicPeriodStart(month)),
  ]);
  // ESIC coverage: covered when the post's monthly gross is at most the ESIC threshold in force at
  // the start of the contribution period (April–September, October–March); held to its end.
  const esicThreshold = esicHeads.find((h) => h.condition === 'esic' && h.thresholdPaise != null)?.thresholdPaise ?? null;
  return { heads, wageDefinition, esicThreshold };
}

/** The engine's input per billed resource: its post's wage, paid days, the minimum wage and ESIC coverage. */
export function engineInputs(
  billed: readonly repo.ContractResource[],
  postOf: PostOf,
  paid: ReadonlyMap<number, number>,
  days: number,
  minimumOn: ReadonlyMap<number, number>,
  esicThreshold: number | null,
): BilledInput[] {
  return billed.map((p) => {
    const post = postOf(p)!;
    return {
      key: String(p.id),
      person: p,
      basicPaise: post.basicPaise,
      vdaPaise: post.vdaPaise,
      paidDays: paid.get(p.id)!,
      daysInMonth: days,
      minimumWagePaise: minimumOn.get(p.skillLevelId) ?? 0,
      esicCovered: esicThreshold == null ? false : post.basicPaise + post.vdaPaise <= esicThreshold,
    };
  });
}

export function engineTerms(terms: ContractInvoiceTerms, intraState: boolean) {
  return {
    wageBasis: terms.wageBasis,
    epfMode: terms.epfMode,
    esicApplies: terms.esicApplies,
    bonusBp: terms.bonusBp,
    serviceChargeBp: terms.serviceChargeBp,
    intraState,
  };
}

export type ArrearsTotals = { lines: ArrearsLine[]; costPaise: number; reimbursedPaise: number };
export const NO_ARREARS: ArrearsTotals = { lines: [], costPaise: 0, reimbursedPaise: 0 };

/**
 * The month's own invoice (the engine checks the terms), then the totals with the arrears and the
 * recovery balances: recoveries beyond what the month can carry are not refused but carried forward
 * (`planRecoveries`, invoice.recovery-carry.ts — the order, tax and rounding rules are there), so
 * neither the sub-total nor the reimbursed value is ever negative. `carry` is what to record.
 */
export async function computeTotals(
  inputs: BilledInput[],
  termsIn: ReturnType<typeof engineTerms>,
  rates: MonthRates,
  arrears: ArrearsTotals,
  /** Where a rate row starts inside the month: its resources computed over the month's parts (invoice.month-parts.ts). */
  split?: { db: DbOrTx; month: string },
  /** The contract's open recovery balances, oldest first. */
  open: readonly OpenBalance[] = [],
  /** A contract paying workers directly: the bill heads the bill is expected to take (`planRecoveriesKeepingWages`). */
  directPay?: { billHeads: HeadDef[] },
): Promise<Computed & { carry: CarryPlan }> {
  try {
    const firstDay = computeInvoice({ terms: termsIn, heads: rates.heads, wageDefinition: rates.wageDefinition, resources: inputs }).resources;
    const rs = split ? await splitMonthResources(split.db, split.month, termsIn, inputs, firstDay) : firstDay;
    const ownCost = rs.reduce((a, r) => a + r.costPaise, 0);
    const ownReimbursed = rs.reduce((a, r) => a + r.reimbursedPaise, 0);
    const hasRecovery = open.length > 0 || arrears.lines.some((l) => l.amountPaise < 0);
    const own = { costPaise: ownCost, reimbursedPaise: ownReimbursed };
    const totalsWith = (plan: CarryPlan) =>
      totalInvoice(rs, termsIn, rates.heads, {
        costPaise: arrears.costPaise + plan.costPaise,
        reimbursedPaise: arrears.reimbursedPaise + plan.reimbursedPaise,
      });
    const carry = !hasRecovery
      ? NO_CARRY
      : directPay
        ? planRecoveriesKeepingWages(
            own,
            arrears.lines,
            open,
            rs.reduce((a, r) => a + r.netWagePaise, 0),
            (plan) => highestNetPayable(totalsWith(plan), directPay.billHeads),
          )
        : planRecoveries(own, arrears.lines, open);
    return { ...totalsWith(carry), carry };
  } catch (e) {
    if (e instanceof EngineError) throw new AppError('validation_failed', { message: e.message });
    throw e;
  }
}

/** The bill's net payable for these totals at the highest deductions its heads may take (either PAN type, GST TDS applying). */
function highestNetPayable(out: Computed, billHeads: HeadDef[]): number {
  const deductions = (panIndividual: boolean) =>
    computeBillDeductions({ heads: billHeads, taxablePaise: out.totalPaise - out.gstPaise, panIndividual, contractValuePaise: Number.MAX_SAFE_INTEGER }).reduce(
      (a, d) => a + d.amountPaise,
      0,
    );
  return out.totalPaise - Math.max(deductions(false), deductions(true));
}

/** The header's columns that come from the contract, the month and the totals. */
export function headerValues(
  terms: ContractInvoiceTerms,
  agencyId: number,
  first: string,
  invoiceNo: string,
  today: string,
  intraState: boolean,
  out: Computed,
  arrears: ArrearsTotals,
) {
  return {
    contractId: terms.id,
    contractVersionId: terms.versionId,
    agencyId,
    departmentId: terms.departmentId,
    officeId: terms.officeId,
    ddoCodeId: terms.ddoCodeId,
    ddoCode: terms.ddoCode,
    month: first,
    invoiceNo,
    invoiceDate: today,
    intraState,
    wageBasis: terms.wageBasis,
    epfMode: terms.epfMode,
    esicApplies: terms.esicApplies,
    serviceChargeBp: terms.serviceChargeBp,
    bonusBp: terms.bonusBp,
    subtotalPaise: out.subtotalPaise,
    reimbursedPaise: out.reimbursedPaise,
    serviceChargePaise: out.serviceChargePaise,
    taxablePaise: out.taxablePaise,
    gstPaise: out.gstPaise,
    grossTotalPaise: out.grossTotalPaise,
    roundOffPaise: out.roundOffPaise,
    totalPaise: out.totalPaise,
    arrearsPaise: arrears.costPaise + arrears.reimbursedPaise,
  };
}

/** What the audit entry of a generation records (the arrears' sources are added by generateFor). */
export function auditAfter(invoiceNo: string, contractId: number, month: string, out: Computed, arrears: ArrearsTotals, contentHash: string) {
  return {
    invoiceNo,
    contractId,
    month,
    resources: out.resources.length,
    totalPaise: out.totalPaise,
    arrearsPaise: arrears.costPaise + arrears.reimbursedPaise,
    contentHash,
  };
}
