import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceSheet, THoliday, THolidayImportReport } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, dbFingerprint, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';

/**
 * The district admin (issue 15 item 4): a government user whose assignment is scoped to a district
 * (role `district_admin`, scope kind `district`), given by Finance on the office-users API, who
 * keeps the local holidays of its own district — adds, edits, deletes, imports — and nothing else:
 * not a statewide holiday, not another district's, not an office's. On the demo data:
 * `districtadmin_bhopal` (Bhopal, the district of office 79).
 */
const TODAY = todayIst(new Date());
const CUR = TODAY.slice(0, 7);
const NEXT_YEAR = Number(TODAY.slice(0, 4)) + 1;
const OFFICE = 79;
const H = '/api/v1/attendance/holidays';
let t: TestApp;
let da: Client;
let dm: Client;
let finance: Client;
let officeAdmin: Client;
let home: { id: number; code: string; nameEn: string; nameHi: string };
let away: { id: number; code: string; officeId: number };
const { refused } = checksOn(() => t.database);

const list = async (c: Client, month: string, q = '') => ((await c.get(`${H}?month=${month}${q ? `&${q}` : ''}`)).json() as { items: THoliday[] }).items;
const importFile = (c: Client, bytes: Buffer, save: boolean) =>
  c.request({ method: 'POST', url: `${H}/import?save=${save}`, ...multipart({}, { field: 'file', name: 'holidays.csv', bytes, type: 'text/csv' }) });
