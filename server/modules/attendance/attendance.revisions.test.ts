import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceSheet, THoliday, TRevision } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn } from '../../test/helpers.ts';
import { approvedRevisionsSinceSql, effectiveAttendanceSql } from './index.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * Revisions after finalisation and the holiday calendar (issue 15 items 4 and 6), through the API
 * on the demo data: last month (LAST) of office 79 is finalised with one revision approved, one
 * refused and one awaiting the DDO (ddo_bhopal, whose DDO code sits in office 79).
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(CUR);
const OFFICE = 79;
const url = (month: string, office = OFFICE) => `/api/v1/attendance/offices/${office}/months/${month}`;
const REV = '/api/v1/attendance/revisions';
let t: TestApp;
let dm: Client;
let ddo: Client;
let agency: Client;
let finance: Client;
let foreignOfficeId: number;
const { refused, dbRefusal } = checksOn(() => t.database);

async function asOffice79(c: Client) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
}

const sheetOf = async (c: Client, month = LAST) => (await c.get(url(month))).json() as TAttendanceSheet;
/** A row of LAST with no revision pending, turned one day present into unpaid absence. */
async function freeRow(skip: number[] = []) {
  const s = await sheetOf(dm);
  const r = s.rows.find((x) => !x.revisionPending && !skip.includes(x.resourceId) && (x.revised?.present ?? x.present!) > 0)!;
  const eff = r.revised ?? { present: r.present!, paidLeave: r.paidLeave!, offs: r.offs!, absence: r.absence! };
  return { row: r, entry: { resourceId: r.resourceId, present: eff.present - 1, paidLeave: eff.paidLeave, offs: eff.offs, absence: eff.absence + 1 } };
}
type Effective = { resource_id: number; present: number; absent: number; paid_days: number; revision_no: number; revised_at: Date | string | null };
async function effective(resourceId: number): Promise<Effective> {
  const r = await t.database.db.execute<Effective>(sql`
    select ea.resource_id, ea.present, ea.absent, ea.paid_days, ea.revision_no, ea.revised_at
      from ${effectiveAttendanceSql()} ea where ea.resource_id = ${resourceId} and ea.office_id = ${OFFICE} and ea.month = ${`${LAST}-01`}`);
  return r.rows[0]!;
}

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  await asOffice79(dm);
  ddo = await t.login('ddo_bhopal');
  agency = await t.login('agency_admin');
  finance = await t.login('finance_admin');
  const r = await t.database.db.execute<{ id: number }>(sql`select office_id as id from resources where id = 1`);
  foreignOfficeId = r.rows[0]!.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('attendance revisions — demo and reading', () => {
  it('the DDO sees one pending, one approved and one refused request of office 79; only the pending one can be decided', async () => {
    const list = ((await ddo.get(REV)).json() as { items: TRevision[] }).items.filter((x) => x.officeId === OFFICE && x.month === LAST);
    expect(list.map((x) => x.state).sort()).toEqual(['approved', 'pending', 'refused']);
    expect(list.find((x) => x.state === 'pending')!.canDecide).toBe(true);
    expect(list.filter((x) => x.canDecide)).toHaveLength(1);
    const approved = list.find((x) => x.state === 'approved')!;
    expect(approved.decidedBy).toBe('Sunita Verma');
    expect(approved.items[0]!.revisionNo).toBe(1);
    // The department manager sees the same requests but decides none.
    const mine = ((await dm.get(`${REV}?state=pending`)).json() as { items: TRevision[] }).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((x) => x.state === 'pending' && !x.canDecide)).toBe(true);
    // Agencies have no revisions to see: the list is not theirs (403, like the menu entry they lack).
    const refusedList = await agency.get(REV);
    expect(refusedList.statusCode).toBe(403);
    expect(refusedList.json().code).toBe('forbidden');
  });

  it('the grid keeps the finalised figures and shows the approved revision as the figures in force', async () => {
    const s = await sheetOf(dm);
    expect(s.canRequestRevision).toBe(true);
    const revised = s.rows.filter((r) => r.revised !== null);
    expect(revised).toHaveLength(1);
    const r = revised[0]!;
    expect(r.revised!.present).toBe(r.present! - 1);
    expect(r.revised!.absence).toBe(r.absence! + 1);
    expect(s.rows.filter((x) => x.revisionPending)).toHaveLength(1);
    const e = await effective(r.resourceId);
    expect(e.revision_no).toBe(1);
    expect(e.paid_days).toBe(r.revised!.present + r.revised!.paidLeave + r.revised!.offs);
    // The DDO reads the sheet but may not request revisions.
    expect((await sheetOf(ddo)).canRequestRevision).toBe(false);
  });
});

