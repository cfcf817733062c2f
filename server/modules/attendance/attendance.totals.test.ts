import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceSheet, TRevision, TTotals, TTotalsMonth } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn } from '../../test/helpers.ts';
import { effectiveAttendanceSql } from './index.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * The attendance dashboard's monthly totals (bar S4), read from the totals the database keeps
 * (migration 0033), checked against a live sum of the effective rows (the latest approved
 * revision, else the row as finalised) — on the demo data, then after a sheet is finalised and
 * after a revision is approved.
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(CUR);
/** Office 79's month four back: no sheet in the demo (the tests of this file fill and finalise it). */
const FREE = previousMonth(previousMonth(previousMonth(LAST)));
const OFFICE = 79;
const TOTALS = '/api/v1/attendance/totals';
const url = (month: string) => `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
let t: TestApp;
let finance: Client;
let dm: Client;
let ddo: Client;
const { refused, dbRefusal } = checksOn(() => t.database);

async function asOffice79(c: Client) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
}

/** The month's totals summed live from the effective rows, over every office or one. */
async function live(month: string, officeId?: number): Omit<TTotalsMonth, 'month'> extends infer T ? Promise<T> : never {
  const r = await t.database.db.execute<Record<string, number>>(sql`
    select count(distinct ea.office_id)::int as sheets, count(*)::int as rows, coalesce(sum(ea.days_on_rolls), 0)::int as "daysOnRolls",
           coalesce(sum(ea.present), 0)::int as present, coalesce(sum(ea.paid_leave), 0)::int as "paidLeave",
           coalesce(sum(ea.offs), 0)::int as offs, coalesce(sum(ea.absent), 0)::int as absence, coalesce(sum(ea.paid_days), 0)::int as "paidDays"
      from ${effectiveAttendanceSql()} ea
     where ea.month = ${`${month}-01`} ${officeId === undefined ? sql`` : sql`and ea.office_id = ${officeId}`}`);
  const x = r.rows[0]!;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Number(v)])) as never;
}

async function totals(c: Client, qs = ''): Promise<TTotals> {
  const res = await c.get(`${TOTALS}${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TTotals;
}

