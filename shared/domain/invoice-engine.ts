/**
 * The invoice engine (spec 06 "Computing an invoice"): pure arithmetic in integer paise, shared by
 * real invoices and the public cost calculator. Every rate, ceiling, condition and rounding rule
 * comes in as data (`HeadDef`, read from the masters in force for the month); nothing here is a
 * statutory constant. Products are computed in BigInt, so no floating point touches money and no
 * product can overflow 2^53.
 *
 * Choices where the spec is silent (also in docs/INVOICES.md):
 * - Earned wage on a monthly basis = round½↑(monthly × paid days ÷ days in month), on the whole
 *   monthly wage at once (what the spec writes); the basic + DA part is prorated the same way and
 *   the allowances are the difference, so the parts always add up to the earned wage.
 * - Day basis: basic ÷ 26 and VDA ÷ 26 each rounded half-up to the paisa first, then × paid days.
 * - A rupee rounding (EPF half-up, ESIC up) applies to the exact product, not to a paisa-rounded
 *   value (no double rounding).
 * - Ceilings are monthly and are not prorated for a part month (EPFO and ESIC apply them to the
 *   wages actually paid in the month).
 * - Bonus base = min(earned wage, max(floor ₹7,000, the skill level's monthly minimum wage)).
 * - Heads of stage `cost` make the resource's cost (the sub-total the service charge applies to);
 *   `reimbursed` heads (bonus by default) are billed after the service charge, inside the taxable
 *   value — "bonus outside the sub-total" of the spec's worked reference.
 * - The worker's own shares (stage `employee`) are capped at what is left of the earned wage, so
 *   the net wage is never negative (ESIC up to the rupee on a wage under a rupee would be).
 * - Service charge and GST are invoice-level (on the sums), CGST and SGST each rounded
 *   separately; the total is rounded to the whole rupee half-up with a round-off line.
 */

export const ROUNDINGS = ['paisa_half_up', 'rupee_half_up', 'rupee_up'] as const;
export type Rounding = (typeof ROUNDINGS)[number];

export const HEAD_KINDS = ['payable', 'deduction'] as const;
/** Where a head sits: a resource's cost, billed after the service charge, the worker's own share, invoice-level, or deducted at payment. */
export const HEAD_STAGES = ['cost', 'reimbursed', 'employee', 'service', 'tax', 'bill'] as const;
export const HEAD_BASES = ['earned_wage', 'pf_wage', 'esic_wage', 'bonus_wage', 'subtotal', 'taxable'] as const;
export const HEAD_RATE_SOURCES = ['head', 'contract_service_charge', 'contract_bonus'] as const;
export const HEAD_CEILING_WHEN = ['always', 'contract_epf_capped'] as const;
export const HEAD_CONDITIONS = ['epf', 'esic', 'bonus', 'intra_state', 'inter_state', 'pan_individual', 'pan_other', 'gst_tds'] as const;
export const WAGE_DEFINITIONS = ['basic_da', 'labour_code'] as const;

export type HeadDef = {
  code: string;
  nameEn: string;
  nameHi: string;
  kind: (typeof HEAD_KINDS)[number];
  stage: (typeof HEAD_STAGES)[number];
  base: (typeof HEAD_BASES)[number];
  /** Where the rate comes from: the head's own `ratePpm`, or the contract's service charge / bonus. */
  rateFrom: (typeof HEAD_RATE_SOURCES)[number];
  /** Parts per million of the base (12 % = 120000); used when rateFrom = 'head'. */
  ratePpm: number;
  /** A fixed amount instead of a percentage (per resource for resource-level stages). */
  lumpSumPaise: number | null;
  /** The base is capped at this (per month), always or only when the contract applies the EPF ceiling. */
  ceilingPaise: number | null;
  ceilingWhen: (typeof HEAD_CEILING_WHEN)[number] | null;
  condition: (typeof HEAD_CONDITIONS)[number] | null;
  /** The condition's figure: ESIC's gross-wage limit, bonus's cap floor, GST TDS's contract-value limit. */
  thresholdPaise: number | null;
  rounding: Rounding;
  sortOrder: number;
};

