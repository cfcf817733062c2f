import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContractTerms,
  computeResource,
  type HeadDef,
  ROUNDINGS,
  type ResourceOut,
  type Rounding,
  SEED_HEADS,
  type WageDefinition,
} from '../../../shared/domain/invoice-engine.ts';
import { headDifferences } from './invoice.arrears.ts';
import { type RatePart, type Rates, resourceInMonth, wageInputs } from './invoice.month-parts.ts';

/**
 * Property tests of rate-revision arrears (issue 16, bar M6): ≥ 1,000 runs each. fast-check prints
 * the seed and the shrunk counterexample on failure; set FC_SEED to replay one.
 *
 * A month is billed at the rates recorded at generation (a timeline: the first day's rates, maybe
 * a change inside the month); Finance then records a revision effective on some day of it. What
 * the month billed plus the arrears the next invoice carries (`headDifferences`, as
 * invoice.rate-arrears.ts computes them) must be the month computed afresh at the rates now in
 * force, head by head and in its cost and reimbursed sums; the same revision recorded again gives
 * no second arrear; a "revision" repeating the rates in force changes no paisa. The month's
 * prorating is checked against a reference written apart from `blendMonth` (rounding by adding
 * half the divisor before a floor division).
 */
const RUNS = 1_000;
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) };
const SKILL = 7;

const arbRounding = fc.constantFrom<Rounding>(...ROUNDINGS);
const arbRates: fc.Arbitrary<Rates> = fc
  .record({
    epf: fc.integer({ min: 80_000, max: 130_000 }),
    epfRounding: arbRounding,
    admin: fc.integer({ min: 0, max: 10_000 }),
    edli: fc.integer({ min: 0, max: 10_000 }),
    ceiling: fc.integer({ min: 1_000_000, max: 2_500_000 }),
    esic: fc.integer({ min: 0, max: 50_000 }),
    esicRounding: arbRounding,
    bonusFloor: fc.integer({ min: 500_000, max: 1_200_000 }),
    def: fc.oneof(
      fc.constant<WageDefinition>({ kind: 'basic_da', allowanceSharePpm: 500_000 }),
      fc.integer({ min: 0, max: 1_000_000 }).map((s): WageDefinition => ({ kind: 'labour_code', allowanceSharePpm: s })),
    ),
    minimum: fc.option(fc.record({ basicPaise: fc.integer({ min: 0, max: 2_000_000 }), vdaPaise: fc.integer({ min: 0, max: 500_000 }) }), { nil: undefined }),
  })
  .map((x) => {
    const heads: HeadDef[] = SEED_HEADS.map((h) => {
      if (h.code === 'EPF_ER' || h.code === 'EPF_EE') return { ...h, ratePpm: x.epf, rounding: x.epfRounding, ceilingPaise: x.ceiling };
      if (h.code === 'EPF_ADMIN') return { ...h, ratePpm: x.admin, ceilingPaise: x.ceiling };
      if (h.code === 'EDLI') return { ...h, ratePpm: x.edli, ceilingPaise: x.ceiling };
      if (h.code === 'ESIC_ER') return { ...h, ratePpm: x.esic, rounding: x.esicRounding };
      if (h.code === 'BONUS') return { ...h, thresholdPaise: x.bonusFloor };
      return h;
    });
    return { heads, def: x.def, minimums: new Map(x.minimum ? [[SKILL, x.minimum]] : []) };
  });
const arbTerms: fc.Arbitrary<ContractTerms> = fc.record({
  wageBasis: fc.constantFrom('monthly' as const, 'daily' as const),
  epfMode: fc.constantFrom('none' as const, 'capped' as const, 'uncapped' as const),
  esicApplies: fc.boolean(),
  bonusBp: fc.integer({ min: 0, max: 2_000 }),
  serviceChargeBp: fc.integer({ min: 0, max: 1_000 }),
  intraState: fc.boolean(),
});
const arbCase = fc
  .record({
    dim: fc.integer({ min: 28, max: 31 }),
    paidShare: fc.double({ min: 0, max: 1, noNaN: true }),
    basicPaise: fc.integer({ min: 0, max: 2_500_000 }),
    vdaPaise: fc.integer({ min: 0, max: 500_000 }),
    esicCovered: fc.boolean(),
    terms: arbTerms,
    r0: arbRates,
    /** A change inside the month already known at generation (day 2 … 31), or none. */
    r1: fc.option(fc.record({ day: fc.integer({ min: 2, max: 31 }), rates: arbRates }), { nil: undefined }),
    /** The late revision: its day (1 … 31) and rates. */
    rev: fc.record({ day: fc.integer({ min: 1, max: 31 }), rates: arbRates }),
    rev2: fc.record({ day: fc.integer({ min: 1, max: 31 }), rates: arbRates }),
  })
  .map((c) => ({
    ...c,
    paidDays: Math.round(c.paidShare * c.dim),
    r1: c.r1 && c.r1.day <= c.dim ? c.r1 : undefined,
    rev: { ...c.rev, day: Math.min(c.rev.day, c.dim) },
    rev2: { ...c.rev2, day: Math.min(c.rev2.day, c.dim) },
  }));
