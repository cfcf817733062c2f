import { sql } from 'drizzle-orm';
import { deploymentsSql } from '../resource/index.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, previousMonth, rollsInMonth } from './attendance.rules.ts';

/** Sundays (the weekly off) between two dates, both inclusive. */
export function sundaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) if (d.getUTCDay() === 0) n++;
  return n;
}

/** A plausible row: Sundays off, one day of paid leave, the rest present. */
export function demoRow(days: number, sundays: number) {
  const leave = days - sundays > 1 ? 1 : 0;
  return { daysOnRolls: days, present: days - sundays - leave, paidLeave: leave, offs: sundays, absence: 0 };
}

/**
 * Demo attendance for every office with deployed resources: last month filled and finalised,
 * the current month open with the first half of the roster saved (the rest still to do).
 */
export async function seedAttendanceDemo(tx: DbOrTx, now: Date): Promise<void> {
  const current = todayIst(now).slice(0, 7);
  const last = previousMonth(current);
  await seedHolidays(tx, last);
  await seedDistrictHoliday(tx, current);
  const offices = await tx.execute<{ id: number }>(
    sql`select distinct office_id as id from ${deploymentsSql()} r where office_id is not null and status in ('approved', 'relieved') order by 1`,
  );
  for (const { id: officeId } of offices.rows) {
    // The office's department manager enters and finalises (none: the rows name no one).
    const by = await tx.execute<{ id: number }>(
      sql`select user_id as id from role_assignments where role = 'department_manager' and scope_kind = 'office' and scope_id = ${officeId} and active order by id limit 1`,
    );
    const userId = by.rows[0]?.id ?? null;
    for (const month of [last, current]) {
      const b = monthBounds(month);
      const rows = await repo.roster(tx, { officeId, first: b.first, last: b.last });
      if (rows.length === 0) continue;
      const sheet = await repo.ensureSheet(tx, officeId, b.first, now);
      const fill = month === last ? rows : rows.slice(0, Math.ceil(rows.length / 2));
      for (const r of fill) {
        const rolls = rollsInMonth(month, r.joiningDate, r.relievedOn);
        if (!rolls) continue;
        await repo.insertRow(tx, sheet.id, r.resourceId, demoRow(rolls.days, sundaysBetween(rolls.from, rolls.to)), userId, now);
      }
      if (month === last) {
        await repo.finaliseSheet(tx, sheet.id, userId, now);
        await seedRevisions(tx, officeId, sheet.id, b.first, userId, now);
      }
    }
  }
}

/**
 * Revisions of last month for the office whose DDO has a demo user: the first row approved
 * (one day present turned into unpaid absence), the second refused, the third awaiting the DDO.
 */
async function seedRevisions(tx: DbOrTx, officeId: number, sheetId: number, first: string, dmId: number | null, now: Date) {
  if (dmId === null) return;
  const d = await tx.execute<{ id: number }>(sql`
    select ra.user_id as id from role_assignments ra join ddo_codes dc on dc.id = ra.scope_id
     where ra.role = 'ddo' and ra.scope_kind = 'ddo' and ra.active and dc.office_id = ${officeId} order by ra.id limit 1`);
  const ddoId = d.rows[0]?.id;
  if (ddoId === undefined) return;
  const rows = await tx.execute<{ id: number; resourceId: number; daysOnRolls: number; present: number; paidLeave: number; offs: number; absence: number }>(sql`
    select id, resource_id as "resourceId", days_on_rolls as "daysOnRolls", present, paid_leave as "paidLeave", offs, absence
      from attendance_rows where sheet_id = ${sheetId} and present > 0 order by id limit 3`);
  const plan = [
    { state: 'approved', reason: 'Absent on one day, marked present by mistake — एक दिन अनुपस्थित, भूल से उपस्थित दर्ज', remarks: 'Checked with the register.' },
    { state: 'refused', reason: 'Leave application received late — अवकाश आवेदन देर से मिला', remarks: 'No sanctioned leave on record.' },
    { state: 'pending', reason: 'Duty on a holiday not recorded — अवकाश के दिन की ड्यूटी दर्ज नहीं हुई', remarks: '' },
  ] as const;
  for (const [i, r] of rows.rows.entries()) {
    const p = plan[i]!;
    const decided = p.state !== 'pending';
    // The pending one: a weekly off worked (one off turned into a day present), or a day of absence the other way.
    const fig =
      i === 2 && r.offs > 0
        ? { present: r.present + 1, offs: r.offs - 1, absence: r.absence }
        : { present: r.present - 1, offs: r.offs, absence: r.absence + 1 };
    const q = await tx.execute<{ id: number }>(sql`
      insert into attendance_revision_requests (sheet_id, office_id, month, reason, requested_by, requested_at)
      values (${sheetId}, ${officeId}, ${first}, ${p.reason}, ${dmId}, ${now.toISOString()}) returning id`);
    const reqId = q.rows[0]!.id;
    await tx.execute(sql`
      insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      values (${reqId}, ${r.id}, ${r.resourceId}, ${r.daysOnRolls}, ${fig.present}, ${r.paidLeave}, ${fig.offs}, ${fig.absence})`);
    if (!decided) continue;
    await tx.execute(sql`
      update attendance_revision_items set state = ${p.state}${p.state === 'approved' ? sql`, revision_no = 1, approved_at = ${now.toISOString()}` : sql``}
       where request_id = ${reqId}`);
    await tx.execute(sql`
      update attendance_revision_requests set state = ${p.state}, decided_by = ${ddoId}, decided_at = ${now.toISOString()}, remarks = ${p.remarks}
       where id = ${reqId}`);
  }
}

