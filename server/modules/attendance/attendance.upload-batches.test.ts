import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_COLUMNS, type TAttendanceSheet } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Table } from '../../platform/tabular/tabular.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { checkAndSave, type FileOffice } from './attendance.sheetfile.ts';

/**
 * An upload written in batches (bars S3/S5, attendance.sheetfile.ts checkAndSave): the file is
 * checked whole, then written in transactions of `writeBatch` rows. A file of one batch stays all
 * or nothing; in a file of several, a row another save changed after the check is left as that
 * save made it and named, the rest saved and audited. On the demo data: this month CUR of office
 * 79 (dm_bhopal’s) is open and half filled (three rows on the rolls: the several-batch file is written a row a transaction). The other save is simulated by a trigger that, once,
 * bumps the version of one saved row when the upload's first statement writes.
 */
const CUR = todayIst(new Date()).slice(0, 7);
const OFFICE = 79;
let t: TestApp;
let dm: Client;
let ctx: Ctx;
let office: FileOffice;

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  const db = t.database.db;
  const a = await db.execute<{ userId: number; assignmentId: number; name: string }>(sql`
    select u.id as "userId", ra.id as "assignmentId", u.name from users u join role_assignments ra on ra.user_id = u.id
     where u.username = 'dm_bhopal' and ra.role = 'department_manager' and ra.office_id = ${OFFICE}`);
  const me = a.rows[0]!;
  ctx = {
    actor: {
      userId: Number(me.userId),
      name: me.name,
      assignmentId: Number(me.assignmentId),
      role: 'department_manager',
      scopeKind: 'office',
      scopeId: OFFICE,
    },
    ip: '127.0.0.1',
    locale: 'en',
    now: new Date(),
  };
  const o = await db.execute<{ nameEn: string; nameHi: string; departmentId: number }>(
    sql`select name_en as "nameEn", name_hi as "nameHi", department_id as "departmentId" from offices where id = ${OFFICE}`,
  );
  office = { officeId: OFFICE, ...o.rows[0]!, departmentId: Number(o.rows[0]!.departmentId), state: 'open' };
  const me2 = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const mine = me2.assignments.find((x) => x.officeId === OFFICE);
  if (mine) expect((await dm.post('/api/v1/auth/switch', { assignmentId: mine.id })).statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** The sheet's on-rolls rows, the saved one to be changed "by someone else" last. */
async function rosterRows() {
  const s = (await dm.get(`/api/v1/attendance/offices/${OFFICE}/months/${CUR}`)).json() as TAttendanceSheet;
  const rows = s.rows.filter((r) => !r.offRolls);
  const target = rows.find((r) => r.version > 0);
  expect(target, 'a saved row in the demo month').toBeDefined();
  expect(rows.length).toBeGreaterThanOrEqual(3);
  return { rows: [...rows.filter((r) => r !== target), target!], target: target! };
}

/** A file of those rows, each balanced with `absence` days of unpaid absence. */
function tableOf(rows: { resourceId: number; daysOnRolls: number }[], absence: number): Table {
  return {
    headers: [...TEMPLATE_COLUMNS],
    rows: rows.map((r, i) => ({
      row: i + 2,
      cells: {
        officeId: String(OFFICE),
        month: CUR,
        resourceId: String(r.resourceId),
        present: String(r.daysOnRolls - 4 - absence),
        paidLeave: '0',
        offs: '4',
        absence: String(absence),
      },
    })),
  };
}

async function withOtherSave<T>(rowResource: number, run: () => Promise<T>): Promise<T> {
  const db = t.database.db;
  // Once, when the upload first writes attendance_rows: bump the version of the target row (as another save would).
  await db.execute(
    sql.raw(`create function test_other_save() returns trigger language plpgsql as $$
    begin
      if pg_trigger_depth() = 1 and not exists (select 1 from test_other_save_done) then
        insert into test_other_save_done values (1);
        update attendance_rows set version = version + 1
         where resource_id = ${rowResource} and sheet_id = (select id from attendance_sheets where office_id = ${OFFICE} and month = '${CUR}-01');
      end if;
      return null;
    end $$`),
  );
  await db.execute(sql`create table test_other_save_done (x int)`);
  await db.execute(sql`create trigger test_other_save after insert or update on attendance_rows for each statement execute function test_other_save()`);
  try {
    return await run();
  } finally {
    await db.execute(sql`drop trigger test_other_save on attendance_rows`);
    await db.execute(sql`drop function test_other_save()`);
    await db.execute(sql`drop table test_other_save_done`);
  }
}

const uploads = async () =>
  Number(
    (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where entity = 'attendance_row' and action = 'upload'`)).rows[0]!
      .n,
  );
const stateOf = async (resourceId: number) =>
  (
    await t.database.db.execute<{ version: number; absence: number }>(sql`
    select ar.version, ar.absence from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
     where s.office_id = ${OFFICE} and s.month = ${`${CUR}-01`} and ar.resource_id = ${resourceId}`)
  ).rows[0];

describe('attendance upload — written in batches', () => {
  it('a file of one batch is all or nothing: a row changed meanwhile refuses the lot (409), nothing saved', async () => {
    const { rows, target } = await rosterRows();
    const before = await stateOf(target.resourceId);
    const audits = await uploads();
    const e = await withOtherSave(target.resourceId, () =>
      checkAndSave(t.database.db, ctx, CUR, tableOf(rows, 1), false, () => ({ office }), rows.length).then(
        () => null,
        (x: unknown) => x,
      ),
    );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('attendance_conflict');
    expect(await uploads()).toBe(audits);
    expect(await stateOf(target.resourceId)).toEqual(before);
  });

  it('a file of several batches: each batch its own transaction; a row changed meanwhile is kept and named, the others saved and audited', async () => {
    const { rows, target } = await rosterRows();
    const before = (await stateOf(target.resourceId))!;
    const audits = await uploads();
    const report = await withOtherSave(target.resourceId, () => checkAndSave(t.database.db, ctx, CUR, tableOf(rows, 2), false, () => ({ office }), 1));
    expect(report.rows).toBe(rows.length);
    expect(report.saved).toBe(rows.length - 1);
    expect(report.errors).toEqual([
      expect.objectContaining({
        row: rows.length + 1,
        field: 'resourceId',
        code: 'attendance_conflict',
        message: expect.stringContaining(`Row ${rows.length + 1}`),
      }),
    ]);
    // The other save's row is as it left it (its version bumped once, the upload's figures not written).
    const after = (await stateOf(target.resourceId))!;
    expect(after.version).toBe(before.version + 1);
    expect(after.absence).toBe(before.absence);
    for (const r of rows.slice(0, -1)) expect((await stateOf(r.resourceId))?.absence).toBe(2);
    expect(await uploads()).toBe(audits + rows.length - 1);
    // Written in several transactions (a row's xmin is the transaction that wrote it).
    const xids = await t.database.db.execute<{ n: number }>(sql`
      select count(distinct ar.xmin::text)::int as n from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
       where s.office_id = ${OFFICE} and s.month = ${`${CUR}-01`} and ar.absence = 2`);
    expect(Number(xids.rows[0]!.n)).toBe(rows.length - 1);

    // The same file again overwrites the row left out.
    const again = await checkAndSave(t.database.db, ctx, CUR, tableOf(rows, 2), false, () => ({ office }), 2);
    expect(again.errors).toEqual([]);
    expect(again.saved).toBe(rows.length);
    expect((await stateOf(target.resourceId))?.absence).toBe(2);
  });

  it('a file with a bad row saves nothing in any batch unless the good rows are asked for', async () => {
    const { rows } = await rosterRows();
    const table = tableOf(rows, 1);
    table.rows[rows.length - 1]!.cells.present = '99';
    const audits = await uploads();
    const r = await checkAndSave(t.database.db, ctx, CUR, table, false, () => ({ office }), 2);
    expect(r.saved).toBe(0);
    expect(r.errors.map((e) => e.row)).toEqual([rows.length + 1]);
    expect(await uploads()).toBe(audits);
    const good = await checkAndSave(t.database.db, ctx, CUR, table, true, () => ({ office }), 2);
    expect(good.saved).toBe(rows.length - 1);
    expect(await uploads()).toBe(audits + rows.length - 1);
  });
});
