import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, type FakeClock, fakeClock, type TestApp } from '../../test/harness.ts';
import { CARRIED_IN_CODE, CARRIED_OUT_CODE, type OpenBalance, openBalances, planRecoveries } from './invoice.recovery-carry.ts';
import { contractsWithPendingArrears } from './invoice.repo.ts';
import { monthRange } from './invoice.rules.ts';
import { buildDocument, lastMonthOver } from './invoice.service.ts';

/**
 * Recoveries carried forward (issue 16): on the demo data, contract 2's invoice of last month (LAST)
 * is revised after it was generated — every resource's days present taken away, a recovery of most
 * of the month — and this month (CUR) is finalised with one resource present one day: its invoice,
 * once refused (`invoice_recovery_exceeds`), is generated, at zero, and carries the rest forward;
 * the month after (NEXT, full days) recovers it, to the paisa. Cancel, regeneration, a second
 * generation and a race never recover a paisa twice.
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

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
const NEXT = nextMonth(CUR);
/** The clock on the 2nd of the month after `m` (so `m` is over). */
function moveAfter(m: string) {
  const [y, mo] = nextMonth(m).split('-').map(Number) as [number, number];
  clock.set(new Date(Date.UTC(y, mo - 1, 2, 6)));
}

async function generate(month: string): Promise<TInvoice> {
  const r = await agency.post('/api/v1/invoices', { contractId: CONTRACT, month });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as TInvoice;
}
async function cancel(id: number) {
  const r = await agency.post(`/api/v1/invoices/${id}/cancel`, { reason: 'Recovery test: issued again' });
  expect(r.statusCode, r.body).toBe(200);
}

