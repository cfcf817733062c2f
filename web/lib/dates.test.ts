import { describe, expect, it } from 'vitest';
import { dateProblem, monthLabel, monthsBack, parseIndianDate } from './dates.ts';

// Issue 12.5: 31/02/2026 was answered "Enter a date as dd/mm/yyyy", though it was typed so.
describe('a typed date', () => {
  it('dd/mm/yyyy (also . or -) becomes an ISO date', () => {
    expect(parseIndianDate('29/02/2028')).toBe('2028-02-29');
    expect(parseIndianDate(' 1.4.2026 ')).toBe('2026-04-01');
    expect(dateProblem('01-12-2026')).toBeNull();
  });

  it('the right shape but no such day: date_not_exist', () => {
    for (const s of ['31/02/2026', '29/02/2027', '31/04/2026', '00/01/2026', '12/13/2026']) {
      expect(parseIndianDate(s), s).toBeNull();
      expect(dateProblem(s), s).toBe('date_not_exist');
    }
  });

  it('not dd/mm/yyyy at all: date_format', () => {
    for (const s of ['2026-02-01', '1/2/26', 'tomorrow', '']) expect(dateProblem(s), s).toBe('date_format');
  });
});

describe('month pickers (monthsBack, monthLabel)', () => {
  it('counts back across a year end, newest first, from a month or a date', () => {
    expect(monthsBack('2026-02-15', 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(monthsBack('2026-12', 1)).toEqual(['2026-12']);
  });
  it("names a month in the page's language", () => {
    expect(monthLabel('2026-11', 'hi')).toBe('नवंबर 2026');
    expect(monthLabel('2026-11', 'en')).toBe('November 2026');
  });
});
