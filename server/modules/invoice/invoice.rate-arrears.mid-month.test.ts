import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { createTestApp, type FakeClock, fakeClock, type TestApp } from '../../test/harness.ts';
import { computeRateArrears, pendingRateRevisions } from './invoice.rate-arrears.ts';
import { blendByHand, byHand, type Detail, nextMonth, rateArrearsKit } from './invoice.rate-arrears.fixtures.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * Rate revisions effective **inside** a month (docs/INVOICES.md "Rate arrears"), on the demo data:
 * contract 2's invoice of last month (M) is cancelled and generated again (E). Finance then records,
 * back-dated, a minimum wage for the skill from the **16th** of M, ₹500 above the posts' wage, and
 * the old figures again from the next month. The next month's invoice carries, per resource of the
 * skill, the difference between the month prorated by calendar days — days 1–15 at the old rates,
 * the 16th to the end at the new, each head's figure rounded once by its rule — and what E billed.
 *
 * Worked by hand for the demo's skilled DEO in a 30-day month (all 30 days paid; ₹14,869 →
 * ₹15,369; the month-parts unit test has the same case): wage (14,869 + 15,369) ÷ 2 = ₹15,119 →
 * arrear ₹250.00; EPF 12 % (1,784 + 1,800) ÷ 2 = ₹1,792 → ₹8; admin and EDLI (74 + 75) ÷ 2 =
 * ₹74.50 → ₹75 → ₹1 each; ESIC 3.25 % (484 + 500) ÷ 2 = ₹492 → ₹8; bonus 8.33 % (1,238.59 +
 * 1,280.24) ÷ 2 = 1,259.415 → ₹1,259.42 → ₹20.83. A month of 31 (or 28, 29) days weighs 15 days
 * old and 16 (13, 14) new, by the same rule in `blendByHand`.
 *
 * Then a fresh invoice with a revision inside its own month: an EDLI decrease to 0.4 % from the
 * 16th of the month after next, recorded before that month is invoiced, is billed prorated in it.
 */
const T0 = new Date();
const M = lastMonthOver(todayIst(T0));
const CUR = nextMonth(M);
const NEXT = nextMonth(CUR);
const CONTRACT = 2;
let t: TestApp;
let clock: FakeClock;
const kit = rateArrearsKit(() => ({ t, clock }), CONTRACT);
const db = () => t.database.db as unknown as Db;

let e: TInvoice;
let skill: number;
let oldMin: { basic: number; vda: number };
let newMin: { basic: number; vda: number };

