import { describe, expect, it } from 'vitest';
import { DATE_RANGES, ZId, ZIdNumber, ZQueryBool, zDate, zText, zTextInt } from './common.ts';

describe('bounded inputs (bar A9)', () => {
  it("a query yes/no is exactly 'true' or 'false': 'false' is false, not Boolean('false')", () => {
    const q = ZQueryBool.default(false);
    expect(q.parse('true')).toBe(true);
    expect(q.parse('false')).toBe(false);
    expect(q.parse(undefined)).toBe(false);
    for (const v of ['', ' ', 'yes', '1', 'off', 'falsey']) expect(q.safeParse(v).success, JSON.stringify(v)).toBe(false);
  });

  it('a number typed into a form is digits: empty is missing, never 0', () => {
    const n = zTextInt(1000);
    expect(n.parse('0')).toBe(0);
    expect(n.parse('1000')).toBe(1000);
    for (const v of ['', ' ', '1e3', '0x10', '12.5', '-1', '1001', ' 5']) expect(n.safeParse(v).success, JSON.stringify(v)).toBe(false);
    expect(n.safeParse('').error?.issues[0]?.code).toBe('too_small');
  });

  it('ids are 1 … 2^31 − 1', () => {
    expect(ZId.safeParse('2147483647').success).toBe(true);
    for (const v of ['0', '-1', '2147483648', '1.5', 'abc']) expect(ZId.safeParse(v).success, v).toBe(false);
    expect(ZIdNumber.safeParse(2147483648).success).toBe(false);
    expect(ZIdNumber.safeParse('5').success).toBe(false);
  });

  it('dates stay inside the range of their kind', () => {
    const record = zDate('record');
    expect(record.safeParse(DATE_RANGES.record.from).success).toBe(true);
    expect(record.safeParse(DATE_RANGES.record.to).success).toBe(true);
    for (const v of ['0000-01-01', '0001-01-01', '1949-12-31', '2101-01-01', '9999-12-31', '2026-02-30']) expect(record.safeParse(v).success, v).toBe(false);
    expect(zDate('search').safeParse('1900-01-01').success).toBe(true);
  });

  it('text refuses lone surrogates, control characters and bidi overrides', () => {
    const one = zText({ max: 100 });
    const many = zText({ max: 100, multiLine: true });
    for (const v of ['\ud800', 'a\udc00', 'x\u202ey', '\u2066x\u2069', 'nul\u0000', 'del\u007f', 'c1\u0085', 'esc\u001b']) {
      expect(one.safeParse(v).success, JSON.stringify(v)).toBe(false);
      expect(many.safeParse(v).success, JSON.stringify(v)).toBe(false);
    }
    for (const v of ['line\nbreak', 'tab\there', 'crlf\r\nx']) {
      expect(one.safeParse(v).success, JSON.stringify(v)).toBe(false);
      expect(many.safeParse(v).success, JSON.stringify(v)).toBe(true);
    }
    for (const v of ['राम 👍🏽', 'O’Brien & Sons', 'क्षत्रिय']) expect(one.safeParse(v).success, v).toBe(true);
    expect(zText({ min: 1, max: 5 }).safeParse('   ').success).toBe(false);
  });
});
