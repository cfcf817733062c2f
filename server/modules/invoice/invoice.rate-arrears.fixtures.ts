import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import type { Client, FakeClock, TestApp } from '../../test/harness.ts';
import { monthRange } from './invoice.rules.ts';

/**
 * What the rate-arrears database tests share (invoice.rate-arrears.*.test.ts): the months after M,
 * closing a month with everyone present, an invoice's details and stored lines, and the spec's
 * default heads worked by hand in plain BigInt (never by the engine under test).
 */
export const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

export type Detail = {
  resourceId: number;
  skillLevelId: number;
  nameEn: string;
  basic: number;
  vda: number;
  minimum: number;
  paidDays: number;
  dim: number;
  earned: number;
  esicCovered: boolean;
};

export function rateArrearsKit(get: () => { t: TestApp; clock: FakeClock }, contractId: number) {
  const q = async <R>(s: ReturnType<typeof sql>) => (await get().t.database.db.execute<R & Record<string, unknown>>(s)).rows as R[];
  let agency: Client | undefined;
  const client = async () => (agency ??= await get().t.login('agency_admin'));

  async function generate(month: string): Promise<TInvoice> {
    const r = await (await client()).post('/api/v1/invoices', { contractId, month });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as TInvoice;
  }
  /** Moves the clock to the 2nd of the month after `month` and finalises `month`'s sheets (everyone present every day). */
  async function closeMonth(month: string) {
    const { t, clock } = get();
    const [y, m] = month.split('-').map(Number) as [number, number];
    clock.set(new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 2, 6)));
    agency = await t.login('agency_admin');
    const { first, days } = monthRange(month);
    const offices = await q<{ officeId: number }>(sql`
      select distinct office_id as "officeId" from resources where contract_id = ${contractId} and status = 'approved' and office_id is not null`);
    for (const { officeId } of offices) {
      await t.database.db.execute(
        sql`insert into attendance_sheets (office_id, month) values (${officeId}, ${first}) on conflict (office_id, month) do nothing`,
      );
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
  async function detailsOf(invoiceId: number): Promise<Detail[]> {
    return (
      await q<Detail>(sql`
      select resource_id as "resourceId", skill_level_id as "skillLevelId", name_en as "nameEn", basic_paise::float8 as basic, vda_paise::float8 as vda,
             minimum_wage_paise::float8 as minimum, paid_days as "paidDays", days_in_month as dim, earned_wage_paise::float8 as earned,
             esic_covered as "esicCovered"
        from invoice_details where invoice_id = ${invoiceId} order by resource_id`)
    ).map((d) => ({ ...d, basic: Number(d.basic), vda: Number(d.vda), minimum: Number(d.minimum), earned: Number(d.earned) }));
  }
  /** A detail's stored lines by head code (the earned wage as WAGE). */
  async function storedLines(invoiceId: number, resourceId: number): Promise<Map<string, number>> {
    const r = await q<{ code: string; a: number }>(sql`
      select l.code, l.amount_paise::float8 as a from invoice_lines l join invoice_details d on d.id = l.detail_id
       where d.invoice_id = ${invoiceId} and d.resource_id = ${resourceId}
      union all select 'WAGE', earned_wage_paise::float8 from invoice_details where invoice_id = ${invoiceId} and resource_id = ${resourceId}`);
    return new Map(r.map((x) => [x.code, Number(x.a)]));
  }
  /** The demo's active invoice of the month cancelled and generated again now (its own rates, generated after the demo's rate rows). */
  async function regenerate(month: string): Promise<TInvoice> {
    const r = await (await client()).get(`/api/v1/invoices?pageSize=200&contractId=${contractId}&month=${month}&status=active`);
    const demo = r.json().items[0];
    expect(demo, `the demo invoiced contract ${contractId} in ${month}`).toBeDefined();
    const c = await (await client()).post(`/api/v1/invoices/${demo.id}/cancel`, { reason: 'Rate arrears test: issued again' });
    expect(c.statusCode, c.body).toBe(200);
    return generate(month);
  }
  return { q, client, generate, closeMonth, detailsOf, storedLines, regenerate };
}

// --- The spec's default heads, by hand (spec 06; contract 2: monthly, EPF capped, ESIC, bonus 8.33 %) ---
const halfUp = (n: bigint, d: bigint) => Number((n * 2n + d) / (2n * d));
const up = (n: bigint, d: bigint) => Number((n + d - 1n) / d);
const rupeeHalfUp = (base: number, ppm: number) => halfUp(BigInt(base) * BigInt(ppm), 100_000_000n) * 100;
export const rupeeUp = (base: number, ppm: number) => up(BigInt(base) * BigInt(ppm), 100_000_000n) * 100;
/** How each head rounds (spec 06's defaults): the wage and bonus to the paisa half-up, EPF-side to the rupee half-up, ESIC up to the rupee. */
const ROUND_BY_HAND: Record<string, 'paisa' | 'rupee_half_up' | 'rupee_up'> = {
  WAGE: 'paisa',
  EPF_ER: 'rupee_half_up',
  EPF_ADMIN: 'rupee_half_up',
  EDLI: 'rupee_half_up',
  ESIC_ER: 'rupee_up',
  BONUS: 'paisa',
};

/** Earned wage and the cost / reimbursed heads of one resource-month at monthly wage `wage` (basic + VDA), minimum `minimum`, EDLI at `edliPpm`. */
export function byHand(d: { paidDays: number; dim: number; esicCovered: boolean }, wage: number, minimum: number, edliPpm = 5_000): Map<string, number> {
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

/**
 * A month in two parts by hand (docs/INVOICES.md): each head's amount for the whole month at the
 * old rates (`a`, for `daysA` days) and at the new (`b`, for `daysB`), weighted by the days and
 * rounded once by the head's own rule.
 */
export function blendByHand(a: Map<string, number>, daysA: number, b: Map<string, number>, daysB: number): Map<string, number> {
  const dim = BigInt(daysA + daysB);
  const out = new Map<string, number>();
  for (const code of new Set([...a.keys(), ...b.keys()])) {
    const n = BigInt(a.get(code) ?? 0) * BigInt(daysA) + BigInt(b.get(code) ?? 0) * BigInt(daysB);
    const r = ROUND_BY_HAND[code] ?? 'paisa';
    out.set(code, r === 'paisa' ? halfUp(n, dim) : r === 'rupee_half_up' ? halfUp(n, dim * 100n) * 100 : up(n, dim * 100n) * 100);
  }
  return out;
}
