import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice, TInvoiceSummary } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type ContractTerms, computeResource, type ResourceOut } from '../../../shared/domain/invoice-engine.ts';
import type { Db } from '../../db/client.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, type FakeClock, fakeClock, type TestApp } from '../../test/harness.ts';
import { headsInForce, wageDefinitionOn } from '../rates/index.ts';
import { computeArrears, pendingRevisions } from './invoice.arrears.ts';
import { planRecoveries } from './invoice.recovery-carry.ts';
import { monthRange } from './invoice.rules.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * Arrears and recoveries (issue 16 item 2) on the demo data: contract 2's invoice of last month
 * (LAST) is cancelled and generated again after a first revision (approved before: billed as
 * revised, no arrear); then two revisions are approved after it — one restoring days (arrear), one
 * removing a day (recovery) — and the clock moves into next month so that this month (CUR, its
 * sheet finalised here) can be invoiced: its invoice carries the engine's differences, once.
 * Revisions are written in SQL the way the attendance module approves them (request → item →
 * approved with the next revision number); the attendance module's own tests cover its routes.
 */
const T0 = new Date();
const CUR = todayIst(T0).slice(0, 7);
const LAST = lastMonthOver(todayIst(T0));
const CONTRACT = 2;
let t: TestApp;
let clock: FakeClock;
let agency: Client;
const { refused, dbRefusal } = checksOn(() => t.database);
const db = () => t.database.db as unknown as Db;
const q = async <R>(s: ReturnType<typeof sql>) => (await t.database.db.execute<R & Record<string, unknown>>(s)).rows as R[];

type Row = {
  id: number;
  resourceId: number;
  sheetId: number;
  officeId: number;
  daysOnRolls: number;
  present: number;
  paidLeave: number;
  offs: number;
  absence: number;
};
let users: number[];

async function rowOf(resourceId: number, month: string): Promise<Row> {
  const [r] = await q<Row>(sql`
    select ar.id, ar.resource_id as "resourceId", ar.sheet_id as "sheetId", s.office_id as "officeId", ar.days_on_rolls as "daysOnRolls",
           coalesce(v.present, ar.present) as present, coalesce(v.paid_leave, ar.paid_leave) as "paidLeave",
           coalesce(v.offs, ar.offs) as offs, coalesce(v.absence, ar.absence) as absence
      from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
      left join lateral (select * from attendance_revision_items i where i.row_id = ar.id and i.state = 'approved' order by revision_no desc limit 1) v on true
     where ar.resource_id = ${resourceId} and s.month = ${`${month}-01`}`);
  return r!;
}

/** An approved revision of a row moving `delta` days from absence to present (negative: back). */
async function approveRevision(row: Row, delta: number, at: Date): Promise<number> {
  const [req] = await q<{ id: number }>(sql`
    insert into attendance_revision_requests (sheet_id, office_id, month, reason, requested_by, requested_at)
    values (${row.sheetId}, ${row.officeId}, ${`${LAST}-01`}, 'Arrears test correction', ${users[0]}, ${at.toISOString()}) returning id`);
  const [item] = await q<{ id: number }>(sql`
    insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
    values (${req!.id}, ${row.id}, ${row.resourceId}, ${row.daysOnRolls}, ${row.present + delta}, ${row.paidLeave}, ${row.offs}, ${row.absence - delta}) returning id`);
  const [n] = await q<{ n: number }>(sql`select coalesce(max(revision_no), 0) + 1 as n from attendance_revision_items where row_id = ${row.id}`);
  await t.database.db.execute(
    sql`update attendance_revision_items set state = 'approved', revision_no = ${n!.n}, approved_at = ${at.toISOString()} where id = ${item!.id}`,
  );
  await t.database.db.execute(
    sql`update attendance_revision_requests set state = 'approved', decided_by = ${users[1]}, decided_at = ${at.toISOString()} where id = ${req!.id}`,
  );
  return item!.id;
}

