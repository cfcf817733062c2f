import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceSheet, THoliday, THolidayImportReport } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, dbFingerprint, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { prefillOffs } from './attendance.holidays.ts';

/**
 * The holiday calendar by district, its import from a spreadsheet and the pre-fill of the grid's
 * offs (issue 15 item 4), through the API on the demo data (office 79, dm_bhopal).
 */
const TODAY = todayIst(new Date());
const CUR = TODAY.slice(0, 7);
const NEXT_YEAR = Number(TODAY.slice(0, 4)) + 1;
const OFFICE = 79;
const H = '/api/v1/attendance/holidays';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let t: TestApp;
let dm: Client;
let finance: Client;
let officeAdmin: Client;
/** Office 79's district, and an office of another district (with its district). */
let home: { id: number; code: string };
let away: { id: number; code: string; officeId: number };
const { refused } = checksOn(() => t.database);

async function asOffice79(c: Client) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
}

const list = async (c: Client, month: string, q: string) => ((await c.get(`${H}?month=${month}&${q}`)).json() as { items: THoliday[] }).items;
const sheetOf = async (month = CUR) => (await dm.get(`/api/v1/attendance/offices/${OFFICE}/months/${month}`)).json() as TAttendanceSheet;
const importFile = (c: Client, bytes: Buffer, save: boolean, name = 'holidays.csv', type = 'text/csv') =>
  c.request({ method: 'POST', url: `${H}/import?save=${save}`, ...multipart({}, { field: 'file', name, bytes, type }) });
const csv = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`, 'utf8');
const HEADER = ['Date', 'Name in English', 'Name in Hindi', 'Kind', 'District code'];
const holidayCount = async () => Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from holidays`)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  await asOffice79(dm);
  finance = await t.login('finance_admin');
  officeAdmin = await t.login('officeadmin_state');
  const db = t.database.db;
  const h = await db.execute<{ id: number; code: string }>(
    sql`select d.id, d.code from offices o join districts d on d.id = o.district_id where o.id = ${OFFICE}`,
  );
  home = { id: Number(h.rows[0]!.id), code: h.rows[0]!.code };
  const a = await db.execute<{ id: number; code: string; office_id: number }>(sql`
    select d.id, d.code, o.id as office_id from offices o join districts d on d.id = o.district_id
     where o.district_id <> ${home.id} order by o.id limit 1`);
  away = { id: Number(a.rows[0]!.id), code: a.rows[0]!.code, officeId: Number(a.rows[0]!.office_id) };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** A day of `month` from `from` on that is neither a Sunday nor one of `taken`. */
function weekday(from: string, to: string, taken: Set<string>): string {
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() !== 0 && !taken.has(iso)) return iso;
  }
  throw new Error('no free weekday');
}

