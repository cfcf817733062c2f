import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice, TInvoiceSummary } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, type FakeClock, fakeClock, type TestApp } from '../../test/harness.ts';
import { computeRateArrears, pendingRateRevisions } from './invoice.rate-arrears.ts';
import { monthRange } from './invoice.rules.ts';
import { buildDocument, lastMonthOver } from './invoice.service.ts';

/**
 * Arrears and recoveries from late rate revisions (issue 16) on the demo data: contract 2's
 * invoice of last month (M) is cancelled and generated again (E; the cancelled one must give
 * nothing). Then Finance records, back-dated, a minimum wage for one skill level from M (₹500 above
 * the posts' wage: the workers are owed it) and — effective after M — the old figures again from
 * the next month. The next month's invoice carries, per resource of that skill, the difference for
 * M, checked here to the paisa by hand from the wage figures and the spec's default heads (not by
 * calling the engine). Then an EDLI decrease back-dated to M: the invoice after that carries only
 * that recovery (for M and for the month between), never the minimum wage's arrear again.
 */
const T0 = new Date();
const M = lastMonthOver(todayIst(T0));
const CONTRACT = 2;
let t: TestApp;
let clock: FakeClock;
let agency: Client;
const { dbRefusal } = checksOn(() => t.database);
const db = () => t.database.db as unknown as Db;
const q = async <R>(s: ReturnType<typeof sql>) => (await t.database.db.execute<R & Record<string, unknown>>(s)).rows as R[];

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
const CUR = nextMonth(M);
const NEXT = nextMonth(CUR);

async function list(qs: string): Promise<TInvoiceSummary[]> {
  const r = await agency.get(`/api/v1/invoices?pageSize=200${qs}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items;
}
async function generate(month: string): Promise<TInvoice> {
  const r = await agency.post('/api/v1/invoices', { contractId: CONTRACT, month });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as TInvoice;
}

/** Moves the clock to the 2nd of the month after `month` and finalises `month`'s sheets (everyone present every day). */
async function closeMonth(month: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  clock.set(new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 2, 6)));
  agency = await t.login('agency_admin');
  const { first, days } = monthRange(month);
  const people = await q<{ officeId: number }>(sql`
    select distinct office_id as "officeId" from resources where contract_id = ${CONTRACT} and status = 'approved' and office_id is not null`);
  for (const { officeId } of people) {
    await t.database.db.execute(sql`insert into attendance_sheets (office_id, month) values (${officeId}, ${first}) on conflict (office_id, month) do nothing`);
    const [sheet] = await q<{ id: number }>(sql`select id from attendance_sheets where office_id = ${officeId} and month = ${first}`);
    const here = await q<{ id: number }>(sql`select id from resources where office_id = ${officeId} and status = 'approved'`);
    for (const p of here)
      await t.database.db.execute(sql`
        insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
        values (${sheet!.id}, ${p.id}, ${days}, ${days}, 0, 0, 0)
        on conflict (sheet_id, resource_id) do update set days_on_rolls = ${days}, present = ${days}, paid_leave = 0, offs = 0, absence = 0`);
    await t.database.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet!.id}`);
  }
}

type Detail = {
  resourceId: number;
  skillLevelId: number;
  nameEn: string;
  basic: number;
  vda: number;
  paidDays: number;
  dim: number;
  earned: number;
  esicCovered: boolean;
};
async function detailsOf(invoiceId: number): Promise<Detail[]> {
  return (
    await q<Detail>(sql`
    select resource_id as "resourceId", skill_level_id as "skillLevelId", name_en as "nameEn", basic_paise::float8 as basic, vda_paise::float8 as vda,
           paid_days as "paidDays", days_in_month as dim, earned_wage_paise::float8 as earned, esic_covered as "esicCovered"
      from invoice_details where invoice_id = ${invoiceId} order by resource_id`)
  ).map((d) => ({ ...d, basic: Number(d.basic), vda: Number(d.vda), earned: Number(d.earned) }));
}
async function storedLines(invoiceId: number, resourceId: number): Promise<Map<string, number>> {
  const r = await q<{ code: string; a: number }>(sql`
    select l.code, l.amount_paise::float8 as a from invoice_lines l join invoice_details d on d.id = l.detail_id
     where d.invoice_id = ${invoiceId} and d.resource_id = ${resourceId}`);
  return new Map(r.map((x) => [x.code, Number(x.a)]));
}

