import { DEFAULT_RETIREMENT_AGE, MIN_AGE, type TResourceInput } from '../../../shared/contracts/resource.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import type { TErrorCode } from '../../../shared/errors.ts';
import type { DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { type Actor, actorOf as actorOfCtx, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError, throwDbError } from '../../platform/errors.ts';
import { agencyContractability } from '../agency/index.ts';
import { retirementAgeOf } from '../org/index.ts';
import { resourceAccess } from './resource.policy.ts';
import * as repo from './resource.repo.ts';
import { ageProblem } from './resource.rules.ts';

/** Resources: checks the use cases share, and the database's refusals as user errors. */

/** The resource if it exists and the actor may reach it (the access layer); else 404 (no existence leak). */
export async function resourceInScope(db: DbOrTx, actor: Actor, id: number, forUpdate = false) {
  await requireRecord(db, actor, resourceAccess, id);
  const r = await repo.getResource(db, id, forUpdate);
  if (!r) throw new AppError('not_found');
  return r;
}

/** 404 unless the resource exists in the caller's reach (before reading an upload or loading the vault). */
export async function assertVisible(db: DbOrTx, ctx: Ctx, id: number) {
  await requireRecord(db, actorOfCtx(ctx), resourceAccess, id);
}

export function requireStatus(r: { status: string }, status: 'draft' | 'submitted' | 'approved') {
  const code: Record<typeof status, TErrorCode> = { draft: 'resource_not_draft', submitted: 'resource_not_submitted', approved: 'resource_not_approved' };
  if (r.status !== status) throw new AppError(code[status]);
}

/** The retirement age Finance sets in the state settings (DEFAULT_RETIREMENT_AGE, 62, until it does). */
export async function retirementAge(db: DbOrTx): Promise<number> {
  return (await retirementAgeOf(db)) ?? DEFAULT_RETIREMENT_AGE;
}

/** A working age on `onDate` (18 to the retirement age), else a field error on `field`. */
export async function checkAge(db: DbOrTx, dob: string, onDate: string, field: string) {
  const max = await retirementAge(db);
  if (ageProblem(dob, onDate, MIN_AGE, max))
    throw new AppError('validation_failed', { errors: [{ field, code: 'age_out_of_range', params: { min: MIN_AGE, max } }] });
}

/**
 * The particulars against the contract: the caller's agency's active contract (else a field
 * error on contractId), a post of its in-force version, and a working age today.
 */
export async function checkParticulars(db: DbOrTx, ctx: Ctx, actor: Actor, body: TResourceInput) {
  const reach = await reachOf(db, actor);
  if (body.nameEn === '' && body.nameHi === '') throw fieldError('nameEn', 'required');
  await checkAge(db, body.dob, todayIst(ctx.now), 'dob');
  const c = await repo.contractPlace(db, body.contractId);
  if (!c || reach.scopeKind !== 'agency' || c.agencyId !== reach.scopeId) throw fieldError('contractId', 'not_found');
  if (c.status !== 'active' || c.startDate === null)
    throw new AppError('contract_not_active', { errors: [{ field: 'contractId', code: 'contract_not_active' }] });
  const posts = await repo.contractPosts(db, c.id);
  if (!posts.some((p) => p.skillLevelId === body.skillLevelId && p.postNameId === body.postNameId))
    throw new AppError('validation_failed', { errors: [{ field: 'postNameId', code: 'post_not_in_contract' }] });
  return c;
}

export const AGENCY_CODES: Record<string, TErrorCode> = {
  not_verified: 'agency_not_verified',
  blacklisted: 'agency_blacklisted',
  suspended: 'agency_suspended',
  licence_expired: 'agency_licence_expired',
};

/**
 * The agency may work under a contract of `departmentId` on the joining date (a suspension by that
 * department counts; another department's does not — issue 11 finding 7), and its licence covers
 * one more workman.
 */
export async function checkAgencyFor(db: DbOrTx, agencyId: number, onDate: string, departmentId: number) {
  const c = await agencyContractability(db, agencyId, onDate, departmentId);
  if (!c.ok) throw new AppError(AGENCY_CODES[c.reason ?? 'not_verified'] ?? 'agency_not_verified', { params: { status: c.status } });
  const lic = await repo.agencyLicence(db, agencyId);
  if (lic && (await repo.workingForAgency(db, agencyId)) + 1 > lic.workmen) throw new AppError('agency_workmen_limit', { params: { limit: lic.workmen } });
}

export function alreadyDeployed() {
  return new AppError('aadhaar_already_deployed', { errors: [{ field: 'aadhaar', code: 'aadhaar_already_deployed' }] });
}

/** A refusal by the database as the user's error (one person, one deployment; one open relieving). */
export function translateDb(e: unknown): never {
  throwDbError(e, {
    resources_aadhaar_active_uq: alreadyDeployed,
    resource_relievings_open_uq: () => new AppError('relieving_pending'),
    resource_replacements_open_uq: () => new AppError('replacement_pending'),
    resource_replacements_incoming_uq: () => new AppError('replacement_pending', { errors: [{ field: 'replacementId', code: 'replacement_not_ready' }] }),
    resource_profile_changes_open_uq: () => new AppError('profile_change_pending'),
    resource_events_death_uq: () => new AppError('death_already_recorded'),
  });
}

export function joiningOutside(from: string, to: string) {
  return new AppError('joining_date_outside_contract', {
    errors: [{ field: 'joiningDate', code: 'joining_date_outside_contract', params: { from: formatDate(from), to: formatDate(to) } }],
  });
}
