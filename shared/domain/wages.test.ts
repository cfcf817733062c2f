import { describe, expect, it } from 'vitest';
import { dayRatePaise, divideHalfUp, lastRevisionDate, paiseToInput, parseRupees } from './wages.ts';

describe('day rate (monthly ÷ 26, basic and VDA each rounded half-up first)', () => {
  it('gives ₹571.89 for skilled from 1 Oct 2025, not 14,869 ÷ 26 = 571.88', () => {
    expect(dayRatePaise(1_229_400, 257_500)).toBe(57_189);
    expect(divideHalfUp(1_229_400 + 257_500, 26)).toBe(57_188);
  });
  it('matches the other MP rates from 1 Oct 2025', () => {
    expect(dayRatePaise(957_500, 257_500)).toBe(36_827 + 9_904); // 368.27 + 99.04
    expect(dayRatePaise(1_057_100, 257_500)).toBe(40_658 + 9_904); // 406.58 + 99.04
    expect(dayRatePaise(1_391_900, 257_500)).toBe(53_535 + 9_904); // 535.35 + 99.04
  });
  it('rounds exactly half up', () => {
    expect(divideHalfUp(13, 26)).toBe(1);
    expect(divideHalfUp(12, 26)).toBe(0);
    expect(divideHalfUp(0, 26)).toBe(0);
    expect(() => divideHalfUp(1.5, 26)).toThrow(RangeError);
  });
});

describe('rupee input → paise (no floats)', () => {
  it('reads rupees and paise as typed', () => {
    expect(parseRupees('12294')).toBe(1_229_400);
    expect(parseRupees('12,294.5')).toBe(1_229_450);
    expect(parseRupees('₹ 12,294.05')).toBe(1_229_405);
    expect(parseRupees('0.1')).toBe(10);
    expect(parseRupees('2575.')).toBe(257_500);
    // 0.29 * 100 is 28.999999999999996 in floating point; digits are parsed instead.
    expect(parseRupees('0.29')).toBe(29);
    expect(parseRupees('1234.57')).toBe(123_457);
  });
  it('refuses what is not an amount', () => {
    for (const s of ['', ' ', 'abc', '12.345', '-5', '1e3', '12..3', '.5']) expect(parseRupees(s), s).toBeNull();
  });
  it('round-trips through the form value', () => {
    expect(paiseToInput(1_229_400)).toBe('12294.00');
    expect(paiseToInput(5)).toBe('0.05');
    expect(parseRupees(paiseToInput(987_654_321))).toBe(987_654_321);
  });
});

describe('last VDA revision date (1 April / 1 October)', () => {
  it('finds the latest 1 April or 1 October on or before a date', () => {
    expect(lastRevisionDate('2026-11-25')).toBe('2026-10-01');
    expect(lastRevisionDate('2026-10-01')).toBe('2026-10-01');
    expect(lastRevisionDate('2026-09-30')).toBe('2026-04-01');
    expect(lastRevisionDate('2026-04-01')).toBe('2026-04-01');
    expect(lastRevisionDate('2026-03-31')).toBe('2025-10-01');
    expect(lastRevisionDate('2026-01-15')).toBe('2025-10-01');
  });
});
