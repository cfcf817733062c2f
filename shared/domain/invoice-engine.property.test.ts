import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRate,
  type ContractTerms,
  computeInvoice,
  EngineError,
  type HeadDef,
  type InvoiceOut,
  ROUNDINGS,
  type ResourceInput,
  type Rounding,
  SEED_HEADS,
  SEED_WAGE_DEFINITION,
  type WageDefinition,
} from './invoice-engine.ts';

/**
 * Property tests of the invoice engine (bar M6, issue 16 "Correctness"): ≥ 1,000 runs each.
 * fast-check prints the seed and the shrunk counterexample on failure; set FC_SEED to replay one.
 *
 * The reference below is written independently of the engine, in plain BigInt: rounding by
 * adding half the divisor (or the divisor − 1) before a floor division, rather than the engine's
 * remainder comparison; heads applied by walking the rule as the spec states it.
 */
const RUNS = 1_000;
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) };

const M = 1_000_000n;
/** ⌊(n + d/2) / d⌋ for n ≥ 0 written with 2n + d over 2d, so odd divisors round exactly half-up too. */
const refHalfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);
const refUp = (n: bigint, d: bigint) => (n + d - 1n) / d;
function refRound(n: bigint, r: Rounding): bigint {
  if (r === 'paisa_half_up') return refHalfUp(n, M);
  if (r === 'rupee_half_up') return refHalfUp(n, 100n * M) * 100n;
  return refUp(n, 100n * M) * 100n;
}

type RefLine = { code: string; base: bigint; amount: bigint };

function refResource(r: ResourceInput, t: ContractTerms, heads: HeadDef[], def: WageDefinition) {
  const b = BigInt(r.basicPaise);
  const v = BigInt(r.vdaPaise);
  const a = BigInt(r.allowancesPaise ?? 0);
  const days = BigInt(r.paidDays);
  let earned: bigint;
  let basicDa: bigint;
  if (t.wageBasis === 'daily') {
    const [db, dv, da] = [b, v, a].map((x) => refHalfUp(x, 26n)) as [bigint, bigint, bigint];
    earned = (db + dv + da) * days;
    basicDa = (db + dv) * days;
  } else {
    const dim = BigInt(r.daysInMonth);
    earned = refHalfUp((b + v + a) * days, dim);
    basicDa = refHalfUp((b + v) * days, dim);
  }
  let pf = basicDa;
  if (def.kind === 'labour_code') {
    const allow = earned - basicDa;
    const allowed = (earned * BigInt(def.allowanceSharePpm)) / M;
    if (allow > allowed) pf += allow - allowed;
  }
  const esicThreshold = heads.find((h) => h.condition === 'esic' && h.thresholdPaise != null)?.thresholdPaise;
  const covered = esicThreshold != null && b + v + a <= BigInt(esicThreshold);
  const bonusThreshold = heads.find((h) => h.base === 'bonus_wage')?.thresholdPaise ?? 0;
  const cap = BigInt(Math.max(bonusThreshold, r.minimumWagePaise ?? 0));
  const bonusWage = cap > 0n && earned > cap ? cap : earned;
  const lines: RefLine[] = [];
  let cost = earned;
  let reimbursed = 0n;
  let employee = 0n;
  for (const h of [...heads].sort((x, y) => x.sortOrder - y.sortOrder)) {
    if (!['cost', 'reimbursed', 'employee'].includes(h.stage)) continue;
    const holds =
      h.condition === null ||
      (h.condition === 'epf' && t.epfMode !== 'none') ||
      (h.condition === 'esic' && t.esicApplies && covered) ||
      (h.condition === 'bonus' && t.bonusBp > 0);
    if (!holds) continue;
    let base = { earned_wage: earned, pf_wage: pf, esic_wage: earned, bonus_wage: bonusWage }[h.base as 'earned_wage'] ?? 0n;
    const capOn = h.ceilingPaise != null && (h.ceilingWhen === 'always' || (h.ceilingWhen === 'contract_epf_capped' && t.epfMode === 'capped'));
    if (capOn && base > BigInt(h.ceilingPaise!)) base = BigInt(h.ceilingPaise!);
    const rate = h.rateFrom === 'contract_bonus' ? t.bonusBp * 100 : h.rateFrom === 'contract_service_charge' ? t.serviceChargeBp * 100 : h.ratePpm;
    if (h.lumpSumPaise == null && rate === 0) continue;
    let amount = h.lumpSumPaise != null ? BigInt(h.lumpSumPaise) : refRound(base * BigInt(rate), h.rounding);
    // The worker's share is withheld from the wage: never more than is left of it.
    if (h.stage === 'employee') amount = amount < earned - employee ? amount : earned - employee;
    lines.push({ code: h.code, base, amount });
    if (h.stage === 'cost') cost += amount;
    else if (h.stage === 'reimbursed') reimbursed += amount;
    else employee += amount;
  }
  return { earned, pf, covered, lines, cost, reimbursed, employee };
}