describe('attendance revisions — requesting', () => {
  it('refuses bad requests, each naming the row and field, saving nothing', async () => {
    const { row, entry } = await freeRow();
    await refused(
      () => dm.post(`${url(LAST)}/revisions`, { reason: 'Late leave', rows: [{ ...entry, absence: entry.absence + 1 }] }),
      400,
      'validation_failed',
      'rows.0.absence',
    );
    await refused(
      () => dm.post(`${url(LAST)}/revisions`, { reason: 'Late leave', rows: [{ ...entry, present: -1 }] }),
      400,
      'validation_failed',
      'rows.0.present',
    );
    const same = row.revised ?? { present: row.present!, paidLeave: row.paidLeave!, offs: row.offs!, absence: row.absence! };
    const res = await refused(
      () => dm.post(`${url(LAST)}/revisions`, { reason: 'No change', rows: [{ resourceId: row.resourceId, ...same, ...{ revisionNo: undefined } }] }),
      400,
      'validation_failed',
      'rows.0.present',
    );
    expect(res.json().errors[0].code).toBe('attendance_revision_unchanged');
    await refused(() => dm.post(`${url(LAST)}/revisions`, { reason: 'Late leave', rows: [entry, entry] }), 400, 'validation_failed', 'rows.1.resourceId');
    await refused(() => dm.post(`${url(LAST)}/revisions`, { reason: 'x', rows: [entry] }), 400, 'validation_failed', 'reason');
    await refused(
      () => dm.post(`${url(LAST)}/revisions`, { reason: 'Late leave', rows: [{ ...entry, resourceId: 1 }] }),
      400,
      'validation_failed',
      'rows.0.resourceId',
    );
  });

  it('an open month is corrected on the grid, not by revision; another office is not found; the DDO and agencies may not request', async () => {
    const { entry } = await freeRow();
    await refused(() => dm.post(`${url(CUR)}/revisions`, { reason: 'Late leave', rows: [entry] }), 409, 'attendance_not_finalised');
    await refused(() => dm.post(`${url(LAST, foreignOfficeId)}/revisions`, { reason: 'Late leave', rows: [entry] }), 404, 'not_found');
    await refused(() => ddo.post(`${url(LAST)}/revisions`, { reason: 'Late leave', rows: [entry] }), 403, 'forbidden');
    await refused(() => agency.post(`${url(LAST)}/revisions`, { reason: 'Late leave', rows: [entry] }), 403, 'forbidden');
  });

  it('a second open request for the same row is refused — by the service, and by the database itself', async () => {
    const { row, entry } = await freeRow();
    const res = await dm.post(`${url(LAST)}/revisions`, { reason: 'Absent on the 3rd — तीसरी तारीख को अनुपस्थित', rows: [entry] });
    expect(res.statusCode, res.body).toBe(200);
    const rev = res.json() as TRevision;
    expect(rev.state).toBe('pending');
    expect(rev.items[0]!.after.absence).toBe(entry.absence);
    const audit = await t.database.db.execute(
      sql`select 1 from audit_log where entity = 'attendance_revision' and entity_id = ${String(rev.id)} and action = 'request'`,
    );
    expect(audit.rows).toHaveLength(1);
    await refused(() => dm.post(`${url(LAST)}/revisions`, { reason: 'Again', rows: [entry] }), 400, 'validation_failed', 'rows.0.resourceId');
    const second = await dbRefusal(sql`
      insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      select ${rev.id}, i.row_id, i.resource_id, i.days_on_rolls, i.present, i.paid_leave, i.offs, i.absence from attendance_revision_items i where i.request_id = ${rev.id}`);
    expect(second).toContain('attendance_revision_items_open_uq');
    // The finalised row itself is untouched.
    expect((await sheetOf(dm)).rows.find((r) => r.resourceId === row.resourceId)!.present).toBe(row.present);
  });
});

