import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceSheet, TUploadReport } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { type Client, createTestApp, dbFingerprint, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * The attendance spreadsheet round trip (issue 15 item 3): the instructions sheet, the refusal of
 * workbooks that are not the template as downloaded (formulas, merged cells, another sheet, not a
 * spreadsheet), and the department-wide template and its upload — on the demo data (this month
 * CUR open and half filled, last month LAST finalised; office 79 is dm_bhopal's).
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(CUR);
const OFFICE = 79;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let t: TestApp;
let dm: Client;
let deptId: number;
let otherDeptId: number;
const { refused } = checksOn(() => t.database);
const officeUrl = (month = CUR, office = OFFICE) => `/api/v1/attendance/offices/${office}/months/${month}`;
const deptUrl = (month = CUR, dept = deptId) => `/api/v1/attendance/departments/${dept}/months/${month}`;

async function login(username: string) {
  const c = await t.login(username);
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (username === 'dm_bhopal' && a) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  return c;
}

async function download(c: Client, path: string, lang: 'hi' | 'en' = 'en') {
  c.cookies.roams_lang = lang;
  const res = await c.get(`${path}/template?format=xlsx`);
  delete c.cookies.roams_lang;
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

async function upload(c: Client, path: string, bytes: Buffer, opts: { query?: string; lang?: 'hi' | 'en'; name?: string; type?: string } = {}) {
  c.cookies.roams_lang = opts.lang ?? 'en';
  const res = await c.request({
    method: 'POST',
    url: `${path}/upload${opts.query ?? ''}`,
    ...multipart({}, { field: 'file', name: opts.name ?? 'attendance.xlsx', bytes, type: opts.type ?? XLSX }),
  });
  delete c.cookies.roams_lang;
  return res;
}

const buf = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

/** Header text → column number of a data sheet. */
function columnsOf(ws: ExcelJS.Worksheet): Map<string, number> {
  const m = new Map<string, number>();
  ws.getRow(1).eachCell((c, n) => m.set(String(c.value), n));
  return m;
}

/** Fills every data row so that it balances: present = days on the rolls − 4, offs 4. */
function fill(ws: ExcelJS.Worksheet, extraCols = 0) {
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const days = Number(row.getCell(8 + extraCols).value);
    row.getCell(9 + extraCols).value = String(days - 4);
    row.getCell(10 + extraCols).value = '0';
    row.getCell(11 + extraCols).value = '4';
    row.getCell(12 + extraCols).value = '0';
  }
}

async function savedRows(officeId: number, month: string) {
  const r = await t.database.db.execute<{ n: number }>(sql`
    select count(*)::int as n from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
     where s.office_id = ${officeId} and s.month = ${`${month}-01`}`);
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await login('dm_bhopal');
  const d = await t.database.db.execute<{ id: number }>(sql`select department_id as id from offices where id = ${OFFICE}`);
  deptId = Number(d.rows[0]!.id);
  const o = await t.database.db.execute<{ id: number }>(sql`select id from departments where id <> ${deptId} order by id limit 1`);
  otherDeptId = Number(o.rows[0]!.id);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('attendance template — the instructions sheet', () => {
  it('has a data sheet and an instructions sheet in the user’s language naming the office, the month and the rules', async () => {
    const hi = await download(dm, officeUrl(), 'hi');
    expect(hi.worksheets.map((w) => w.name)).toEqual([CUR, 'निर्देश']);
    const text = (wb: ExcelJS.Workbook) =>
      wb.worksheets[1]!.getSheetValues()
        .map((r) => (Array.isArray(r) ? String(r[1] ?? '') : ''))
        .join('\n');
    const hiText = text(hi);
    expect(hiText).toContain(`कार्यालय कोड ${OFFICE}`);
    expect(hiText).toContain('उपस्थित दिवस + सवेतन अवकाश + साप्ताहिक अवकाश व छुट्टियाँ + अवैतनिक अनुपस्थिति = रोल पर दिवस');
    expect(hiText).toContain('केवल पूरे दिन');
    expect(hiText).toContain('मर्ज');
    const en = await download(dm, officeUrl(), 'en');
    expect(en.worksheets.map((w) => w.name)).toEqual([CUR, 'Instructions']);
    const enText = text(en);
    expect(enText).toContain(`(office code ${OFFICE})`);
    expect(enText).toMatch(/days present \+ paid leave \+ weekly offs and holidays \+ unpaid absence = days on the rolls/);
    expect(enText).toContain('Do not add sheets, formulas or merged cells');
    // The template obeys its own rules.
    for (const ws of en.worksheets) expect(ws.hasMerges, ws.name).toBe(false);
  });

  it('takes the template back as downloaded (both sheets); Devanagari names survive the round trip unchanged', async () => {
    const sheet = (await dm.get(officeUrl())).json() as TAttendanceSheet;
    const wb = await download(dm, officeUrl(), 'hi');
    const ws = wb.worksheets[0]!;
    const names = sheet.rows.map((r) => r.nameHi || r.nameEn);
    expect(names.some((n) => /[\u0900-\u097F]/.test(n))).toBe(true);
    fill(ws);
    const res = await upload(dm, officeUrl(), await buf(wb), { lang: 'hi' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: sheet.rows.length, saved: sheet.rows.length, errors: [] });
    const again = (await download(dm, officeUrl(), 'hi')).worksheets[0]!;
    for (let i = 0; i < names.length; i++) expect(again.getRow(i + 2).getCell(4).value).toBe(names[i]);
    const after = (await dm.get(officeUrl())).json() as TAttendanceSheet;
    expect(after.rows.map((r) => r.nameHi)).toEqual(sheet.rows.map((r) => r.nameHi));
    expect(after.rows.every((r) => r.balanced && r.present === r.daysOnRolls - 4)).toBe(true);
  });
});

describe('attendance upload — what a template must not hold (nothing saved)', () => {
  it('refuses a formula in any cell, naming the sheet and cell, in the user’s language', async () => {
    const wb = await download(dm, officeUrl());
    fill(wb.worksheets[0]!);
    wb.worksheets[0]!.getCell('I2').value = { formula: 'H2-4', result: 26 } as ExcelJS.CellFormulaValue;
    const bytes = await buf(wb);
    const en = await refused(() => upload(dm, officeUrl(), bytes), 422, 'attendance_file_invalid', 'file');
    expect(en.json().errors).toEqual([expect.objectContaining({ code: 'file_has_formula', message: expect.stringContaining(`${CUR}!I2`) })]);
    const hi = await refused(() => upload(dm, officeUrl(), bytes, { lang: 'hi' }), 422, 'attendance_file_invalid', 'file');
    expect(hi.json().errors![0]!.message).toBe(`सेल ${CUR}!I2 में सूत्र (फ़ॉर्मूला) है। सूत्र के बिना मान स्वयं लिखें और फिर अपलोड करें।`);
    // Also on the instructions sheet.
    const wb2 = await download(dm, officeUrl());
    wb2.worksheets[1]!.getCell('B3').value = { formula: '1+1', result: 2 } as ExcelJS.CellFormulaValue;
    const r3 = await refused(async () => upload(dm, officeUrl(), await buf(wb2)), 422, 'attendance_file_invalid');
    expect(r3.json().errors![0]!.message).toContain('Instructions!B3');
  });

  it('refuses merged cells, naming the sheet and the range', async () => {
    const wb = await download(dm, officeUrl());
    fill(wb.worksheets[0]!);
    wb.worksheets[0]!.mergeCells('D2:E2');
    const res = await refused(async () => upload(dm, officeUrl(), await buf(wb)), 422, 'attendance_file_invalid', 'file');
    expect(res.json().errors).toEqual([
      expect.objectContaining({ code: 'file_has_merged_cells', message: `The cells D2:E2 on the sheet "${CUR}" are merged. Unmerge them and upload again.` }),
    ]);
  });

  it('refuses a sheet other than the template’s two, naming it', async () => {
    const wb = await download(dm, officeUrl());
    fill(wb.worksheets[0]!);
    wb.addWorksheet('My notes').getCell('A1').value = 'scratch';
    const res = await refused(async () => upload(dm, officeUrl(), await buf(wb)), 422, 'attendance_file_invalid', 'file');
    expect(res.json().errors).toEqual([expect.objectContaining({ code: 'file_extra_sheet', message: expect.stringContaining('"My notes"') })]);
    // A second instructions sheet is one too many as well.
    const wb2 = await download(dm, officeUrl());
    wb2.addWorksheet('निर्देश');
    const r2 = await refused(async () => upload(dm, officeUrl(), await buf(wb2)), 422, 'attendance_file_invalid');
    expect(r2.json().errors![0]!.code).toBe('file_extra_sheet');
  });

  it('refuses a PDF renamed .xlsx, by its content', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    await refused(() => upload(dm, officeUrl(), pdf), 415, 'unsupported_media_type', 'file');
    await refused(
      () => upload(dm, officeUrl(), Buffer.concat([pdf, Buffer.from([0, 1, 2])]), { name: 'x.csv', type: 'text/csv' }),
      415,
      'unsupported_media_type',
    );
  });

  it('the template of another office or month: every row refused with its cell, nothing saved', async () => {
    const wb = await download(dm, officeUrl());
    const ws = wb.worksheets[0]!;
    fill(ws);
    ws.getRow(2).getCell(1).value = '80';
    ws.getRow(3).getCell(2).value = LAST;
    const before = await dbFingerprint(t.database);
    const res = await upload(dm, officeUrl(), await buf(wb));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as TUploadReport;
    expect(report.saved).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, 'officeId', 'attendance_wrong_template'],
      [3, 'month', 'attendance_wrong_template'],
    ]);
    expect(await dbFingerprint(t.database)).toBe(before);
  });
});

