import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAttendanceRow, TAttendanceSheet } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * Twenty identical "finalise" requests at once on one office-month (the review's double click),
 * on PGlite and on PostgreSQL (TEST_DATABASE_URL): finalised once, one audit entry; every other
 * answer 409 record_frozen, never a 500. The month has no sheet until the rows are saved (as in
 * attendance.test.ts, the month before the workflow demo's two).
 */
const CUR = todayIst(new Date()).slice(0, 7);
const FREE = previousMonth(previousMonth(previousMonth(previousMonth(CUR))));
const OFFICE = 79;
const N = 20;
const url = (month: string) => `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
let t: TestApp;
let dm: Client;

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === OFFICE);
  if (a) expect((await dm.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
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
    const rs = await Promise.all(Array.from({ length: N }, () => dm.post(`${url(FREE)}/finalise`)));
    const seen = rs.map((r) => (r.statusCode === 200 ? `200 ${r.json().state}` : `${r.statusCode} ${r.json().code}`));
    const detail = rs.map((r) => `${r.statusCode} ${r.body.slice(0, 160)}`).join('\n');
    expect(
      seen.filter((s) => s !== '200 finalised' && s !== '409 record_frozen'),
      detail,
    ).toEqual([]);
    expect(
      seen.filter((s) => s === '200 finalised'),
      detail,
    ).toHaveLength(1);
    const [s] = (
      await t.database.db.execute<{ id: number; state: string }>(sql`
      select s.id, s.state from attendance_sheets s where s.office_id = ${OFFICE} and s.month = ${`${FREE}-01`}::date`)
    ).rows;
    expect(s!.state).toBe('finalised');
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'attendance_sheet'), eq(auditLog.action, 'finalise'), eq(auditLog.entityId, String(s!.id))));
    expect(audits).toHaveLength(1);
  });
});