describe('attendance revisions — several rows in one request', () => {
  it('numbers each row on approval and makes each row’s figures effective', async () => {
    // Office 79 has few rows: the DDO first refuses what awaits it, freeing every row.
    for (const p of ((await ddo.get(`${REV}?state=pending`)).json() as { items: TRevision[] }).items.filter((x) => x.canDecide))
      expect((await ddo.post(`${REV}/${p.id}/decision`, { decision: 'refuse', remarks: 'Make one request of both' })).statusCode).toBe(200);
    const a = await freeRow();
    const b = await freeRow([a.row.resourceId]);
    const before = [await effective(a.row.resourceId), await effective(b.row.resourceId)];
    const res = await dm.post(`${url(LAST)}/revisions`, { reason: 'Two rows, one register', rows: [a.entry, b.entry] });
    expect(res.statusCode, res.body).toBe(200);
    const rev = res.json() as TRevision;
    expect(rev.items).toHaveLength(2);
    const ok = await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = [await effective(a.row.resourceId), await effective(b.row.resourceId)];
    expect(after.map((x) => x.revision_no)).toEqual(before.map((x) => x.revision_no + 1));
    expect(after.map((x) => x.paid_days)).toEqual(before.map((x) => x.paid_days - 1));
  });
});

describe('attendance revisions — the DDO decides', () => {
  it('approval makes the revised figures the effective ones, numbered, audited, listed for arrears', async () => {
    t.clock.advance(60_000);
    const since = t.clock.now();
    t.clock.advance(1000);
    const { row, entry } = await freeRow();
    const before = await effective(row.resourceId);
    const rev = (await dm.post(`${url(LAST)}/revisions`, { reason: 'Unpaid absence on one day', rows: [entry] })).json() as TRevision;
    // Not effective while pending.
    expect((await effective(row.resourceId)).present).toBe(before.present);
    await refused(() => dm.post(`${REV}/${rev.id}/decision`, { decision: 'approve' }), 403, 'forbidden');
    const ok = await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'approve', remarks: 'Verified — सत्यापित' });
    expect(ok.statusCode, ok.body).toBe(200);
    const done = ok.json() as TRevision;
    expect(done.state).toBe('approved');
    expect(done.items[0]!.revisionNo).toBe(before.revision_no + 1);
    const after = await effective(row.resourceId);
    expect(after).toMatchObject({ present: entry.present, absent: entry.absence, paid_days: before.paid_days - 1, revision_no: before.revision_no + 1 });
    expect(after.revised_at).not.toBeNull();
    const s = (await sheetOf(dm)).rows.find((r) => r.resourceId === row.resourceId)!;
    expect(s.present).toBe(row.present);
    expect(s.revised).toMatchObject({ present: entry.present, absence: entry.absence });
    const arrears = await t.database.db.execute<{ resource_id: number; previous_paid_days: number; paid_days: number }>(
      sql`select resource_id, previous_paid_days, paid_days from ${approvedRevisionsSinceSql(since)} x`,
    );
    expect(arrears.rows).toEqual([{ resource_id: row.resourceId, previous_paid_days: before.paid_days, paid_days: before.paid_days - 1 }]);
    const audit = await t.database.db.execute(
      sql`select 1 from audit_log where entity = 'attendance_revision' and entity_id = ${String(rev.id)} and action = 'approve'`,
    );
    expect(audit.rows).toHaveLength(1);
  });

  it('a double click on approve makes one approval; the later is refused as already decided', async () => {
    const { row, entry } = await freeRow();
    const before = await effective(row.resourceId);
    const rev = (await dm.post(`${url(LAST)}/revisions`, { reason: 'Unpaid absence on one day', rows: [entry] })).json() as TRevision;
    const [a, b] = await Promise.all([
      ddo.post(`${REV}/${rev.id}/decision`, { decision: 'approve' }),
      ddo.post(`${REV}/${rev.id}/decision`, { decision: 'approve' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].find((x) => x.statusCode === 409)!.json().code).toBe('attendance_revision_decided');
    expect((await effective(row.resourceId)).revision_no).toBe(before.revision_no + 1);
    const n = await t.database.db.execute(
      sql`select 1 from audit_log where entity = 'attendance_revision' and entity_id = ${String(rev.id)} and action = 'approve'`,
    );
    expect(n.rows).toHaveLength(1);
    await refused(() => ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'Too late' }), 409, 'attendance_revision_decided');
  });

  it('a refusal needs remarks and leaves the figures in force', async () => {
    const { row, entry } = await freeRow();
    const before = await effective(row.resourceId);
    const rev = (await dm.post(`${url(LAST)}/revisions`, { reason: 'Unpaid absence on one day', rows: [entry] })).json() as TRevision;
    await refused(() => ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse' }), 400, 'validation_failed', 'remarks');
    const res = await ddo.post(`${REV}/${rev.id}/decision`, { decision: 'refuse', remarks: 'No leave record — अवकाश अभिलेख नहीं' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as TRevision).state).toBe('refused');
    expect(await effective(row.resourceId)).toEqual(before);
    // The row is free for a new request.
    expect((await sheetOf(dm)).rows.find((r) => r.resourceId === row.resourceId)!.revisionPending).toBe(false);
  });

  it('a refused request keeps showing the figures it was asked against, not those a later approval put in force', async () => {
    const { row, entry } = await freeRow();
    const eff = row.revised ?? { present: row.present!, paidLeave: row.paidLeave!, offs: row.offs!, absence: row.absence! };
    const asked = { present: eff.present, paidLeave: eff.paidLeave, offs: eff.offs, absence: eff.absence };
    const first = (await dm.post(`${url(LAST)}/revisions`, { reason: 'One day absent', rows: [entry] })).json() as TRevision;
    expect((await ddo.post(`${REV}/${first.id}/decision`, { decision: 'refuse', remarks: 'Not in the register' })).statusCode).toBe(200);
    t.clock.advance(1000);
    // The same row corrected again, differently, and approved: its figures are now in force.
    const again = { ...entry, present: entry.present - 1, absence: entry.absence + 1 };
    const second = (await dm.post(`${url(LAST)}/revisions`, { reason: 'Two days absent', rows: [again] })).json() as TRevision;
    expect((await ddo.post(`${REV}/${second.id}/decision`, { decision: 'approve', remarks: 'Verified' })).statusCode).toBe(200);
    const listed = ((await ddo.get(REV)).json() as { items: TRevision[] }).items;
    const askedAgainst = (id: number) => listed.find((x) => x.id === id)!.items[0]!.before;
    expect(askedAgainst(first.id)).toEqual(asked);
    expect(askedAgainst(second.id)).toEqual(asked);
  });

  it('maker ≠ checker: the requester cannot decide their own request, in the service and in the database', async () => {
    const { row, entry } = await freeRow();
    const ddoUser = (await t.database.db.execute<{ id: number }>(sql`select id from users where username = 'ddo_bhopal'`)).rows[0]!.id;
    const q = await t.database.db.execute<{ id: number }>(sql`
      insert into attendance_revision_requests (sheet_id, office_id, month, reason, requested_by, requested_at)
      select s.id, s.office_id, s.month, 'Raised by the DDO itself', ${ddoUser}, now() from attendance_sheets s where s.office_id = ${OFFICE} and s.month = ${`${LAST}-01`}
      returning id`);
    const id = q.rows[0]!.id;
    await t.database.db.execute(sql`
      insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      select ${id}, ar.id, ar.resource_id, ar.days_on_rolls, ${entry.present}, ${entry.paidLeave}, ${entry.offs}, ${entry.absence}
        from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id where s.office_id = ${OFFICE} and s.month = ${`${LAST}-01`} and ar.resource_id = ${row.resourceId}`);
    await refused(() => ddo.post(`${REV}/${id}/decision`, { decision: 'approve' }), 403, 'maker_checker');
    expect(
      await dbRefusal(sql`update attendance_revision_requests set state = 'approved', decided_by = requested_by, decided_at = now() where id = ${id}`),
    ).toContain('attendance_revision_requests_maker_checker');
  });

  it('a request of an office the DDO does not pay is not found, and not listed', async () => {
    const q = await t.database.db.execute<{ id: number }>(sql`
      insert into attendance_revision_requests (sheet_id, office_id, month, reason, requested_by, requested_at)
      select s.id, s.office_id, s.month, 'Another office', (select id from users where username = 'dm_bhopal'), now()
        from attendance_sheets s where s.office_id = ${foreignOfficeId} and s.state = 'finalised' order by s.month desc limit 1
      returning id`);
    const id = q.rows[0]!.id;
    await refused(() => ddo.post(`${REV}/${id}/decision`, { decision: 'approve' }), 404, 'not_found');
    await refused(() => ddo.post(`${REV}/999999/decision`, { decision: 'approve' }), 404, 'not_found');
    expect(((await ddo.get(REV)).json() as { items: TRevision[] }).items.some((x) => x.id === id)).toBe(false);
    expect(((await dm.get(REV)).json() as { items: TRevision[] }).items.some((x) => x.id === id)).toBe(false);
  });

  it('revisions are append-only in the database: no deletion, no change of figures, no second decision', async () => {
    const r = await t.database.db.execute<{ id: number; request_id: number }>(
      sql`select id, request_id from attendance_revision_items where state = 'approved' order by id limit 1`,
    );
    const { id, request_id } = r.rows[0]!;
    expect(await dbRefusal(sql`delete from attendance_revision_items where id = ${id}`)).toContain('ROAMS_IMMUTABLE');
    expect(await dbRefusal(sql`update attendance_revision_items set present = present + 1 where id = ${id}`)).toContain('ROAMS_FROZEN');
    expect(await dbRefusal(sql`update attendance_revision_requests set state = 'refused', remarks = 'x' where id = ${request_id}`)).toContain('ROAMS_FROZEN');
    expect(await dbRefusal(sql`delete from attendance_revision_requests where id = ${request_id}`)).toContain('ROAMS_IMMUTABLE');
    // A revision of a row of an open month is refused too.
    expect(
      await dbRefusal(sql`
        insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
        select ${request_id}, ar.id, ar.resource_id, ar.days_on_rolls, ar.present, ar.paid_leave, ar.offs, ar.absence
          from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id where s.state = 'open' limit 1`),
    ).toContain('ROAMS_FROZEN');
  });
});

