import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { createTestApp, type FakeClock, fakeClock, type TestApp } from '../../test/harness.ts';
import { computeRateArrears, pendingRateRevisions } from './invoice.rate-arrears.ts';
import { nextMonth, rateArrearsKit, rupeeUp } from './invoice.rate-arrears.fixtures.ts';
import { esicPeriodStart } from './invoice.rules.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * A back-dated revision of the ESIC threshold (spec 06: coverage is decided at the start of the
 * contribution period — 1 April or 1 October — and held to its end). Contract 2's posts pay
 * ₹12,294 + ₹2,575 = ₹14,869, covered under the ₹21,000 threshold.
 *
 * 1. Finance records, after M was billed, a threshold of ₹14,000 effective the day before M's
 *    contribution period starts (so in force at its start): the contract's workers are no longer
 *    covered for the period. The next invoice recovers, for every invoiced month of the period, the
 *    employer's ESIC billed — by hand 3.25 % of the earned wage up to the rupee: for ₹14,869 in
 *    full, 483.2425 → ₹484.00, a recovery of −₹484.00 — and covers no one itself.
 * 2. Finance then records ₹21,000 again, effective on the period's first day: everyone is covered
 *    again. The invoice after that bills the employer's ESIC back as arrears for the same months
 *    (+₹484.00 for a full month at ₹14,869) and for the month invoiced uncovered in between, once.
 */
const T0 = new Date();
const M = lastMonthOver(todayIst(T0));
const CUR = nextMonth(M);
const NEXT = nextMonth(CUR);
const PERIOD = esicPeriodStart(M);
const DAY_BEFORE = new Date(Date.parse(`${PERIOD}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const CONTRACT = 2;
let t: TestApp;
let clock: FakeClock;
const kit = rateArrearsKit(() => ({ t, clock }), CONTRACT);
const db = () => t.database.db as unknown as Db;

type Billed = { invoiceId: number; month: string; resourceId: number; nameEn: string; earned: number; wage: number };
/** The engine-written details of the contract's active invoices of months from the period's start to `upTo`. */
async function billedFrom(upTo: string): Promise<Billed[]> {
  const r = await kit.q<Billed>(sql`
    select i.id as "invoiceId", to_char(i.month, 'YYYY-MM') as month, d.resource_id as "resourceId", d.name_en as "nameEn",
           d.earned_wage_paise::float8 as earned, (d.basic_paise + d.vda_paise)::float8 as wage
      from invoices i join invoice_details d on d.invoice_id = i.id
     where i.contract_id = ${CONTRACT} and i.status = 'active' and i.month >= ${PERIOD} and i.month <= ${`${upTo}-01`}
       and exists (select 1 from invoice_lines l where l.detail_id = d.id)
     order by i.month, d.resource_id`);
  return r.map((x) => ({ ...x, earned: Number(x.earned), wage: Number(x.wage) }));
}
async function esicThresholdRow(effectiveFrom: string, thresholdPaise: number, at: Date) {
  await t.database.db.execute(sql`
    insert into statutory_heads (code, effective_from, withdrawn, name_en, name_hi, kind, stage, base, rate_from, rate_ppm, lump_sum_paise, ceiling_paise,
                                 ceiling_when, condition, threshold_paise, rounding, sort_order, notification_ref, created_at)
    select code, ${effectiveFrom}, withdrawn, name_en, name_hi, kind, stage, base, rate_from, rate_ppm, lump_sum_paise, ceiling_paise,
           ceiling_when, condition, ${thresholdPaise}, rounding, sort_order, 'Rate arrears test: ESIC threshold', ${at.toISOString()}
      from statutory_heads where code = 'ESIC_ER' order by effective_from desc limit 1`);
}
const esicLines = (i: TInvoice) =>
  i.invoiceLines
    .filter((l) => l.arrearsMonth !== null)
    .map((l) => [l.arrearsMonth, l.nameEn.replace(/^.* — (.*) \(rate revision\)$/, '$1'), l.code, l.amountPaise] as const)
    .sort();

let e: TInvoice;
let i1: TInvoice;

beforeAll(async () => {
  clock = fakeClock(T0);
  t = await createTestApp({ clock });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('a back-dated ESIC threshold re-decides coverage for the contribution period', () => {
  it('setup: M generated again, everyone covered; no ESIC row yet around the period start', async () => {
    e = await kit.regenerate(M);
    const ds = await kit.detailsOf(e.id);
    expect(ds.length).toBeGreaterThanOrEqual(2);
    expect(ds.every((d) => d.esicCovered && d.basic + d.vda > 1_400_000 && d.basic + d.vda <= 2_100_000)).toBe(true);
    const [n] = await kit.q<{ n: number }>(sql`
      select count(*)::int as n from statutory_heads where code = 'ESIC_ER' and effective_from in (${DAY_BEFORE}, ${PERIOD})`);
    expect(n!.n).toBe(0);
  });

  it('a lower threshold in force at the period start: the next invoice recovers the employer ESIC of every month of the period, once, and covers no one', async () => {
    await esicThresholdRow(DAY_BEFORE, 1_400_000, new Date(T0.getTime() + 3_600_000));
    const before = await billedFrom(M);
    expect(before.some((b) => b.invoiceId === e.id)).toBe(true);
    await kit.closeMonth(CUR);
    i1 = await kit.generate(CUR);
    // By hand: what each month billed for ESIC (3.25 % of its earned wage, up to the rupee), recovered.
    const expected = before.map((b) => [b.month, b.nameEn, 'ESIC_ER', -rupeeUp(b.earned, 32_500)] as const).sort();
    expect(esicLines(i1)).toEqual(expected);
    expect(i1.invoiceLines.filter((l) => l.arrearsMonth !== null).every((l) => l.stage === 'recovery')).toBe(true);
    // The invoice's own month is decided by the same threshold: no one covered, no ESIC line.
    const own = await kit.detailsOf(i1.id);
    expect(own.every((d) => !d.esicCovered)).toBe(true);
    for (const d of own) expect((await kit.storedLines(i1.id, d.resourceId)).has('ESIC_ER')).toBe(false);
  });

  it('the threshold back at ₹21,000 from the period start: the employer ESIC is billed back for every month of the period, the uncovered one too, once', async () => {
    await esicThresholdRow(PERIOD, 2_100_000, new Date(clock.now().getTime() + 3_600_000));
    const months = await billedFrom(CUR);
    expect(months.some((b) => b.invoiceId === i1.id)).toBe(true);
    await kit.closeMonth(NEXT);
    const i2 = await kit.generate(NEXT);
    const expected = months.map((b) => [b.month, b.nameEn, 'ESIC_ER', rupeeUp(b.earned, 32_500)] as const).sort();
    expect(esicLines(i2)).toEqual(expected);
    // A full month at ₹14,869: +₹484.00 (483.2425 up to the rupee).
    for (const b of months) if (b.earned === 1_486_900) expect(rupeeUp(b.earned, 32_500)).toBe(48_400);
    const own = await kit.detailsOf(i2.id);
    expect(own.every((d) => d.esicCovered)).toBe(true);
    // Nothing left to bill: a later invoice gives no second arrear or recovery.
    const pending = await pendingRateRevisions(db(), CONTRACT, `${nextMonth(NEXT)}-01`);
    expect((await computeRateArrears(db(), pending)).lines).toEqual([]);
  });
});