type Case = typeof arbCase extends fc.Arbitrary<infer T> ? T : never;
type Timeline = { day: number; rates: Rates }[];

/** A timeline with a row effective on `day` (it replaces the rates from that day until the next change already recorded). */
const withRow = (tl: Timeline, day: number, rates: Rates): Timeline => [...tl.filter((x) => x.day !== day), { day, rates }].sort((a, b) => a.day - b.day);
const partsOf = (tl: Timeline, dim: number): RatePart[] => tl.map((x, i) => ({ fromDay: x.day, days: (tl[i + 1]?.day ?? dim + 1) - x.day, rates: x.rates }));
const monthOf = (c: Case, tl: Timeline) =>
  resourceInMonth(
    { key: '1', basicPaise: c.basicPaise, vdaPaise: c.vdaPaise, daysInMonth: c.dim, paidDays: c.paidDays, esicCovered: c.esicCovered },
    SKILL,
    c.terms,
    partsOf(tl, c.dim),
  );
const genTimeline = (c: Case): Timeline => withRow([{ day: 1, rates: c.r0 }], c.r1?.day ?? 1, c.r1?.rates ?? c.r0);
/** Earned wage and every cost / reimbursed head by code. */
const billable = (r: ResourceOut) =>
  new Map<string, number>([
    ['WAGE', r.earnedWagePaise],
    ...r.lines.filter((l) => l.stage === 'cost' || l.stage === 'reimbursed').map((l) => [l.code, l.amountPaise] as const),
  ]);

// --- The reference prorating (independent of blendMonth) ---
const refHalfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);
const refUp = (n: bigint, d: bigint) => (n + d - 1n) / d;
function refRound(n: bigint, dim: bigint, r: Rounding): number {
  if (r === 'paisa_half_up') return Number(refHalfUp(n, dim));
  if (r === 'rupee_half_up') return Number(refHalfUp(n, dim * 100n) * 100n);
  return Number(refUp(n, dim * 100n) * 100n);
}