async function list(qs: string): Promise<TInvoiceSummary[]> {
  const r = await agency.get(`/api/v1/invoices?pageSize=200${qs}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items;
}
const activeOf = async (month: string) => (await list(`&contractId=${CONTRACT}&month=${month}&status=active`))[0];
async function generate(month: string): Promise<TInvoice> {
  const r = await agency.post('/api/v1/invoices', { contractId: CONTRACT, month });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as TInvoice;
}
async function cancel(id: number) {
  const r = await agency.post(`/api/v1/invoices/${id}/cancel`, { reason: 'Arrears test: issued again' });
  expect(r.statusCode, r.body).toBe(200);
}

/** The earlier month of one resource recomputed by the engine from the earlier invoice's stored inputs. */
async function engineMonth(invoiceId: number, resourceId: number, paidDays: number): Promise<ResourceOut> {
  const [h] = await q<{ wb: ContractTerms['wageBasis']; em: ContractTerms['epfMode']; ea: boolean; bb: number; sc: number; intra: boolean }>(sql`
    select wage_basis as wb, epf_mode as em, esic_applies as ea, bonus_bp as bb, service_charge_bp as sc, intra_state as intra from invoices where id = ${invoiceId}`);
  const [d] = await q<{ basic: string; vda: string; mw: string; cov: boolean; dim: number }>(sql`
    select basic_paise as basic, vda_paise as vda, minimum_wage_paise as mw, esic_covered as cov, days_in_month as dim
      from invoice_details where invoice_id = ${invoiceId} and resource_id = ${resourceId}`);
  const first = `${LAST}-01`;
  return computeResource(
    {
      key: String(resourceId),
      basicPaise: Number(d!.basic),
      vdaPaise: Number(d!.vda),
      minimumWagePaise: Number(d!.mw),
      esicCovered: d!.cov,
      daysInMonth: d!.dim,
      paidDays,
    },
    { wageBasis: h!.wb, epfMode: h!.em, esicApplies: h!.ea, bonusBp: h!.bb, serviceChargeBp: h!.sc, intraState: h!.intra },
    await headsInForce(db(), first),
    await wageDefinitionOn(db(), first),
  );
}
const billedTotal = (r: ResourceOut) => r.costPaise + r.reimbursedPaise;

let lastInvoiceId: number;
let rowA: Row;
let rowB: Row;
let rev1: number;
let rev2: number;
let rev3: number;
let curInvoice: TInvoice;
let expectedA: { cost: number; reimbursed: number };
let expectedB: { cost: number; reimbursed: number };

beforeAll(async () => {
  clock = fakeClock(T0);
  t = await createTestApp({ clock });
  agency = await t.login('agency_admin');
  users = (await q<{ id: number }>(sql`select id from users order by id limit 2`)).map((u) => u.id);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('arrears and recoveries from attendance revisions', () => {
  it('a revision approved before the month was invoiced is billed in that month, not as an arrear', async () => {
    const demo = await activeOf(LAST);
    expect(demo, 'the demo invoiced contract 2 last month').toBeDefined();
    const details = (
      await q<{ resourceId: number }>(sql`select resource_id as "resourceId" from invoice_details where invoice_id = ${demo!.id} order by resource_id`)
    ).map((d) => d.resourceId);
    const rows = await Promise.all(details.map((r) => rowOf(r, LAST)));
    const withPresent = rows.filter((r) => r.present >= 3);
    expect(withPresent.length, 'two resources with days present').toBeGreaterThanOrEqual(2);
    rowA = withPresent[0]!;
    rowB = withPresent[1]!;
    await cancel(demo!.id);
    // Approved before the invoice is generated again: that invoice bills it.
    rev1 = await approveRevision(rowA, -2, new Date(T0.getTime() - 60_000));
    const again = await generate(LAST);
    lastInvoiceId = again.id;
    const a = again.details.find((d) => d.resourceId === rowA.resourceId)!;
    expect(a.paidDays).toBe(rowA.present + rowA.paidLeave + rowA.offs - 2);
    expect(again.invoiceLines.filter((l) => l.arrearsMonth !== null)).toEqual([]);
    expect(await pendingRevisions(db(), CONTRACT, monthRange(CUR).first)).toEqual([]);
  });

  it("next month's invoice adds exactly the engine's difference: an arrear (days restored) and a recovery (a day removed)", async () => {
    const after = new Date(T0.getTime() + 3_600_000);
    rowA = await rowOf(rowA.resourceId, LAST);
    rowB = await rowOf(rowB.resourceId, LAST);
    const paidA = rowA.present + rowA.paidLeave + rowA.offs;
    const paidB = rowB.present + rowB.paidLeave + rowB.offs;
    rev2 = await approveRevision(rowA, 2, after);
    rev3 = await approveRevision(rowB, -1, after);

    // The clock moves into next month; this month's sheets are finalised (every day present).
    const [y, m] = CUR.split('-').map(Number) as [number, number];
    clock.set(new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 2, 6)));
    agency = await t.login('agency_admin');
    const { first, days } = monthRange(CUR);
    const people = await q<{ id: number; officeId: number }>(sql`
      select id, office_id as "officeId" from resources where contract_id = ${CONTRACT} and status = 'approved' and office_id is not null`);
    for (const officeId of new Set(people.map((p) => p.officeId))) {
      await t.database.db.execute(
        sql`insert into attendance_sheets (office_id, month) values (${officeId}, ${first}) on conflict (office_id, month) do nothing`,
      );
      const [sheet] = await q<{ id: number; state: string }>(sql`select id, state from attendance_sheets where office_id = ${officeId} and month = ${first}`);
      expect(sheet!.state).toBe('open');
      const here = await q<{ id: number }>(sql`select id from resources where office_id = ${officeId} and status = 'approved'`);
      for (const p of here)
        await t.database.db.execute(sql`
          insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
          values (${sheet!.id}, ${p.id}, ${days}, ${days}, 0, 0, 0)
          on conflict (sheet_id, resource_id) do update set days_on_rolls = ${days}, present = ${days}, paid_leave = 0, offs = 0, absence = 0`);
      await t.database.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet!.id}`);
    }

    curInvoice = await generate(CUR);
    // Independently: the engine on the earlier detail's inputs, before and after.
    const [aBefore, aAfter] = [await engineMonth(lastInvoiceId, rowA.resourceId, paidA), await engineMonth(lastInvoiceId, rowA.resourceId, paidA + 2)];
    const [bBefore, bAfter] = [await engineMonth(lastInvoiceId, rowB.resourceId, paidB), await engineMonth(lastInvoiceId, rowB.resourceId, paidB - 1)];
    expectedA = { cost: aAfter.costPaise - aBefore.costPaise, reimbursed: aAfter.reimbursedPaise - aBefore.reimbursedPaise };
    expectedB = { cost: bAfter.costPaise - bBefore.costPaise, reimbursed: bAfter.reimbursedPaise - bBefore.reimbursedPaise };
    expect(billedTotal(aAfter) - billedTotal(aBefore)).toBeGreaterThan(0);
    expect(billedTotal(bAfter) - billedTotal(bBefore)).toBeLessThan(0);

    const arrears = curInvoice.invoiceLines.filter((l) => l.arrearsMonth !== null);
    expect(arrears.every((l) => l.arrearsMonth === LAST)).toBe(true);
    const nameA = (await q<{ n: string }>(sql`select name_en as n from resources where id = ${rowA.resourceId}`))[0]!.n;
    const nameB = (await q<{ n: string }>(sql`select name_en as n from resources where id = ${rowB.resourceId}`))[0]!.n;
    const ofA = arrears.filter((l) => l.nameEn.endsWith(`— ${nameA}`));
    const ofB = arrears.filter((l) => l.nameEn.endsWith(`— ${nameB}`));
    expect(ofA.length + ofB.length).toBe(arrears.length);
    expect(ofA.every((l) => l.stage === 'arrears' && l.amountPaise > 0)).toBe(true);
    expect(ofB.every((l) => l.stage === 'recovery' && l.amountPaise < 0)).toBe(true);
    expect(ofA.reduce((s, l) => s + l.amountPaise, 0)).toBe(expectedA.cost + expectedA.reimbursed);
    expect(ofB.reduce((s, l) => s + l.amountPaise, 0)).toBe(expectedB.cost + expectedB.reimbursed);
    expect(ofA.find((l) => l.code === 'WAGE')?.amountPaise).toBe(aAfter.earnedWagePaise - aBefore.earnedWagePaise);

    // Cost differences join the sub-total (service charge and GST apply); the bonus joins the taxable value.
    const own = curInvoice.details.reduce((s, d) => s + d.costPaise, 0);
    const ownReimbursed = curInvoice.details.reduce((s, d) => s + d.totalPaise - d.costPaise, 0);
    expect(curInvoice.subtotalPaise).toBe(own + expectedA.cost + expectedB.cost);
    expect(curInvoice.reimbursedPaise).toBe(ownReimbursed + expectedA.reimbursed + expectedB.reimbursed);
    expect(curInvoice.taxablePaise).toBe(curInvoice.subtotalPaise + curInvoice.serviceChargePaise + curInvoice.reimbursedPaise);

    // The PDF's document lists them with their month.
    const { buildDocument } = await import('./invoice.service.ts');
    const doc = await buildDocument(db(), curInvoice.id);
    expect(doc.arrears.map((a) => a.month)).toEqual(arrears.map(() => LAST));
    expect(doc.arrears.reduce((s, a) => s + a.amountPaise, 0)).toBe(arrears.reduce((s, l) => s + l.amountPaise, 0));

    const settled = await q<{ r: number }>(sql`select revision_id as r from invoice_arrears_sources where invoice_id = ${curInvoice.id} order by revision_id`);
    expect(settled.map((s) => s.r)).toEqual([rev2, rev3].sort((a, b) => a - b));
    expect(settled.map((s) => s.r)).not.toContain(rev1);
  });

  it('a revision is settled once: nothing pending afterwards, and the database refuses a second live settlement', async () => {
    const { first } = monthRange(CUR);
    const nextFirst = `${clock.now().toISOString().slice(0, 7)}-01`;
    expect(nextFirst > first).toBe(true);
    const pending = await pendingRevisions(db(), CONTRACT, nextFirst);
    expect(pending).toEqual([]);
    expect((await computeArrears(db(), pending)).lines).toEqual([]);
    const msg = await dbRefusal(sql`
      insert into invoice_arrears_sources (revision_id, invoice_id, earlier_invoice_id, resource_id, month, billed_paid_days, paid_days)
      values (${rev2}, ${curInvoice.id}, ${lastInvoiceId}, ${rowA.resourceId}, ${`${LAST}-01`}, 1, 3)`);
    expect(msg).toMatch(/invoice_arrears_sources_live_uq|duplicate key/);
    expect(await dbRefusal(sql`delete from invoice_arrears_sources where invoice_id = ${curInvoice.id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update invoice_arrears_sources set paid_days = 0 where invoice_id = ${curInvoice.id}`)).toMatch(/ROAMS_IMMUTABLE/);
  });

  it('the earlier month cannot be cancelled while a later active invoice settles its revisions', async () => {
    await refused(() => agency.post(`/api/v1/invoices/${lastInvoiceId}/cancel`, { reason: 'Arrears test: too early' }), 409, 'invoice_arrears_settled_later');
  });

  it('cancelling the settling invoice frees its revisions: the month generated again carries the same arrears, settled by it alone', async () => {
    const before = curInvoice.invoiceLines.filter((l) => l.arrearsMonth !== null).map((l) => [l.code, l.amountPaise, l.nameEn]);
    await cancel(curInvoice.id);
    const released = await q<{ n: number }>(
      sql`select count(*)::int as n from invoice_arrears_sources where invoice_id = ${curInvoice.id} and released_at is not null`,
    );
    expect(released[0]!.n).toBe(2);
    const again = await generate(CUR);
    expect(again.invoiceLines.filter((l) => l.arrearsMonth !== null).map((l) => [l.code, l.amountPaise, l.nameEn])).toEqual(before);
    expect(again.totalPaise).toBe(curInvoice.totalPaise);
    const live = await q<{ r: number; i: number }>(
      sql`select revision_id as r, invoice_id as i from invoice_arrears_sources where released_at is null order by revision_id`,
    );
    expect(live).toEqual([rev2, rev3].sort((a, b) => a - b).map((r) => ({ r, i: again.id })));
  });

  it('cancelling the earlier month while the next is generated: never a live arrear against a cancelled invoice', async () => {
    const settling = await activeOf(CUR);
    await cancel(settling!.id);
    const [gen, can] = await Promise.all([
      agency.post('/api/v1/invoices', { contractId: CONTRACT, month: CUR }),
      agency.post(`/api/v1/invoices/${lastInvoiceId}/cancel`, { reason: 'Arrears test: race' }),
    ]);
    // Either the generation settled first (the cancel is refused), or the cancel did (the
    // generation is refused, or generated without the cancelled month's arrears).
    if (can.statusCode === 409) expect(can.json().code).toBe('invoice_arrears_settled_later');
    else expect(can.statusCode, can.body).toBe(200);
    if (gen.statusCode === 409) expect(gen.json().code).toBe('invoice_arrears_conflict');
    else expect(gen.statusCode, gen.body).toBe(201);
    expect(can.statusCode === 200 && gen.statusCode === 201 && gen.json().invoiceLines.some((l: { arrearsMonth: string | null }) => l.arrearsMonth)).toBe(
      false,
    );
    const bad = await q<{ n: number }>(sql`
      select count(*)::int as n from invoice_arrears_sources s join invoices e on e.id = s.earlier_invoice_id join invoices i on i.id = s.invoice_id
       where s.released_at is null and i.status = 'active' and e.status = 'cancelled'`);
    expect(bad[0]!.n).toBe(0);
  });

  it('a recovery larger than the month’s own amounts is no longer refused: what the month cannot carry goes forward', () => {
    const rec = (amountPaise: number, source: 'cost' | 'reimbursed' = 'cost') => ({ amountPaise, source, arrearsMonth: `${LAST}-01` });
    const carried = (own: [number, number], lines: ReturnType<typeof rec>[]) =>
      planRecoveries({ costPaise: own[0], reimbursedPaise: own[1] }, lines, []).carried.map((c) => [c.part, c.amountPaise]);
    expect(carried([4_999, 0], [rec(-5_000)])).toEqual([['cost', 1]]);
    expect(carried([5_000, 0], [rec(-5_000)])).toEqual([]);
    expect(carried([10_000, 100], [rec(-101, 'reimbursed')])).toEqual([['reimbursed', 1]]);
    expect(carried([0, 0], [rec(7)])).toEqual([]);
  });
});