const of = (x: TTotals, month: string) => x.months.find((m) => m.month === month)!;

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  finance = await t.login('finance_admin');
  dm = await t.login('dm_bhopal');
  await asOffice79(dm);
  ddo = await t.login('ddo_bhopal');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('attendance totals (bar S4)', () => {
  it('Finance sees 24 months, oldest first, each equal to the live sum of the effective rows', async () => {
    const x = await totals(finance);
    expect(x.to).toBe(LAST);
    expect(x.months).toHaveLength(24);
    expect(x.months[23]!.month).toBe(LAST);
    expect(x.months.map((m) => m.month)).toEqual([...x.months.map((m) => m.month)].sort());
    // The demo finalised last month with resources and an approved revision in office 79: not zero.
    expect(of(x, LAST).rows).toBeGreaterThan(0);
    for (const m of x.months) {
      const { sheets: _s, ...expected } = await live(m.month);
      const { month: _m, sheets: _t, ...got } = m;
      expect(got, m.month).toEqual(expected);
      // Sheets counted are the finalised ones (a finalised sheet may hold no rows).
      const n = await t.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from attendance_sheets where state = 'finalised' and month = ${`${m.month}-01`}`,
      );
      expect(m.sheets, m.month).toBe(Number(n.rows[0]!.n));
    }
  });

  it('a department manager sees only its office; DDOs and agencies are refused; bad queries say which field', async () => {
    const mine = await totals(dm, `?to=${LAST}&months=3`);
    expect(mine.months.map((m) => m.month)).toEqual([previousMonth(previousMonth(LAST)), previousMonth(LAST), LAST]);
    const { sheets: _s, ...expected } = await live(LAST, OFFICE);
    const { month: _m, sheets, ...got } = of(mine, LAST);
    expect(got).toEqual(expected);
    expect(sheets).toBe(1);
    expect(of(mine, LAST).rows).toBeLessThan(of(await totals(finance), LAST).rows);
    await refused(() => ddo.get(TOTALS), 403, 'forbidden');
    const agency = await t.login('agency_admin');
    await refused(() => agency.get(TOTALS), 403, 'forbidden');
    await refused(() => finance.get(`${TOTALS}?months=0`), 400, 'validation_failed', 'months');
    await refused(() => finance.get(`${TOTALS}?months=37`), 400, 'validation_failed', 'months');
    await refused(() => finance.get(`${TOTALS}?to=2026-13`), 400, 'validation_failed', 'to');
    await refused(() => finance.get(`${TOTALS}?departmentId=abc`), 400, 'validation_failed', 'departmentId');
  });

  it('finalising a sheet adds exactly its rows; approving a revision moves the month by the difference', async () => {
    const before = of(await totals(finance, `?to=${FREE}&months=1`), FREE);
    // Fill office 79's free month and finalise it.
    const sheet = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    const rows = sheet.rows
      .filter((r) => !r.offRolls)
      .map((r) => {
        const offs = Math.min(4, r.daysOnRolls - 1);
        return { resourceId: r.resourceId, version: r.version, present: r.daysOnRolls - offs - 1, paidLeave: 0, offs, absence: 1 };
      });
    expect(rows.length).toBeGreaterThan(1);
    expect((await dm.put(`${url(FREE)}/rows`, { rows })).statusCode).toBe(200);
    expect(of(await totals(finance, `?to=${FREE}&months=1`), FREE)).toEqual(before); // an open sheet counts for nothing
    const fin = await dm.post(`${url(FREE)}/finalise`);
    expect(fin.statusCode, fin.body).toBe(200);
    const sum = (k: 'present' | 'paidLeave' | 'offs' | 'absence') => rows.reduce((a, r) => a + r[k], 0);
    const after = of(await totals(finance, `?to=${FREE}&months=1`), FREE);
    expect(after).toEqual({
      ...before,
      sheets: before.sheets + 1,
      rows: before.rows + rows.length,
      present: before.present + sum('present'),
      paidLeave: before.paidLeave + sum('paidLeave'),
      offs: before.offs + sum('offs'),
      absence: before.absence + sum('absence'),
      daysOnRolls: before.daysOnRolls + sum('present') + sum('paidLeave') + sum('offs') + sum('absence'),
      paidDays: before.paidDays + sum('present') + sum('paidLeave') + sum('offs'),
    });

    // Two revisions of the same row, approved one after the other: 1 → 3 days absent, then 3 → 2.
    const r0 = rows[0]!;
    const revise = async (absence: number) => {
      const body = {
        reason: 'Absence found on the register',
        rows: [{ resourceId: r0.resourceId, present: r0.present + 1 - absence, paidLeave: 0, offs: r0.offs, absence }],
      };
      const prior = of(await totals(finance, `?to=${FREE}&months=1`), FREE);
      const req = await dm.post(`${url(FREE)}/revisions`, body);
      expect(req.statusCode, req.body).toBe(200);
      // Pending: nothing moves.
      expect(of(await totals(finance, `?to=${FREE}&months=1`), FREE)).toEqual(prior);
      const ok = await ddo.post(`/api/v1/attendance/revisions/${(req.json() as TRevision).id}/decision`, { decision: 'approve' });
      expect(ok.statusCode, ok.body).toBe(200);
      return of(await totals(finance, `?to=${FREE}&months=1`), FREE);
    };
    const once = await revise(3);
    expect(once).toEqual({ ...after, present: after.present - 2, absence: after.absence + 2, paidDays: after.paidDays - 2 });
    const twice = await revise(2);
    expect(twice).toEqual({ ...after, present: after.present - 1, absence: after.absence + 1, paidDays: after.paidDays - 1 });
    // And still the live sum.
    const { sheets: _s, ...expected } = await live(FREE);
    const { month: _m, sheets: _t, ...got } = twice;
    expect(got).toEqual(expected);
  });

  it('the database keeps the totals balanced: a row that does not add up is refused', async () => {
    const r = await t.database.db.execute<{ id: number }>(sql`select sheet_id as id from attendance_sheet_totals limit 1`);
    expect(await dbRefusal(sql`update attendance_sheet_totals set present = present + 1 where sheet_id = ${r.rows[0]!.id}`)).toMatch(
      /attendance_sheet_totals_balance/,
    );
  });
});