describe('rate-revision arrears, over random rates, revisions and days (≥ 1,000 runs each)', () => {
  it('the month prorated: each figure is Σ (the month in full at a part’s rates × its days) ÷ days, rounded once by the head’s rule', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const tl = withRow(genTimeline(c), c.rev.day, c.rev.rates);
        const parts = partsOf(tl, c.dim);
        const full = parts.map((p) =>
          computeResource(
            { key: '1', ...wageInputs(c, p.rates.minimums.get(SKILL)), daysInMonth: c.dim, paidDays: c.paidDays, esicCovered: c.esicCovered },
            c.terms,
            p.rates.heads,
            p.rates.def,
          ),
        );
        const got = monthOf(c, tl);
        const dim = BigInt(c.dim);
        const sum = (f: (o: ResourceOut) => number) => full.reduce((a, o, k) => a + BigInt(f(o)) * BigInt(parts[k]!.days), 0n);
        expect(got.earnedWagePaise).toBe(
          refRound(
            sum((o) => o.earnedWagePaise),
            dim,
            'paisa_half_up',
          ),
        );
        const codes = new Set(full.flatMap((o) => o.lines.map((l) => l.code)));
        expect(new Set(got.lines.map((l) => l.code))).toEqual(codes);
        // The worker's shares, in the order the lines come, capped at what is left of the earned wage.
        let left = got.earnedWagePaise;
        for (const l of got.lines) {
          const code = l.code;
          const lastK = full.map((o) => o.lines.some((x) => x.code === code)).lastIndexOf(true);
          const head = parts[lastK]!.rates.heads.find((h) => h.code === code)!;
          let want = refRound(
            sum((o) => o.lines.find((x) => x.code === code)?.amountPaise ?? 0),
            dim,
            head.rounding,
          );
          if (head.stage === 'employee') {
            want = Math.min(want, left);
            left -= want;
          }
          expect(l.amountPaise, code).toBe(want);
        }
        expect(got.netWagePaise).toBe(left);
        // The sums add up as the engine's do.
        const lines = (s: string) => got.lines.filter((l) => l.stage === s).reduce((a, l) => a + l.amountPaise, 0);
        expect(got.costPaise).toBe(got.earnedWagePaise + lines('cost'));
        expect(got.reimbursedPaise).toBe(lines('reimbursed'));
      }),
      params,
    );
  });

  it('billed + arrears = the month afresh at the rates now in force (head by head, cost and reimbursed); the same revision again gives no second arrear', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const gen = genTimeline(c);
        const billed = monthOf(c, gen);
        const now = withRow(gen, c.rev.day, c.rev.rates);
        const fresh = monthOf(c, now);
        const diffs = headDifferences(billed, fresh);
        const b = billable(billed);
        const f = billable(fresh);
        for (const code of new Set([...b.keys(), ...f.keys()])) {
          const d = diffs.filter((x) => x.code === code).reduce((a, x) => a + x.amountPaise, 0);
          expect((b.get(code) ?? 0) + d, code).toBe(f.get(code) ?? 0);
        }
        expect(diffs.every((x) => x.amountPaise !== 0 && (x.stage === 'arrears') === x.amountPaise > 0)).toBe(true);
        const cost = diffs.filter((x) => x.source === 'cost').reduce((a, x) => a + x.amountPaise, 0);
        const reimbursed = diffs.filter((x) => x.source === 'reimbursed').reduce((a, x) => a + x.amountPaise, 0);
        expect(billed.costPaise + cost).toBe(fresh.costPaise);
        expect(billed.reimbursedPaise + reimbursed).toBe(fresh.reimbursedPaise);
        // Settled: what the invoices billed together is the month at the rates as recorded then (invoice.rate-arrears.ts);
        // the same revision recorded again leaves the timeline as it is — nothing more to bill.
        expect(headDifferences(fresh, monthOf(c, withRow(now, c.rev.day, c.rev.rates)))).toEqual([]);
        // A second, different revision: billed + both arrears = the month at the rates after both.
        const later = withRow(now, c.rev2.day, c.rev2.rates);
        const fresh2 = monthOf(c, later);
        const second = headDifferences(fresh, fresh2);
        const f2 = billable(fresh2);
        for (const code of new Set([...b.keys(), ...f2.keys()])) {
          const d = [...diffs, ...second].filter((x) => x.code === code).reduce((a, x) => a + x.amountPaise, 0);
          expect((b.get(code) ?? 0) + d, code).toBe(f2.get(code) ?? 0);
        }
      }),
      params,
    );
  });

  it('a revision repeating the rates in force on its day changes no paisa; one on the 1st replacing all is the plain month at its rates', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const gen = genTimeline(c);
        const billed = monthOf(c, gen);
        const inForce = [...gen].reverse().find((x) => x.day <= c.rev.day)!.rates;
        expect(headDifferences(billed, monthOf(c, withRow(gen, c.rev.day, inForce)))).toEqual([]);
        expect(monthOf(c, withRow(gen, c.rev.day, inForce))).toEqual(billed);
        const plain = computeResource(
          { key: '1', ...wageInputs(c, c.rev.rates.minimums.get(SKILL)), daysInMonth: c.dim, paidDays: c.paidDays, esicCovered: c.esicCovered },
          c.terms,
          c.rev.rates.heads,
          c.rev.rates.def,
        );
        expect(monthOf(c, [{ day: 1, rates: c.rev.rates }])).toEqual(plain);
      }),
      params,
    );
  });

  it('a worker’s share capped at a tiny wage stays capped when the month is split into parts (found by the property above, seed 1676068122)', () => {
    // Basic 7 paise, 2 paid days of 28: earned 1 paisa; EPF employee 8 % of it, rounded up to the
    // rupee, is ₹1 — capped at the 1 paisa earned. Two parts at the same rates blended that capped
    // paisa, rounded it up to ₹1 again and left the worker −99 paise.
    const heads = SEED_HEADS.map((h) => (h.code === 'EPF_EE' ? { ...h, ratePpm: 80_000, rounding: 'rupee_up' as const } : h));
    const r0: Rates = { heads, def: { kind: 'labour_code', allowanceSharePpm: 0 }, minimums: new Map() };
    const c = {
      dim: 28,
      paidDays: 2,
      basicPaise: 7,
      vdaPaise: 0,
      esicCovered: false,
      terms: { wageBasis: 'monthly', epfMode: 'capped', esicApplies: false, bonusBp: 0, serviceChargeBp: 0, intraState: false },
    } as unknown as Case;
    const whole = monthOf(c, [{ day: 1, rates: r0 }]);
    const split = monthOf(c, [
      { day: 1, rates: r0 },
      { day: 2, rates: r0 },
    ]);
    expect(whole.earnedWagePaise).toBe(1);
    expect(split).toEqual(whole);
    expect(split.lines.find((l) => l.code === 'EPF_EE')?.amountPaise).toBe(1);
    expect(split.netWagePaise).toBe(0);
  });
});
