import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEMPLATE_COLUMNS,
  type TAttendanceRow,
  type TAttendanceSheet,
  type THoliday,
  type THolidayImportReport,
  type TRevision,
  type TUploadReport,
} from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, fakeClock, switchTo, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { allSucceed, answers, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * The attendance routes that change state, each fired 20 times at once (the review's double click,
 * a retry, two tabs) on PGlite and on PostgreSQL (TEST_DATABASE_URL), beyond attendance.races.test.ts
 * (finalise, revision decisions): the action is taken once (or, where the design is last writer
 * wins, every write is audited in order), the database stays consistent, and every loser is told a
 * clear 4xx — never a 500. On the demo data: office 79 (dm_bhopal's), FREE an open month with no
 * rows, CUR this month (open, half filled), LAST finalised by the demo.
 */
const TODAY = todayIst(new Date());
const CUR = TODAY.slice(0, 7);
const LAST = previousMonth(CUR);
const FREE = previousMonth(previousMonth(previousMonth(previousMonth(CUR))));
const NEXT_YEAR = Number(TODAY.slice(0, 4)) + 1;
const OFFICE = 79;
const N = 20;
const H = '/api/v1/attendance/holidays';
const url = (month: string) => `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
let t: TestApp;
let dm: Client;
let finance: Client;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  await switchTo(dm, OFFICE);
  finance = await t.login('finance_admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const sheetOf = async (month: string) => (await dm.get(url(month))).json() as TAttendanceSheet;
/** A balanced entry of a row: `absence` days of unpaid absence, four offs, the rest present. */
const entry = (r: Pick<TAttendanceRow, 'resourceId' | 'version' | 'daysOnRolls'>, absence: number) => ({
  resourceId: r.resourceId,
  version: r.version,
  present: r.daysOnRolls - 4 - absence,
  paidLeave: 0,
  offs: 4,
  absence,
});
type Saved = { id: number; version: number; present: number; paid_leave: number; offs: number; absence: number };
async function savedRow(month: string, resourceId: number): Promise<Saved> {
  const [r] = (
    await db().execute<Saved>(sql`
      select ar.id, ar.version, ar.present, ar.paid_leave, ar.offs, ar.absence from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
       where s.office_id = ${OFFICE} and s.month = ${`${month}-01`}::date and ar.resource_id = ${resourceId}`)
  ).rows;
  return { ...r!, id: Number(r!.id), version: Number(r!.version) };
}
const rowAudits = (resourceId: number, month: string, action: string) =>
  auditCount(db(), 'attendance_row', { after: { officeId: OFFICE, month, resourceId } }, action);

describe(`saving an office-month's rows, ${N} at once`, () => {
  it('the same first save of two rows: saved once, one audit entry a row; the others 409 attendance_conflict', async () => {
    const rows = (await sheetOf(FREE)).rows.filter((r) => r.version === 0 && r.daysOnRolls > 10).slice(0, 2);
    expect(rows).toHaveLength(2);
    const body = { rows: rows.map((r) => entry(r, 1)) };
    const rs = await burst(N, () => dm.put(`${url(FREE)}/rows`, body));
    oneWinner(rs, ['409 attendance_conflict']);
    for (const r of rows) {
      expect(await savedRow(FREE, r.resourceId)).toMatchObject({ version: 1, absence: 1 });
      expect(await rowAudits(r.resourceId, FREE, 'save')).toBe(1);
    }
  });

  it('two clerks saving the same row with different values at the version they read: one saved in full, the other 409 attendance_conflict', async () => {
    for (let round = 0; round < 3; round++) {
      const row = (await sheetOf(FREE)).rows.find((r) => r.version > 0)!;
      const audits = await rowAudits(row.resourceId, FREE, 'save');
      const bodies = [entry(row, 2), entry(row, 3)];
      let i = 0;
      const rs = await spread(N, () => dm.put(`${url(FREE)}/rows`, { rows: [bodies[i++ % 2]!] }), 2);
      const winner = oneWinner(rs, ['409 attendance_conflict']);
      const won = (JSON.parse(winner.body) as TAttendanceSheet).rows.find((r) => r.resourceId === row.resourceId)!;
      const stored = await savedRow(FREE, row.resourceId);
      const sent = bodies.find((b) => b.absence === stored.absence)!;
      expect(sent, 'the stored row is one of the bodies sent').toBeDefined();
      expect(stored).toMatchObject({ version: row.version + 1, present: sent.present, paid_leave: sent.paidLeave, offs: sent.offs, absence: sent.absence });
      expect(won).toMatchObject({ version: stored.version, present: stored.present, absence: stored.absence });
      expect(await rowAudits(row.resourceId, FREE, 'save')).toBe(audits + 1);
    }
  });

  it('two tabs saving the same two rows in opposite orders: saved once, never a deadlock (500)', async () => {
    for (let round = 0; round < 3; round++) {
      const rows = (await sheetOf(FREE)).rows.filter((r) => r.version > 0).slice(0, 2);
      expect(rows).toHaveLength(2);
      const audits = await Promise.all(rows.map((r) => rowAudits(r.resourceId, FREE, 'save')));
      const body = rows.map((r) => entry(r, round));
      let i = 0;
      const rs = await burst(N, () => dm.put(`${url(FREE)}/rows`, { rows: i++ % 2 ? [...body].reverse() : body }));
      oneWinner(rs, ['409 attendance_conflict']);
      for (const [k, r] of rows.entries()) {
        expect(await savedRow(FREE, r.resourceId)).toMatchObject({ version: r.version + 1, absence: round });
        expect(await rowAudits(r.resourceId, FREE, 'save')).toBe(audits[k]! + 1);
      }
    }
  });
});