/** Gazetted holidays of Madhya Pradesh for 2026–2027 (statewide, a sample) and one local holiday of office 79 last month. */
const STATE_HOLIDAYS: [string, string, string][] = [
  ['2026-01-26', 'Republic Day', 'गणतंत्र दिवस'],
  ['2026-08-15', 'Independence Day', 'स्वतंत्रता दिवस'],
  ['2026-10-02', 'Gandhi Jayanti', 'गांधी जयंती'],
  ['2026-10-20', 'Dussehra', 'दशहरा'],
  ['2026-11-01', 'Madhya Pradesh Foundation Day', 'मध्यप्रदेश स्थापना दिवस'],
  ['2026-11-08', 'Deepawali', 'दीपावली'],
  ['2026-12-25', 'Christmas', 'क्रिसमस'],
  ['2027-01-26', 'Republic Day', 'गणतंत्र दिवस'],
  ['2027-03-22', 'Holi', 'होली'],
  ['2027-08-15', 'Independence Day', 'स्वतंत्रता दिवस'],
];

/**
 * One local holiday of Bhopal district this month, added by its district admin
 * (`districtadmin_bhopal`, issue 15 item 4) — on the grid of every office in Bhopal.
 */
async function seedDistrictHoliday(tx: DbOrTx, month: string) {
  const r = await tx.execute<{ userId: number; districtId: number }>(sql`
    select ra.user_id as "userId", ra.scope_id as "districtId" from role_assignments ra join users u on u.id = ra.user_id
     where u.username = 'districtadmin_bhopal' and ra.role = 'district_admin' and ra.scope_kind = 'district' and ra.active limit 1`);
  const a = r.rows[0];
  if (!a) return;
  await tx.execute(sql`insert into holidays (date, district_id, name_en, name_hi, kind, created_by)
                       values (${`${month}-21`}, ${a.districtId}, 'Bhopal Utsav (Bhopal district)', 'भोपाल उत्सव (भोपाल ज़िला)', 'local', ${a.userId})
                       on conflict do nothing`);
}

async function seedHolidays(tx: DbOrTx, lastMonth: string) {
  for (const [date, en, hi] of STATE_HOLIDAYS)
    await tx.execute(sql`insert into holidays (date, name_en, name_hi, kind) values (${date}, ${en}, ${hi}, 'gazetted') on conflict do nothing`);
  const exists = await tx.execute<{ id: number }>(sql`select id from offices where id = 79`);
  if (exists.rows.length)
    await tx.execute(sql`insert into holidays (date, office_id, name_en, name_hi, kind)
                         values (${`${lastMonth}-14`}, 79, 'Local fair (office 79)', 'स्थानीय मेला (कार्यालय 79)', 'optional') on conflict do nothing`);
}
