import { sql } from 'drizzle-orm';
import type { TAgencyStatus, TStatusAction } from '../../../shared/contracts/agency.ts';
import type { TRole } from '../../../shared/roles.ts';
import { type AccessSource, type Coords, mayAccess, type Reach } from '../../platform/access/access.ts';
import { canMove, roleMayMove } from './agency.rules.ts';
import { contractParties } from './agency.seams.ts';

/** Agencies for the access layer (`a` is the alias of `agencies`): an agency is its own party. */
export const agencyAccess: AccessSource = {
  kind: 'agency',
  from: sql`agencies a`,
  id: sql`a.id`,
  columns: { agencyId: sql`a.id` },
};

/**
 * The departments answerable for an agency (issue 11 finding 7): the one that registered it and
 * every one holding a contract with it. Contracts are the contract module's: they are read
 * through the relation it publishes (`contractParties()`, wired by the registry — the contract
 * module depends on this one, so this one cannot import it). Evaluated per query, not at load.
 */
export const agencyOversight: AccessSource = {
  kind: 'agency_oversight',
  from: sql`agencies a`,
  id: sql`a.id`,
  columns: {
    agencyId: sql`a.id`,
    tiedTo: (d) =>
      sql`(a.registered_department_id = ${d} or exists (select 1 from ${contractParties()} oc where oc.agency_id = a.id and oc.department_id = ${d}))`,
  },
  get ties() {
    return sql`array(select a.registered_department_id where a.registered_department_id is not null union select oc.department_id from ${contractParties()} oc where oc.agency_id = a.id)`;
  },
};

/** What a status decision needs to know of the agency. */
export type StandingFacts = { status: TAgencyStatus; statusDepartmentId: number | null; oversight: Coords };

/**
 * May this actor make this status move on this agency? (issue 11 finding 7)
 * - verify, reject, suspend: Finance (state scope) or a department answerable for the agency
 *   (`agency_oversight`: it registered the agency or holds a contract with it);
 * - a department's suspension is that department's: only it (or Finance, by reinstating) lifts it,
 *   and it applies to its own contracts only (see `statusSeenBy`);
 * - blacklist (statewide) and reinstate: Finance alone (rules.STATUS_MOVES names the role).
 * The move must also be possible from the status this actor sees.
 */
export function mayMoveStatus(reach: Reach, role: TRole, action: TStatusAction, facts: StandingFacts): boolean {
  if (!roleMayMove(action, role)) return false;
  if (!canMove(action, statusSeenBy(reach, facts.status, facts.statusDepartmentId))) return false;
  if (reach.scopeKind === 'state') return true;
  if (action === 'blacklist' || action === 'reinstate') return false;
  // Another department's suspension is in force: this department sees the agency verified but
  // may not stack a second suspension on the one status (our choice: one suspension at a time).
  if (facts.status === 'suspended') return false;
  return mayAccess(reach, 'agency_oversight', facts.oversight);
}

/** The moves this actor may make now (the page offers only these; the server decides again). */
export function movesFor(reach: Reach, role: TRole, facts: StandingFacts): TStatusAction[] {
  return (['verify', 'reject', 'suspend', 'blacklist', 'reinstate'] as const).filter((a) => mayMoveStatus(reach, role, a, facts));
}

/**
 * The status an actor sees: a department's suspension is seen as such by that department, by
 * Finance and the state (who see every scope) and by the agency itself; other departments see
 * the agency as verified — for them it is (their contracts are not affected).
 */
export function statusSeenBy(reach: Pick<Reach, 'scopeKind' | 'departmentId'>, status: TAgencyStatus, statusDepartmentId: number | null): TAgencyStatus {
  if (status !== 'suspended' || statusDepartmentId === null) return status;
  if (reach.scopeKind === 'state' || reach.scopeKind === 'agency') return status;
  return reach.departmentId === statusDepartmentId ? status : 'verified';
}