/** A CSV of the template's columns with these rows of CUR, each with `absence` days of unpaid absence (in the order given). */
function fileOf(rows: readonly TAttendanceRow[], absence: number): Buffer {
  const cols = [...TEMPLATE_COLUMNS];
  const line = (r: TAttendanceRow) => {
    const cells: Record<string, string | number> = { ...entry(r, absence), officeId: OFFICE, month: CUR, daysOnRolls: r.daysOnRolls };
    return cols.map((c) => String(cells[c] ?? '')).join(',');
  };
  return Buffer.from(`${cols.join(',')}\r\n${rows.map(line).join('\r\n')}\r\n`, 'utf8');
}

/**
 * N uploads at once to `path`, the files taken in turn. The design: an upload is a deliberate
 * whole-row entry that overwrites what is saved, checked against the versions it read — so an
 * upload that read the rows after another one was saved is saved too (last writer wins), and one
 * that read them before is refused 409 attendance_conflict with nothing saved. Checked: every
 * answer one of those two, at least one saved; each row written once per upload saved (version
 * and audit entries), no row twice, and every row as one of the files has it — all from the same.
 */
async function uploadBurst(path: string, rows: readonly TAttendanceRow[], files: { bytes: Buffer; absence: number }[]) {
  const versions = await Promise.all(rows.map(async (r) => (r.version === 0 ? 0 : (await savedRow(CUR, r.resourceId)).version)));
  const audits = await Promise.all(rows.map((r) => rowAudits(r.resourceId, CUR, 'upload')));
  let i = 0;
  const rs = await burst(N, () => {
    const { bytes } = files[i++ % files.length]!;
    return dm.request({ method: 'POST', url: `${path}/upload`, ...multipart({}, { field: 'file', name: 'attendance.csv', bytes, type: 'text/csv' }) });
  });
  const seen = rs.map((r) =>
    r.statusCode === 200 ? `200 saved ${(JSON.parse(r.body) as TUploadReport).saved}` : `${r.statusCode} ${(JSON.parse(r.body) as { code: string }).code}`,
  );
  expect(
    seen.filter((s) => s !== `200 saved ${rows.length}` && s !== '409 attendance_conflict'),
    answers(rs),
  ).toEqual([]);
  const wins = seen.filter((s) => s.startsWith('200')).length;
  expect(wins, answers(rs)).toBeGreaterThanOrEqual(1);
  const stored = await Promise.all(rows.map((r) => savedRow(CUR, r.resourceId)));
  expect(files.map((f) => f.absence)).toContain(stored[0]!.absence);
  for (const [k, r] of rows.entries()) {
    const e = entry(r, stored[0]!.absence);
    expect(stored[k]).toMatchObject({ version: versions[k]! + wins, present: e.present, paid_leave: e.paidLeave, offs: e.offs, absence: e.absence });
    expect(await rowAudits(r.resourceId, CUR, 'upload')).toBe(audits[k]! + wins);
  }
  expect(
    await countOf(
      db(),
      sql`select count(*)::int as n from (select ar.resource_id from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
           where s.office_id = ${OFFICE} and s.month = ${`${CUR}-01`}::date group by ar.resource_id having count(*) > 1) x`,
    ),
  ).toBe(0);
}

