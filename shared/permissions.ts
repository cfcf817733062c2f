import type { TRole } from './roles.ts';

/**
 * The one permission table. Every API route declares one of these names (or `public` /
 * `session`); the server refuses to start if a route under /api/v1 declares none, and the
 * authorisation-matrix test walks every route with every role.
 *
 * - `public`: no login (login, forgot password, health).
 * - `session`: any logged-in user, even one who must still change their password
 *   (change password, logout, profile read, language).
 * Everything else also requires the password to have been changed after first login.
 */
export const PERMISSIONS = {
  'org.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'treasury_officer', 'pd_admin', 'auditor', 'agency_admin', 'agency_operator'],
  'org.manage': ['finance_admin'],
  'profile.edit': [
    'finance_admin',
    'office_admin',
    'district_admin',
    'department_manager',
    'ddo',
    'treasury_officer',
    'pd_admin',
    'auditor',
    'agency_admin',
    'agency_operator',
    'resource',
  ],
  'users.manage': ['finance_admin', 'office_admin'],
  'sanction.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor'],
  'sanction.manage': ['office_admin'],
  // Agencies (spec 03). Agency roles read only their own agency (checked on the record).
  'agency.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'agency.register': ['finance_admin', 'department_manager'],
  'agency.verify': ['finance_admin', 'department_manager'],
  'agency.self': ['agency_admin'],
  // Contracts / work orders (spec 03). Department roles read their department's; agency roles their agency's.
  'contract.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'contract.manage': ['department_manager'],
  // Minimum wages and other rates (spec 06 "Rates and heads are data").
  'rates.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'rates.manage': ['finance_admin'],
  // Resources (spec 04). Agency roles add and manage their own; the department manager decides.
  'resource.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'resource.edit': ['agency_admin', 'agency_operator'],
  'resource.approve': ['department_manager'],
  // Events of a working resource (accident, maternity leave, death): the agency and the department record them.
  'resource.events': ['agency_admin', 'agency_operator', 'department_manager'],
  // Possible ghosts (a bank account or mobile on two active resources): departments and Finance.
  'resource.ghosts': ['finance_admin', 'department_manager'],
  // Treasury personal-deposit accounts (spec 08). Each role sees only its scope's accounts (the
  // administrator its own account, the treasury officer its treasury's); checked on the record.
  'pd.read': ['finance_admin', 'treasury_officer', 'pd_admin', 'auditor'],
  'pd.deposit': ['treasury_officer', 'pd_admin'],
  'pd.withdraw': ['pd_admin'],
  'pd.pass': ['treasury_officer'],
  // The treasury's PD reports (monthly 8443-106 account, e-cheque list for the AG): the treasury its own, Finance and auditors all.
  'pd.treasury_report': ['finance_admin', 'treasury_officer', 'auditor'],
  // Opening a PD account (issue 18 item 1; docs/PD.md "Opening"): the department's office admin proposes, another office admin
  // of the department (HOD or department scope) recommends, Finance sanctions, the treasury officer of the row's treasury registers.
  'pd.open.read': ['finance_admin', 'office_admin', 'treasury_officer', 'auditor'],
  'pd.open.propose': ['office_admin'],
  'pd.open.sanction': ['finance_admin'],
  'pd.open.register': ['treasury_officer'],
  // Year-end and closing (issue 18 item 5): Finance runs the year-end, records continuations and sets the idle period;
  // the reports (unspent balances, dormant accounts, run history) for Finance, the treasury officer (its treasury's) and the auditor.
  'pd.yearend': ['finance_admin'],
  'pd.reports': ['finance_admin', 'treasury_officer', 'auditor'],
  // Monthly attendance (spec 05). Agency roles read their own resources' finalised months; the department manager enters and finalises.
  'attendance.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'attendance.manage': ['department_manager'],
  // Revisions after finalisation: the office's DDO approves or refuses (checked on the record: the DDO code paying the office).
  'attendance.approve': ['ddo'],
  // The revisions list (and its menu entry): government roles whose offices raise or decide revisions; agencies have none to see.
  'attendance.revisions': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor'],
  // The holiday calendar: Finance keeps statewide holidays and districts', a district admin its district's local holidays,
  // the department manager its office's (which holiday is whose: the access layer's `holiday` rule). Reading the calendar
  // (`attendance.calendar`): everyone who reads attendance, and the district admin, who reads nothing else of attendance.
  'attendance.holidays': ['finance_admin', 'district_admin', 'department_manager'],
  'attendance.calendar': ['finance_admin', 'office_admin', 'district_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  // The overview of office-months finalised / pending / overdue: Finance statewide, office admins and auditors within their scope,
  // the department manager its office; DDOs and agencies have none. Finance sets the deadline (the day of the next month).
  'attendance.overview': ['finance_admin', 'office_admin', 'department_manager', 'auditor'],
  'attendance.deadline': ['finance_admin'],
  // Invoices (spec 06). Agency roles generate and cancel their own; department roles read their office tree's, Finance all.
  'invoice.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'invoice.generate': ['agency_admin', 'agency_operator'],
  // Open recovery balances (what invoices carried forward and nothing has recovered yet), per contract: Finance statewide,
  // the department's roles and its DDOs and auditors within their scope (the record's scope through the access layer).
  'invoice.recoveries': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor'],
  // The statutory proof (spec 06, issue 17 item 2): agency roles upload their own; department roles read
  // the proofs of agencies their department contracts with, Finance all; Finance switches the gate.
  'proof.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  'proof.upload': ['agency_admin', 'agency_operator'],
  'proof.gate': ['finance_admin'],
  // Bills, payments, worker credits (issue 17, docs/PAYMENTS.md): each role within its scope (checked on the record).
  'payment.read': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor', 'agency_admin', 'agency_operator'],
  // The DDO who pays the bill sends it to IFMIS and records its payments (second factor).
  'payment.send': ['ddo'],
  'payment.record': ['ddo'],
  // The agency records what each worker received.
  'payment.credit': ['agency_admin', 'agency_operator'],
  // Wage pay-date breaches: the department and Finance.
  'payment.paydates': ['finance_admin', 'office_admin', 'department_manager', 'ddo', 'auditor'],
  // The treasury's queue of bills to key (integration API).
  'ifmis.queue': ['finance_admin', 'treasury_officer'],
  // The workflow (issue 17): the agency submits; the department manager of the invoice's office verifies; the DDO of its DDO code
  // approves (second factor). Either desk may return it with remarks (checked on the record: the stage says whose desk it is on).
  'invoice.submit': ['agency_admin', 'agency_operator'],
  'invoice.verify': ['department_manager'],
  'invoice.approve': ['ddo'],
  'invoice.return': ['department_manager', 'ddo'],
  'audit.read': ['finance_admin', 'auditor'],
  'audit.verify': ['finance_admin', 'auditor'],
} as const satisfies Record<string, readonly TRole[]>;

export type TPermission = keyof typeof PERMISSIONS;
export type TRoutePermission = TPermission | 'public' | 'session';

export function roleHas(role: TRole, permission: TPermission): boolean {
  return (PERMISSIONS[permission] as readonly TRole[]).includes(role);
}