/** Finalises the sheets of `month` of every office with contract 2's resources; `present(id)` days present, the rest absent. */
async function finalise(month: string, present: (resourceId: number, days: number) => number) {
  const { first, days } = monthRange(month);
  const offices = await q<{ officeId: number }>(sql`
    select distinct office_id as "officeId" from resources where contract_id = ${CONTRACT} and status = 'approved' and office_id is not null`);
  for (const { officeId } of offices) {
    await t.database.db.execute(sql`insert into attendance_sheets (office_id, month) values (${officeId}, ${first}) on conflict (office_id, month) do nothing`);
    const [sheet] = await q<{ id: number }>(sql`select id from attendance_sheets where office_id = ${officeId} and month = ${first}`);
    const here = await q<{ id: number; contractId: number | null }>(
      sql`select id, contract_id as "contractId" from resources where office_id = ${officeId} and status = 'approved'`,
    );
    for (const p of here) {
      const d = p.contractId === CONTRACT ? present(p.id, days) : days;
      await t.database.db.execute(sql`
        insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
        values (${sheet!.id}, ${p.id}, ${days}, ${d}, 0, 0, ${days - d})
        on conflict (sheet_id, resource_id) do update set days_on_rolls = ${days}, present = ${d}, paid_leave = 0, offs = 0, absence = ${days - d}`);
    }
    await t.database.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet!.id}`);
  }
}

/** Every present day of LAST of each resource billed on its invoice moved to absence, approved after that invoice. */
async function reviseLastAway(lastInvoiceId: number, at: Date) {
  const [u1, u2] = (await q<{ id: number }>(sql`select id from users order by id limit 2`)).map((u) => u.id);
  const rows = await q<{
    id: number;
    resourceId: number;
    sheetId: number;
    officeId: number;
    daysOnRolls: number;
    present: number;
    paidLeave: number;
    offs: number;
    absence: number;
  }>(sql`
    select ar.id, ar.resource_id as "resourceId", ar.sheet_id as "sheetId", s.office_id as "officeId", ar.days_on_rolls as "daysOnRolls",
           coalesce(v.present, ar.present) as present, coalesce(v.paid_leave, ar.paid_leave) as "paidLeave",
           coalesce(v.offs, ar.offs) as offs, coalesce(v.absence, ar.absence) as absence
      from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
      left join lateral (select * from attendance_revision_items i where i.row_id = ar.id and i.state = 'approved' order by revision_no desc limit 1) v on true
     where s.month = ${`${LAST}-01`} and ar.resource_id in (select resource_id from invoice_details where invoice_id = ${lastInvoiceId})`);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    if (row.present === 0) continue;
    const [req] = await q<{ id: number }>(sql`
      insert into attendance_revision_requests (sheet_id, office_id, month, reason, requested_by, requested_at)
      values (${row.sheetId}, ${row.officeId}, ${`${LAST}-01`}, 'Recovery test: days not worked', ${u1}, ${at.toISOString()}) returning id`);
    const [item] = await q<{ id: number }>(sql`
      insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      values (${req!.id}, ${row.id}, ${row.resourceId}, ${row.daysOnRolls}, 0, ${row.paidLeave}, ${row.offs}, ${row.absence + row.present}) returning id`);
    const [n] = await q<{ n: number }>(sql`select coalesce(max(revision_no), 0) + 1 as n from attendance_revision_items where row_id = ${row.id}`);
    await t.database.db.execute(
      sql`update attendance_revision_items set state = 'approved', revision_no = ${n!.n}, approved_at = ${at.toISOString()} where id = ${item!.id}`,
    );
    await t.database.db.execute(
      sql`update attendance_revision_requests set state = 'approved', decided_by = ${u2}, decided_at = ${at.toISOString()} where id = ${req!.id}`,
    );
  }
}

const arrearsLines = (inv: TInvoice) => inv.invoiceLines.filter((l) => l.arrearsMonth !== null);
const sum = (ls: { amountPaise: number }[]) => ls.reduce((s, l) => s + l.amountPaise, 0);
/** The revisions' own recovery lines (not balances brought forward). */
const revisionRecoveries = (inv: TInvoice) => arrearsLines(inv).filter((l) => l.stage === 'recovery' && l.code !== CARRIED_IN_CODE);
const broughtIn = (inv: TInvoice) => arrearsLines(inv).filter((l) => l.code === CARRIED_IN_CODE);
const carriedOut = (inv: TInvoice) => arrearsLines(inv).filter((l) => l.stage === 'carry_forward');
const ledger = async () =>
  q<{ kind: string; id: number; invoiceId: number; amount: number; released: boolean }>(sql`
    select 'balance' as kind, id, invoice_id as "invoiceId", amount_paise::float8 as amount, released_at is not null as released from invoice_recovery_balances
    union all
    select 'settlement', id, invoice_id, recovered_paise::float8, released_at is not null from invoice_recovery_settlements order by 1, 2`);

let cur: TInvoice;
let next: TInvoice;
/** The revisions' recovery on CUR (negative), and what CUR carried forward (positive). */
let recovery: number;
let carried: number;

beforeAll(async () => {
  clock = fakeClock(T0);
  t = await createTestApp({ clock });
  agency = await t.login('agency_admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the plan (pure): order, parts, integer paise', () => {
  const bal = (balanceId: number, part: 'cost' | 'reimbursed', amountPaise: number, month = '2025-08-01'): OpenBalance => ({
    balanceId,
    invoiceId: 100 + balanceId,
    invoiceNo: `INV/2526/000${balanceId}`,
    month,
    part,
    amountPaise,
  });
  const line = (amountPaise: number, arrearsMonth: string, source: 'cost' | 'reimbursed' = 'cost') => ({ amountPaise, arrearsMonth, source });

  it('balances brought forward are recovered first, oldest first; then new recoveries by month, earliest first; the newest is carried', () => {
    const p = planRecoveries(
      { costPaise: 10_000, reimbursedPaise: 0 },
      [line(-4_000, '2025-10-01'), line(-3_000, '2025-09-01'), line(500, '2025-09-01')],
      [bal(1, 'cost', 6_000), bal(2, 'cost', 1_000, '2025-07-01')],
    );
    // Room 10,500: balance 1 (6,000) and 2 (1,000) whole, then September's 3,000, then 500 of October's 4,000.
    expect(p.settlements).toEqual([
      { balanceId: 1, invoiceId: 101, recoveredPaise: 6_000 },
      { balanceId: 2, invoiceId: 102, recoveredPaise: 1_000 },
    ]);
    expect(p.carried).toEqual([{ month: '2025-10-01', part: 'cost', amountPaise: 3_500 }]);
    expect(p.lines.map((l) => [l.code, l.stage, l.arrearsMonth, l.amountPaise])).toEqual([
      [CARRIED_IN_CODE, 'recovery', '2025-08-01', -6_000],
      [CARRIED_IN_CODE, 'recovery', '2025-07-01', -1_000],
      [CARRIED_OUT_CODE, 'carry_forward', '2025-10-01', 3_500],
    ]);
    // The month's own 10,000 + arrear 500 − recoveries 7,000 − balances 7,000 + carried 3,500 = 0: never negative.
    expect(10_000 + 500 - 7_000 + p.costPaise).toBe(0);
    expect(p.lines[0]!.labelEn).toContain('INV/2526/0001');
    expect(p.lines[2]!.labelHi).toContain('अगले बीजक');
  });

  it('cost and bonus are carried each on its own part: a bonus recovery never eats the sub-total', () => {
    const p = planRecoveries({ costPaise: 50_000, reimbursedPaise: 100 }, [line(-250, '2025-09-01', 'reimbursed')], []);
    expect(p.carried).toEqual([{ month: '2025-09-01', part: 'reimbursed', amountPaise: 150 }]);
    expect(p.reimbursedPaise).toBe(150);
    expect(p.costPaise).toBe(0);
  });

  it('a balance the month cannot touch is still taken over and carried whole; a partly recovered one carries the rest', () => {
    const none = planRecoveries({ costPaise: 0, reimbursedPaise: 0 }, [], [bal(3, 'cost', 777)]);
    expect(none.settlements).toEqual([{ balanceId: 3, invoiceId: 103, recoveredPaise: 0 }]);
    expect(none.carried).toEqual([{ month: '2025-08-01', part: 'cost', amountPaise: 777 }]);
    expect(none.costPaise).toBe(0);
    const part = planRecoveries({ costPaise: 700, reimbursedPaise: 0 }, [], [bal(3, 'cost', 777)]);
    expect(part.settlements[0]!.recoveredPaise).toBe(700);
    expect(part.carried[0]!.amountPaise).toBe(77);
  });

  it('over random months the recovered amounts add up to the recovery, to the paisa, and no invoice is negative', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 200; run++) {
      const recoveries = Array.from({ length: 1 + rnd(3) }, (_, k) => line(-(1 + rnd(2_000_000)), `2025-0${k + 1}-01`, rnd(2) ? 'cost' : 'reimbursed'));
      const total = -sum(recoveries);
      let open: OpenBalance[] = [];
      let recovered = 0;
      let id = 1;
      for (let m = 0; m < 200 && (m === 0 || open.length > 0); m++) {
        const own = { costPaise: rnd(700_000), reimbursedPaise: rnd(60_000) };
        const p = planRecoveries(own, m === 0 ? recoveries : [], open);
        expect(own.costPaise + (m === 0 ? sum(recoveries.filter((l) => l.source === 'cost')) : 0) + p.costPaise).toBeGreaterThanOrEqual(0);
        expect(own.reimbursedPaise + (m === 0 ? sum(recoveries.filter((l) => l.source === 'reimbursed')) : 0) + p.reimbursedPaise).toBeGreaterThanOrEqual(0);
        recovered += (m === 0 ? total : 0) - p.costPaise - p.reimbursedPaise;
        open = p.carried.map((c) => ({ balanceId: id++, invoiceId: m, invoiceNo: String(m), month: c.month, part: c.part, amountPaise: c.amountPaise }));
        for (const l of p.lines) expect(Number.isInteger(l.amountPaise)).toBe(true);
        // At every step: recovered so far + still open = the recovery.
        expect(recovered + sum(open)).toBe(total);
      }
      expect(open).toEqual([]);
      expect(recovered).toBe(total);
    }
  });
});

describe('recoveries carried forward (issue 16), on the demo data', () => {
  it('a month whose recoveries exceed its own amounts is generated (no longer refused): never negative, the rest carried forward', async () => {
    const last = (await agency.get(`/api/v1/invoices?contractId=${CONTRACT}&month=${LAST}&status=active`)).json().items[0] as { id: number } | undefined;
    expect(last, 'the demo invoiced contract 2 last month').toBeDefined();
    await reviseLastAway(last!.id, new Date(T0.getTime() + 3_600_000));
    moveAfter(CUR);
    agency = await t.login('agency_admin');
    const first = (await q<{ id: number }>(sql`select id from resources where contract_id = ${CONTRACT} and status = 'approved' order by id limit 1`))[0]!.id;
    await finalise(CUR, (id) => (id === first ? 1 : 0));

    cur = await generate(CUR);
    recovery = sum(revisionRecoveries(cur));
    carried = sum(carriedOut(cur));
    const own = sum(cur.details.map((d) => ({ amountPaise: d.totalPaise })));
    expect(recovery).toBeLessThan(0);
    expect(-recovery, 'the recovery exceeds the month').toBeGreaterThan(own);
    // Recovered as far as the month carries: nothing left of either part, so nothing taxed, total zero.
    expect(cur.subtotalPaise).toBe(0);
    expect(cur.reimbursedPaise).toBe(0);
    expect(cur.gstPaise).toBe(0);
    expect(cur.totalPaise).toBe(0);
    expect(carried).toBe(-recovery - own);
    expect(carriedOut(cur).every((l) => l.arrearsMonth === LAST && l.amountPaise > 0)).toBe(true);
    expect(carriedOut(cur).every((l) => l.nameEn.includes('carried forward to the next invoice'))).toBe(true);
    expect(broughtIn(cur)).toEqual([]);
    const balances = await openBalances(db(), CONTRACT, cur.agencyId);
    expect(balances.map((b) => [b.invoiceId, b.month])).toEqual(carriedOut(cur).map(() => [cur.id, `${LAST}-01`]));
    expect(sum(balances)).toBe(carried);
    // The document (and so the PDF) lists the carried-forward line with its month.
    const doc = await buildDocument(db(), cur.id);
    expect(doc.arrears.filter((a) => a.labelEn.includes('carried forward')).map((a) => a.month)).toEqual(carriedOut(cur).map(() => LAST));
    expect(doc.arrears.filter((a) => a.labelHi.includes('आगे ले जाई गई')).length).toBe(carriedOut(cur).length);
    const pdf = await agency.get(`/api/v1/invoices/${cur.id}/pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the next month recovers the balance: over the two months the recovered amounts equal the recovery, to the paisa', async () => {
    moveAfter(NEXT);
    agency = await t.login('agency_admin');
    await finalise(NEXT, (_id, days) => days);
    // Through the month's batch: a contract with an open balance goes the single path (found by the pending query).
    expect(await contractsWithPendingArrears(db(), [CONTRACT], `${NEXT}-01`)).toContain(CONTRACT);
    const r = await agency.post('/api/v1/invoices/month', { month: NEXT, contractIds: [CONTRACT] });
    expect(r.statusCode, r.body).toBe(200);
    const made = (r.json() as { results: { ok: boolean; invoiceId: number | null }[] }).results;
    expect(made.map((x) => x.ok)).toEqual([true]);
    next = (await agency.get(`/api/v1/invoices/${made[0]!.invoiceId}`)).json() as TInvoice;
    expect(revisionRecoveries(next)).toEqual([]);
    expect(carriedOut(next)).toEqual([]);
    expect(sum(broughtIn(next))).toBe(-carried);
    expect(broughtIn(next).every((l) => l.arrearsMonth === LAST && l.nameEn.includes(cur.invoiceNo) && l.nameHi.includes(cur.invoiceNo))).toBe(true);
    const recoveredOnCur = -(recovery + carried);
    const recoveredOnNext = -sum(arrearsLines(next));
    expect(recoveredOnCur + recoveredOnNext).toBe(-recovery);
    // The balance joins the next invoice's totals like any recovery: service charge and GST on what is left.
    const ownCost = next.details.reduce((s, d) => s + d.costPaise, 0);
    const ownReimbursed = next.details.reduce((s, d) => s + d.totalPaise - d.costPaise, 0);
    expect(next.subtotalPaise + next.reimbursedPaise).toBe(ownCost + ownReimbursed - carried);
    expect(next.taxablePaise).toBe(next.subtotalPaise + next.serviceChargePaise + next.reimbursedPaise);
    expect(await openBalances(db(), CONTRACT, cur.agencyId)).toEqual([]);
    const l = await ledger();
    expect(l.filter((x) => x.kind === 'settlement' && !x.released).map((x) => [x.invoiceId, x.amount])).toEqual(
      carriedOut(cur).map((c) => [next.id, c.amountPaise]),
    );
  });

  it('a second generation changes nothing (of either month)', async () => {
    await refused(() => agency.post('/api/v1/invoices', { contractId: CONTRACT, month: NEXT }), 409, 'invoice_exists');
    await refused(() => agency.post('/api/v1/invoices', { contractId: CONTRACT, month: CUR }), 409, 'invoice_exists');
  });

  it('the month that carried the balance cannot be cancelled while a later invoice recovers it', async () => {
    await refused(() => agency.post(`/api/v1/invoices/${cur.id}/cancel`, { reason: 'Recovery test: too early' }), 409, 'invoice_arrears_settled_later');
  });

  it('the database recovers no paisa twice: one live settlement per balance, never above the balance, append-only', async () => {
    const [b] = await q<{ id: number; amount: number }>(
      sql`select id, amount_paise::float8 as amount from invoice_recovery_balances where invoice_id = ${cur.id} order by id limit 1`,
    );
    expect(await dbRefusal(sql`insert into invoice_recovery_settlements (balance_id, invoice_id, recovered_paise) values (${b!.id}, ${next.id}, 1)`)).toMatch(
      /invoice_recovery_settlements_live_uq|duplicate key/,
    );
    expect(await dbRefusal(sql`delete from invoice_recovery_settlements where invoice_id = ${next.id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update invoice_recovery_balances set amount_paise = 1 where id = ${b!.id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update invoice_recovery_settlements set recovered_paise = 0 where invoice_id = ${next.id}`)).toMatch(/ROAMS_IMMUTABLE/);
    // Released (as a cancel does), a settlement above the balance or of the invoice's own balance is refused.
    expect(
      await dbRefusal(sql`
        with r as (update invoice_recovery_settlements set released_at = now() where balance_id = ${b!.id} and released_at is null returning 1)
        insert into invoice_recovery_settlements (balance_id, invoice_id, recovered_paise) select ${b!.id}, ${next.id}, ${b!.amount + 1} from r`),
    ).toMatch(/ROAMS_IMMUTABLE/);
    expect(
      await dbRefusal(sql`
        with r as (update invoice_recovery_settlements set released_at = now() where balance_id = ${b!.id} and released_at is null returning 1)
        insert into invoice_recovery_settlements (balance_id, invoice_id, recovered_paise) select ${b!.id}, ${cur.id}, 0 from r`),
    ).toMatch(/ROAMS_IMMUTABLE/);
  });

  it('cancelling the month that recovered the balance restores it in full; generated again, the same recovery', async () => {
    const before = arrearsLines(next).map((l) => [l.code, l.arrearsMonth, l.amountPaise, l.nameEn]);
    await cancel(next.id);
    const open = await openBalances(db(), CONTRACT, cur.agencyId);
    expect(sum(open)).toBe(carried);
    expect(open.every((b) => b.invoiceId === cur.id)).toBe(true);
    const again = await generate(NEXT);
    expect(arrearsLines(again).map((l) => [l.code, l.arrearsMonth, l.amountPaise, l.nameEn])).toEqual(before);
    expect(again.totalPaise).toBe(next.totalPaise);
    next = again;
  });

  it('two generations at once: one invoice, the balance taken over once', async () => {
    await cancel(next.id);
    const answers = await Promise.all([0, 1, 2].map(() => agency.post('/api/v1/invoices', { contractId: CONTRACT, month: NEXT })));
    const made = answers.filter((a) => a.statusCode === 201);
    expect(made.length).toBe(1);
    for (const a of answers.filter((x) => x.statusCode !== 201)) expect(['invoice_exists', 'invoice_arrears_conflict']).toContain(a.json().code);
    const live = await q<{ balanceId: number; n: number; recovered: number }>(sql`
      select balance_id as "balanceId", count(*)::int as n, sum(recovered_paise)::float8 as recovered
        from invoice_recovery_settlements where released_at is null group by balance_id`);
    expect(live.every((x) => x.n === 1)).toBe(true);
    expect(live.reduce((s, x) => s + x.recovered, 0)).toBe(carried);
    expect(await openBalances(db(), CONTRACT, cur.agencyId)).toEqual([]);
  });

  it('cancelling the month that carried the balance (once nothing later holds it) voids it: regenerated, the recovery is computed afresh, once', async () => {
    const holder = (await agency.get(`/api/v1/invoices?contractId=${CONTRACT}&month=${NEXT}&status=active`)).json().items[0] as { id: number };
    await cancel(holder.id);
    await cancel(cur.id);
    expect(await openBalances(db(), CONTRACT, cur.agencyId)).toEqual([]);
    const again = await generate(CUR);
    expect(sum(revisionRecoveries(again))).toBe(recovery);
    expect(sum(carriedOut(again))).toBe(carried);
    expect(sum(await openBalances(db(), CONTRACT, cur.agencyId))).toBe(carried);
  });
});