describe('holiday calendar', () => {
  it('the Excel template notes the month’s holidays on the offs header, in the user’s language', async () => {
    const res = await dm.get(`${url(LAST)}/template?format=xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const header = wb.worksheets[0]!.getRow(1);
    const offs = header.getCell(11);
    expect(['Weekly offs and holidays', 'साप्ताहिक अवकाश व छुट्टियाँ']).toContain(offs.value);
    const note = typeof offs.note === 'string' ? offs.note : JSON.stringify(offs.note);
    expect(note).toMatch(/Local fair \(office 79\)|स्थानीय मेला \(कार्यालय 79\)/);
    expect(note).toContain('14/');
  });

  const H = '/api/v1/attendance/holidays';
  it('Finance keeps statewide holidays, the department manager its office’s; the grid shows them', async () => {
    const day = `${LAST}-20`;
    const bad = await refused(
      () => dm.post(H, { date: day, officeId: null, nameEn: 'State day', nameHi: 'राज्य दिवस', kind: 'gazetted' }),
      403,
      'holiday_not_keeper',
    );
    expect(bad.statusCode).toBe(403);
    const res = await finance.post(H, { date: day, nameEn: 'State day', nameHi: 'राज्य दिवस', kind: 'gazetted' });
    expect(res.statusCode, res.body).toBe(200);
    await refused(() => finance.post(H, { date: day, nameEn: 'Again', nameHi: 'फिर', kind: 'optional' }), 409, 'holiday_exists');
    await refused(() => dm.post(H, { date: day, officeId: foreignOfficeId, nameEn: 'Fair', nameHi: 'मेला', kind: 'optional' }), 404, 'not_found');
    await refused(
      () => dm.post(H, { date: '2026-02-30', officeId: OFFICE, nameEn: 'Fair', nameHi: 'मेला', kind: 'optional' }),
      400,
      'validation_failed',
      'date',
    );
    await refused(() => dm.post(H, { date: day, officeId: OFFICE, nameEn: 'Fair', nameHi: '', kind: 'optional' }), 400, 'validation_failed', 'nameHi');
    const local = await dm.post(H, { date: `${LAST}-21`, officeId: OFFICE, nameEn: 'Fair', nameHi: 'मेला', kind: 'optional' });
    expect(local.statusCode, local.body).toBe(200);
    const s = await sheetOf(dm);
    expect(s.holidays.map((h) => h.date)).toEqual(expect.arrayContaining([day, `${LAST}-21`]));
    // An agency sees the statewide ones only.
    const ag = ((await agency.get(`${H}?month=${LAST}&officeId=${OFFICE}`)).json() as { items: THoliday[] }).items;
    expect(ag.some((h) => h.date === day)).toBe(true);
    expect(ag.every((h) => h.officeId === null)).toBe(true);
    // The department manager cannot delete a statewide holiday (not found); Finance can, audited.
    const id = (res.json() as THoliday).id;
    await refused(() => dm.del(`${H}/${id}`), 404, 'not_found');
    expect((await finance.del(`${H}/${id}`)).statusCode).toBe(200);
    const audit = await t.database.db.execute(sql`select action from audit_log where entity = 'holiday' and entity_id = ${String(id)} order by seq`);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual(['create', 'delete']);
  });
});