function refInvoice(rs: ResourceInput[], t: ContractTerms, heads: HeadDef[], def: WageDefinition) {
  const res = rs.map((r) => refResource(r, t, heads, def));
  const subtotal = res.reduce((s, r) => s + r.cost, 0n);
  const reimbursed = res.reduce((s, r) => s + r.reimbursed, 0n);
  let service = 0n;
  const sorted = [...heads].sort((x, y) => x.sortOrder - y.sortOrder);
  for (const h of sorted)
    if (h.stage === 'service')
      service +=
        h.lumpSumPaise != null ? BigInt(h.lumpSumPaise) : refRound(subtotal * BigInt(h.rateFrom === 'head' ? h.ratePpm : t.serviceChargeBp * 100), h.rounding);
  const taxable = subtotal + service + reimbursed;
  let gst = 0n;
  for (const h of sorted)
    if (h.stage === 'tax' && ((h.condition === 'intra_state' && t.intraState) || (h.condition === 'inter_state' && !t.intraState) || h.condition === null))
      gst += refRound(taxable * BigInt(h.ratePpm), h.rounding);
  const gross = taxable + gst;
  return { res, subtotal, reimbursed, service, taxable, gst, gross, total: refHalfUp(gross, 100n) * 100n };
}

// --- Generators ----------------------------------------------------------------------------------

const arbTerms: fc.Arbitrary<ContractTerms> = fc.record({
  wageBasis: fc.constantFrom('monthly' as const, 'daily' as const),
  epfMode: fc.constantFrom('none' as const, 'capped' as const, 'uncapped' as const),
  esicApplies: fc.boolean(),
  bonusBp: fc.oneof(fc.constant(0), fc.constant(833), fc.integer({ min: 0, max: 2_000 })),
  serviceChargeBp: fc.oneof(fc.constant(385), fc.integer({ min: 0, max: 10_000 })),
  intraState: fc.boolean(),
});

const arbResource = (key: number): fc.Arbitrary<ResourceInput> =>
  fc.integer({ min: 28, max: 31 }).chain((daysInMonth) =>
    fc.record({
      key: fc.constant(String(key)),
      basicPaise: fc.oneof(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 100_000_000 })),
      vdaPaise: fc.integer({ min: 0, max: 1_000_000 }),
      allowancesPaise: fc.integer({ min: 0, max: 2_000_000 }),
      paidDays: fc.integer({ min: 0, max: daysInMonth }),
      daysInMonth: fc.constant(daysInMonth),
      minimumWagePaise: fc.integer({ min: 0, max: 3_000_000 }),
    }),
  );
const arbResources = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbResource(i))));

/** The seed heads with their figures varied: each head's rounding, rate, ceiling and threshold. */
const arbHeads: fc.Arbitrary<HeadDef[]> = fc.tuple(
  ...SEED_HEADS.map((h) =>
    fc
      .record({
        rounding: fc.constantFrom(...ROUNDINGS),
        ratePpm: h.rateFrom === 'head' && h.stage !== 'tax' ? fc.integer({ min: 0, max: 200_000 }) : fc.constant(h.ratePpm),
        ceilingPaise: h.ceilingPaise == null ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
        thresholdPaise: h.thresholdPaise == null ? fc.constant(null) : fc.integer({ min: 0, max: 5_000_000 }),
        lumpSumPaise: h.stage === 'cost' ? fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null, freq: 8 }) : fc.constant(null),
      })
      .map((x) => ({ ...h, ...x, rounding: h.stage === 'tax' ? h.rounding : x.rounding })),
  ),
);
const arbDef: fc.Arbitrary<WageDefinition> = fc.oneof(
  fc.constant(SEED_WAGE_DEFINITION),
  fc.record({ kind: fc.constant('labour_code' as const), allowanceSharePpm: fc.integer({ min: 0, max: 1_000_000 }) }),
);