// --- The spec's default heads, by hand (spec 06; contract 2: monthly, EPF capped, ESIC, bonus 8.33 %) ---
const halfUp = (n: bigint, d: bigint) => Number((n * 2n + d) / (2n * d));
const rupeeHalfUp = (base: number, ppm: number) => halfUp(BigInt(base) * BigInt(ppm), 100_000_000n) * 100;
const rupeeUp = (base: number, ppm: number) => Number((BigInt(base) * BigInt(ppm) + 99_999_999n) / 100_000_000n) * 100;
/** Earned wage and the cost / reimbursed heads of one resource-month at monthly wage `wage` (basic + VDA), minimum `minimum`, EDLI at `edliPpm`. */
function byHand(d: Detail, wage: number, minimum: number, edliPpm = 5_000): Map<string, number> {
  const earned = halfUp(BigInt(wage) * BigInt(d.paidDays), BigInt(d.dim));
  const pfBase = Math.min(earned, 1_500_000);
  const out = new Map<string, number>([
    ['WAGE', earned],
    ['EPF_ER', rupeeHalfUp(pfBase, 120_000)],
    ['EPF_ADMIN', rupeeHalfUp(pfBase, 5_000)],
    ['EDLI', rupeeHalfUp(pfBase, edliPpm)],
    ['BONUS', halfUp(BigInt(Math.min(earned, Math.max(700_000, minimum))) * 833n, 10_000n)],
  ]);
  if (d.esicCovered) out.set('ESIC_ER', rupeeUp(earned, 32_500));
  return out;
}

let e0: number;
let e: TInvoice;
let skill: number;
let oldMin: { basic: number; vda: number };
let newMin: { basic: number; vda: number };
let minRow: number;
let backRow: number;
let i1: TInvoice;

