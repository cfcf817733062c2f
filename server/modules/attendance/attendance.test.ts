import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceRow, TAttendanceSheet } from '../../../shared/contracts/attendance.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import ExcelJS from 'exceljs';
import type { TUploadReport } from '../../../shared/contracts/attendance.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { nextMonth, previousMonth } from './attendance.rules.ts';

/**
 * Monthly attendance (issue 15) through the API, on the demo data. The demo seed runs on the
 * real clock: last month (LAST) finalised, this month (CUR) open and half filled; the two months
 * before last finalised by the workflow demo; the month before those (FREE) has no sheet yet and the tests fill it. The test clock is the real one too.
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(CUR);
// The invoice workflow demo finalises the two months before last (invoice.workflow.demo.ts): the
// month the tests fill is the one before those.
const FREE = previousMonth(previousMonth(previousMonth(LAST)));
const FUTURE = nextMonth(CUR);
let t: TestApp;
let dm: Client;
let dm2: Client;
let ddo: Client;
let agency: Client;
let foreignOfficeId: number;

const OFFICE = 79;
const url = (month: string, office = OFFICE) => `/api/v1/attendance/offices/${office}/months/${month}`;
const { refused, dbRefusal } = checksOn(() => t.database);

async function asOffice79(c: Client) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
}

const entry = (r: Pick<TAttendanceRow, 'resourceId' | 'version' | 'daysOnRolls'>, over: Record<string, number> = {}) => ({
  resourceId: r.resourceId,
  version: r.version,
  present: r.daysOnRolls - 5,
  paidLeave: 1,
  offs: 4,
  absence: 0,
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  await asOffice79(dm);
  dm2 = await t.login('dm_bhopal');
  await asOffice79(dm2);
  ddo = await t.login('ddo_bhopal');
  agency = await t.login('agency_admin');
  const r = await t.database.db.execute<{ id: number }>(sql`select office_id as id from resources where id = 1`);
  foreignOfficeId = r.rows[0]!.id;
  // A resource of office 79 joined mid-September, another relieved mid-September (clipping).
  await t.database.db.execute(sql`
    update resources set joining_date = ${`${FREE}-10`}
     where id = (select min(id) from resources where office_id = ${OFFICE} and status = 'approved')`);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('attendance — reading', () => {
  it('requires a login, and the month in the URL must be a month', async () => {
    expect((await t.anon.get(url(FREE))).statusCode).toBe(401);
    await refused(() => dm.get(url('2026-13')), 400, 'validation_failed', 'month');
  });

  it('demo: last month is finalised with every row balanced; this month is open and half filled', async () => {
    const oct = (await dm.get(url(LAST))).json() as TAttendanceSheet;
    expect(oct.state).toBe('finalised');
    expect(oct.editable).toBe(false);
    expect(oct.rows.length).toBeGreaterThan(1);
    expect(oct.rows.every((r) => r.balanced && r.present! + r.paidLeave! + r.offs! + r.absence! === r.daysOnRolls)).toBe(true);
    const nov = (await dm.get(url(CUR))).json() as TAttendanceSheet;
    expect(nov.state).toBe('open');
    expect(nov.editable).toBe(true);
    expect(nov.canFinalise).toBe(false);
    const saved = nov.rows.filter((r) => r.version > 0).length;
    expect(saved).toBe(Math.ceil(nov.rows.length / 2));
  });

  it('the roster clips the days on the rolls to joining and relieving', async () => {
    const sep = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    expect(sep.rows.length).toBeGreaterThan(1);
    const joined = sep.rows.find((r) => r.joiningDate === `${FREE}-10`)!;
    const days = Number(sep.lastDay.slice(8));
    expect(joined).toMatchObject({ fromDate: `${FREE}-10`, toDate: sep.lastDay, daysOnRolls: days - 9, version: 0, balanced: false });
    // Every resource of the roster was on the rolls on some day of the month, and no more days than it has.
    expect(sep.rows.every((r) => r.daysOnRolls >= 1 && r.daysOnRolls <= days)).toBe(true);
    expect(sep.rows.every((r) => r.joiningDate <= sep.lastDay && (r.relievedOn === null || r.relievedOn >= sep.firstDay))).toBe(true);
    // A relieving inside the month clips the other end (the relieving date is the last day on the rolls).
    const other = sep.rows.find((r) => r.resourceId !== joined.resourceId)!;
    await t.database.db.execute(
      sql`update resources set status = 'relieved', relieved_on = ${`${FREE}-15`}, relieve_reason = 'resigned' where id = ${other.resourceId}`,
    );
    const clipped = ((await dm.get(url(FREE))).json() as TAttendanceSheet).rows.find((r) => r.resourceId === other.resourceId)!;
    expect(clipped).toMatchObject({ fromDate: sep.firstDay, toDate: `${FREE}-15`, daysOnRolls: 15 });
    // Relieved before the month: not on its roster (a month without a sheet yet).
    const after = ((await dm.get(url(FUTURE))).json() as TAttendanceSheet).rows.map((r) => r.resourceId);
    expect(after).not.toContain(other.resourceId);
    await t.database.db.execute(sql`update resources set status = 'approved', relieved_on = null, relieve_reason = null where id = ${other.resourceId}`);
  });

  it('another department’s office is not found, for reading and for saving (nothing saved)', async () => {
    await refused(() => dm.get(url(LAST, foreignOfficeId)), 404, 'not_found');
    await refused(
      () => dm.put(`${url(FREE, foreignOfficeId)}/rows`, { rows: [{ resourceId: 1, version: 0, present: 26, paidLeave: 0, offs: 4, absence: 0 }] }),
      404,
      'not_found',
    );
    await refused(() => dm.post(`${url(FREE, foreignOfficeId)}/finalise`), 404, 'not_found');
  });

  it('the DDO reads but cannot enter; the agency sees only finalised months, only its own resources', async () => {
    const seen = (await ddo.get(url(CUR))).json() as TAttendanceSheet;
    expect(seen.editable).toBe(false);
    await refused(() => ddo.put(`${url(CUR)}/rows`, { rows: [entry(seen.rows[0]!)] }), 403, 'forbidden');
    await refused(() => agency.get(url(CUR)), 404, 'not_found');
    const oct = (await agency.get(url(LAST))).json() as TAttendanceSheet;
    expect(oct.state).toBe('finalised');
    expect(oct.rows.length).toBeGreaterThan(0);
    expect(oct.rows.every((r) => r.agencyId === 1)).toBe(true);
    await refused(() => agency.put(`${url(FREE)}/rows`, { rows: [entry(oct.rows[0]!)] }), 403, 'forbidden');
  });
});

describe('attendance — saving', () => {
  let sep: TAttendanceSheet;
  beforeAll(async () => {
    sep = (await dm.get(url(FREE))).json() as TAttendanceSheet;
  });

  it('refuses negative, fractional and too many days and an unbalanced row, naming the row and the field; nothing saved', async () => {
    const r = sep.rows[0]!;
    const n = sep.rows.findIndex((x) => x.resourceId === r.resourceId) + 1;
    const check = async (over: Record<string, number>, field: string, words: RegExp, lang: 'en' | 'hi' = 'en') => {
      const res = await refused(
        () => {
          dm.cookies.roams_lang = lang;
          return dm.put(`${url(FREE)}/rows`, { rows: [entry(r, over)] });
        },
        400,
        'validation_failed',
        `rows.0.${field}`,
      );
      const msg = (res.json().errors as { field: string; message?: string }[]).find((e) => e.field === `rows.0.${field}`)!.message!;
      expect(msg).toContain(`${n}`);
      expect(msg).toContain(lang === 'hi' ? r.nameHi || r.nameEn : r.nameEn);
      expect(msg).toMatch(words);
    };
    await check({ present: -1 }, 'present', /Days present.*whole number/);
    await check({ paidLeave: 0.5 }, 'paidLeave', /Paid leave.*whole number/);
    await check({ offs: r.daysOnRolls + 1 }, 'offs', new RegExp(`Weekly offs.*${r.daysOnRolls} days`));
    await check({ absence: 2 }, 'absence', /add up/);
    await check({ present: -3 }, 'present', /उपस्थित दिवस.*पूर्ण संख्या/, 'hi');
    delete dm.cookies.roams_lang;
    await refused(() => dm.put(`${url(FREE)}/rows`, { rows: [entry(r), entry(r)] }), 400, 'validation_failed', 'rows.1.resourceId');
    await refused(() => dm.put(`${url(FREE)}/rows`, { rows: [entry({ ...r, resourceId: 1 })] }), 400, 'validation_failed', 'rows.0.resourceId');
    await refused(() => dm.put(`${url(FREE)}/rows`, { rows: [{ ...entry(r), present: '20' }] }), 400, 'validation_failed', 'rows.0.present');
    await refused(() => dm.put(`${url(FUTURE)}/rows`, { rows: [entry(r)] }), 409, 'attendance_month_future');
  });

  it('saves a row (version 1), audits it; the later of two clerks saving the same row gets a conflict and nothing is lost', async () => {
    const r = sep.rows[1]!;
    const first = await dm.put(`${url(FREE)}/rows`, { rows: [entry(r, { absence: 1, present: r.daysOnRolls - 6 })] });
    expect(first.statusCode, first.body).toBe(200);
    const after = (first.json() as TAttendanceSheet).rows.find((x) => x.resourceId === r.resourceId)!;
    expect(after).toMatchObject({ version: 1, absence: 1, balanced: true });
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'attendance_row'), eq(auditLog.action, 'save')))
      .orderBy(sql`seq desc`)
      .limit(1);
    expect(a?.after).toMatchObject({ resourceId: r.resourceId, month: FREE, absence: 1, version: 1 });
    // The second clerk read version 0 before the first saved: refused, the first clerk's values kept.
    await refused(() => dm2.put(`${url(FREE)}/rows`, { rows: [entry(r)] }), 409, 'attendance_conflict', 'rows.0');
    const now = ((await dm2.get(url(FREE))).json() as TAttendanceSheet).rows.find((x) => x.resourceId === r.resourceId)!;
    expect(now).toMatchObject({ version: 1, absence: 1 });
    // Quoting the version it now read, the second clerk's save goes through.
    const again = await dm2.put(`${url(FREE)}/rows`, { rows: [entry(now)] });
    expect(again.statusCode, again.body).toBe(200);
  });

  it('two saves of a new row at the same moment: one wins, the other is a conflict', async () => {
    const r = sep.rows[2] ?? sep.rows[0]!;
    const [x, y] = await Promise.all([
      dm.put(`${url(FREE)}/rows`, { rows: [entry(r)] }),
      dm2.put(`${url(FREE)}/rows`, { rows: [entry(r, { present: r.daysOnRolls - 6, paidLeave: 2 })] }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const loser = x.statusCode === 409 ? x : y;
    expect(loser.json().code).toBe('attendance_conflict');
  });
});

describe('attendance — finalising', () => {
  it('refuses a month not yet over, and a month with rows not saved', async () => {
    await refused(() => dm.post(`${url(CUR)}/finalise`), 409, 'attendance_month_not_over');
    const sep = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    expect(sep.canFinalise).toBe(false);
    await refused(() => dm.post(`${url(FREE)}/finalise`), 409, 'attendance_incomplete');
    await refused(() => ddo.post(`${url(FREE)}/finalise`), 403, 'forbidden');
  });

  it('finalises once every row is saved and balanced; then nothing can change it — not the API, not SQL from the app’s connection', async () => {
    let sep = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    // A resource with a saved row is relieved, back-dated, before the month: its row is off the rolls and is dropped on finalising.
    const gone = sep.rows.find((r) => r.version > 0)!;
    const relievedOn = `${previousMonth(FREE)}-28`;
    await t.database.db.execute(
      sql`update resources set status = 'relieved', relieved_on = ${relievedOn}, joining_date = least(joining_date, ${relievedOn}::date), relieve_reason = 'resigned' where id = ${gone.resourceId}`,
    );
    sep = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    expect(sep.rows.find((r) => r.resourceId === gone.resourceId)).toMatchObject({ offRolls: true, balanced: false });
    const rest = sep.rows.filter((r) => !r.balanced && !r.offRolls).map((r) => entry(r));
    expect((await dm.put(`${url(FREE)}/rows`, { rows: rest })).statusCode).toBe(200);
    sep = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    expect(sep.canFinalise).toBe(true);
    const res = await dm.post(`${url(FREE)}/finalise`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'finalised', editable: false });
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'attendance_sheet'), eq(auditLog.action, 'finalise')));
    expect(a?.after).toMatchObject({ month: FREE, officeId: OFFICE, rows: sep.rows.length - 1 });
    expect((res.json() as TAttendanceSheet).rows.map((r) => r.resourceId)).not.toContain(gone.resourceId);
    const [d] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'attendance_row'), eq(auditLog.action, 'delete')));
    expect(d?.before).toMatchObject({ resourceId: gone.resourceId, month: FREE });
    await t.database.db.execute(
      sql`update resources set status = 'approved', relieved_on = null, relieve_reason = null, joining_date = ${gone.joiningDate} where id = ${gone.resourceId}`,
    );

    const r = sep.rows[0]!;
    await refused(() => dm.put(`${url(FREE)}/rows`, { rows: [entry(r)] }), 409, 'record_frozen');
    await refused(() => dm.post(`${url(FREE)}/finalise`), 409, 'record_frozen');
    const sheet = sql`(select id from attendance_sheets where office_id = ${OFFICE} and month = ${`${FREE}-01`})`;
    expect(await dbRefusal(sql`update attendance_rows set present = present - 1, absence = absence + 1 where sheet_id = ${sheet}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`delete from attendance_rows where sheet_id = ${sheet}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`update attendance_sheets set state = 'open', finalised_at = null where id = ${sheet}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`delete from attendance_sheets where id = ${sheet}`)).toMatch(/ROAMS_FROZEN/);
    expect(
      await dbRefusal(
        sql`insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence) values (${sheet}, 1, 30, 30, 0, 0, 0)`,
      ),
    ).toMatch(/ROAMS_FROZEN/);
    // The demo's finalised last month too.
    expect(
      await dbRefusal(
        sql`update attendance_rows set version = version + 1 where sheet_id = (select id from attendance_sheets where month = ${`${LAST}-01`} limit 1)`,
      ),
    ).toMatch(/ROAMS_FROZEN/);
    // And the database's balance rule holds on open months as well.
    expect(
      await dbRefusal(
        sql`update attendance_rows set absence = absence + 1 where sheet_id = (select id from attendance_sheets where month = ${`${CUR}-01`} limit 1)`,
      ),
    ).toMatch(/attendance_rows_balance/);
  });
});

describe('attendance — spreadsheet template and upload', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  async function download(lang: 'hi' | 'en', month = CUR) {
    dm.cookies.roams_lang = lang;
    const res = await dm.get(`${url(month)}/template?format=xlsx`);
    delete dm.cookies.roams_lang;
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  }
  const upload = async (wbBuf: Buffer, query = '', month = CUR, name = 'attendance.xlsx', type = XLSX) => {
    dm.cookies.roams_lang = 'en';
    const res = await dm.request({ method: 'POST', url: `${url(month)}/upload${query}`, ...multipart({}, { field: 'file', name, bytes: wbBuf, type }) });
    delete dm.cookies.roams_lang;
    return res;
  };
  const buf = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

  it('downloads a pre-filled template in the user’s language; Devanagari names survive the round trip', async () => {
    const sheet = (await dm.get(url(CUR))).json() as TAttendanceSheet;
    const wb = await download('hi');
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(3).value).toBe('संसाधन आईडी');
    expect(ws.rowCount).toBe(sheet.rows.length + 1);
    const names = sheet.rows.map((r) => r.nameHi || r.nameEn);
    for (let i = 0; i < sheet.rows.length; i++) expect(ws.getRow(i + 2).getCell(4).value).toBe(names[i]);
    const csv = await dm.get(`${url(CUR)}/template?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
  });

  it('refuses a file with bad rows as a whole, listing each with its row and column; saves the good rows only when asked', async () => {
    const sheet = (await dm.get(url(CUR))).json() as TAttendanceSheet;
    expect(sheet.rows.length).toBeGreaterThanOrEqual(3);
    const wb = await download('en');
    const ws = wb.worksheets[0]!;
    sheet.rows.forEach((r, i) => {
      const row = ws.getRow(i + 2);
      row.getCell(9).value = String(r.daysOnRolls - 4);
      row.getCell(10).value = '0';
      row.getCell(11).value = '4';
      row.getCell(12).value = '0';
    });
    ws.getRow(2).getCell(9).value = '-1'; // negative
    ws.getRow(3).getCell(10).value = '0.5'; // fractional
    const before = (await dm.get(url(CUR))).json() as TAttendanceSheet;
    const res = await upload(await buf(wb));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as TUploadReport;
    expect(report.saved).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, 'present', 'attendance_days_invalid'],
      [3, 'paidLeave', 'attendance_days_invalid'],
    ]);
    expect(report.errors[0]!.message).toBe(`Row 2 (${sheet.rows[0]!.nameEn}), Days present: enter a whole number of days, 0 or more.`);
    expect(((await dm.get(url(CUR))).json() as TAttendanceSheet).rows).toEqual(before.rows);

    const good = await upload(await buf(wb), '?saveGood=true');
    expect((good.json() as TUploadReport).saved).toBe(sheet.rows.length - 2);
    const after = ((await dm.get(url(CUR))).json() as TAttendanceSheet).rows;
    expect(after.slice(2).every((r) => r.present === r.daysOnRolls - 4 && r.balanced)).toBe(true);
    expect(after[0]).toEqual(before.rows[0]);
  });

  it('an upload over saved rows updates each at its version (one audit entry per row, naming the version); the next upload moves them on again', async () => {
    const before = ((await dm.get(url(CUR))).json() as TAttendanceSheet).rows;
    expect(before.every((r) => r.daysOnRolls >= 2)).toBe(true);
    const wb = await download('en');
    const ws = wb.worksheets[0]!;
    const fill = (absence: number) =>
      before.forEach((r, i) => {
        const row = ws.getRow(i + 2);
        row.getCell(9).value = String(r.daysOnRolls - absence);
        row.getCell(10).value = '0';
        row.getCell(11).value = '0';
        row.getCell(12).value = String(absence);
      });
    const audits = async () =>
      (
        await t.database.db
          .select({ after: auditLog.after })
          .from(auditLog)
          .where(and(eq(auditLog.entity, 'attendance_row'), eq(auditLog.action, 'upload')))
      ).length;
    const n0 = await audits();
    fill(1);
    expect(((await upload(await buf(wb))).json() as TUploadReport).saved).toBe(before.length);
    const mid = ((await dm.get(url(CUR))).json() as TAttendanceSheet).rows;
    expect(mid.map((r) => [r.resourceId, r.absence, r.version])).toEqual(before.map((r) => [r.resourceId, 1, r.version + 1]));
    expect(await audits()).toBe(n0 + before.length);
    fill(2);
    expect(((await upload(await buf(wb))).json() as TUploadReport).saved).toBe(before.length);
    const after = ((await dm.get(url(CUR))).json() as TAttendanceSheet).rows;
    expect(after.map((r) => [r.absence, r.version, r.balanced])).toEqual(before.map((r) => [2, r.version + 2, true]));
    expect(await audits()).toBe(n0 + 2 * before.length);
  });

  it('refuses the template of another month, an unknown resource, a repeated row, and a file that is not a spreadsheet', async () => {
    const wb = await download('en');
    const ws = wb.worksheets[0]!;
    ws.getRow(2).getCell(2).value = LAST; // another month
    ws.getRow(3).getCell(3).value = '1'; // a resource of another office
    const dup = ws.addRow(ws.getRow(4).values as ExcelJS.CellValue[]);
    dup.commit();
    const report = (await upload(await buf(wb))).json() as TUploadReport;
    expect(report.saved).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.code])).toEqual(
      expect.arrayContaining([
        [2, 'month', 'attendance_wrong_template'],
        [3, 'resourceId', 'attendance_not_on_rolls'],
        [ws.rowCount, 'resourceId', 'attendance_duplicate_row'],
      ]),
    );
    const pdf = Buffer.from('%PDF-1.4\n\u0000\u0001binary');
    await refused(() => upload(pdf, '', CUR, 'attendance.xlsx'), 415, 'unsupported_media_type');
  });

  it('refuses an upload to a finalised month, and to another department’s office', async () => {
    const wb = await download('en', CUR);
    await refused(() => upload(Buffer.from('x'), '', LAST), 409, 'record_frozen');
    await refused(
      () =>
        dm.request({
          method: 'POST',
          url: `${url(CUR, foreignOfficeId)}/upload`,
          ...multipart({}, { field: 'file', name: 'a.xlsx', bytes: Buffer.alloc(0), type: XLSX }),
        }),
      404,
      'not_found',
    );
    void wb;
  });
});