export type WageDefinition = {
  kind: (typeof WAGE_DEFINITIONS)[number];
  /** labour_code: allowances beyond this share of the total remuneration count as wages (500000 = half). */
  allowanceSharePpm: number;
};

export type ContractTerms = {
  wageBasis: 'monthly' | 'daily';
  epfMode: 'none' | 'capped' | 'uncapped';
  esicApplies: boolean;
  /** Bonus in basis points (833 = 8.33 %); 0 = no bonus billed. */
  bonusBp: number;
  /** Service charge in basis points (385 = 3.85 %). */
  serviceChargeBp: number;
  /** The agency's GSTIN state is the portal's state: CGST + SGST; otherwise IGST. */
  intraState: boolean;
};

export type ResourceInput = {
  /** The caller's key (resource id, or the calculator's row number). */
  key: string;
  /** Monthly basic, VDA and other allowances of the post, in paise. */
  basicPaise: number;
  vdaPaise: number;
  allowancesPaise?: number;
  paidDays: number;
  daysInMonth: number;
  /** The skill level's monthly minimum wage in force (for the bonus cap); 0 when unknown. */
  minimumWagePaise?: number;
  /**
   * ESIC coverage decided by the caller (covered at the start of the contribution period stays
   * covered to its end); when absent, covered while the monthly gross ≤ the ESIC head's threshold.
   */
  esicCovered?: boolean;
};

export type LineOut = { code: string; kind: HeadDef['kind']; stage: HeadDef['stage']; basePaise: number; ratePpm: number; amountPaise: number };

export type ResourceOut = {
  key: string;
  paidDays: number;
  daysInMonth: number;
  /** The day rate (day basis only), basic and VDA each rounded first. */
  dayRatePaise: number | null;
  earnedWagePaise: number;
  pfWagePaise: number;
  esicWagePaise: number;
  bonusWagePaise: number;
  esicCovered: boolean;
  lines: LineOut[];
  /** Earned wage + cost heads: what the service charge applies to. */
  costPaise: number;
  /** Reimbursed heads (bonus): billed after the service charge. */
  reimbursedPaise: number;
  /** Employee EPF + ESIC, withheld from the worker's wage (not billed). */
  employeeDeductionPaise: number;
  /** Earned wage − employee deductions: what must reach the worker's account. */
  netWagePaise: number;
};

export type InvoiceOut = {
  resources: ResourceOut[];
  subtotalPaise: number;
  reimbursedPaise: number;
  serviceChargePaise: number;
  taxablePaise: number;
  /** CGST + SGST, or IGST, each rounded separately. */
  taxLines: LineOut[];
  gstPaise: number;
  /** Taxable + GST before rounding to the rupee. */
  grossTotalPaise: number;
  roundOffPaise: number;
  totalPaise: number;
  /** Invoice-level lines: service charge then taxes. */
  lines: LineOut[];
};

export class EngineError extends Error {
  constructor(
    readonly code: 'bad_input' | 'overflow',
    message: string,
  ) {
    super(message);
  }
}

const MILLION = 1_000_000n;

/** n ÷ d rounded half-up, for n ≥ 0, d > 0 (BigInt). */
function divHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d) * 2n >= d ? q + 1n : q;
}

function divUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d === 0n ? q : q + 1n;
}

/** base × ratePpm / 10^6 with the head's rounding, in paise. */
export function applyRate(basePaise: number | bigint, ratePpm: number, rounding: Rounding): bigint {
  const n = BigInt(basePaise) * BigInt(ratePpm);
  if (n < 0n) throw new EngineError('bad_input', 'a head applies to a negative base');
  switch (rounding) {
    case 'paisa_half_up':
      return divHalfUp(n, MILLION);
    case 'rupee_half_up':
      return divHalfUp(n, MILLION * 100n) * 100n;
    case 'rupee_up':
      return divUp(n, MILLION * 100n) * 100n;
  }
}

function toNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new EngineError('overflow', 'an amount exceeds the largest exact number');
  return Number(v);
}

function checkInt(name: string, v: number, min: number, max: number) {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new EngineError('bad_input', `${name} must be a whole number from ${min} to ${max}`);
}

function headRate(h: HeadDef, t: ContractTerms): number {
  if (h.rateFrom === 'contract_service_charge') return t.serviceChargeBp * 100;
  if (h.rateFrom === 'contract_bonus') return t.bonusBp * 100;
  return h.ratePpm;
}

function conditionHolds(h: HeadDef, t: ContractTerms, r: { esicCovered: boolean }): boolean {
  switch (h.condition) {
    case null:
      return true;
    case 'epf':
      return t.epfMode !== 'none';
    case 'esic':
      return t.esicApplies && r.esicCovered;
    case 'bonus':
      return t.bonusBp > 0;
    case 'intra_state':
      return t.intraState;
    case 'inter_state':
      return !t.intraState;
    default:
      return false; // bill-level conditions are judged by computeBillDeductions
  }
}

function cappedBase(h: HeadDef, t: ContractTerms, base: bigint): bigint {
  if (h.ceilingPaise == null || h.ceilingWhen == null) return base;
  if (h.ceilingWhen === 'contract_epf_capped' && t.epfMode !== 'capped') return base;
  const c = BigInt(h.ceilingPaise);
  return base > c ? c : base;
}

/** The month's earned wage and its parts for one resource. */
export function earnedWage(r: ResourceInput, t: ContractTerms, def: WageDefinition) {
  const allowances = r.allowancesPaise ?? 0;
  checkInt('basic', r.basicPaise, 0, 100_000_000);
  checkInt('VDA', r.vdaPaise, 0, 100_000_000);
  checkInt('allowances', allowances, 0, 100_000_000);
  checkInt('days in the month', r.daysInMonth, 28, 31);
  checkInt('paid days', r.paidDays, 0, r.daysInMonth);
  const days = BigInt(r.paidDays);
  let earned: bigint;
  let earnedBasicDa: bigint;
  let dayRate: bigint | null = null;
  if (t.wageBasis === 'daily') {
    const dBasic = divHalfUp(BigInt(r.basicPaise), 26n);
    const dVda = divHalfUp(BigInt(r.vdaPaise), 26n);
    const dAllow = divHalfUp(BigInt(allowances), 26n);
    dayRate = dBasic + dVda + dAllow;
    earnedBasicDa = (dBasic + dVda) * days;
    earned = dayRate * days;
  } else {
    const dim = BigInt(r.daysInMonth);
    earned = divHalfUp(BigInt(r.basicPaise + r.vdaPaise + allowances) * days, dim);
    earnedBasicDa = divHalfUp(BigInt(r.basicPaise + r.vdaPaise) * days, dim);
  }
  const earnedAllow = earned - earnedBasicDa;
  // Wages for EPF / ESIC: basic + DA; under the labour codes allowances beyond the share count too.
  let statutory = earnedBasicDa;
  if (def.kind === 'labour_code' && earnedAllow > 0n) {
    const allowedAllow = (earned * BigInt(def.allowanceSharePpm)) / MILLION;
    if (earnedAllow > allowedAllow) statutory += earnedAllow - allowedAllow;
  }
  return { earned, statutory, dayRate, monthlyGross: BigInt(r.basicPaise + r.vdaPaise + allowances) };
}