function amounts(inv: InvoiceOut): number[] {
  const out: number[] = [
    inv.subtotalPaise,
    inv.reimbursedPaise,
    inv.serviceChargePaise,
    inv.taxablePaise,
    inv.gstPaise,
    inv.grossTotalPaise,
    inv.roundOffPaise,
    inv.totalPaise,
  ];
  for (const l of inv.lines) out.push(l.basePaise, l.amountPaise, l.ratePpm);
  for (const r of inv.resources) {
    out.push(r.earnedWagePaise, r.pfWagePaise, r.esicWagePaise, r.bonusWagePaise, r.costPaise, r.reimbursedPaise, r.employeeDeductionPaise, r.netWagePaise);
    if (r.dayRatePaise != null) out.push(r.dayRatePaise);
    for (const l of r.lines) out.push(l.basePaise, l.amountPaise, l.ratePpm);
  }
  return out;
}

// --- Properties ----------------------------------------------------------------------------------

describe('invoice engine properties (fast-check, ≥ 1,000 runs each)', () => {
  it('invoice = Σ over resources of the head rules, each head recomputed independently', () => {
    fc.assert(
      fc.property(arbTerms, arbHeads, arbDef, arbResources, (terms, heads, def, resources) => {
        const inv = computeInvoice({ terms, heads, wageDefinition: def, resources });
        const ref = refInvoice(resources, terms, heads, def);
        inv.resources.forEach((r, i) => {
          const e = ref.res[i]!;
          expect(BigInt(r.earnedWagePaise)).toBe(e.earned);
          expect(BigInt(r.pfWagePaise)).toBe(e.pf);
          expect(r.esicCovered).toBe(e.covered);
          expect(r.lines.map((l) => [l.code, BigInt(l.basePaise), BigInt(l.amountPaise)])).toEqual(e.lines.map((l) => [l.code, l.base, l.amount]));
          expect(BigInt(r.costPaise)).toBe(e.cost);
          expect(BigInt(r.netWagePaise)).toBe(e.earned - e.employee);
        });
        expect(
          [inv.subtotalPaise, inv.reimbursedPaise, inv.serviceChargePaise, inv.taxablePaise, inv.gstPaise, inv.grossTotalPaise, inv.totalPaise].map(BigInt),
        ).toEqual([ref.subtotal, ref.reimbursed, ref.service, ref.taxable, ref.gst, ref.gross, ref.total]);
        // The invoice of several resources is the sum of each one's own: nothing shared leaks between workers.
        const alone = resources.map((r) => computeInvoice({ terms, heads, wageDefinition: def, resources: [r] }));
        expect(inv.subtotalPaise).toBe(alone.reduce((s, x) => s + x.subtotalPaise, 0));
      }),
      params,
    );
  });

  it('CGST + SGST is within 1 paisa of IGST 18 % on the same taxable value', () => {
    // Each 9 % is rounded half-up to the paisa separately (what an invoice prints); 18 % rounded once
    // may differ by the one paisa the two roundings add: 2·round(x/2) − round(x) ∈ {−1, 0, 1}.
    fc.assert(
      fc.property(arbTerms, arbResources, (terms, resources) => {
        const intra = computeInvoice({ terms: { ...terms, intraState: true }, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources });
        const inter = computeInvoice({ terms: { ...terms, intraState: false }, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources });
        expect(intra.taxablePaise).toBe(inter.taxablePaise);
        expect(intra.taxLines.map((l) => l.code)).toEqual(['CGST', 'SGST']);
        expect(inter.taxLines.map((l) => l.code)).toEqual(['IGST']);
        expect(Math.abs(intra.gstPaise - inter.gstPaise)).toBeLessThanOrEqual(1);
        expect(intra.taxLines[0]!.amountPaise).toBe(intra.taxLines[1]!.amountPaise);
      }),
      params,
    );
  });

  it('no amount is negative or fractional; the total is whole rupees and the round-off under half a rupee', () => {
    fc.assert(
      fc.property(arbTerms, arbHeads, arbDef, arbResources, (terms, heads, def, resources) => {
        const inv = computeInvoice({ terms, heads, wageDefinition: def, resources });
        for (const x of amounts(inv)) expect(Number.isSafeInteger(x)).toBe(true);
        for (const x of amounts(inv).filter((_, i) => i !== 6)) expect(x).toBeGreaterThanOrEqual(0);
        expect(inv.totalPaise % 100).toBe(0);
        expect(inv.roundOffPaise).toBeGreaterThan(-50);
        expect(inv.roundOffPaise).toBeLessThanOrEqual(50);
        expect(inv.totalPaise).toBe(inv.grossTotalPaise + inv.roundOffPaise);
      }),
      params,
    );
  });

  it('paid days above the days in the month (or outside 0–31) are refused', () => {
    fc.assert(
      fc.property(arbTerms, fc.integer({ min: 28, max: 31 }), fc.integer({ min: 1, max: 40 }), (terms, daysInMonth, extra) => {
        const r = { key: 'x', basicPaise: 1_215_000, vdaPaise: 0, paidDays: daysInMonth + extra, daysInMonth };
        expect(() => computeInvoice({ terms, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources: [r] })).toThrow(EngineError);
      }),
      params,
    );
    for (const bad of [
      { paidDays: -1, daysInMonth: 31 },
      { paidDays: 10, daysInMonth: 0 },
      { paidDays: 1.5, daysInMonth: 31 },
    ])
      expect(() =>
        computeInvoice({
          terms: { wageBasis: 'monthly', epfMode: 'none', esicApplies: false, bonusBp: 0, serviceChargeBp: 0, intraState: true },
          heads: SEED_HEADS,
          wageDefinition: SEED_WAGE_DEFINITION,
          resources: [{ key: 'x', basicPaise: 1, vdaPaise: 0, ...bad }],
        }),
      ).toThrow(EngineError);
  });

  it('rounding rules agree with the reference: half-up to the paisa, half-up to the rupee, up to the rupee', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...ROUNDINGS), (base, ppm, r) => {
        const got = applyRate(base, ppm, r);
        expect(got).toBe(refRound(base * BigInt(ppm), r));
        // And by their definitions: within the unit, on the right side of the exact value.
        const exactTimesM = base * BigInt(ppm); // the exact amount × 10^6 paise
        const unit = r === 'paisa_half_up' ? M : 100n * M;
        const diff = got * M - exactTimesM; // (rounded − exact) × 10^6
        if (r === 'rupee_up') expect(diff >= 0n && diff < unit).toBe(true);
        // Half-up: an exact half goes up (2 × diff = unit), so −unit < 2 × diff ≤ unit.
        else expect(2n * diff > -unit && 2n * diff <= unit).toBe(true);
        if (r !== 'paisa_half_up') expect(got % 100n).toBe(0n);
      }),
      params,
    );
    // The halves themselves: 0.5 paisa up, ₹0.50 up, a paisa above a rupee up to the next rupee.
    expect([applyRate(1n, 500_000, 'paisa_half_up'), applyRate(50n, 1_000_000, 'rupee_half_up'), applyRate(49n, 1_000_000, 'rupee_half_up')]).toEqual([
      1n,
      100n,
      0n,
    ]);
    expect([applyRate(101n, 1_000_000, 'rupee_up'), applyRate(100n, 1_000_000, 'rupee_up'), applyRate(0n, 1_000_000, 'rupee_up')]).toEqual([200n, 100n, 0n]);
  });

  it('ceilings are respected: with the EPF ceiling no EPF head is on more than ₹15,000, without it on the whole PF wage', () => {
    fc.assert(
      fc.property(arbTerms, arbResources, (terms, resources) => {
        const inv = computeInvoice({ terms, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources });
        for (const r of inv.resources)
          for (const l of r.lines.filter((x) => x.code.startsWith('EPF') || x.code === 'EDLI')) {
            expect(terms.epfMode).not.toBe('none');
            if (terms.epfMode === 'capped') {
              expect(l.basePaise).toBe(Math.min(r.pfWagePaise, 1_500_000));
              if (l.code === 'EPF_ER') expect(l.amountPaise).toBeLessThanOrEqual(180_000);
            } else expect(l.basePaise).toBe(r.pfWagePaise);
          }
      }),
      params,
    );
  });
});