describe(`uploading attendance files, ${N} at once`, () => {
  const onRolls = async () => {
    const rows = (await sheetOf(CUR)).rows.filter((r) => !r.offRolls && r.daysOnRolls > 6);
    expect(rows.length).toBeGreaterThan(1);
    return rows;
  };

  it("the same file to the office's upload: saved whole or 409 attendance_conflict, each row once per upload saved", async () => {
    const rows = await onRolls();
    await uploadBurst(url(CUR), rows, [{ bytes: fileOf(rows, 0), absence: 0 }]);
  });

  it("two clerks' files of the same rows in opposite orders, different values: no deadlock (500), every row from one file", async () => {
    for (let round = 0; round < 3; round++) {
      const rows = await onRolls();
      await uploadBurst(url(CUR), rows, [
        { bytes: fileOf(rows, 1), absence: 1 },
        { bytes: fileOf([...rows].reverse(), 2), absence: 2 },
      ]);
    }
  });

  it("the same file to the department's upload: as the office's", async () => {
    const [d] = (await db().execute<{ id: number }>(sql`select department_id as id from offices where id = ${OFFICE}`)).rows;
    const rows = await onRolls();
    await uploadBurst(`/api/v1/attendance/departments/${Number(d!.id)}/months/${CUR}`, rows, [{ bytes: fileOf(rows, 3), absence: 3 }]);
  });
});

