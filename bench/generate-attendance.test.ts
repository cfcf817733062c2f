import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/platform/auth/password.ts';
import { rollsInMonth } from '../server/modules/attendance/attendance.rules.ts';
import { createTestApp, type TestApp } from '../server/test/harness.ts';
import { type AttendanceGenReport, generateAttendance, monthBefore } from './generate-attendance.ts';
import { generateAgenciesContracts } from './generate-contracts.ts';
import { generateResources } from './generate-resources.ts';
import { BENCH_PASSWORD, type GenerateReport, generateOrgMasters } from './generate.ts';

// The attendance generator at a small scale: exactly one finalised row per resource and month on
// the rolls, its days clipped as the service clips them and balanced, and the result readable
// through the attendance route and frozen by the database like any finalised month.

let t: TestApp;
let org: GenerateReport;
let report: AttendanceGenReport;
const NOW = new Date();

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  org = await generateOrgMasters(t.database.db, { offices: 100, ddoCodes: 90, departments: 15, users: 50, passwordHash: await hashPassword(BENCH_PASSWORD) });
  await generateAgenciesContracts(t.database.db, { agencies: 120, contracts: 90 });
  await generateResources(t.database.db, { resources: 3000, now: NOW });
  report = await generateAttendance(t.database.db, { months: 3, now: NOW });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

type Res = { id: number; office_id: number; joining: string; relieved: string | null };

describe('bench generator: attendance (small scale)', () => {
  it('covers the whole months before now, oldest first', () => {
    expect(report.months).toEqual([monthBefore(NOW, 3), monthBefore(NOW, 2), monthBefore(NOW, 1)]);
    expect(report.months[2]! < `${NOW.toISOString().slice(0, 7)}`).toBe(true);
  });

  it('makes one row per resource and month on the rolls, with the days the service would count, balanced', async () => {
    const res = (
      await t.database.db.execute<Res>(sql`select id, office_id, joining_date::text as joining, relieved_on::text as relieved from resources
        where status in ('approved', 'relieved') and office_id is not null and joining_date is not null`)
    ).rows;
    const expected = new Map<string, number>();
    for (const m of report.months)
      for (const r of res) {
        const rolls = rollsInMonth(m, r.joining, r.relieved);
        if (rolls) expected.set(`${r.id}|${m}`, rolls.days);
      }
    expect(expected.size).toBeGreaterThan(1000);
    const rows = (
      await t.database.db.execute<{ resource_id: number; month: string; days: number; p: number; l: number; o: number; a: number; same_office: boolean }>(sql`
        select ar.resource_id, to_char(s.month, 'YYYY-MM') as month, ar.days_on_rolls as days, ar.present as p, ar.paid_leave as l, ar.offs as o, ar.absence as a,
               s.office_id = r.office_id as same_office
          from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id join resources r on r.id = ar.resource_id`)
    ).rows;
    expect(rows.length).toBe(expected.size);
    expect(report.rows).toBe(expected.size);
    for (const x of rows) {
      expect(x.days).toBe(expected.get(`${x.resource_id}|${x.month}`));
      expect(x.p + x.l + x.o + x.a).toBe(x.days);
      expect(Math.min(x.p, x.l, x.o, x.a)).toBeGreaterThanOrEqual(0);
      expect(x.same_office).toBe(true);
    }
    // Some variety: leave and absence occur, not only full presence.
    expect(rows.some((x) => x.a > 0)).toBe(true);
    expect(rows.some((x) => x.l > 0)).toBe(true);
  });

  it('finalises every sheet, and the database then refuses to change its rows', async () => {
    const states = (await t.database.db.execute<{ state: string; n: number }>(sql`select state, count(*)::int as n from attendance_sheets group by state`))
      .rows;
    expect(states).toEqual([{ state: 'finalised', n: report.sheets }]);
    const refused = await t.database.db
      .execute(sql`update attendance_rows set present = present where id = (select min(id) from attendance_rows)`)
      .then(() => 'saved')
      .catch((e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(refused).toMatch(/ROAMS_FROZEN/);
  });

  it('is what the attendance page shows for a generated office-month', async () => {
    const [s] = (
      await t.database.db.execute<{ office_id: number; month: string; n: number }>(sql`
        select s.office_id, to_char(s.month, 'YYYY-MM') as month, count(*)::int as n from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id
         group by 1, 2 order by count(*) desc, 1 limit 1`)
    ).rows;
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: org.adminUsername, password: BENCH_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/attendance/offices/${s!.office_id}/months/${s!.month}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const sheet = res.json() as { state: string; rows: { balanced: boolean }[] };
    expect(sheet.state).toBe('finalised');
    expect(sheet.rows).toHaveLength(s!.n);
    expect(sheet.rows.every((r) => r.balanced)).toBe(true);
  });
});
