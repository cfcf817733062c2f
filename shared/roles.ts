/** Every role of ROAMS (spec 00-overview "Who uses it"). */
export const ROLES = [
  'finance_admin',
  'office_admin',
  'department_manager',
  'ddo',
  'agency_admin',
  'agency_operator',
  'treasury_officer',
  'pd_admin',
  'auditor',
  'resource',
] as const;
export type TRole = (typeof ROLES)[number];

/** What a role assignment's scope points at. `state` has scope id 0. */
export const SCOPE_KINDS = ['state', 'department', 'hod', 'office', 'ddo', 'agency', 'treasury', 'pd_account', 'self'] as const;
export type TScopeKind = (typeof SCOPE_KINDS)[number];

/** Roles that handle money: shorter idle timeout (bar A7) and an OTP second factor (bar A5). */
export const MONEY_ROLES: readonly TRole[] = ['finance_admin', 'ddo', 'treasury_officer', 'pd_admin'];

/** Which scope kinds each role may be assigned in. */
export const ROLE_SCOPES: Record<TRole, readonly TScopeKind[]> = {
  finance_admin: ['state'],
  office_admin: ['state', 'department', 'hod', 'office'],
  department_manager: ['office'],
  ddo: ['ddo'],
  agency_admin: ['agency'],
  agency_operator: ['agency'],
  treasury_officer: ['treasury'],
  pd_admin: ['pd_account'],
  auditor: ['state', 'department'],
  resource: ['self'],
};

/** Roles an office admin may give to users of an office (manual section 7). */
export const OFFICE_ASSIGNABLE_ROLES: readonly TRole[] = ['department_manager', 'office_admin', 'auditor'];
