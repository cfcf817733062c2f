import { describe, expect, it } from 'vitest';
import {
  checkBonus,
  checkExtension,
  checkIdentity,
  daysBetween,
  endingThreshold,
  isLegacy,
  isRegisteredLate,
  peakCoverage,
  type WageRow,
  wageProblem,
} from './contract.rules.ts';

const oct25: WageRow = { id: 1, skillLevelId: 3, effectiveFrom: '2025-10-01', effectiveTo: null, totalPaise: 1_486_900, notificationRef: 'Oct 2025' };

describe('minimum wage over a period', () => {
  it('accepts exactly the minimum and refuses one paisa below', () => {
    expect(wageProblem(1_486_900, [oct25], '2026-01-01', '2026-12-31')).toBeNull();
    expect(wageProblem(1_486_899, [oct25], '2026-01-01', '2026-12-31')).toEqual({ kind: 'below', row: oct25 });
  });

  it('needs a row in force on the start date', () => {
    expect(wageProblem(9_999_999, [oct25], '2025-09-30', '2026-03-31')).toEqual({ kind: 'unknown' });
    expect(wageProblem(9_999_999, [], '2026-01-01', '2026-03-31')).toEqual({ kind: 'unknown' });
  });

  it('checks a revision that starts inside the period, not one after it', () => {
    const first = { ...oct25, effectiveTo: '2026-03-31' };
    const apr26: WageRow = { id: 2, skillLevelId: 3, effectiveFrom: '2026-04-01', effectiveTo: null, totalPaise: 1_520_000, notificationRef: 'Apr 2026' };
    expect(wageProblem(1_486_900, [first, apr26], '2026-01-01', '2026-03-31')).toBeNull();
    expect(wageProblem(1_486_900, [first, apr26], '2026-01-01', '2026-04-01')).toEqual({ kind: 'below', row: apr26 });
    expect(wageProblem(1_520_000, [first, apr26], '2026-01-01', '2026-12-31')).toBeNull();
  });
});

describe('peak coverage by other contracts', () => {
  it('does not add periods that do not overlap each other', () => {
    const others = [
      { startDate: '2026-01-01', endDate: '2026-06-30', positions: 3 },
      { startDate: '2026-07-01', endDate: '2026-12-31', positions: 3 },
    ];
    expect(peakCoverage(others, '2026-01-01', '2026-12-31')).toBe(3);
  });

  it('adds periods that overlap inside ours, and ignores those outside it', () => {
    const others = [
      { startDate: '2026-01-01', endDate: '2026-12-31', positions: 2 },
      { startDate: '2026-06-01', endDate: '2026-06-30', positions: 1 },
      { startDate: '2027-01-01', endDate: '2027-12-31', positions: 5 },
    ];
    expect(peakCoverage(others, '2026-03-01', '2026-05-31')).toBe(2);
    expect(peakCoverage(others, '2026-03-01', '2026-06-15')).toBe(3);
    expect(peakCoverage(others, '2025-01-01', '2025-12-31')).toBe(0);
  });
});

describe('dates', () => {
  it('legacy before 1 April 2026', () => {
    expect(isLegacy('2026-03-31')).toBe(true);
    expect(isLegacy('2026-04-01')).toBe(false);
  });

  it('late: registered more than 30 days after the contract date (new contracts only)', () => {
    expect(isRegisteredLate('2026-05-01', '2026-05-31', '2026-11-25')).toBe(false);
    expect(isRegisteredLate('2026-05-01', '2026-06-01', '2026-11-25')).toBe(true);
    expect(isRegisteredLate('2026-11-01', null, '2026-11-25')).toBe(false);
    expect(isRegisteredLate('2026-10-01', null, '2026-11-25')).toBe(true);
    expect(isRegisteredLate('2025-01-01', '2026-11-25', '2026-11-25')).toBe(false);
  });

  it('alerts at the smallest threshold reached', () => {
    expect(endingThreshold('2027-03-01', '2026-11-25')).toBeNull();
    expect(endingThreshold('2027-02-23', '2026-11-25')).toBe(90);
    expect(endingThreshold('2027-01-24', '2026-11-25')).toBe(60);
    expect(endingThreshold('2026-12-25', '2026-11-25')).toBe(30);
    expect(endingThreshold('2026-11-25', '2026-11-25')).toBe(30);
    expect(endingThreshold('2026-11-24', '2026-11-25')).toBeNull();
    expect(daysBetween('2026-11-25', '2027-02-23')).toBe(90);
  });
});

describe('particulars', () => {
  it('GeM needs a GEMC- number; other modes carry none', () => {
    expect(checkIdentity({ procurementMode: 'gem', gemContractNo: '', gemBidNo: '' })).toEqual([{ field: 'gemContractNo', code: 'gem_contract_no_invalid' }]);
    expect(checkIdentity({ procurementMode: 'gem', gemContractNo: 'GEM/2026/B/1', gemBidNo: '' })).toHaveLength(1);
    expect(checkIdentity({ procurementMode: 'gem', gemContractNo: 'GEMC-511687712345678', gemBidNo: 'GEM/2026/B/1' })).toEqual([]);
    expect(checkIdentity({ procurementMode: 'open_tender', gemContractNo: 'GEMC-1', gemBidNo: '' })).toHaveLength(1);
  });

  it('bonus none or 8.33 %–20 %', () => {
    expect(checkBonus(0)).toEqual([]);
    expect(checkBonus(833)).toEqual([]);
    expect(checkBonus(2000)).toEqual([]);
    expect(checkBonus(832)[0]?.code).toBe('too_small');
  });

  it('an extension ends later than the version in force', () => {
    expect(checkExtension('extension', '2027-01-31', '2027-01-31')).toHaveLength(1);
    expect(checkExtension('extension', '2027-02-01', '2027-01-31')).toEqual([]);
    expect(checkExtension('amendment', '2026-12-31', '2027-01-31')).toEqual([]);
  });
});
