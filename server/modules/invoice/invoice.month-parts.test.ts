import { describe, expect, it } from 'vitest';
import { type ContractTerms, type ResourceOut, SEED_HEADS, SEED_WAGE_DEFINITION } from '../../../shared/domain/invoice-engine.ts';
import { headDifferences } from './invoice.arrears.ts';
import { type RatePart, type Rates, resourceInMonth } from './invoice.month-parts.ts';

/**
 * A month whose minimum wage is revised inside it (docs/INVOICES.md, "Rate arrears"): the month is
 * computed in full at the old rates and in full at the new, and each figure is their
 * calendar-day weighted mean, rounded once — a head by its own rounding (EPF, admin, EDLI to the
 * rupee half-up, ESIC up to the rupee), the wage and bonus half-up to the paisa.
 *
 * Every expected figure below is worked by hand (in the comments), not by the code under test.
 * The case: a 30-day month, 30 paid days, a skilled DEO at ₹12,294 + ₹2,575 = ₹14,869 (the post's
 * wage, and the minimum until the revision); contract 2's terms (monthly, EPF ceiling ₹15,000,
 * ESIC covered, bonus 8.33 %); the spec's default heads. The revision raises the minimum wage to
 * ₹12,794 + ₹2,575 = ₹15,369, above the post's wage: the worker is owed it from its date.
 *
 * The month in full at each rate (paise):
 *   old (₹14,869): wage 14,86,900; EPF 12 % of 14,86,900 = 1,78,428 → ₹1,784 = 1,78,400;
 *     admin 0.5 % = 7,434.5 → ₹74 = 7,400; EDLI 7,400; ESIC 3.25 % = 48,324.25 → up ₹484 = 48,400;
 *     bonus 8.33 % of min(wage, max(₹7,000, ₹14,869)) = 1,23,858.77 → 1,23,859.
 *   new (₹15,369): wage 15,36,900; EPF on the ceiling 15,00,000 → 1,80,000; admin 7,500; EDLI 7,500;
 *     ESIC 3.25 % of 15,36,900 = 49,949.25 → up ₹500 = 50,000; bonus 8.33 % of 15,36,900 =
 *     1,28,023.77 → 1,28,024.
 */
const terms: ContractTerms = { wageBasis: 'monthly', epfMode: 'capped', esicApplies: true, bonusBp: 833, serviceChargeBp: 385, intraState: true };
const SKILL = 3;
const rates = (basic: number, vda: number): Rates => ({
  heads: SEED_HEADS,
  def: SEED_WAGE_DEFINITION,
  minimums: new Map([[SKILL, { basicPaise: basic, vdaPaise: vda }]]),
});
const OLD = rates(1_229_400, 257_500);
const NEW = rates(1_279_400, 257_500);
/** The month's parts for a revision effective on `day` of a 30-day month. */
const revisedOn = (day: number): RatePart[] =>
  day === 1
    ? [{ fromDay: 1, days: 30, rates: NEW }]
    : [
        { fromDay: 1, days: day - 1, rates: OLD },
        { fromDay: day, days: 31 - day, rates: NEW },
      ];
const worker = { key: '1', basicPaise: 1_229_400, vdaPaise: 257_500, daysInMonth: 30, paidDays: 30, esicCovered: true };
const month = (parts: RatePart[]) => resourceInMonth(worker, SKILL, terms, parts);
const figures = (r: ResourceOut) => Object.fromEntries([['WAGE', r.earnedWagePaise], ...r.lines.map((l) => [l.code, l.amountPaise])]);
const billed = month([{ fromDay: 1, days: 30, rates: OLD }]);

