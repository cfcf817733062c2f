import { describe, expect, it } from 'vitest';
import { computeBillDeductions, computeInvoice, type ContractTerms, SEED_HEADS, SEED_WAGE_DEFINITION, withPaisaRounding } from './invoice-engine.ts';

// Spec 06 worked reference: MP rates from 1 Oct 2025, full month, EPF ceiling applied, ESIC
// applicable, service charge 3.85 %, GST 18 %, bonus outside the sub-total (no bonus billed).
const terms: ContractTerms = { wageBasis: 'monthly', epfMode: 'capped', esicApplies: true, bonusBp: 0, serviceChargeBp: 385, intraState: false };
const unskilled = { key: 'u', basicPaise: 957_500, vdaPaise: 257_500, paidDays: 31, daysInMonth: 31 };
const highly = { key: 'h', basicPaise: 1_391_900, vdaPaise: 257_500, paidDays: 31, daysInMonth: 31 };
const line = (r: { lines: { code: string; amountPaise: number }[] }, code: string) => r.lines.find((l) => l.code === code)?.amountPaise;

describe('worked reference, every step half-up to the paisa (IGST 18 %)', () => {
  const heads = withPaisaRounding(SEED_HEADS);
  it('unskilled ₹12,150 → total ₹17,308.44', () => {
    const inv = computeInvoice({ terms, heads, wageDefinition: SEED_WAGE_DEFINITION, resources: [unskilled] });
    const r = inv.resources[0]!;
    expect([r.earnedWagePaise, line(r, 'EPF_ER'), line(r, 'EPF_ADMIN'), line(r, 'EDLI'), line(r, 'ESIC_ER')]).toEqual([
      1_215_000, 145_800, 6_075, 6_075, 39_488,
    ]);
    expect([inv.subtotalPaise, inv.serviceChargePaise, inv.gstPaise, inv.grossTotalPaise]).toEqual([1_412_438, 54_379, 264_027, 1_730_844]);
    expect([inv.roundOffPaise, inv.totalPaise]).toEqual([-44, 1_730_800]);
  });
  it('highly skilled ₹16,494 → EPF on ₹15,000, total ₹23,258.73', () => {
    const inv = computeInvoice({ terms, heads, wageDefinition: SEED_WAGE_DEFINITION, resources: [highly] });
    const r = inv.resources[0]!;
    expect([line(r, 'EPF_ER'), line(r, 'EPF_ADMIN'), line(r, 'EDLI'), line(r, 'ESIC_ER')]).toEqual([180_000, 7_500, 7_500, 53_606]);
    expect([inv.subtotalPaise, inv.serviceChargePaise, inv.gstPaise, inv.grossTotalPaise]).toEqual([1_898_006, 73_073, 354_794, 2_325_873]);
  });
});

describe('worked reference with the default per-head rounding', () => {
  it('EPF side half-up to the rupee, ESIC up to the rupee (unskilled ESIC ₹395)', () => {
    const inv = computeInvoice({ terms, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources: [unskilled] });
    const r = inv.resources[0]!;
    // 1458.00, 60.75 → 61, 60.75 → 61, 394.875 → 395
    expect([line(r, 'EPF_ER'), line(r, 'EPF_ADMIN'), line(r, 'EDLI'), line(r, 'ESIC_ER')]).toEqual([145_800, 6_100, 6_100, 39_500]);
    expect(inv.subtotalPaise).toBe(1_215_000 + 145_800 + 6_100 + 6_100 + 39_500);
    // sub-total 14,125.00 × 3.85 % = 543.8125 → 543.81; taxable 14,668.81 × 18 % = 2,640.3858 → 2,640.39
    expect([inv.serviceChargePaise, inv.gstPaise, inv.grossTotalPaise, inv.totalPaise]).toEqual([54_381, 264_039, 1_730_920, 1_730_900]);
  });
  it('intra-state: CGST and SGST each rounded (9 % of 14,668.81 = 1,320.19 each)', () => {
    const inv = computeInvoice({ terms: { ...terms, intraState: true }, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources: [unskilled] });
    expect(inv.taxLines.map((l) => [l.code, l.amountPaise])).toEqual([
      ['CGST', 132_019],
      ['SGST', 132_019],
    ]);
  });
  it('employee share and net wage: 12,150 − 1,458 − 92 (0.75 % = 91.125 up) = 10,600', () => {
    const r = computeInvoice({ terms, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources: [unskilled] }).resources[0]!;
    expect([line(r, 'EPF_EE'), line(r, 'ESIC_EE'), r.netWagePaise]).toEqual([145_800, 9_200, 1_060_000]);
  });
});

