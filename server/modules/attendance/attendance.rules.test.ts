import { describe, expect, it } from 'vitest';
import { sundaysBetween, demoRow } from './attendance.demo.ts';
import { balances, monthBounds, nextMonth, previousMonth, rollsInMonth, rowProblems } from './attendance.rules.ts';

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
});