const csv = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`, 'utf8');
const patch = (c: Client, url: string, body: object) => c.request({ method: 'PATCH', url, payload: body });
const HEADER = ['Date', 'Name in English', 'Name in Hindi', 'Kind', 'District code'];
const auditOf = async (id: number) =>
  (
    await t.database.db.execute<{ action: string; role: string | null }>(
      sql`select action, role from audit_log where entity = 'holiday' and entity_id = ${String(id)} order by seq`,
    )
  ).rows;

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  da = await t.login('districtadmin_bhopal');
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await dm.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  finance = await t.login('finance_admin');
  officeAdmin = await t.login('officeadmin_state');
  const db = t.database.db;
  const h = await db.execute<{ id: number; code: string; name_en: string; name_hi: string }>(
    sql`select d.id, d.code, d.name_en, d.name_hi from offices o join districts d on d.id = o.district_id where o.id = ${OFFICE}`,
  );
  home = { id: Number(h.rows[0]!.id), code: h.rows[0]!.code, nameEn: h.rows[0]!.name_en, nameHi: h.rows[0]!.name_hi };
  const w = await db.execute<{ id: number; code: string; office_id: number }>(sql`
    select d.id, d.code, o.id as office_id from offices o join districts d on d.id = o.district_id
     where o.district_id <> ${home.id} order by o.id limit 1`);
  away = { id: Number(w.rows[0]!.id), code: w.rows[0]!.code, officeId: Number(w.rows[0]!.office_id) };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the district admin', () => {
  it('acts in its district (the demo user: Bhopal, the district of office 79), and the demo has one local holiday it added', async () => {
    const me = (await da.get('/api/v1/auth/me')).json() as { assignments: { role: string; scopeKind: string; scopeId: number }[] };
    // The header and the role switcher name the district it acts in (not office 79, where it is listed).
    expect(me.assignments).toEqual([
      expect.objectContaining({ role: 'district_admin', scopeKind: 'district', scopeId: home.id, scopeNameEn: home.nameEn, scopeNameHi: home.nameHi }),
    ]);
    expect(home.nameEn).toBe('Bhopal');
    const mine = await t.database.db.execute<{ n: number }>(sql`
      select count(*)::int as n from holidays h join users u on u.id = h.created_by
       where u.username = 'districtadmin_bhopal' and h.district_id = ${home.id} and h.kind = 'local'`);
    expect(Number(mine.rows[0]!.n)).toBe(1);
    // Its calendar: statewide and its district's; never an office's grid of the tree (it has no office).
    const items = await list(da, CUR);
    expect(items.some((h) => h.districtId === home.id && h.kind === 'local')).toBe(true);
    expect(items.every((h) => h.officeId === null && (h.districtId === null || h.districtId === home.id))).toBe(true);
    await refused(() => da.get(`${H}?month=${CUR}&officeId=${OFFICE}`), 404, 'not_found');
    // It reads nothing else of attendance.
    await refused(() => da.get('/api/v1/attendance/offices'), 403, 'forbidden');
  });

  it('adds, edits and deletes a local holiday of its district, each audited; the holiday is on the grid of an office in the district', async () => {
    const body = { date: `${CUR}-26`, districtId: home.id, nameEn: 'Lake festival', nameHi: 'झील उत्सव', kind: 'local' };
    const res = await da.post(H, body);
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json() as THoliday;
    expect(h).toMatchObject({ districtId: home.id, officeId: null, kind: 'local', nameEn: 'Lake festival' });

    // On the grid of office 79 (its department manager's sheet) and in the office's calendar; not in another district's.
    const sheet = (await dm.get(`/api/v1/attendance/offices/${OFFICE}/months/${CUR}`)).json() as TAttendanceSheet;
    expect(sheet.holidays.map((x) => x.id)).toContain(h.id);
    expect((await list(finance, CUR, `officeId=${away.officeId}`)).map((x) => x.id)).not.toContain(h.id);

    const edit = await patch(da, `${H}/${h.id}`, { date: `${CUR}-27`, nameEn: 'Lake festival (Bhoj)', nameHi: 'झील उत्सव (भोज)', kind: 'local' });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ id: h.id, date: `${CUR}-27`, nameEn: 'Lake festival (Bhoj)', districtId: home.id });
    // Not into a gazetted holiday (Finance's), nor a local one for no district.
    await refused(() => patch(da, `${H}/${h.id}`, { date: `${CUR}-27`, nameEn: 'X', nameHi: 'क', kind: 'gazetted' }), 403, 'holiday_not_keeper');
    // Another keeper's holiday by id: the department manager does not reach it.
    await refused(() => patch(dm, `${H}/${h.id}`, { date: `${CUR}-27`, nameEn: 'X', nameHi: 'क', kind: 'local' }), 404, 'not_found');
    await refused(() => dm.del(`${H}/${h.id}`), 404, 'not_found');

    expect((await da.del(`${H}/${h.id}`)).statusCode).toBe(200);
    expect(await auditOf(h.id)).toEqual([
      { action: 'create', role: 'district_admin' },
      { action: 'update', role: 'district_admin' },
      { action: 'delete', role: 'district_admin' },
    ]);
  });

  it('is refused a statewide holiday, another district’s, an office’s and a kind other than local — by body (403) and by id (404), changing nothing', async () => {
    const day = `${NEXT_YEAR}-07-14`;
    const local = { date: day, nameEn: 'Fair', nameHi: 'मेला', kind: 'local' };
    await refused(() => da.post(H, { ...local, districtId: null, kind: 'gazetted' }), 403, 'holiday_not_keeper');
    await refused(() => da.post(H, { ...local, districtId: away.id }), 403, 'holiday_not_keeper');
    await refused(() => da.post(H, { ...local, districtId: home.id, kind: 'gazetted' }), 403, 'holiday_not_keeper');
    await refused(() => da.post(H, { ...local, districtId: home.id, kind: 'optional' }), 403, 'holiday_not_keeper');
    // An office's own holiday, even of an office in its district: not found (it reaches no office).
    await refused(() => da.post(H, { ...local, officeId: OFFICE, districtId: null }), 404, 'not_found');

    // Holidays it does not keep, by id: Finance's statewide and Finance's gazetted holiday of Bhopal, another district's
    // local holiday, office 79's own.
    const make = async (b: object) => {
      const r = await finance.post(H, { date: day, nameEn: 'Kept by Finance', nameHi: 'वित्त', ...b });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as THoliday).id;
    };
    const statewide = await make({ kind: 'gazetted', districtId: null });
    const homeGazetted = await make({ kind: 'gazetted', districtId: home.id });
    const awayLocal = await make({ kind: 'local', districtId: away.id });
    const officeOwn = Number(
      (await t.database.db.execute<{ id: number }>(sql`select id from holidays where office_id = ${OFFICE} order by id limit 1`)).rows[0]!.id,
    );
    for (const id of [statewide, homeGazetted, awayLocal, officeOwn, 999_999]) {
      await refused(() => patch(da, `${H}/${id}`, { ...local }), 404, 'not_found');
      await refused(() => da.del(`${H}/${id}`), 404, 'not_found');
    }
    // Finance still keeps them all (and the district admin's): edit and delete.
    expect((await patch(finance, `${H}/${awayLocal}`, { ...local, nameEn: 'Renamed by Finance' })).statusCode).toBe(200);
    for (const id of [statewide, homeGazetted, awayLocal]) expect((await finance.del(`${H}/${id}`)).statusCode).toBe(200);
    const byDa = (await da.post(H, { ...local, districtId: home.id })).json() as THoliday;
    expect((await patch(finance, `${H}/${byDa.id}`, { ...local, nameEn: 'Checked by Finance' })).statusCode).toBe(200);
    expect((await finance.del(`${H}/${byDa.id}`)).statusCode).toBe(200);
    // Finance cannot make a statewide holiday local (a local holiday needs a district or an office).
    const sw = await make({ kind: 'gazetted', districtId: null });
    await refused(() => patch(finance, `${H}/${sw}`, { ...local }), 400, 'validation_failed', 'kind');
  });

  it('imports its district’s local holidays; a file with a row of another district, a statewide row or another kind saves nothing and names each row', async () => {
    const d = (day: number) => `${String(day).padStart(2, '0')}/08/${NEXT_YEAR}`;
    const bad = csv([
      HEADER,
      [d(3), 'Home fair', 'घर का मेला', 'local', home.code], // 2: good
      [d(4), 'Away fair', 'दूसरा मेला', 'local', away.code], // 3: another district
      [d(5), 'State day', 'राज्य दिवस', 'gazetted', ''], // 4: statewide
      [d(6), 'Home gazetted', 'घर राजपत्रित', 'gazetted', home.code], // 5: not local
    ]);
    const before = await dbFingerprint(t.database);
    for (const save of [false, true]) {
      const res = await importFile(da, bad, save);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as THolidayImportReport;
      expect(r).toMatchObject({ rows: 4, valid: 1, saved: 0 });
      expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
        [3, 'districtCode', 'not_own_district'],
        [4, 'districtCode', 'not_own_district'],
        [5, 'kind', 'not_keeper_kind'],
      ]);
      expect(r.errors[0]!.message).toContain(home.code);
    }
    expect(await dbFingerprint(t.database)).toBe(before);

    const good = csv([HEADER, [d(3), 'Home fair', 'घर का मेला', 'local', home.code], [d(7), 'Home fair 2', 'घर का मेला 2', 'स्थानीय', home.code]]);
    const res = await importFile(da, good, true);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as THolidayImportReport).saved).toBe(2);
    const aug = await list(dm, `${NEXT_YEAR}-08`, `officeId=${OFFICE}`);
    expect(aug.filter((h) => h.nameEn.startsWith('Home fair')).map((h) => [h.date, h.districtId, h.kind])).toEqual([
      [`${NEXT_YEAR}-08-03`, home.id, 'local'],
      [`${NEXT_YEAR}-08-07`, home.id, 'local'],
    ]);
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'holiday' and action = 'import_create' and role = 'district_admin'`,
    );
    expect(Number(audit.rows[0]!.n)).toBe(2);
    // Other roles below Finance still cannot import.
    await refused(() => importFile(dm, good, true), 403, 'forbidden');
  });
});