/** One resource's lines for a month. */
export function computeResource(r: ResourceInput, t: ContractTerms, heads: HeadDef[], def: WageDefinition): ResourceOut {
  const w = earnedWage(r, t, def);
  const esicHead = heads.find((h) => h.condition === 'esic' && h.thresholdPaise != null);
  const esicCovered = r.esicCovered ?? (esicHead ? w.monthlyGross <= BigInt(esicHead.thresholdPaise ?? 0) : false);
  const bonusHead = heads.find((h) => h.base === 'bonus_wage');
  const bonusCap = BigInt(Math.max(bonusHead?.thresholdPaise ?? 0, r.minimumWagePaise ?? 0));
  const bonusWage = bonusCap > 0n && w.earned > bonusCap ? bonusCap : w.earned;
  const bases: Record<string, bigint> = { earned_wage: w.earned, pf_wage: w.statutory, esic_wage: w.earned, bonus_wage: bonusWage };
  const lines: LineOut[] = [];
  let cost = w.earned;
  let reimbursed = 0n;
  let employee = 0n;
  for (const h of [...heads].sort((a, b) => a.sortOrder - b.sortOrder)) {
    if (h.stage !== 'cost' && h.stage !== 'reimbursed' && h.stage !== 'employee') continue;
    if (!conditionHolds(h, t, { esicCovered })) continue;
    const base = cappedBase(h, t, bases[h.base] ?? 0n);
    const rate = headRate(h, t);
    let amount = h.lumpSumPaise != null ? BigInt(h.lumpSumPaise) : applyRate(base, rate, h.rounding);
    if (amount === 0n && h.lumpSumPaise == null && rate === 0) continue;
    // What is withheld from the worker never exceeds what is left of the wage (a rupee rounding
    // up on a wage under a rupee, or a lump sum, would otherwise make the net wage negative).
    if (h.stage === 'employee' && amount > w.earned - employee) amount = w.earned - employee;
    lines.push({ code: h.code, kind: h.kind, stage: h.stage, basePaise: toNumber(base), ratePpm: rate, amountPaise: toNumber(amount) });
    if (h.stage === 'cost') cost += amount;
    else if (h.stage === 'reimbursed') reimbursed += amount;
    else employee += amount;
  }
  return {
    key: r.key,
    paidDays: r.paidDays,
    daysInMonth: r.daysInMonth,
    dayRatePaise: w.dayRate == null ? null : toNumber(w.dayRate),
    earnedWagePaise: toNumber(w.earned),
    pfWagePaise: toNumber(w.statutory),
    esicWagePaise: toNumber(w.earned),
    bonusWagePaise: toNumber(bonusWage),
    esicCovered,
    lines,
    costPaise: toNumber(cost),
    reimbursedPaise: toNumber(reimbursed),
    employeeDeductionPaise: toNumber(employee),
    netWagePaise: toNumber(w.earned - employee),
  };
}

/** One part of a month: the month computed in full at the rates in force from the part's first day, and the part's calendar days. */
export type MonthPart = { days: number; out: ResourceOut; heads: readonly Pick<HeadDef, 'code' | 'rounding'>[] };

/** Σ figure × days ÷ days in month, rounded once by `rounding` (BigInt, exact). */
function weighted(parts: readonly { days: number }[], figure: (i: number) => number, dim: number, rounding: Rounding): bigint {
  let n = 0n;
  for (const [i, p] of parts.entries()) n += BigInt(figure(i)) * BigInt(p.days);
  if (n < 0n) throw new EngineError('bad_input', 'a month part has a negative figure');
  const d = BigInt(dim);
  if (rounding === 'paisa_half_up') return divHalfUp(n, d);
  if (rounding === 'rupee_half_up') return divHalfUp(n, d * 100n) * 100n;
  return divUp(n, d * 100n) * 100n;
}