describe(`the holiday calendar, ${N} at once`, () => {
  const holidaysOn = (date: string, officeId: number | null) =>
    countOf(
      db(),
      sql`select count(*)::int as n from holidays where date = ${date}::date and ${officeId === null ? sql`office_id is null and district_id is null` : sql`office_id = ${officeId}`}`,
    );

  for (const [who, officeId] of [
    ['statewide (Finance)', null],
    ["an office's own (its department manager)", OFFICE],
  ] as const)
    it(`the same new holiday, ${who}: one holiday, one audit entry; the others 409 holiday_exists`, async () => {
      const date = `${NEXT_YEAR}-0${officeId === null ? 3 : 4}-17`;
      const c = officeId === null ? finance : dm;
      const body = { date, officeId, nameEn: 'Race day', nameHi: 'दौड़ दिवस', kind: 'gazetted' };
      const rs = await burst(N, () => c.post(H, body));
      const won = JSON.parse(oneWinner(rs, ['409 holiday_exists']).body) as THoliday;
      expect(await holidaysOn(date, officeId)).toBe(1);
      expect(await auditCount(db(), 'holiday', won.id, 'create')).toBe(1);
    });

  it('deleting the same holiday: deleted once, one audit entry; the others 404 not_found', async () => {
    const date = `${NEXT_YEAR}-05-19`;
    const made = await finance.post(H, { date, nameEn: 'Gone day', nameHi: 'विदा दिवस', kind: 'optional' });
    expect(made.statusCode, made.body).toBe(200);
    const { id } = made.json() as THoliday;
    const rs = await burst(N, () => finance.request({ method: 'DELETE', url: `${H}/${id}` }));
    oneWinner(rs, ['404 not_found']);
    expect(await holidaysOn(date, null)).toBe(0);
    expect(await auditCount(db(), 'holiday', id, 'delete')).toBe(1);
  });

  it('editing the same holiday with the same change: every answer 200, each audit entry before → after in order', async () => {
    const made = await finance.post(H, { date: `${NEXT_YEAR}-06-09`, nameEn: 'Moved day', nameHi: 'बदला दिवस', kind: 'gazetted' });
    expect(made.statusCode, made.body).toBe(200);
    const { id } = made.json() as THoliday;
    const rs = await burst(N, () =>
      finance.request({
        method: 'PATCH',
        url: `${H}/${id}`,
        payload: { date: `${NEXT_YEAR}-06-10`, nameEn: 'Moved day', nameHi: 'बदला दिवस', kind: 'gazetted' },
      }),
    );
    allSucceed(rs, 200);
    const log = await db().execute<{ b: string; a: string }>(
      sql`select before->>'date' as b, after->>'date' as a from audit_log where entity = 'holiday' and entity_id = ${String(id)} and action = 'update' order by seq`,
    );
    expect(log.rows.length).toBe(N);
    expect(log.rows[0]).toEqual({ b: `${NEXT_YEAR}-06-09`, a: `${NEXT_YEAR}-06-10` });
    for (const r of log.rows.slice(1)) expect(r).toEqual({ b: `${NEXT_YEAR}-06-10`, a: `${NEXT_YEAR}-06-10` });
  });

  it('importing the same calendar file: saved once, one audit entry a holiday; the others told the dates are already there (200 saved 0, or 409 holiday_exists)', async () => {
    const days = [`01/07/${NEXT_YEAR}`, `02/07/${NEXT_YEAR}`, `03/07/${NEXT_YEAR}`];
    const text = ['Date,Name in English,Name in Hindi,Kind,District code', ...days.map((d, i) => `${d},Imported race day ${i},आयातित दौड़ दिवस,gazetted,`)].join(
      '\r\n',
    );
    const bytes = Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
    const rs = await burst(N, () =>
      finance.request({ method: 'POST', url: `${H}/import?save=true`, ...multipart({}, { field: 'file', name: 'holidays.csv', bytes, type: 'text/csv' }) }),
    );
    const seen = rs.map((r) => {
      if (r.statusCode !== 200) return `${r.statusCode} ${JSON.parse(r.body).code}`;
      const rep = JSON.parse(r.body) as THolidayImportReport;
      return rep.saved > 0 ? `200 saved ${rep.saved}` : `200 saved 0 ${[...new Set(rep.errors.map((e) => e.code))].join(' ')}`;
    });
    expect(
      seen.filter((s) => s === '200 saved 3'),
      answers(rs),
    ).toHaveLength(1);
    expect(
      seen.filter((s) => s !== '200 saved 3' && s !== '200 saved 0 already_present' && s !== '409 holiday_exists'),
      answers(rs),
    ).toEqual([]);
    for (const d of days) expect(await holidaysOn(d.split('/').reverse().join('-'), null)).toBe(1);
    expect(
      await countOf(
        db(),
        sql`select count(*)::int as n from audit_log where entity = 'holiday' and action = 'import_create' and after->>'nameEn' like 'Imported race day%'`,
      ),
    ).toBe(3);
  });
});

