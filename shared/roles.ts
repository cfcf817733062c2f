/** Every role of ROAMS (spec 00-overview "Who uses it"). */
export const ROLES = [
  'finance_admin',
  'office_admin',
  'district_admin',
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

/**
 * What a role assignment's scope points at. `state` has scope id 0. `district` (a district id) is
 * not a node of the office tree: it is the place of a district admin, who keeps its district's
 * local holidays and nothing else (issue 15 item 4; docs/ARCHITECTURE.md "District admin").
 */
export const SCOPE_KINDS = ['state', 'department', 'hod', 'office', 'ddo', 'agency', 'treasury', 'pd_account', 'self', 'district'] as const;
export type TScopeKind = (typeof SCOPE_KINDS)[number];

/** Roles that handle money: shorter idle timeout (bar A7) and an OTP second factor (bar A5). */
export const MONEY_ROLES: readonly TRole[] = ['finance_admin', 'ddo', 'treasury_officer', 'pd_admin'];

/** Which scope kinds each role may be assigned in. */
export const ROLE_SCOPES: Record<TRole, readonly TScopeKind[]> = {
  finance_admin: ['state'],
  office_admin: ['state', 'department', 'hod', 'office'],
  district_admin: ['district'],
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

/**
 * Roles only Finance (state scope) gives through the office-users screen: the district admin —
 * given to a user shown under an office, scoped to that office's district.
 */
export const FINANCE_ASSIGNABLE_ROLES: readonly TRole[] = ['district_admin'];