beforeAll(async () => {
  clock = fakeClock(T0);
  t = await createTestApp({ clock });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('rate revisions effective inside a month', () => {
  it('setup: M generated again; its stored figures are the hand figures at its own rates', async () => {
    e = await kit.regenerate(M);
    const ds = await kit.detailsOf(e.id);
    expect(ds.length).toBeGreaterThanOrEqual(2);
    for (const d of ds) {
      const had = await kit.storedLines(e.id, d.resourceId);
      for (const [code, amount] of byHand(d, d.basic + d.vda, d.minimum)) expect(had.get(code), `${d.nameEn} ${code}`).toBe(amount);
    }
    skill = ds[0]!.skillLevelId;
    const [row] = await kit.q<{ basic: number; vda: number; n: number }>(sql`
      select basic_paise::float8 as basic, vda_paise::float8 as vda,
             (select count(*)::int from minimum_wages x where x.skill_level_id = ${skill} and x.effective_from >= ${`${M}-01`}) as n
        from minimum_wages where skill_level_id = ${skill} and effective_from <= ${`${M}-01`} order by effective_from desc limit 1`);
    expect(row!.n, 'no minimum wage row from the month on yet').toBe(0);
    oldMin = { basic: Number(row!.basic), vda: Number(row!.vda) };
    const mine = ds.filter((d) => d.skillLevelId === skill);
    const topBasic = Math.max(...mine.map((d) => d.basic));
    const top = Math.max(...mine.map((d) => d.basic + d.vda));
    newMin = { basic: topBasic + 40_000, vda: top + 50_000 - topBasic - 40_000 };
  });

  it('a minimum wage from the 16th of M, recorded after M was billed: the next invoice carries only the days from the 16th', async () => {
    const at = new Date(T0.getTime() + 3_600_000).toISOString();
    await t.database.db.execute(sql`
      insert into minimum_wages (skill_level_id, effective_from, basic_paise, vda_paise, notification_ref, created_at)
      values (${skill}, ${`${M}-16`}, ${newMin.basic}, ${newMin.vda}, 'Rate arrears test: from the 16th', ${at}),
             (${skill}, ${`${CUR}-01`}, ${oldMin.basic}, ${oldMin.vda}, 'Rate arrears test: from next month', ${at})`);
    await kit.closeMonth(CUR);
    const i1 = await kit.generate(CUR);
    const arrears = i1.invoiceLines.filter((l) => l.arrearsMonth !== null);
    expect(arrears.every((l) => l.arrearsMonth === M && l.stage === 'arrears')).toBe(true);

    const wage = newMin.basic + newMin.vda;
    let checked = 0;
    for (const d of await kit.detailsOf(e.id)) {
      const mine = arrears.filter((l) => l.nameEn.includes(`— ${d.nameEn} (`));
      if (d.skillLevelId !== skill) {
        expect(mine, `${d.nameEn}: another skill level, nothing`).toEqual([]);
        continue;
      }
      const billed = byHand(d, d.basic + d.vda, oldMin.basic + oldMin.vda);
      const owed = blendByHand(billed, 15, byHand(d, wage, wage), d.dim - 15);
      const expected = [...owed].map(([code, a]) => [code, a - (billed.get(code) ?? 0)] as const).filter(([, x]) => x !== 0);
      expect(mine.map((l) => [l.code, l.amountPaise]).sort(), d.nameEn).toEqual([...expected].sort());
      // Less than the whole month's difference (the days before the 16th stay at the old rates).
      const whole = byHand(d, wage, wage).get('WAGE')! - billed.get('WAGE')!;
      expect(owed.get('WAGE')! - billed.get('WAGE')!).toBeLessThan(whole);
      // The worked example above, where the demo's data is that case (a 30-day month, all days paid, ₹14,869).
      if (d.dim === 30 && d.paidDays === 30 && d.basic + d.vda === 1_486_900 && wage === 1_536_900)
        expect(Object.fromEntries(mine.map((l) => [l.code, l.amountPaise]))).toEqual({
          WAGE: 25_000,
          EPF_ER: 800,
          EPF_ADMIN: 100,
          EDLI: 100,
          ...(d.esicCovered ? { ESIC_ER: 800 } : {}),
          BONUS: 2_083,
        });
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    // Recorded once: nothing is pending with a difference any more.
    const pending = await pendingRateRevisions(db(), CONTRACT, `${NEXT}-01`);
    expect((await computeRateArrears(db(), pending)).lines).toEqual([]);
  });

  it('a fresh invoice of a month with a revision inside it bills it prorated (the same rule), and no arrear again', async () => {
    // EDLI 0.4 % from the 16th of NEXT, recorded before NEXT is invoiced.
    await t.database.db.execute(sql`
      insert into statutory_heads (code, effective_from, withdrawn, name_en, name_hi, kind, stage, base, rate_from, rate_ppm, lump_sum_paise, ceiling_paise,
                                   ceiling_when, condition, threshold_paise, rounding, sort_order, notification_ref, created_at)
      select code, ${`${NEXT}-16`}, withdrawn, name_en, name_hi, kind, stage, base, rate_from, 4000, lump_sum_paise, ceiling_paise,
             ceiling_when, condition, threshold_paise, rounding, sort_order, 'Rate arrears test: EDLI 0.4 % from the 16th', ${clock.now().toISOString()}
        from statutory_heads where code = 'EDLI' order by effective_from desc limit 1`);
    await kit.closeMonth(NEXT);
    const i2 = await kit.generate(NEXT);
    expect(i2.invoiceLines.filter((l) => l.arrearsMonth !== null)).toEqual([]);
    const ds: Detail[] = await kit.detailsOf(i2.id);
    expect(ds.length).toBeGreaterThan(0);
    for (const d of ds) {
      // EDLI 0.5 % for days 1–15 and 0.4 % from the 16th: e.g. on ₹14,869 in a 31-day month,
      // (₹74 × 15 + ₹59 × 16) ÷ 31 = ₹66.26 → ₹66 (0.4 % of 14,869 = 59.476 → ₹59).
      const w = d.basic + d.vda;
      const expected = blendByHand(byHand(d, w, d.minimum), 15, byHand(d, w, d.minimum, 4_000), d.dim - 15);
      const had = await kit.storedLines(i2.id, d.resourceId);
      for (const [code, amount] of expected) expect(had.get(code), `${d.nameEn} ${code}`).toBe(amount);
      expect(had.get('EDLI')).toBeLessThan(byHand(d, w, d.minimum).get('EDLI')!);
    }
  });
});
