import { LICENCE_ALERT_DAYS, type TAgencyStatus, type TLicenceAlert, type TStatusAction } from '../../../shared/contracts/agency.ts';
import type { TRole } from '../../../shared/roles.ts';

/**
 * Status moves of an agency (spec 03): pending → verified / rejected; verified → suspended /
 * blacklisted (reason, order reference, period); suspended / blacklisted → verified again
 * ("reinstate", Finance only — lifting a sanction another officer imposed is a state decision).
 * One agency per PAN means a rejected agency cannot register again: it uploads the missing
 * documents on its own page and a manager may then verify it from `rejected` too.
 */
export const STATUS_MOVES: Record<TStatusAction, { from: readonly TAgencyStatus[]; to: TAgencyStatus; roles?: readonly TRole[] }> = {
  verify: { from: ['pending', 'rejected'], to: 'verified' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['verified'], to: 'suspended' },
  blacklist: { from: ['verified', 'suspended'], to: 'blacklisted' },
  reinstate: { from: ['suspended', 'blacklisted'], to: 'verified', roles: ['finance_admin'] },
};

export function canMove(action: TStatusAction, from: TAgencyStatus): boolean {
  return STATUS_MOVES[action].from.includes(from);
}

export function roleMayMove(action: TStatusAction, role: TRole): boolean {
  const roles = STATUS_MOVES[action].roles;
  return !roles || roles.includes(role);
}

/** Whole days from `today` to `date` (both 'YYYY-MM-DD'); negative when `date` is past. */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * The licence alert shown on the agency's page and in lists: "expired" once the last valid day
 * has passed, "expires in N days" from 30 days before (N = 0 on the last valid day).
 */
export function licenceAlert(licenceValidTo: string, today: string): TLicenceAlert {
  const days = daysBetween(today, licenceValidTo);
  if (days < 0) return { kind: 'expired', days: -days };
  if (days <= LICENCE_ALERT_DAYS) return { kind: 'expiring', days };
  return null;
}

/** The last date that still raises an alert: today + 30 days. */
export function alertHorizon(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + LICENCE_ALERT_DAYS);
  return d.toISOString().slice(0, 10);
}

export type TContractability = {
  ok: boolean;
  status: TAgencyStatus;
  reason?: 'not_verified' | 'blacklisted' | 'suspended' | 'licence_expired';
  legalName: string;
};

/**
 * May this agency be given a contract (or deploy under one) on `onDate`? Only a verified agency
 * with a licence valid on that date. A suspension or blacklisting holds until Finance reinstates
 * the agency, whatever the period written in the order (the period is shown; lifting is an act).
 */
export function contractability(a: { status: TAgencyStatus; licenceValidTo: string; legalName: string }, onDate: string): TContractability {
  const base = { status: a.status, legalName: a.legalName };
  if (a.status === 'blacklisted') return { ok: false, reason: 'blacklisted', ...base };
  if (a.status === 'suspended') return { ok: false, reason: 'suspended', ...base };
  if (a.status !== 'verified') return { ok: false, reason: 'not_verified', ...base };
  if (a.licenceValidTo < onDate) return { ok: false, reason: 'licence_expired', ...base };
  return { ok: true, ...base };
}

/**
 * Who sees an agency's bank account in full: Finance and department managers (they pay and
 * choose agencies) and the agency's own users (it is their data). Office admins, DDOs and
 * auditors see `XXXXXXX1234` — they need to know which account, not to copy it (bar P3 spirit).
 */
export function seesFullBankAccount(role: TRole): boolean {
  return role === 'finance_admin' || role === 'department_manager' || role === 'agency_admin' || role === 'agency_operator';
}
