import { describe, expect, it } from 'vitest';
import { parseWhole, percentToBp, percentToPpm, ppmToPercent } from './percent.ts';

describe('calculator form parsing (no floating point)', () => {
  it('percentages to basis points and back', () => {
    expect([
      percentToBp('3.85'),
      percentToBp('8.33 %'),
      percentToBp('100'),
      percentToBp('0.5'),
      percentToBp('3.855'),
      percentToBp('-1'),
      percentToBp('1,000'),
    ]).toEqual([385, 833, 10_000, 50, null, null, null]);
    expect([ppmToPercent(120_000), ppmToPercent(38_500), ppmToPercent(5_000), ppmToPercent(83_300), ppmToPercent(0)]).toEqual([
      '12',
      '3.85',
      '0.5',
      '8.33',
      '0',
    ]);
  });
  it('whole numbers only for days and counts', () => {
    expect([parseWhole('31'), parseWhole(' 200 '), parseWhole('1.5'), parseWhole('-2'), parseWhole('')]).toEqual([31, 200, null, null, null]);
  });
  it('head rates to parts per million, four decimals at most', () => {
    expect([percentToPpm('12'), percentToPpm('0.75'), percentToPpm('3.25 %'), percentToPpm('8.3333'), percentToPpm('8.33333'), percentToPpm('1e2')]).toEqual([
      120_000,
      7_500,
      32_500,
      83_333,
      null,
      null,
    ]);
  });
});
