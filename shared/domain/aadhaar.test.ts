import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aadhaarLast4, aadhaarProblem, maskAadhaar, normaliseAadhaar, VERHOEFF_P, verhoeffDigit, verhoeffValid } from './aadhaar.ts';

/** Any 11 digits whose first is 2–9: the body of a synthetic Aadhaar number. */
const body11 = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }))
  .map(([f, rest]) => `${f}${rest.join('')}`);
const anyDigits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));

describe('Verhoeff', () => {
  it('gives the published check digits (Wikipedia / Verhoeff 1969 worked examples)', () => {
    expect(verhoeffDigit('236')).toBe('3');
    expect(verhoeffDigit('12345')).toBe('1');
    expect(verhoeffDigit('142857')).toBe('0');
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('123451')).toBe(true);
    expect(verhoeffValid('1428570')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
    expect(verhoeffValid('')).toBe(false);
    expect(verhoeffValid('12a4')).toBe(false);
  });

  it('has the permutation table p whose row i is row 1 applied i times (a typo here breaks transposition detection)', () => {
    for (let i = 1; i < 8; i++) for (let x = 0; x < 10; x++) expect(VERHOEFF_P[i]![x]).toBe(VERHOEFF_P[1]![VERHOEFF_P[i - 1]![x]!]);
    expect(VERHOEFF_P[1]![VERHOEFF_P[7]![3]!]).toBe(3);
  });

  it('any 11 digits followed by their check digit are valid', () => {
    fc.assert(fc.property(anyDigits(1, 30), (d) => verhoeffValid(d + verhoeffDigit(d))));
    fc.assert(fc.property(body11, (d) => aadhaarProblem(d + verhoeffDigit(d)) === null));
  });

  it('catches any single-digit change', () => {
    fc.assert(
      fc.property(body11, fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (b, pos, delta) => {
        const ok = b + verhoeffDigit(b);
        const changed = ok.slice(0, pos) + String((Number(ok[pos]) + delta) % 10) + ok.slice(pos + 1);
        return !verhoeffValid(changed);
      }),
    );
  });

  it('catches any transposition of two different adjacent digits', () => {
    fc.assert(
      fc.property(body11, fc.integer({ min: 0, max: 10 }), (b, pos) => {
        const ok = b + verhoeffDigit(b);
        fc.pre(ok[pos] !== ok[pos + 1]);
        const swapped = ok.slice(0, pos) + ok[pos + 1] + ok[pos] + ok.slice(pos + 2);
        return !verhoeffValid(swapped);
      }),
    );
  });
});

const valid = `23456789012${verhoeffDigit('23456789012')}`;

describe('aadhaarProblem', () => {
  it('accepts a valid number, also typed with spaces or hyphens', () => {
    expect(aadhaarProblem(valid)).toBeNull();
    expect(aadhaarProblem(`${valid.slice(0, 4)} ${valid.slice(4, 8)} ${valid.slice(8)}`)).toBeNull();
    expect(aadhaarProblem(`${valid.slice(0, 4)}-${valid.slice(4, 8)}-${valid.slice(8)}`)).toBeNull();
    expect(aadhaarProblem(` ${valid} `)).toBeNull();
  });
  it('refuses 11 or 13 digits, letters and empty input as aadhaar_format', () => {
    for (const v of [
      '',
      valid.slice(0, 11),
      `${valid}7`,
      `${valid.slice(0, 11)}A`,
      'ABCDEFGHIJKL',
      `${valid.slice(0, 6)}.${valid.slice(6)}`,
      '２３４５６７８９０１２３',
    ])
      expect(aadhaarProblem(v), v).toBe('aadhaar_format');
  });
  it('refuses a first digit 0 or 1 as aadhaar_first_digit, even with a right check digit', () => {
    for (const f of ['0', '1']) {
      const b = `${f}3456789012`;
      expect(aadhaarProblem(b + verhoeffDigit(b))).toBe('aadhaar_first_digit');
    }
  });
  it('refuses a wrong check digit as aadhaar_checksum', () => {
    const wrong = valid.slice(0, 11) + String((Number(valid[11]) + 1) % 10);
    expect(aadhaarProblem(wrong)).toBe('aadhaar_checksum');
  });
});

describe('normalise and mask', () => {
  it('normalises away spaces and hyphens only', () => {
    expect(normaliseAadhaar(' 2345-6789 0123 ')).toBe('234567890123');
    expect(normaliseAadhaar('2345x')).toBe('2345x');
  });
  it('masks to XXXX XXXX and the last four', () => {
    expect(maskAadhaar('1234')).toBe('XXXX XXXX 1234');
    expect(aadhaarLast4('2345 6789 0123')).toBe('0123');
    expect(maskAadhaar(aadhaarLast4(valid))).toBe(`XXXX XXXX ${valid.slice(8)}`);
  });
});
