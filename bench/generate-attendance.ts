import { sql } from 'drizzle-orm';
import type { Db } from '../server/db/client.ts';

/**
 * The attendance generator (issue 15, "Scale and speed"), run after generateResources: finalised
 * attendance for every generated resource on the rolls, for the `months` whole months before
 * `now` (default 24). Set-based: per month three statements run in the database — the sheets of
 * every office with someone on the rolls, one row per resource on the rolls (its days clipped to
 * joining and relieving exactly as `rollsInMonth` clips them), then the month's sheets finalised —
 * so no row passes through node. Rows go in while their sheet is open, through the production
 * table with all its indexes, checks and the finalisation guard (migration 0017); the sheets are
 * then finalised as the service does. Nothing is audited (bench data, like the other generators).
 *
 * The days of a row are deterministic in (resource, month): weekly offs = days ÷ 7, paid leave
 * 0–2, one resource-month in ten with 1–3 days' unpaid absence, the rest present — they always
 * balance, so the balance CHECK holds.
 */

export const ATTENDANCE_SCALE = { months: 24 } as const;

export type AttendanceGenReport = {
  months: string[];
  sheets: number;
  rows: number;
  ms: number;
  /** Milliseconds per month, in `months` order. */
  perMonthMs: number[];
};

/** `YYYY-MM` of the month `back` months before the month of `now` (UTC calendar). */
export function monthBefore(now: Date, back: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The first and last day of a `YYYY-MM` month. */
function bounds(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}` };
}

export async function generateAttendance(db: Db, opts: { months?: number; now?: Date } = {}): Promise<AttendanceGenReport> {
  const started = performance.now();
  const n = opts.months ?? ATTENDANCE_SCALE.months;
  const now = opts.now ?? new Date();
  // Oldest first, ending with the last whole month.
  const months = Array.from({ length: n }, (_, i) => monthBefore(now, n - i));
  const perMonthMs: number[] = [];
  let sheets = 0;
  let rows = 0;
  for (const [k, month] of months.entries()) {
    const t0 = performance.now();
    const { first, last } = bounds(month);
    // Who is on the rolls on some day of the month (the roster's condition, attendance.repo.ts).
    const onRolls = sql`r.office_id is not null and r.joining_date is not null and r.status in ('approved', 'relieved')
      and r.joining_date <= ${last}::date and (r.relieved_on is null or r.relieved_on >= ${first}::date)`;
    const s = await db.execute(sql`
      insert into attendance_sheets (office_id, month, state, created_at)
      select distinct r.office_id, ${first}::date, 'open', ${first}::date + interval '10 hours' from resources r where ${onRolls}
      on conflict (office_id, month) do nothing`);
    // Fresh statistics, or the planner takes the new sheets for a handful and joins 170,000 rows
    // to them by a nested loop over a sequential scan (minutes a month on PostgreSQL).
    await db.execute(sql`analyze attendance_sheets`);
    const r = await db.execute(sql`
      insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence, version, updated_at)
      select s.id, x.id, x.d, x.d - x.o - x.l - x.a, x.l, x.o, x.a, 1, ${last}::date + interval '12 hours'
        from (select d.id, d.office_id, d.d, d.o, d.l,
                     least(d.d - d.o - d.l, case when (d.id * 7 + ${k}) % 10 = 0 then 1 + d.id % 3 else 0 end) as a
                from (select c.id, c.office_id, c.d, c.d / 7 as o, least(c.d - c.d / 7, (c.id + ${k}) % 3) as l
                        from (select r.id, r.office_id,
                                     (least(${last}::date, coalesce(r.relieved_on, ${last}::date)) - greatest(${first}::date, r.joining_date) + 1) as d
                                from resources r where ${onRolls}) c) d) x
        join attendance_sheets s on s.office_id = x.office_id and s.month = ${first}::date`);
    await db.execute(sql`
      update attendance_sheets set state = 'finalised', finalised_at = ${last}::date + interval '3 days 11 hours'
       where month = ${first}::date and state = 'open'`);
    sheets += s.rowCount ?? 0;
    rows += r.rowCount ?? 0;
    perMonthMs.push(Math.round(performance.now() - t0));
  }
  await db.execute(sql`analyze attendance_rows`);
  return { months, sheets, rows, ms: Math.round(performance.now() - started), perMonthMs };
}