describe('department-wide template', () => {
  it('gives every office of the department within the user’s scope; a department manager only its office', async () => {
    const fin = await login('officeadmin_fin');
    const wb = await download(fin, deptUrl(), 'hi');
    expect(wb.worksheets.map((w) => w.name)).toEqual([CUR, 'निर्देश']);
    const ws = wb.worksheets[0]!;
    const cols = columnsOf(ws);
    expect([...cols.keys()].slice(0, 4)).toEqual(['कार्यालय कोड', 'कार्यालय', 'माह (YYYY-MM)', 'संसाधन आईडी']);
    const offices = new Set<number>();
    for (let r = 2; r <= ws.rowCount; r++) offices.add(Number(ws.getRow(r).getCell(1).value));
    // Independently: offices of the department with a resource on the rolls this month, whose month is not finalised.
    const expected = await t.database.db.execute<{ id: number }>(sql`
      select distinct o.id from offices o join resources r on r.office_id = o.id
        left join attendance_sheets s on s.office_id = o.id and s.month = ${`${CUR}-01`}
       where o.department_id = ${deptId} and r.status in ('approved', 'relieved') and r.joining_date <= ${`${CUR}-31`}
         and (r.relieved_on is null or r.relieved_on >= ${`${CUR}-01`}) and coalesce(s.state, 'open') <> 'finalised'`);
    expect([...offices].sort((a, b) => a - b)).toEqual(expected.rows.map((x) => Number(x.id)).sort((a, b) => a - b));
    expect(offices.has(OFFICE)).toBe(true);

    const mine = (await download(dm, deptUrl())).worksheets[0]!;
    const sheet = (await dm.get(officeUrl())).json() as TAttendanceSheet;
    expect(mine.rowCount - 1).toBe(sheet.rows.length);
    for (let r = 2; r <= mine.rowCount; r++) expect(mine.getRow(r).getCell(1).value).toBe(String(OFFICE));

    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'attendance_sheet'), eq(auditLog.action, 'export'), eq(auditLog.departmentId, deptId)))
      .limit(1);
    expect(audit).toBeTruthy();
  });

  it('another department is not found; DDOs and agencies have no such download; a future month is refused', async () => {
    const fin = await login('officeadmin_fin');
    await refused(() => fin.get(`${deptUrl(CUR, otherDeptId)}/template?format=xlsx`), 404, 'not_found');
    await refused(() => dm.get(`${deptUrl(CUR, otherDeptId)}/template?format=xlsx`), 404, 'not_found');
    const ddo = await login('ddo_bhopal');
    const agency = await login('agency_admin');
    await refused(() => ddo.get(`${deptUrl()}/template?format=xlsx`), 403, 'forbidden');
    await refused(() => agency.get(`${deptUrl()}/template?format=xlsx`), 403, 'forbidden');
    const finance = await login('finance_admin');
    expect((await finance.get(`${deptUrl(CUR, otherDeptId)}/template?format=csv`)).statusCode).toBe(200);
    await refused(() => finance.get(`${deptUrl('2099-01')}/template?format=xlsx`), 409, 'attendance_month_future');
    // Only the department manager uploads.
    const file = await buf(await download(fin, deptUrl()));
    await refused(() => upload(fin, deptUrl(), file), 403, 'forbidden');
    await refused(async () => upload(dm, deptUrl(CUR, otherDeptId), Buffer.from('x')), 404, 'not_found');
  });

  it('upload checked as a whole: an office outside the user’s scope and a resource twice reported with row and cell; nothing saved; then the good rows on request', async () => {
    // Start from an office-month with nothing saved: clear office 79's rows of this month.
    await t.database.db.execute(sql`
      delete from attendance_rows where sheet_id = (select id from attendance_sheets where office_id = ${OFFICE} and month = ${`${CUR}-01`})`);
    const wb = await download(dm, deptUrl(), 'hi');
    const ws = wb.worksheets[0]!;
    fill(ws, 1);
    const n = ws.rowCount - 1;
    expect(n).toBeGreaterThanOrEqual(2);
    // A row of another office of the same department (in the office admin's scope, not the manager's).
    const other = await t.database.db.execute<{ id: number }>(
      sql`select id from offices where department_id = ${deptId} and id <> ${OFFICE} order by id limit 1`,
    );
    const otherId = Number(other.rows[0]!.id);
    const foreign = ws.addRow(ws.getRow(2).values as ExcelJS.CellValue[]);
    foreign.getCell(1).value = String(otherId);
    // The same resource twice.
    ws.addRow(ws.getRow(3).values as ExcelJS.CellValue[]);
    const bytes = await buf(wb);
    const before = await dbFingerprint(t.database);
    const res = await upload(dm, deptUrl(), bytes);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as TUploadReport;
    expect(report).toMatchObject({ rows: n + 2, saved: 0 });
    expect(report.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [n + 2, 'officeId', 'attendance_office_not_allowed'],
      [n + 3, 'resourceId', 'attendance_duplicate_row'],
    ]);
    expect(report.errors[0]!.message).toBe(`Row ${n + 2}: office code ${otherId} is not an office of this department whose attendance you enter.`);
    expect(await dbFingerprint(t.database)).toBe(before);
    expect(await savedRows(OFFICE, CUR)).toBe(0);

    const good = await upload(dm, deptUrl(), bytes, { query: '?saveGood=true' });
    expect((good.json() as TUploadReport).saved).toBe(n);
    expect(await savedRows(OFFICE, CUR)).toBe(n);
    expect(await savedRows(otherId, CUR)).toBe(0);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'attendance_row'), eq(auditLog.action, 'upload')));
    expect(audits.length).toBeGreaterThanOrEqual(n);
    // Devanagari names in the department file came back unchanged.
    const again = (await download(dm, deptUrl(), 'hi')).worksheets[0]!;
    for (let r = 2; r <= n + 1; r++) expect(again.getRow(r).getCell(5).value).toBe(ws.getRow(r).getCell(5).value);
  });

  it('a finalised office-month is refused row by row; formulas are refused in a department file too', async () => {
    const sheet = (await dm.get(officeUrl(LAST))).json() as TAttendanceSheet;
    expect(sheet.state).toBe('finalised');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(LAST);
    ws.addRow([
      'Office code',
      'Month (YYYY-MM)',
      'Resource ID',
      'Resource',
      'Post',
      'On the rolls from',
      'On the rolls to',
      'Days on the rolls',
      'Days present',
      'Paid leave',
      'Weekly offs and holidays',
      'Unpaid absence',
    ]);
    for (const r of sheet.rows.slice(0, 2))
      ws.addRow([String(OFFICE), LAST, String(r.resourceId), r.nameEn, '', r.fromDate, r.toDate, String(r.daysOnRolls), String(r.daysOnRolls), '0', '0', '0']);
    const before = await dbFingerprint(t.database);
    const res = await upload(dm, deptUrl(LAST), await buf(wb), { query: '?saveGood=true' });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as TUploadReport;
    expect(report.saved).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, 'officeId', 'attendance_month_finalised'],
      [3, 'officeId', 'attendance_month_finalised'],
    ]);
    expect(await dbFingerprint(t.database)).toBe(before);
    ws.getCell('I2').value = { formula: 'H2', result: sheet.rows[0]!.daysOnRolls } as ExcelJS.CellFormulaValue;
    const r2 = await refused(async () => upload(dm, deptUrl(LAST), await buf(wb)), 422, 'attendance_file_invalid', 'file');
    expect(r2.json().errors![0]!.code).toBe('file_has_formula');
  });
});