describe('wage basis and part months', () => {
  it('day rate: skilled 472.85 + 99.04 = 571.89 × 20 days', () => {
    const r = computeInvoice({
      terms: { ...terms, wageBasis: 'daily' },
      heads: SEED_HEADS,
      wageDefinition: SEED_WAGE_DEFINITION,
      resources: [{ key: 's', basicPaise: 1_229_400, vdaPaise: 257_500, paidDays: 20, daysInMonth: 30 }],
    }).resources[0]!;
    expect([r.dayRatePaise, r.earnedWagePaise]).toEqual([57_189, 1_143_780]);
  });
  it('monthly: 12,150 × 15 ÷ 30 = 6,075.00; ESIC coverage by the monthly gross, not the earned wage', () => {
    const r = computeInvoice({
      terms,
      heads: SEED_HEADS,
      wageDefinition: SEED_WAGE_DEFINITION,
      resources: [{ ...highly, basicPaise: 2_000_000, paidDays: 15, daysInMonth: 30 }],
    }).resources[0]!;
    expect(r.esicCovered).toBe(false);
    expect(line(r, 'ESIC_ER')).toBeUndefined();
  });
  it('bonus 8.33 % on min(earned, max(7,000, minimum wage)), billed outside the sub-total', () => {
    const inv = computeInvoice({
      terms: { ...terms, bonusBp: 833 },
      heads: SEED_HEADS,
      wageDefinition: SEED_WAGE_DEFINITION,
      resources: [{ ...highly, minimumWagePaise: 1_649_400 }],
    });
    const r = inv.resources[0]!;
    expect(line(r, 'BONUS')).toBe(137_395); // 16,494 × 8.33 % = 1,373.9502
    expect(inv.taxablePaise).toBe(inv.subtotalPaise + inv.serviceChargePaise + 137_395);
  });
});

describe('the worker’s own share never exceeds the wage (found by the property tests)', () => {
  it('ESIC 0.75 % up to the rupee on an earned wage of ₹0.50 withholds ₹0.50, not ₹1: net wage 0, not −0.50', () => {
    const r = computeInvoice({
      terms: { ...terms, epfMode: 'none' },
      heads: SEED_HEADS,
      wageDefinition: SEED_WAGE_DEFINITION,
      resources: [{ key: 'tiny', basicPaise: 100, vdaPaise: 0, paidDays: 14, daysInMonth: 28 }],
    }).resources[0]!;
    expect([r.earnedWagePaise, line(r, 'ESIC_EE'), r.employeeDeductionPaise, r.netWagePaise]).toEqual([50, 50, 50, 0]);
  });
});

describe('bill deductions', () => {
  it('TDS 2 % for a company and GST TDS 1 % + 1 % above ₹2.5 lakh', () => {
    const d = computeBillDeductions({ heads: SEED_HEADS, taxablePaise: 1_466_817, panIndividual: false, contractValuePaise: 30_000_000 });
    expect(d.map((l) => [l.code, l.amountPaise])).toEqual([
      ['TDS_194C', 29_300],
      ['GST_TDS_CGST', 14_700],
      ['GST_TDS_SGST', 14_700],
    ]);
  });
});