/**
 * A month whose rates change inside it (a revision effective on a day other than the 1st): each
 * part is the month computed **in full** by `computeResource` (the actual paid days) at the rates
 * in force from the part's first day; the month's figures are their calendar-day weighted mean,
 * `round(Σ figure_k × days_k ÷ days in month)`, rounded **once**: a head's amount by that head's
 * rounding (as the last part where it applies states it: EPF to the rupee half-up, ESIC up),
 * every other figure (earned wage and its parts, bases, day rate) half-up to the paisa. A head
 * absent in a part counts 0 there; a line's rate is the last part's. Cost, reimbursed, employee
 * deductions and net wage are summed again from the blended figures, so they add up as in
 * `computeResource`, and a worker's share is capped again at what is left of the blended earned
 * wage (the single-part rule, in the heads' order). Properties: one part (a revision on the 1st) is that part unchanged; parts
 * with equal figures give those figures exactly (round(A × dim ÷ dim) = A — a revision that
 * changes nothing changes no paisa); each figure lies between the parts' figures.
 */
export function blendMonth(parts: readonly MonthPart[]): ResourceOut {
  const first = parts[0];
  if (!first) throw new EngineError('bad_input', 'a month has at least one part');
  if (parts.length === 1) return first.out;
  const dim = first.out.daysInMonth;
  const total = parts.reduce((a, p) => a + p.days, 0);
  for (const p of parts) checkInt('days of a month part', p.days, 0, dim);
  if (total !== dim) throw new EngineError('bad_input', 'the parts of a month cover its days');
  const paisa = (f: (o: ResourceOut) => number) => weighted(parts, (i) => f(parts[i]!.out), dim, 'paisa_half_up');
  const earned = paisa((o) => o.earnedWagePaise);
  // Every head of any part: the last part's in its order, then any only earlier parts have.
  const codes: string[] = [];
  for (const p of [...parts].reverse()) for (const l of p.out.lines) if (!codes.includes(l.code)) codes.push(l.code);
  const lines: LineOut[] = [];
  let cost = earned;
  let reimbursed = 0n;
  let employee = 0n;
  for (const code of codes) {
    const at = (i: number) => parts[i]!.out.lines.find((l) => l.code === code);
    const lastIdx = [...parts.keys()].reverse().find((i) => at(i) !== undefined)!;
    const last = at(lastIdx)!;
    const rounding = parts[lastIdx]!.heads.find((h) => h.code === code)?.rounding ?? 'paisa_half_up';
    let amount = weighted(parts, (i) => at(i)?.amountPaise ?? 0, dim, rounding);
    // The worker's shares capped again at what is left of the blended earned wage, as in
    // computeResource: a part's share already capped (1 paisa on a 1-paisa wage) rounded up to the
    // rupee would otherwise exceed the wage, and two parts at the same rates would differ from one.
    if (last.stage === 'employee' && amount > earned - employee) amount = earned - employee;
    const base = weighted(parts, (i) => at(i)?.basePaise ?? 0, dim, 'paisa_half_up');
    lines.push({ code, kind: last.kind, stage: last.stage, basePaise: toNumber(base), ratePpm: last.ratePpm, amountPaise: toNumber(amount) });
    if (last.stage === 'cost') cost += amount;
    else if (last.stage === 'reimbursed') reimbursed += amount;
    else if (last.stage === 'employee') employee += amount;
  }
  const dayRates = parts.map((p) => p.out.dayRatePaise);
  return {
    key: first.out.key,
    paidDays: first.out.paidDays,
    daysInMonth: dim,
    dayRatePaise: dayRates.some((d) => d == null) ? null : toNumber(weighted(parts, (i) => dayRates[i]!, dim, 'paisa_half_up')),
    earnedWagePaise: toNumber(earned),
    pfWagePaise: toNumber(paisa((o) => o.pfWagePaise)),
    esicWagePaise: toNumber(paisa((o) => o.esicWagePaise)),
    bonusWagePaise: toNumber(paisa((o) => o.bonusWagePaise)),
    esicCovered: parts.some((p) => p.out.esicCovered),
    lines,
    costPaise: toNumber(cost),
    reimbursedPaise: toNumber(reimbursed),
    employeeDeductionPaise: toNumber(employee),
    netWagePaise: toNumber(earned - employee),
  };
}