describe(`a revision request, ${N} at once`, () => {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const requests = () => countOf(db(), sql`select count(*)::int as n from attendance_revision_requests`);
  /** A row of LAST with no revision pending, turned one day present into unpaid absence. */
  const ask = async () => {
    const row = (await sheetOf(LAST)).rows.find((x) => !x.revisionPending && (x.revised?.present ?? x.present ?? 0) > 0)!;
    expect(row, 'a row of last month with no revision pending').toBeTruthy();
    const eff = row.revised ?? { present: row.present!, paidLeave: row.paidLeave!, offs: row.offs!, absence: row.absence! };
    return {
      resourceId: row.resourceId,
      body: {
        reason: 'Unpaid absence on one day',
        rows: [{ resourceId: row.resourceId, present: eff.present - 1, paidLeave: eff.paidLeave, offs: eff.offs, absence: eff.absence + 1 }],
      },
    };
  };
  /**
   * A loser that read the winner's pending item is 400 validation_failed naming the row
   * (attendance_revision_open, the request form's contract); one that reached the unique index
   * with it is 409 attendance_revision_open.
   */
  let plain = 0;
  /** Each 400 among the answers names the row's pending revision. */
  const namePending = (rs: readonly { statusCode: number; body: string }[]) => {
    for (const r of rs.filter((x) => x.statusCode === 400))
      expect(
        (JSON.parse(r.body) as { errors: { code: string }[] }).errors.map((e) => e.code),
        r.body,
      ).toEqual(['attendance_revision_open']);
  };
  const PENDING = ['400 validation_failed', '409 attendance_revision_open'];
  const pendingOf = (resourceId: number) =>
    countOf(db(), sql`select count(*)::int as n from attendance_revision_items where resource_id = ${resourceId} and state = 'pending'`);

  it('the same request on a finalised month: one open revision, one audit entry; the others refused naming the pending revision', async () => {
    const { resourceId, body } = await ask();
    const before = await requests();
    const rs = await burst(N, () => dm.post(`${url(LAST)}/revisions`, body));
    const won = JSON.parse(oneWinner(rs, PENDING).body) as TRevision;
    namePending(rs);
    plain = won.id;
    expect(await requests()).toBe(before + 1);
    expect(await pendingOf(resourceId)).toBe(1);
    expect(await auditCount(db(), 'attendance_revision', won.id, 'request')).toBe(1);
  });

  it('the same request with a document: one open revision with its document, one stored file; the others refused naming the pending revision', async () => {
    const { resourceId, body } = await ask();
    const before = await requests();
    const rs = await burst(N, () => {
      const m = multipart({ reason: body.reason, rows: JSON.stringify(body.rows) }, [
        { field: 'document', name: 'leave.pdf', bytes: PDF, type: 'application/pdf' },
      ]);
      return dm.request({ method: 'POST', url: `${url(LAST)}/revisions/with-document`, payload: m.payload, headers: m.headers });
    });
    const won = JSON.parse(oneWinner(rs, PENDING).body) as TRevision;
    namePending(rs);
    expect(await requests()).toBe(before + 1);
    expect(await pendingOf(resourceId)).toBe(1);
    expect(await auditCount(db(), 'attendance_revision', won.id, 'request')).toBe(1);
    expect(await countOf(db(), sql`select count(*)::int as n from attendance_revision_requests where id = ${won.id} and document_file_id is not null`)).toBe(1);
  });

  it('the same document added to a pending request: added once, one audit entry; the others 409 attendance_revision_document_duplicate', async () => {
    // The request of the first test (no document; office 79 has no row of LAST left without one pending).
    const id = plain;
    const files = () => countOf(db(), sql`select count(*)::int as n from stored_files`);
    const had = await files();
    const rs = await burst(N, () => {
      const m = multipart({}, [{ field: 'document', name: 'more.pdf', bytes: PDF, type: 'application/pdf' }]);
      return dm.request({ method: 'POST', url: `/api/v1/attendance/revisions/${id}/documents`, payload: m.payload, headers: m.headers });
    });
    oneWinner(rs, ['409 attendance_revision_document_duplicate'], { read: (b: TRevision) => b.documents.length, is: 1 });
    expect(await countOf(db(), sql`select count(*)::int as n from attendance_revision_documents where request_id = ${id}`)).toBe(1);
    expect(await auditCount(db(), 'attendance_revision', id, 'add_document')).toBe(1);
    expect(await files()).toBeLessThanOrEqual(had + 1);
  });
});

describe(`the deadline setting, ${N} at once`, () => {
  it('last writer wins: every answer 200, one audit entry each, each before the previous after; the setting the last written', async () => {
    const days = [12, 20];
    let i = 0;
    const rs = await burst(N, () => finance.put('/api/v1/attendance/deadline', { deadlineDay: days[i++ % 2] }));
    allSucceed(rs, 200);
    const log = await db().execute<{ b: number; a: number }>(
      sql`select (before->>'deadlineDay')::int as b, (after->>'deadlineDay')::int as a from audit_log where entity = 'attendance_settings' and action = 'update' order by seq`,
    );
    expect(log.rows).toHaveLength(N);
    for (const [k, r] of log.rows.entries()) if (k > 0) expect(Number(r.b), `entry ${k}`).toBe(Number(log.rows[k - 1]!.a));
    const now = (await finance.get('/api/v1/attendance/deadline')).json() as { deadlineDay: number };
    expect(now.deadlineDay).toBe(Number(log.rows.at(-1)!.a));
  });
});
