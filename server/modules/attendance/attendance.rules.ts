import { DAY_FIELDS, type TAttendanceEntry, type TDayField } from '../../../shared/contracts/attendance.ts';

/** The first and last day of a `YYYY-MM` month and its number of days (calendar dates, IST). */
export function monthBounds(month: string): { first: string; last: string; days: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}`, days };
}

function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
}

/**
 * The days a resource is on the rolls in a month: from joining to relieving, both inclusive (the
 * relieving date is the last day on the rolls), clipped to the month. Null range and 0 days when
 * the resource was not on the rolls on any day of the month.
 */
export function rollsInMonth(month: string, joiningDate: string, relievedOn: string | null): { from: string; to: string; days: number } | null {
  const { first, last } = monthBounds(month);
  const from = joiningDate > first ? joiningDate : first;
  const to = relievedOn !== null && relievedOn < last ? relievedOn : last;
  if (from > to) return null;
  return { from, to, days: dayNumber(to) - dayNumber(from) + 1 };
}

/** A reason a row cannot be saved, on one of its fields. */
export type RowProblem = { field: TDayField; code: 'attendance_days_invalid' | 'attendance_days_exceed' | 'attendance_unbalanced' };

/**
 * The checks of one row against its days on the rolls: each kind of day a whole number, 0 or
 * more and not more than the days on the rolls; then the four together equal the days on the
 * rolls (the balance rule; reported on `absence`, the field a clerk fills last).
 */
export function rowProblems(e: Pick<TAttendanceEntry, TDayField>, daysOnRolls: number): RowProblem[] {
  const out: RowProblem[] = [];
  for (const f of DAY_FIELDS) {
    const v = e[f];
    if (!Number.isInteger(v) || v < 0) out.push({ field: f, code: 'attendance_days_invalid' });
    else if (v > daysOnRolls) out.push({ field: f, code: 'attendance_days_exceed' });
  }
  if (out.length === 0 && !balances(e, daysOnRolls)) out.push({ field: 'absence', code: 'attendance_unbalanced' });
  return out;
}

export function balances(e: Pick<TAttendanceEntry, TDayField>, daysOnRolls: number): boolean {
  return e.present + e.paidLeave + e.offs + e.absence === daysOnRolls;
}

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The date after which an office-month is overdue: `day` of the next month (`YYYY-MM-DD`). */
export function deadlineOf(month: string, day: number): string {
  return `${nextMonth(month)}-${String(day).padStart(2, '0')}`;
}

/**
 * An office-month's standing in the overview: finalised; else overdue once `today` (IST) is past
 * the deadline (the deadline day itself is still in time); else pending.
 */
export function overviewStatus(sheet: 'none' | 'open' | 'finalised', today: string, deadline: string): 'finalised' | 'pending' | 'overdue' {
  if (sheet === 'finalised') return 'finalised';
  return today > deadline ? 'overdue' : 'pending';
}

/** Attendance is kept on the portal from April 2026 (seed 000 para 2): no month before is overdue. */
export const PORTAL_START_MONTH = '2026-04';
/** How many months back the reminders look (older office-months still show as overdue in the overview). */
export const REMINDER_MONTHS_BACK = 12;

/**
 * The months whose deadline has passed by `today`, newest first: the latest such month and the
 * ones before it, at most `REMINDER_MONTHS_BACK`, none before the portal's start.
 */
export function monthsPastDeadline(today: string, deadlineDay: number): string[] {
  let m = previousMonth(today.slice(0, 7));
  if (today <= deadlineOf(m, deadlineDay)) m = previousMonth(m);
  const out: string[] = [];
  while (out.length < REMINDER_MONTHS_BACK && m >= PORTAL_START_MONTH) {
    out.push(m);
    m = previousMonth(m);
  }
  return out;
}