beforeAll(async () => {
  clock = fakeClock(T0);
  t = await createTestApp({ clock });
  agency = await t.login('agency_admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('arrears and recoveries from late rate revisions', () => {
  it('setup: the month is cancelled and generated again; the rates of its month are the spec defaults', async () => {
    const demo = (await list(`&contractId=${CONTRACT}&month=${M}&status=active`))[0];
    expect(demo, 'the demo invoiced contract 2 last month').toBeDefined();
    e0 = demo!.id;
    const c = await agency.post(`/api/v1/invoices/${e0}/cancel`, { reason: 'Rate arrears test: issued again' });
    expect(c.statusCode, c.body).toBe(200);
    e = await generate(M);
    const ds = await detailsOf(e.id);
    expect(ds.length).toBeGreaterThanOrEqual(2);
    // The hand computation's assumptions hold for what E billed (so the test's figures are the spec's).
    for (const d of ds) {
      const had = await storedLines(e.id, d.resourceId);
      const [m] = await q<{ mw: number }>(
        sql`select minimum_wage_paise::float8 as mw from invoice_details where invoice_id = ${e.id} and resource_id = ${d.resourceId}`,
      );
      const hand = byHand(d, d.basic + d.vda, Number(m!.mw));
      expect(d.earned).toBe(hand.get('WAGE'));
      for (const [code, amount] of hand) if (code !== 'WAGE') expect(had.get(code), code).toBe(amount);
    }
    skill = ds[0]!.skillLevelId;
    const [row] = await q<{ basic: number; vda: number; n: number }>(sql`
      select basic_paise::float8 as basic, vda_paise::float8 as vda,
             (select count(*)::int from minimum_wages x where x.skill_level_id = ${skill} and x.effective_from >= ${`${M}-01`}) as n
        from minimum_wages where skill_level_id = ${skill} and effective_from <= ${`${M}-01`} order by effective_from desc limit 1`);
    expect(row!.n, 'no minimum wage row from the month on yet').toBe(0);
    oldMin = { basic: Number(row!.basic), vda: Number(row!.vda) };
    const top = ds.filter((d) => d.skillLevelId === skill).reduce((a, d) => Math.max(a, d.basic + d.vda), 0);
    const topBasic = ds.filter((d) => d.skillLevelId === skill).reduce((a, d) => Math.max(a, d.basic), 0);
    // ₹500 above the highest post wage of the skill: basic +₹400 over the highest basic, VDA the rest.
    newMin = { basic: topBasic + 40_000, vda: top + 50_000 - topBasic - 40_000 };
  });

  it('a minimum wage revised back-dated to M after M was billed: the next invoice carries M’s difference per resource, to the paisa', async () => {
    const at = new Date(T0.getTime() + 3_600_000);
    // Finance records the revision from M, and (effective after M) the old figures again from the next month.
    [{ id: minRow }] = (await q<{ id: number }>(sql`
      insert into minimum_wages (skill_level_id, effective_from, basic_paise, vda_paise, notification_ref, created_at)
      values (${skill}, ${`${M}-01`}, ${newMin.basic}, ${newMin.vda}, 'Rate arrears test: late VDA', ${at.toISOString()}) returning id`)) as [{ id: number }];
    [{ id: backRow }] = (await q<{ id: number }>(sql`
      insert into minimum_wages (skill_level_id, effective_from, basic_paise, vda_paise, notification_ref, created_at)
      values (${skill}, ${`${CUR}-01`}, ${oldMin.basic}, ${oldMin.vda}, 'Rate arrears test: from next month', ${at.toISOString()}) returning id`)) as [
      { id: number },
    ];

    await closeMonth(CUR);
    i1 = await generate(CUR);
    const arrears = i1.invoiceLines.filter((l) => l.arrearsMonth !== null);
    expect(arrears.length).toBeGreaterThan(0);
    expect(arrears.every((l) => l.arrearsMonth === M)).toBe(true);
    expect(arrears.every((l) => l.nameEn.endsWith('(rate revision)') && l.nameHi.endsWith('(दर संशोधन)'))).toBe(true);

    const wage = newMin.basic + newMin.vda;
    let cost = 0;
    let reimbursed = 0;
    for (const d of await detailsOf(e.id)) {
      const mine = arrears.filter((l) => l.nameEn.includes(`— ${d.nameEn} (`));
      if (d.skillLevelId !== skill) {
        expect(mine, `${d.nameEn}: another skill level, nothing`).toEqual([]);
        continue;
      }
      const before = byHand(d, d.basic + d.vda, oldMin.basic + oldMin.vda);
      const after = byHand(d, wage, wage);
      const expected = [...after].map(([code, a]) => [code, a - (before.get(code) ?? 0)] as const).filter(([, diff]) => diff !== 0);
      expect(expected.length).toBeGreaterThan(0);
      expect(mine.map((l) => [l.code, l.amountPaise]).sort(), d.nameEn).toEqual([...expected].sort());
      expect(mine.every((l) => l.stage === 'arrears' && l.amountPaise > 0)).toBe(true);
      for (const [code, diff] of expected) code === 'BONUS' ? (reimbursed += diff) : (cost += diff);
    }
    // Cost differences join the sub-total (service charge and GST at this invoice's rates), the bonus the taxable value.
    const own = i1.details.reduce((s, d) => s + d.costPaise, 0);
    const ownReimbursed = i1.details.reduce((s, d) => s + d.totalPaise - d.costPaise, 0);
    expect(i1.subtotalPaise).toBe(own + cost);
    expect(i1.reimbursedPaise).toBe(ownReimbursed + reimbursed);
    expect(i1.taxablePaise).toBe(i1.subtotalPaise + i1.serviceChargePaise + i1.reimbursedPaise);

    // Recorded against E and the minimum wage row — never the cancelled invoice, nor the row effective after M.
    const src = await q<{ e: number; tb: string; r: number }>(sql`
      select earlier_invoice_id as e, rate_table as tb, rate_row_id as r from invoice_rate_arrears_sources where invoice_id = ${i1.id} and released_at is null`);
    expect(src.length).toBeGreaterThan(0);
    expect(src.some((s) => s.e === e0)).toBe(false);
    expect(src.filter((s) => s.tb === 'minimum_wages').every((s) => s.e === e.id && s.r === minRow)).toBe(true);
    expect(src.some((s) => s.tb === 'minimum_wages' && s.r === backRow)).toBe(false);

    // The PDF's document and the PDF itself carry the lines with their month and reason.
    const doc = await buildDocument(db(), i1.id);
    expect(doc.arrears.map((a) => [a.month, a.labelEn, a.amountPaise])).toEqual(arrears.map((l) => [M, l.nameEn, l.amountPaise]));
    expect(doc.arrears.every((a) => a.labelHi.includes('दर संशोधन'))).toBe(true);
    const pdf = await agency.get(`/api/v1/invoices/${i1.id}/pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the earlier month cannot be cancelled while a later invoice holds its rate arrears; a second live record is refused by the database', async () => {
    const r = await agency.post(`/api/v1/invoices/${e.id}/cancel`, { reason: 'Rate arrears test: too early' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('invoice_arrears_settled_later');
    const [d] = await detailsOf(e.id);
    const msg = await dbRefusal(sql`
      insert into invoice_rate_arrears_sources (invoice_id, earlier_invoice_id, resource_id, month, rate_table, rate_row_id, paid_days)
      select ${i1.id}, earlier_invoice_id, resource_id, month, rate_table, rate_row_id, paid_days from invoice_rate_arrears_sources
       where invoice_id = ${i1.id} and rate_table = 'minimum_wages' limit 1`);
    expect(msg).toMatch(/invoice_rate_arrears_sources_live_uq|duplicate key/);
    expect(await dbRefusal(sql`delete from invoice_rate_arrears_sources where invoice_id = ${i1.id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(d).toBeDefined();
  });

  it('an EDLI decrease back-dated to M: the next invoice recovers it for M and the month after, and never bills the minimum wage again', async () => {
    const at = new Date(clock.now().getTime() + 3_600_000);
    await t.database.db.execute(sql`
      insert into statutory_heads (code, effective_from, withdrawn, name_en, name_hi, kind, stage, base, rate_from, rate_ppm, lump_sum_paise, ceiling_paise,
                                   ceiling_when, condition, threshold_paise, rounding, sort_order, notification_ref, created_at)
      select code, ${`${M}-01`}, withdrawn, name_en, name_hi, kind, stage, base, rate_from, 4000, lump_sum_paise, ceiling_paise,
             ceiling_when, condition, threshold_paise, rounding, sort_order, 'Rate arrears test: EDLI 0.4 %', ${at.toISOString()}
        from statutory_heads where code = 'EDLI' order by effective_from desc limit 1`);
    await closeMonth(NEXT);
    const i2 = await generate(NEXT);
    const arrears = i2.invoiceLines.filter((l) => l.arrearsMonth !== null);
    expect(arrears.every((l) => l.code === 'EDLI' && l.stage === 'recovery' && l.amountPaise < 0)).toBe(true);
    const wage = newMin.basic + newMin.vda;
    const expected: [string, string, number][] = [];
    for (const d of await detailsOf(e.id)) {
      // What E's month was billed in all (E, then I1's arrear): the uplifted wage for the skill, else the post's.
      const w = d.skillLevelId === skill ? wage : d.basic + d.vda;
      const diff = byHand(d, w, w, 4_000).get('EDLI')! - byHand(d, w, w).get('EDLI')!;
      if (diff !== 0) expected.push([M, d.nameEn, diff]);
    }
    for (const d of await detailsOf(i1.id)) {
      const had = (await storedLines(i1.id, d.resourceId)).get('EDLI')!;
      const pfBase = Math.min(d.earned, 1_500_000);
      const diff = rupeeHalfUp(pfBase, 4_000) - had;
      if (diff !== 0) expected.push([CUR, d.nameEn, diff]);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(arrears.map((l) => [l.arrearsMonth, l.nameEn.replace(/^.* — (.*) \(rate revision\)$/, '$1'), l.amountPaise]).sort()).toEqual(expected.sort());

    // Nothing left: a later invoice would bill none of it again.
    const pending = await pendingRateRevisions(db(), CONTRACT, `${nextMonth(NEXT)}-01`);
    expect((await computeRateArrears(db(), pending)).lines).toEqual([]);
  });

  it('cancelling the settling invoice releases what it caught up with: the month generated again carries the same lines', async () => {
    const latest = (await list(`&contractId=${CONTRACT}&month=${NEXT}&status=active`))[0]!;
    const before = (await agency.get(`/api/v1/invoices/${latest.id}`)).json() as TInvoice;
    const c = await agency.post(`/api/v1/invoices/${latest.id}/cancel`, { reason: 'Rate arrears test: issued again' });
    expect(c.statusCode, c.body).toBe(200);
    const again = await generate(NEXT);
    const lines = (x: TInvoice) => x.invoiceLines.filter((l) => l.arrearsMonth !== null).map((l) => [l.arrearsMonth, l.code, l.nameEn, l.amountPaise]);
    expect(lines(again)).toEqual(lines(before));
    expect(again.totalPaise).toBe(before.totalPaise);
  });
});
