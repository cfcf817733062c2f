import type { TScopeKind } from '../../../shared/roles.ts';
import { type Coords, mayAccess, type Reach } from '../../platform/access/access.ts';

/**
 * Users and role assignments for the access layer. A user is shown under an office, so reading
 * and managing one is the `office` rule on that office (org's `officeAccess`). What this module
 * adds is the rule on the assignment's own scope: an admin manages (or gives) only an assignment
 * whose scope lies wholly inside the admin's — the scope's place in the office tree must be one
 * the admin's scope reaches (a state scope has no place: only the state reaches it). Office and
 * narrower scopes are covered by the office check itself (null: nothing more to check).
 */
export function assignmentScopePlace(scopeKind: TScopeKind, scopeId: number, office: { departmentId: number }): Coords | null {
  if (scopeKind === 'state') return {};
  if (scopeKind === 'department') return { departmentId: scopeId };
  if (scopeKind === 'hod') return { departmentId: office.departmentId, hodId: scopeId };
  return null;
}

/** May an actor placed at `reach` manage an assignment of this scope, shown under this office? */
export function mayManageScope(reach: Reach, scopeKind: TScopeKind, scopeId: number, office: { departmentId: number }): boolean {
  const place = assignmentScopePlace(scopeKind, scopeId, office);
  return place === null || mayAccess(reach, 'office', place);
}

/**
 * May an existing user be mapped into a role in an office of `departmentId`? (issue 11 finding 7)
 * Every role an office admin gives (department manager, office admin, auditor) is privileged, so
 * a user who already works for another department — holds active roles there and none in this
 * department — is refused: that department has not consented, and there is no consent flow yet
 * (our choice; docs/ARCHITECTURE.md). A user with no government role, or already in this
 * department, may be mapped; the mapping is audited and shown on the user's profile.
 */
export function mayMapUser(userDepartments: readonly number[], departmentId: number): boolean {
  return userDepartments.length === 0 || userDepartments.includes(departmentId);
}
