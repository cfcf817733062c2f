import { describe, expect, it } from 'vitest';
import { AGENCY_STATUSES, STATUS_ACTIONS } from '../../../shared/contracts/agency.ts';
import { alertHorizon, canMove, contractability, daysBetween, licenceAlert, roleMayMove, seesFullBankAccount } from './agency.rules.ts';

describe('agency status moves', () => {
  it('allows exactly the moves of spec 03', () => {
    const allowed = STATUS_ACTIONS.flatMap((a) => AGENCY_STATUSES.filter((s) => canMove(a, s)).map((s) => `${a}:${s}`));
    expect(allowed.sort()).toEqual(
      [
        'blacklist:suspended',
        'blacklist:verified',
        'reinstate:blacklisted',
        'reinstate:suspended',
        'reject:pending',
        'suspend:verified',
        'verify:pending',
        'verify:rejected',
      ].sort(),
    );
  });
  it('lets only Finance reinstate', () => {
    expect(roleMayMove('reinstate', 'finance_admin')).toBe(true);
    expect(roleMayMove('reinstate', 'department_manager')).toBe(false);
    expect(roleMayMove('blacklist', 'department_manager')).toBe(true);
  });
});

describe('licence alerts', () => {
  it('counts whole days in IST dates, across month and year ends', () => {
    expect(daysBetween('2026-11-25', '2026-12-15')).toBe(20);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2027-03-01', '2027-02-28')).toBe(-1);
  });
  it('alerts from 30 days before the last valid day, and after it', () => {
    expect(licenceAlert('2026-12-26', '2026-11-25')).toBeNull();
    expect(licenceAlert('2026-12-25', '2026-11-25')).toEqual({ kind: 'expiring', days: 30 });
    expect(licenceAlert('2026-11-25', '2026-11-25')).toEqual({ kind: 'expiring', days: 0 });
    expect(licenceAlert('2026-11-24', '2026-11-25')).toEqual({ kind: 'expired', days: 1 });
    expect(alertHorizon('2026-11-25')).toBe('2026-12-25');
  });
});

describe('contractability', () => {
  const a = { legalName: 'X', licenceValidTo: '2027-03-31' };
  it('only a verified agency with a licence valid that day', () => {
    expect(contractability({ ...a, status: 'verified' }, '2027-03-31')).toEqual({ ok: true, status: 'verified', legalName: 'X' });
    expect(contractability({ ...a, status: 'verified' }, '2027-04-01').reason).toBe('licence_expired');
    expect(contractability({ ...a, status: 'pending' }, '2026-12-01').reason).toBe('not_verified');
    expect(contractability({ ...a, status: 'rejected' }, '2026-12-01').reason).toBe('not_verified');
    expect(contractability({ ...a, status: 'suspended' }, '2026-12-01').reason).toBe('suspended');
    expect(contractability({ ...a, status: 'blacklisted' }, '2026-12-01')).toMatchObject({ ok: false, reason: 'blacklisted' });
  });
});

describe('bank account visibility', () => {
  it('full for Finance, department managers and the agency; masked for the rest', () => {
    expect(['finance_admin', 'department_manager', 'agency_admin', 'agency_operator'].every((r) => seesFullBankAccount(r as never))).toBe(true);
    expect(['office_admin', 'ddo', 'auditor'].some((r) => seesFullBankAccount(r as never))).toBe(false);
  });
});