describe('holidays by district', () => {
  it('a district holiday applies to the offices of that district only; Finance keeps it, a department manager cannot', async () => {
    const month = `${NEXT_YEAR}-06`;
    const day = `${month}-10`;
    const body = { date: day, districtId: home.id, nameEn: 'District fair', nameHi: 'ज़िला मेला', kind: 'local' };
    await refused(() => dm.post(H, body), 403, 'holiday_not_keeper');
    await refused(() => officeAdmin.post(H, body), 403, 'forbidden');
    await refused(() => finance.post(H, { ...body, districtId: 999_999 }), 400, 'validation_failed', 'districtId');
    await refused(() => finance.post(H, { ...body, districtId: null }), 400, 'validation_failed', 'kind');
    await refused(() => finance.post(H, { ...body, officeId: OFFICE }), 400, 'validation_failed', 'districtId');
    const res = await finance.post(H, body);
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json() as THoliday;
    expect(h).toMatchObject({ districtId: home.id, districtCode: home.code, officeId: null, kind: 'local' });
    await refused(() => finance.post(H, { ...body, nameEn: 'Again' }), 409, 'holiday_exists');
    // A statewide holiday on the same date is another scope: allowed.
    expect((await finance.post(H, { ...body, districtId: null, kind: 'gazetted', nameEn: 'State day' })).statusCode).toBe(200);

    expect((await list(dm, month, `officeId=${OFFICE}`)).map((x) => x.id)).toContain(h.id);
    expect((await list(finance, month, `districtId=${home.id}`)).map((x) => x.id)).toContain(h.id);
    expect((await list(finance, month, `officeId=${away.officeId}`)).map((x) => x.id)).not.toContain(h.id);
    expect((await list(finance, month, `districtId=${away.id}`)).map((x) => x.id)).not.toContain(h.id);
    expect((await list(finance, month, '')).map((x) => x.id)).not.toContain(h.id);

    // The department manager cannot remove it (not found); Finance can, audited.
    await refused(() => dm.del(`${H}/${h.id}`), 404, 'not_found');
    expect((await finance.del(`${H}/${h.id}`)).statusCode).toBe(200);
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where entity = 'holiday' and entity_id = ${String(h.id)} order by seq`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'delete']);
  });

  it('the database keeps one scope per holiday and no statewide local holiday', async () => {
    const db = t.database.db;
    const q = (s: ReturnType<typeof sql>) =>
      db
        .transaction((tx) => tx.execute(s))
        .then(
          () => '',
          (e: Error) => `${e.message} ${(e as { cause?: Error }).cause?.message ?? ''}`,
        );
    expect(
      await q(sql`insert into holidays (date, office_id, district_id, name_en, name_hi, kind) values ('2027-01-05', ${OFFICE}, ${home.id}, 'x', 'क', 'local')`),
    ).toMatch(/holidays_one_scope/);
    expect(await q(sql`insert into holidays (date, name_en, name_hi, kind) values ('2027-01-05', 'x', 'क', 'local')`)).toMatch(/holidays_local_scoped/);
  });
});

describe('pre-fill of the offs', () => {
  it('counts Sundays and the office’s gazetted and local holidays on the rolls, each date once', () => {
    // June 2026: Sundays 7, 14, 21, 28.
    expect(prefillOffs('2026-06-01', '2026-06-30', [])).toBe(4);
    const hs = [
      { date: '2026-06-10', kind: 'gazetted' as const },
      { date: '2026-06-14', kind: 'local' as const }, // a Sunday: counted once
      { date: '2026-06-16', kind: 'optional' as const }, // each person's choice: not counted
      { date: '2026-06-25', kind: 'local' as const },
    ];
    expect(prefillOffs('2026-06-01', '2026-06-30', hs)).toBe(6);
    expect(prefillOffs('2026-06-11', '2026-06-20', hs)).toBe(1); // joined on the 11th, relieved on the 20th: the 14th
    expect(prefillOffs('2026-06-01', '2026-06-06', hs)).toBe(0);
  });

  it('a row never saved starts with its offs from the calendar; a saved row keeps its figures', async () => {
    const before = await sheetOf();
    const fresh = before.rows.find((r) => r.version === 0 && r.daysOnRolls > 0);
    const saved = before.rows.find((r) => r.version > 0);
    expect(fresh, 'the demo month has rows not saved yet').toBeDefined();
    expect(fresh!.offs).toBe(prefillOffs(fresh!.fromDate, fresh!.toDate, before.holidays));
    expect(fresh!.present).toBeNull();
    const taken = new Set(before.holidays.map((h) => h.date));
    const day = weekday(fresh!.fromDate, fresh!.toDate, taken);
    const other = weekday(fresh!.fromDate, fresh!.toDate, new Set([...taken, day]));
    const add = async (b: object) => {
      const r = await finance.post(H, b);
      expect(r.statusCode, r.body).toBe(200);
    };
    // Another district's holiday and an optional one change nothing; the office's district's adds one day.
    await add({ date: day, districtId: away.id, nameEn: 'Far fair', nameHi: 'दूर का मेला', kind: 'local' });
    await add({ date: other, districtId: home.id, nameEn: 'Optional', nameHi: 'ऐच्छिक दिवस', kind: 'optional' });
    let after = (await sheetOf()).rows.find((r) => r.resourceId === fresh!.resourceId)!;
    expect(after.offs).toBe(fresh!.offs);
    await add({ date: day, districtId: home.id, nameEn: 'Home fair', nameHi: 'स्थानीय मेला', kind: 'local' });
    const now = await sheetOf();
    after = now.rows.find((r) => r.resourceId === fresh!.resourceId)!;
    expect(after.offs).toBe(fresh!.offs! + 1);
    expect(now.holidays.map((h) => h.date)).toContain(day);
    if (saved) expect(now.rows.find((r) => r.resourceId === saved.resourceId)!.offs).toBe(saved.offs);
  });
});

describe('import from a spreadsheet', () => {
  it('a dry run lists every bad row with its reason and saves nothing; a save of the same file saves nothing', async () => {
    const existing = (
      await t.database.db.execute<{ date: string }>(sql`select date::text as date from holidays where office_id is null and district_id is null limit 1`)
    ).rows[0]!.date;
    const d = (m: number, day: number) => `${String(day).padStart(2, '0')}/${String(m).padStart(2, '0')}/${NEXT_YEAR}`;
    const file = csv([
      HEADER,
      [d(9, 1), 'Good day', 'अच्छा दिन', 'gazetted', ''], // 2: good
      [`31/02/${NEXT_YEAR}`, 'Bad date', 'गलत तिथि', 'gazetted', ''], // 3
      [d(9, 2), 'Nowhere', 'कहीं नहीं', 'local', 'ZZZ9'], // 4
      [d(9, 3), 'Twice', 'दो बार', 'local', home.code], // 5
      [d(9, 3), 'Twice again', 'फिर दो बार', 'local', home.code], // 6: duplicate of 5
      [existing.split('-').reverse().join('/'), 'Already', 'पहले से', 'gazetted', ''], // 7
      ['01/01/2019', 'Too old', 'बहुत पुराना', 'gazetted', ''], // 8
      [d(9, 4), 'Local statewide', 'स्थानीय', 'local', ''], // 9
      [d(9, 5), 'Latin Hindi', 'Hindi name', 'gazetted', ''], // 10
      [d(9, 6), 'Odd kind', 'अजीब', 'festival', ''], // 11
    ]);
    const before = await dbFingerprint(t.database);
    const res = await importFile(finance, file, false);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as THolidayImportReport;
    expect(r).toMatchObject({ rows: 10, saved: 0 });
    expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'date', 'bad_date'],
      [4, 'districtCode', 'unknown_district'],
      [6, 'date', 'duplicate_in_file'],
      [7, 'date', 'already_present'],
      [8, 'date', 'date_out_of_range'],
      [9, 'kind', 'local_statewide'],
      [10, 'nameHi', 'name_hi_not_devanagari'],
      [11, 'kind', 'bad_kind'],
    ]);
    expect(r.valid).toBe(2);
    expect(r.items.filter((i) => i.ok).map((i) => i.row)).toEqual([2, 5]);
    expect(r.errors[1]!.message).toContain('ZZZ9');
    expect(r.errors[2]!.message).toContain('5');
    expect(await dbFingerprint(t.database)).toBe(before);
    // Asked to save, a file with bad rows saves none of them.
    const saveRes = await importFile(finance, file, true);
    expect((saveRes.json() as THolidayImportReport).saved).toBe(0);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('a good file (Excel, Hindi headers) saves every row, one audit entry each', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('छुट्टियाँ');
    ws.addRow(['तिथि', 'अंग्रेज़ी में नाम', 'हिन्दी में नाम', 'प्रकार', 'ज़िला कोड']);
    ws.addRow([new Date(Date.UTC(NEXT_YEAR, 9, 12)), 'Imported state day', 'आयातित राज्य दिवस', 'राजपत्रित', '']);
    ws.addRow([`${NEXT_YEAR}-10-13`, 'Imported fair', 'आयातित मेला', 'local', home.code.toLowerCase()]);
    ws.addRow([`14/10/${NEXT_YEAR}`, 'Imported fair elsewhere', 'दूसरा मेला', 'स्थानीय', away.code]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const count = await holidayCount();
    const dry = (await importFile(finance, bytes, false, 'h.xlsx', XLSX)).json() as THolidayImportReport;
    expect(dry).toMatchObject({ rows: 3, valid: 3, saved: 0, errors: [] });
    expect(await holidayCount()).toBe(count);
    const res = await importFile(finance, bytes, true, 'h.xlsx', XLSX);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as THolidayImportReport).saved).toBe(3);
    expect(await holidayCount()).toBe(count + 3);
    const oct = await list(finance, `${NEXT_YEAR}-10`, `officeId=${OFFICE}`);
    expect(oct.map((h) => [h.date, h.nameHi, h.kind, h.districtId])).toEqual(
      expect.arrayContaining([
        [`${NEXT_YEAR}-10-12`, 'आयातित राज्य दिवस', 'gazetted', null],
        [`${NEXT_YEAR}-10-13`, 'आयातित मेला', 'local', home.id],
      ]),
    );
    expect(oct.map((h) => h.date)).not.toContain(`${NEXT_YEAR}-10-14`);
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'holiday' and action = 'import_create' and after->>'nameEn' like 'Imported%'`,
    );
    expect(Number(audit.rows[0]!.n)).toBe(3);
    // Imported again: every row is already there, nothing saved.
    const again = (await importFile(finance, bytes, true, 'h.xlsx', XLSX)).json() as THolidayImportReport;
    expect(again.saved).toBe(0);
    expect(again.errors.map((e) => e.code)).toEqual(['already_present', 'already_present', 'already_present']);
    expect(await holidayCount()).toBe(count + 3);
  });

  it('refuses a PDF renamed .xlsx, a file without the columns, and anyone but Finance, changing nothing', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await refused(() => importFile(finance, pdf, false, 'holidays.xlsx', XLSX), 415, 'unsupported_media_type', 'file');
    await refused(() => importFile(finance, pdf, true, 'holidays.xlsx', XLSX), 415, 'unsupported_media_type', 'file');
    await refused(() => importFile(finance, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), true, 'h.csv'), 415, 'unsupported_media_type');
    const noCols = (
      await importFile(
        finance,
        csv([
          ['When', 'What'],
          ['01/01/2027', 'x'],
        ]),
        true,
      )
    ).json() as THolidayImportReport;
    expect(noCols.saved).toBe(0);
    expect(noCols.errors.map((e) => [e.row, e.code])).toEqual(Array(5).fill([1, 'missing_column']));
    const good = csv([HEADER, [`01/11/${NEXT_YEAR}`, 'X', 'क', 'gazetted', '']]);
    await refused(() => importFile(dm, good, true), 403, 'forbidden');
    await refused(() => importFile(officeAdmin, good, true), 403, 'forbidden');
    await refused(
      () => t.anon.request({ method: 'POST', url: `${H}/import?save=true`, ...multipart({}, { field: 'file', name: 'h.csv', bytes: good }) }),
      401,
      'unauthenticated',
    );
  });
});
