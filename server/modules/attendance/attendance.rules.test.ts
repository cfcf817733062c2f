import { describe, expect, it } from 'vitest';
import { sundaysBetween, demoRow } from './attendance.demo.ts';
import {
  balances,
  deadlineOf,
  monthBounds,
  monthsPastDeadline,
  nextMonth,
  overviewStatus,
  previousMonth,
  rollsInMonth,
  rowProblems,
} from './attendance.rules.ts';

describe('attendance rules', () => {
  it('knows the length of every month, leap Februaries included', () => {
    expect(monthBounds('2026-02')).toEqual({ first: '2026-02-01', last: '2026-02-28', days: 28 });
    expect(monthBounds('2028-02').days).toBe(29);
    expect(monthBounds('2026-11')).toEqual({ first: '2026-11-01', last: '2026-11-30', days: 30 });
    expect(monthBounds('2026-12').last).toBe('2026-12-31');
    expect([nextMonth('2026-12'), previousMonth('2027-01'), nextMonth('2026-09')]).toEqual(['2027-01', '2026-12', '2026-10']);
  });

  it('clips the days on the rolls to joining and relieving (both inclusive) and to the month', () => {
    expect(rollsInMonth('2026-09', '2026-05-01', null)).toEqual({ from: '2026-09-01', to: '2026-09-30', days: 30 });
    expect(rollsInMonth('2026-09', '2026-09-10', null)).toEqual({ from: '2026-09-10', to: '2026-09-30', days: 21 });
    expect(rollsInMonth('2026-09', '2026-05-01', '2026-09-15')).toEqual({ from: '2026-09-01', to: '2026-09-15', days: 15 });
    expect(rollsInMonth('2026-09', '2026-09-10', '2026-09-10')).toEqual({ from: '2026-09-10', to: '2026-09-10', days: 1 });
    expect(rollsInMonth('2026-09', '2026-10-01', null)).toBeNull();
    expect(rollsInMonth('2026-09', '2026-01-01', '2026-08-31')).toBeNull();
    expect(rollsInMonth('2028-02', '2028-02-20', null)?.days).toBe(10);
  });

  it('refuses negative, fractional and too many days, and an unbalanced row, on the field concerned', () => {
    const ok = { present: 25, paidLeave: 1, offs: 4, absence: 0 };
    expect(rowProblems(ok, 30)).toEqual([]);
    expect(balances(ok, 30)).toBe(true);
    expect(rowProblems({ ...ok, present: -1 }, 30)).toEqual([{ field: 'present', code: 'attendance_days_invalid' }]);
    expect(rowProblems({ ...ok, paidLeave: 1.5 }, 30)).toEqual([{ field: 'paidLeave', code: 'attendance_days_invalid' }]);
    expect(rowProblems({ ...ok, offs: 31 }, 30)).toEqual([{ field: 'offs', code: 'attendance_days_exceed' }]);
    expect(rowProblems({ ...ok, absence: 1 }, 30)).toEqual([{ field: 'absence', code: 'attendance_unbalanced' }]);
    expect(rowProblems({ present: 0, paidLeave: 0, offs: 0, absence: 0 }, 21)).toEqual([{ field: 'absence', code: 'attendance_unbalanced' }]);
  });

  it('the demo rows balance: Sundays off, a day of leave', () => {
    expect(sundaysBetween('2026-11-01', '2026-11-30')).toBe(5);
    expect(sundaysBetween('2026-11-02', '2026-11-07')).toBe(0);
    const r = demoRow(30, 5);
    expect(balances(r, 30)).toBe(true);
    expect(r).toMatchObject({ present: 24, paidLeave: 1, offs: 5, absence: 0 });
  });

  it('overview: the deadline is the day of the next month; overdue only after it, never once finalised', () => {
    expect(deadlineOf('2026-12', 5)).toBe('2027-01-05');
    expect(deadlineOf('2026-11', 28)).toBe('2026-12-28');
    expect(overviewStatus('open', '2027-01-05', '2027-01-05')).toBe('pending');
    expect(overviewStatus('open', '2027-01-06', '2027-01-05')).toBe('overdue');
    expect(overviewStatus('none', '2027-01-06', '2027-01-05')).toBe('overdue');
    expect(overviewStatus('finalised', '2027-03-01', '2027-01-05')).toBe('finalised');
  });

  it('overview: reminders look at the months whose deadline has passed, newest first, from April 2026, at most twelve', () => {
    // On the 5th (deadline day) last month is still in time; on the 6th it is not.
    expect(monthsPastDeadline('2026-12-05', 5)[0]).toBe('2026-10');
    expect(monthsPastDeadline('2026-12-06', 5)[0]).toBe('2026-11');
    expect(monthsPastDeadline('2026-06-06', 5)).toEqual(['2026-05', '2026-04']);
    expect(monthsPastDeadline('2026-04-20', 5)).toEqual([]);
    const far = monthsPastDeadline('2029-01-20', 5);
    expect(far).toHaveLength(12);
    expect(far[0]).toBe('2028-12');
    expect(far[11]).toBe('2028-01');
  });
});