describe('a rate revision inside a month: the month is prorated by calendar days', () => {
  it('billed before the revision: the old minimum in full (the hand figures above)', () => {
    expect(figures(billed)).toEqual({
      WAGE: 1_486_900,
      EPF_ER: 178_400,
      EPF_ADMIN: 7_400,
      EDLI: 7_400,
      ESIC_ER: 48_400,
      BONUS: 123_859,
      EPF_EE: 178_400,
      ESIC_EE: 11_200,
    });
  });

  it('effective on the 16th: 15 days at the old rates, 15 at the new', () => {
    // wage (14,86,900 × 15 + 15,36,900 × 15) ÷ 30 = 15,11,900; EPF (1,78,400 + 1,80,000) ÷ 2 = 1,79,200;
    // admin (7,400 + 7,500) ÷ 2 = 7,450 = ₹74.50 → rupee half-up ₹75 = 7,500; EDLI likewise 7,500;
    // ESIC (48,400 + 50,000) ÷ 2 = 49,200 (whole rupees already); bonus (1,23,859 + 1,28,024) ÷ 2 =
    // 1,25,941.5 → 1,25,942. Employee EPF 1,79,200; ESIC 0.75 %: old 11,151.75 → ₹112, new 11,526.75
    // → ₹116, mean ₹114 = 11,400.
    const now = month(revisedOn(16));
    expect(figures(now)).toEqual({
      WAGE: 1_511_900,
      EPF_ER: 179_200,
      EPF_ADMIN: 7_500,
      EDLI: 7_500,
      ESIC_ER: 49_200,
      BONUS: 125_942,
      EPF_EE: 179_200,
      ESIC_EE: 11_400,
    });
    // Cost = wage + EPF + admin + EDLI + ESIC = 15,11,900 + 1,79,200 + 7,500 + 7,500 + 49,200 = 17,55,300.
    expect(now.costPaise).toBe(1_755_300);
    expect(now.reimbursedPaise).toBe(125_942);
    expect(now.netWagePaise).toBe(1_511_900 - 179_200 - 11_400);
    // The arrears on the next invoice: wage 25,000; EPF 800; admin 100; EDLI 100; ESIC 800; bonus 2,083.
    const arrears = Object.fromEntries(
      headDifferences(billed, now)
        .filter((d) => d.source === 'cost' || d.source === 'reimbursed')
        .map((d) => [d.code, d.amountPaise]),
    );
    expect(arrears).toEqual({ WAGE: 25_000, EPF_ER: 800, EPF_ADMIN: 100, EDLI: 100, ESIC_ER: 800, BONUS: 2_083 });
  });

  it('effective on the 1st: the whole month at the new rates, as before (no split)', () => {
    const now = month(revisedOn(1));
    expect(figures(now)).toEqual({
      WAGE: 1_536_900,
      EPF_ER: 180_000,
      EPF_ADMIN: 7_500,
      EDLI: 7_500,
      ESIC_ER: 50_000,
      BONUS: 128_024,
      EPF_EE: 180_000,
      ESIC_EE: 11_600,
    });
    const arrears = Object.fromEntries(headDifferences(billed, now).map((d) => [d.code, d.amountPaise]));
    // 15,36,900 − 14,86,900; 1,80,000 − 1,78,400; 7,500 − 7,400 twice; 50,000 − 48,400; 1,28,024 − 1,23,859.
    expect(arrears).toEqual({ WAGE: 50_000, EPF_ER: 1_600, EPF_ADMIN: 100, EDLI: 100, ESIC_ER: 1_600, BONUS: 4_165 });
  });

  it('effective on the last day: 29 days at the old rates, 1 at the new', () => {
    // wage (14,86,900 × 29 + 15,36,900) ÷ 30 = 4,46,57,000 ÷ 30 = 14,88,566.67 → 14,88,567;
    // EPF (1,78,400 × 29 + 1,80,000) ÷ 30 = 1,78,453.33 = ₹1,784.53 → ₹1,785; admin (7,400 × 29 +
    // 7,500) ÷ 30 = 7,403.33 → ₹74; EDLI ₹74; ESIC (48,400 × 29 + 50,000) ÷ 30 = 48,453.33 → up ₹485;
    // bonus (1,23,859 × 29 + 1,28,024) ÷ 30 = 37,19,935 ÷ 30 = 1,23,997.83 → 1,23,998.
    const now = month(revisedOn(30));
    expect(figures(now)).toMatchObject({ WAGE: 1_488_567, EPF_ER: 178_500, EPF_ADMIN: 7_400, EDLI: 7_400, ESIC_ER: 48_500, BONUS: 123_998 });
    const arrears = Object.fromEntries(headDifferences(billed, now).map((d) => [d.code, d.amountPaise]));
    expect(arrears).toEqual({ WAGE: 1_667, EPF_ER: 100, ESIC_ER: 100, BONUS: 139 });
  });

  it('a revision inside the month that changes nothing changes no paisa (no rounding of its own)', () => {
    // Two parts at the same rates: round(A × 15 ÷ 30 + A × 15 ÷ 30) = A for every figure, even odd ones.
    const odd = { ...worker, paidDays: 17 };
    const one = resourceInMonth(odd, SKILL, terms, [{ fromDay: 1, days: 30, rates: OLD }]);
    const two = resourceInMonth(odd, SKILL, terms, [
      { fromDay: 1, days: 15, rates: OLD },
      { fromDay: 16, days: 15, rates: OLD },
    ]);
    expect(two).toEqual(one);
    expect(headDifferences(one, two)).toEqual([]);
  });
});
