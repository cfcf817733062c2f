import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceRow, TAttendanceSheet, TRevision } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, fakeClock, switchTo, type TestApp } from '../../test/harness.ts';
import { auditCount, burst, oneWinner } from '../../test/races.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * Twenty identical "finalise" requests at once on one office-month (the review's double click),
 * on PGlite and on PostgreSQL (TEST_DATABASE_URL): finalised once, one audit entry; every other
 * answer 409 record_frozen, never a 500. The month has no sheet until the rows are saved (as in
 * attendance.test.ts, the month before the workflow demo's two). Then the DDO's decision on a
 * revision of a finalised month (last month, finalised by the demo), approve and refuse, five
 * rounds each (one round lets a lost race through too rarely to be seen): decided once, one audit
 * entry, the figures in force revised at most once; the others 409 attendance_revision_decided.
 */
const CUR = todayIst(new Date()).slice(0, 7);
const FREE = previousMonth(previousMonth(previousMonth(previousMonth(CUR))));
const LAST = previousMonth(CUR);
const OFFICE = 79;
const N = 20;
const ROUNDS = 5;
const url = (month: string) => `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
let t: TestApp;
let dm: Client;
let ddo: Client;

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  await switchTo(dm, OFFICE);
  ddo = await t.login('ddo_bhopal');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const entry = (r: Pick<TAttendanceRow, 'resourceId' | 'version' | 'daysOnRolls'>) => ({
  resourceId: r.resourceId,
  version: r.version,
  present: r.daysOnRolls - 5,
  paidLeave: 1,
  offs: 4,
  absence: 0,
});

describe(`${N} identical requests at once`, () => {
  it('finalise one office-month: finalised once, one audit entry; the others 409 record_frozen', async () => {
    let sheet = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    const rows = sheet.rows.filter((r) => !r.balanced && !r.offRolls).map(entry);
    expect(rows.length).toBeGreaterThan(0);
    const put = await dm.put(`${url(FREE)}/rows`, { rows });
    expect(put.statusCode, put.body).toBe(200);
    sheet = (await dm.get(url(FREE))).json() as TAttendanceSheet;
    expect(sheet.canFinalise).toBe(true);
    const rs = await burst(N, () => dm.post(`${url(FREE)}/finalise`));
    oneWinner(rs, ['409 record_frozen'], { read: (b: TAttendanceSheet) => b.state, is: 'finalised' });
    const [s] = (
      await t.database.db.execute<{ id: number; state: string }>(sql`
      select s.id, s.state from attendance_sheets s where s.office_id = ${OFFICE} and s.month = ${`${FREE}-01`}::date`)
    ).rows;
    expect(s!.state).toBe('finalised');
    expect(await auditCount(t.database.db, 'attendance_sheet', s!.id, 'finalise')).toBe(1);
  });
});

/** The revision number in force of a resource's row of LAST (0: never revised). */
async function revisionNo(resourceId: number): Promise<number> {
  const [r] = (
    await t.database.db.execute<{ n: number }>(sql`
      select coalesce(max(i.revision_no), 0)::int as n from attendance_revision_items i join attendance_revision_requests v on v.id = i.request_id
       where i.resource_id = ${resourceId} and v.office_id = ${OFFICE} and v.month = ${`${LAST}-01`}::date and i.state = 'approved'`)
  ).rows;
  return Number(r!.n);
}

describe(`${N} identical decisions on a revision at once, ${ROUNDS} rounds`, () => {
  for (const [decision, remarks, state] of [
    ['approve', '', 'approved'],
    ['refuse', 'No leave record', 'refused'],
  ] as const)
    it(`${decision}: decided once, one audit entry, the figures in force revised ${decision === 'approve' ? 'once' : 'never'}; the others 409 already decided`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const sheet = (await dm.get(url(LAST))).json() as TAttendanceSheet;
        const row = sheet.rows.find((x) => !x.revisionPending && (x.revised?.present ?? x.present ?? 0) > 0);
        expect(row, 'a row of last month with no revision pending').toBeTruthy();
        const eff = row!.revised ?? { present: row!.present!, paidLeave: row!.paidLeave!, offs: row!.offs!, absence: row!.absence! };
        const entry = { resourceId: row!.resourceId, present: eff.present - 1, paidLeave: eff.paidLeave, offs: eff.offs, absence: eff.absence + 1 };
        const asked = await dm.post(`${url(LAST)}/revisions`, { reason: 'Unpaid absence on one day', rows: [entry] });
        expect(asked.statusCode, asked.body).toBe(200);
        const rev = asked.json() as TRevision;
        const before = await revisionNo(row!.resourceId);
        const rs = await burst(N, () => ddo.post(`/api/v1/attendance/revisions/${rev.id}/decision`, { decision, ...(remarks ? { remarks } : {}) }));
        oneWinner(rs, ['409 attendance_revision_decided'], { read: (b: TRevision) => b.state, is: state });
        expect(await auditCount(t.database.db, 'attendance_revision', rev.id, decision)).toBe(1);
        expect(await revisionNo(row!.resourceId)).toBe(decision === 'approve' ? before + 1 : before);
      }
    });
});