/** The invoice-level lines over already computed resources (and arrears folded into the sums by the caller). */
export function totalInvoice(
  resources: ResourceOut[],
  t: ContractTerms,
  heads: HeadDef[],
  extra: { costPaise?: number; reimbursedPaise?: number } = {},
): InvoiceOut {
  let subtotal = BigInt(extra.costPaise ?? 0);
  let reimbursed = BigInt(extra.reimbursedPaise ?? 0);
  for (const r of resources) {
    subtotal += BigInt(r.costPaise);
    reimbursed += BigInt(r.reimbursedPaise);
  }
  if (subtotal < 0n || reimbursed < 0n) throw new EngineError('bad_input', 'the sub-total is negative');
  const lines: LineOut[] = [];
  const sorted = [...heads].sort((a, b) => a.sortOrder - b.sortOrder);
  let service = 0n;
  for (const h of sorted) {
    if (h.stage !== 'service' || !conditionHolds(h, t, { esicCovered: false })) continue;
    const rate = headRate(h, t);
    const amount = h.lumpSumPaise != null ? BigInt(h.lumpSumPaise) : applyRate(subtotal, rate, h.rounding);
    service += amount;
    lines.push({ code: h.code, kind: h.kind, stage: h.stage, basePaise: toNumber(subtotal), ratePpm: rate, amountPaise: toNumber(amount) });
  }
  const taxable = subtotal + service + reimbursed;
  const taxLines: LineOut[] = [];
  let gst = 0n;
  for (const h of sorted) {
    if (h.stage !== 'tax' || !conditionHolds(h, t, { esicCovered: false })) continue;
    const rate = headRate(h, t);
    const amount = applyRate(taxable, rate, h.rounding);
    gst += amount;
    const line = { code: h.code, kind: h.kind, stage: h.stage, basePaise: toNumber(taxable), ratePpm: rate, amountPaise: toNumber(amount) };
    taxLines.push(line);
    lines.push(line);
  }
  const gross = taxable + gst;
  const total = divHalfUp(gross, 100n) * 100n;
  return {
    resources,
    subtotalPaise: toNumber(subtotal),
    reimbursedPaise: toNumber(reimbursed),
    serviceChargePaise: toNumber(service),
    taxablePaise: toNumber(taxable),
    taxLines,
    gstPaise: toNumber(gst),
    grossTotalPaise: toNumber(gross),
    roundOffPaise: toNumber(total - gross),
    totalPaise: toNumber(total),
    lines,
  };
}

/** A whole invoice: every resource, then the invoice-level lines. */
export function computeInvoice(input: { terms: ContractTerms; heads: HeadDef[]; wageDefinition: WageDefinition; resources: ResourceInput[] }): InvoiceOut {
  const { terms } = input;
  checkInt('service charge (basis points)', terms.serviceChargeBp, 0, 10_000);
  checkInt('bonus (basis points)', terms.bonusBp, 0, 2_000);
  const rs = input.resources.map((r) => computeResource(r, terms, input.heads, input.wageDefinition));
  return totalInvoice(rs, terms, input.heads);
}

/**
 * Deductions at payment (stage 'bill'): TDS 194C on the amount excluding GST by the PAN holder's
 * type, GST TDS on the taxable value when the contract value exceeds the head's threshold.
 */
export function computeBillDeductions(input: { heads: HeadDef[]; taxablePaise: number; panIndividual: boolean; contractValuePaise: number }): LineOut[] {
  const out: LineOut[] = [];
  for (const h of [...input.heads].sort((a, b) => a.sortOrder - b.sortOrder)) {
    if (h.stage !== 'bill') continue;
    const holds =
      h.condition === 'pan_individual'
        ? input.panIndividual
        : h.condition === 'pan_other'
          ? !input.panIndividual
          : h.condition === 'gst_tds'
            ? input.contractValuePaise > (h.thresholdPaise ?? 0)
            : h.condition == null;
    if (!holds) continue;
    const amount = applyRate(input.taxablePaise, h.ratePpm, h.rounding);
    out.push({ code: h.code, kind: h.kind, stage: h.stage, basePaise: input.taxablePaise, ratePpm: h.ratePpm, amountPaise: toNumber(amount) });
  }
  return out;
}

