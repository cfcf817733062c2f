import { describe, expect, it } from 'vitest';
import { previousMonth, reconcile } from './proof.rules.ts';

const m = (resourceId: number, uan: string, epfWagePaise: number) => ({ resourceId, uan, nameEn: `W${resourceId}`, nameHi: `क${resourceId}`, epfWagePaise });

describe('reconcile', () => {
  const ecr = new Map([
    ['100000000001', { epfWages: 15000 }],
    ['100000000002', { epfWages: 12345 }],
  ]);

  it('reconciles when every billed member is there with EPF wages not lower than billed', () => {
    const r = reconcile([m(1, '100000000001', 1_500_000), m(2, '100000000002', 1_234_549)], ecr, { billedPaise: 10_000, challanPaise: 10_000 });
    expect(r).toEqual({ differences: [], status: 'reconciled', withUan: 2, found: 2 });
  });

  it('rounds the billed wage half up to the rupee before comparing', () => {
    const r = reconcile([m(2, '100000000002', 1_234_550)], ecr, { billedPaise: 0, challanPaise: 0 });
    expect(r.differences).toEqual([
      { kind: 'wage_short', resourceId: 2, uan: '100000000002', nameEn: 'W2', nameHi: 'क2', billedPaise: 1_234_550, foundPaise: 1_234_500 },
    ]);
  });

  it('lists a missing member, a member without UAN and an ESIC shortfall', () => {
    const r = reconcile([m(1, '100000000001', 1_500_000), m(3, '100000000003', 900_000), m(4, '', 900_000)], ecr, {
      billedPaise: 50_000,
      challanPaise: 49_999,
    });
    expect(r.status).toBe('differences');
    expect(r.differences.map((d) => [d.kind, d.resourceId])).toEqual([
      ['missing', 3],
      ['no_uan', 4],
      ['esic_short', null],
    ]);
    expect(r.differences[2]).toMatchObject({ billedPaise: 50_000, foundPaise: 49_999 });
    expect(r.found).toBe(1);
    expect(r.withUan).toBe(2);
  });

  it('finds none of the billed members in another establishment’s ECR', () => {
    const r = reconcile([m(5, '200000000005', 1_000_000)], ecr, { billedPaise: 0, challanPaise: 0 });
    expect(r).toMatchObject({ withUan: 1, found: 0, status: 'differences' });
  });
});

describe('previousMonth', () => {
  it('steps back over the year', () => {
    expect(previousMonth('2026-01-01')).toBe('2025-12-01');
    expect(previousMonth('2026-11-01')).toBe('2026-10-01');
  });
});