describe('assigning a district admin', () => {
  it('Finance gives the role on the office-users API, scoped to the district of the chosen office; an office admin cannot', async () => {
    const body = {
      officeId: away.officeId,
      mobile: '9000012121',
      name: 'Away District Admin',
      role: 'district_admin',
      designation: 'District admin',
    };
    await refused(() => officeAdmin.post('/api/v1/office-users', body), 403, 'forbidden');
    const res = await finance.post('/api/v1/office-users', body);
    expect(res.statusCode, res.body).toBe(201);
    const { assignmentId } = res.json() as { assignmentId: number };
    const a = await t.database.db.execute<{ role: string; scope_kind: string; scope_id: number; office_id: number }>(
      sql`select role, scope_kind, scope_id, office_id from role_assignments where id = ${assignmentId}`,
    );
    expect(a.rows[0]).toMatchObject({ role: 'district_admin', scope_kind: 'district', scope_id: away.id, office_id: away.officeId });
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'role_assignment' and entity_id = ${String(assignmentId)}`,
    );
    expect(Number(audit.rows[0]!.n)).toBeGreaterThan(0);
    // Shown under the office; an office admin of the state cannot end it (not a role it gives), Finance can.
    await refused(() => officeAdmin.post(`/api/v1/office-users/assignments/${assignmentId}/end`, {}), 403, 'forbidden');
  });
});