const h = (x: Omit<HeadDef, 'lumpSumPaise' | 'ceilingPaise' | 'ceilingWhen' | 'thresholdPaise' | 'rateFrom'> & Partial<HeadDef>): HeadDef => ({
  lumpSumPaise: null,
  ceilingPaise: null,
  ceilingWhen: null,
  thresholdPaise: null,
  rateFrom: 'head',
  ...x,
});

/**
 * The seed heads in force from 1 April 2026 (spec 06). These are the masters' first rows (and the
 * tests' reference) — the engine never reads them directly; Finance revises heads as data.
 */
export const SEED_HEADS: HeadDef[] = [
  h({
    code: 'EPF_ER',
    nameEn: 'EPF employer 12%',
    nameHi: 'ईपीएफ नियोक्ता 12%',
    kind: 'payable',
    stage: 'cost',
    base: 'pf_wage',
    ratePpm: 120_000,
    ceilingPaise: 1_500_000,
    ceilingWhen: 'contract_epf_capped',
    condition: 'epf',
    rounding: 'rupee_half_up',
    sortOrder: 10,
  }),
  h({
    code: 'EPF_ADMIN',
    nameEn: 'EPF admin charges 0.5%',
    nameHi: 'ईपीएफ प्रशासनिक शुल्क 0.5%',
    kind: 'payable',
    stage: 'cost',
    base: 'pf_wage',
    ratePpm: 5_000,
    ceilingPaise: 1_500_000,
    ceilingWhen: 'contract_epf_capped',
    condition: 'epf',
    rounding: 'rupee_half_up',
    sortOrder: 20,
  }),
  h({
    code: 'EDLI',
    nameEn: 'EDLI 0.5%',
    nameHi: 'ईडीएलआई 0.5%',
    kind: 'payable',
    stage: 'cost',
    base: 'pf_wage',
    ratePpm: 5_000,
    ceilingPaise: 1_500_000,
    ceilingWhen: 'contract_epf_capped',
    condition: 'epf',
    rounding: 'rupee_half_up',
    sortOrder: 30,
  }),
  h({
    code: 'ESIC_ER',
    nameEn: 'ESIC employer 3.25%',
    nameHi: 'ईएसआईसी नियोक्ता 3.25%',
    kind: 'payable',
    stage: 'cost',
    base: 'esic_wage',
    ratePpm: 32_500,
    condition: 'esic',
    thresholdPaise: 2_100_000,
    rounding: 'rupee_up',
    sortOrder: 40,
  }),
  h({
    code: 'BONUS',
    nameEn: 'Bonus',
    nameHi: 'बोनस',
    kind: 'payable',
    stage: 'reimbursed',
    base: 'bonus_wage',
    rateFrom: 'contract_bonus',
    ratePpm: 0,
    condition: 'bonus',
    thresholdPaise: 700_000,
    rounding: 'paisa_half_up',
    sortOrder: 50,
  }),
  h({
    code: 'EPF_EE',
    nameEn: 'EPF employee 12%',
    nameHi: 'ईपीएफ कर्मचारी 12%',
    kind: 'deduction',
    stage: 'employee',
    base: 'pf_wage',
    ratePpm: 120_000,
    ceilingPaise: 1_500_000,
    ceilingWhen: 'contract_epf_capped',
    condition: 'epf',
    rounding: 'rupee_half_up',
    sortOrder: 60,
  }),
  h({
    code: 'ESIC_EE',
    nameEn: 'ESIC employee 0.75%',
    nameHi: 'ईएसआईसी कर्मचारी 0.75%',
    kind: 'deduction',
    stage: 'employee',
    base: 'esic_wage',
    ratePpm: 7_500,
    condition: 'esic',
    thresholdPaise: 2_100_000,
    rounding: 'rupee_up',
    sortOrder: 70,
  }),
  h({
    code: 'SERVICE_CHARGE',
    nameEn: 'Service charge',
    nameHi: 'सेवा शुल्क',
    kind: 'payable',
    stage: 'service',
    base: 'subtotal',
    rateFrom: 'contract_service_charge',
    ratePpm: 0,
    condition: null,
    rounding: 'paisa_half_up',
    sortOrder: 80,
  }),
  h({
    code: 'CGST',
    nameEn: 'CGST 9%',
    nameHi: 'सीजीएसटी 9%',
    kind: 'payable',
    stage: 'tax',
    base: 'taxable',
    ratePpm: 90_000,
    condition: 'intra_state',
    rounding: 'paisa_half_up',
    sortOrder: 90,
  }),
  h({
    code: 'SGST',
    nameEn: 'SGST 9%',
    nameHi: 'एसजीएसटी 9%',
    kind: 'payable',
    stage: 'tax',
    base: 'taxable',
    ratePpm: 90_000,
    condition: 'intra_state',
    rounding: 'paisa_half_up',
    sortOrder: 100,
  }),
  h({
    code: 'IGST',
    nameEn: 'IGST 18%',
    nameHi: 'आईजीएसटी 18%',
    kind: 'payable',
    stage: 'tax',
    base: 'taxable',
    ratePpm: 180_000,
    condition: 'inter_state',
    rounding: 'paisa_half_up',
    sortOrder: 110,
  }),
  h({
    code: 'TDS_194C_IND',
    nameEn: 'TDS 194C (individual / HUF) 1%',
    nameHi: 'टीडीएस 194सी (व्यक्ति / एचयूएफ) 1%',
    kind: 'deduction',
    stage: 'bill',
    base: 'taxable',
    ratePpm: 10_000,
    condition: 'pan_individual',
    rounding: 'rupee_half_up',
    sortOrder: 120,
  }),
  h({
    code: 'TDS_194C',
    nameEn: 'TDS 194C (others) 2%',
    nameHi: 'टीडीएस 194सी (अन्य) 2%',
    kind: 'deduction',
    stage: 'bill',
    base: 'taxable',
    ratePpm: 20_000,
    condition: 'pan_other',
    rounding: 'rupee_half_up',
    sortOrder: 130,
  }),
  h({
    code: 'GST_TDS_CGST',
    nameEn: 'GST TDS (CGST 1%)',
    nameHi: 'जीएसटी टीडीएस (सीजीएसटी 1%)',
    kind: 'deduction',
    stage: 'bill',
    base: 'taxable',
    ratePpm: 10_000,
    condition: 'gst_tds',
    thresholdPaise: 25_000_000,
    rounding: 'rupee_half_up',
    sortOrder: 140,
  }),
  h({
    code: 'GST_TDS_SGST',
    nameEn: 'GST TDS (SGST 1%)',
    nameHi: 'जीएसटी टीडीएस (एसजीएसटी 1%)',
    kind: 'deduction',
    stage: 'bill',
    base: 'taxable',
    ratePpm: 10_000,
    condition: 'gst_tds',
    thresholdPaise: 25_000_000,
    rounding: 'rupee_half_up',
    sortOrder: 150,
  }),
];

export const SEED_WAGE_DEFINITION: WageDefinition = { kind: 'basic_da', allowanceSharePpm: 500_000 };

/** The same heads with every rounding half-up to the paisa (the spec's worked table). */
export function withPaisaRounding(heads: HeadDef[]): HeadDef[] {
  return heads.map((x) => ({ ...x, rounding: 'paisa_half_up' }));
}
