import type { TContractUpdate, TVersionTerms } from '../../../shared/contracts/contract.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import type { TErrorCode, TFieldError } from '../../../shared/errors.ts';
import type { DbOrTx } from '../../db/client.ts';
import { mayAccess, reachOf, requireRecord } from '../../platform/access/access.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { agencyContractability } from '../agency/index.ts';
import { getOfficePlace } from '../org/index.ts';
import { minimumWagesOverlapping } from '../rates/index.ts';
import { capKey, sanctionedFor } from '../sanction/index.ts';
import { peakCoverageByKey } from './contract.coverage.ts';
import { contractAccess } from './contract.policy.ts';
import * as repo from './contract.repo.ts';
import * as capacityRepo from './contract.capacity.repo.ts';
import * as mastersRepo from './contract.masters.repo.ts';
import { checkBonus, checkExtension, checkIdentity, wageProblem } from './contract.rules.ts';
import { toWageRows } from './contract.mappers.ts';

/**
 * Contracts: the checks every use case shares — the record in the actor's reach, the agency may
 * be contracted, the terms (period, bonus, masters, offices in reach, DDO code, budget lines,
 * minimum wage) and capacity under the per-key locks — and the database refusals as user errors.
 */

export type Key = { officeId: number; skillLevelId: number; postNameId: number };

export type Contractability = { ok: boolean; status: string; reason?: 'not_verified' | 'blacklisted' | 'suspended' | 'licence_expired'; legalName: string };

/**
 * May the agency be given a contract of `departmentId` on `onDate`? The agency module answers
 * (verified, not blacklisted, not suspended statewide or by this department, licence valid that
 * day); an unknown agency is a field error. `departmentId` null: no department's suspension counts.
 */
export async function contractability(db: DbOrTx, agencyId: number, onDate: string, departmentId: number | null): Promise<Contractability> {
  try {
    return await agencyContractability(db, agencyId, onDate, departmentId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') throw new AppError('validation_failed', { errors: [{ field: 'agencyId', code: 'not_found' }] });
    throw e;
  }
}

export const AGENCY_CODES: Record<NonNullable<Contractability['reason']>, TErrorCode> = {
  not_verified: 'agency_not_verified',
  blacklisted: 'agency_blacklisted',
  suspended: 'agency_suspended',
  licence_expired: 'agency_licence_expired',
};

export async function checkAgency(db: DbOrTx, agencyId: number, onDate: string, departmentId: number) {
  const c = await contractability(db, agencyId, onDate, departmentId);
  if (!c.ok)
    throw new AppError(AGENCY_CODES[c.reason ?? 'not_verified'], {
      errors: [{ field: 'agencyId', code: 'agency_not_contractable', params: { status: c.status } }],
    });
}

export function duplicateNo() {
  return new AppError('duplicate_contract_no', { errors: [{ field: 'contractNo', code: 'duplicate' }] });
}

/** A refusal by the database (a unique index, a frozen-row guard) as the error the user sees. */
export function translateDb(e: unknown): never {
  throwDbError(e, {
    contracts_dept_no_uq: duplicateNo,
    contract_versions_no_uq: () => new AppError('version_draft_exists'),
    contract_versions_in_force_uq: () => new AppError('version_not_draft'),
  });
}

/** The contract if it exists and the actor may reach it (the access layer); else 404 (no existence leak). */
export async function contractInScope(db: DbOrTx, actor: Actor, id: number, forUpdate = false) {
  await requireRecord(db, actor, contractAccess, id);
  const c = await repo.getContract(db, id, forUpdate);
  if (!c) throw new AppError('not_found');
  return c;
}

export async function versionOf(db: DbOrTx, contractId: number, versionNo: number) {
  const v = await repo.getVersion(db, contractId, versionNo);
  if (!v) throw new AppError('not_found');
  return v;
}

export type ContractPlace = { id?: number; departmentId: number; officeId: number };

/** Throws the first failing group of checks (each with every field error of its kind). */
export function throwFirst(groups: [TErrorCode, TFieldError[]][]) {
  for (const [code, errors] of groups) if (errors.length) throw new AppError(code, { errors, params: errors[0]?.params ?? {} });
}

/**
 * Every check on a version's terms except capacity: the period, bonus, the DDO code and budget
 * lines mapped to the contracting office, the posts (masters, offices of the contract's
 * department in the actor's scope, no key twice) and the minimum wage of each post on every day
 * of the period.
 */
export async function checkTerms(db: DbOrTx, actor: Actor, place: ContractPlace, t: TVersionTerms) {
  if (t.endDate < t.startDate) throw new AppError('contract_period_invalid', { errors: [{ field: 'endDate', code: 'end_before_start' }] });
  const basic: TFieldError[] = [...checkBonus(t.bonusBp)];
  const seenLines = new Set<number>();
  t.budgetLineIds.forEach((b, i) => {
    if (seenLines.has(b)) basic.push({ field: `budgetLineIds.${i}`, code: 'duplicate' });
    seenLines.add(b);
  });
  const seenKeys = new Set<string>();
  t.posts.forEach((p, i) => {
    const k = capKey(p.officeId, p.skillLevelId, p.postNameId);
    if (seenKeys.has(k)) basic.push({ field: `posts.${i}.postNameId`, code: 'duplicate' });
    seenKeys.add(k);
  });
  // One after the other: inside a transaction they share one connection.
  const skills = await mastersRepo.activeSkillLevelIds(
    db,
    t.posts.map((p) => p.skillLevelId),
  );
  const postNames = await mastersRepo.activePostNameIds(
    db,
    t.posts.map((p) => p.postNameId),
  );
  const offs = await mastersRepo.officesByIds(
    db,
    t.posts.map((p) => p.officeId),
  );
  const reach = await reachOf(db, actor);
  t.posts.forEach((p, i) => {
    if (!skills.has(p.skillLevelId)) basic.push({ field: `posts.${i}.skillLevelId`, code: 'not_found' });
    if (!postNames.has(p.postNameId)) basic.push({ field: `posts.${i}.postNameId`, code: 'not_found' });
    const o = offs.find((x) => x.id === p.officeId);
    if (!o?.active || o.departmentId !== place.departmentId || !mayAccess(reach, 'office', { departmentId: o.departmentId, hodId: o.hodId, officeId: o.id }))
      basic.push({ field: `posts.${i}.officeId`, code: 'invalid_value' });
  });
  throwFirst([['validation_failed', basic]]);

  const ddos = await mastersRepo.ddoCodesForOffice(db, place.officeId);
  if (!ddos.some((d) => d.id === t.ddoCodeId)) throw new AppError('ddo_not_for_office', { errors: [{ field: 'ddoCodeId', code: 'ddo_not_for_office' }] });
  const lines = new Set((await mastersRepo.budgetLinesForOffice(db, place.officeId)).map((l) => l.id));
  const badLines: TFieldError[] = t.budgetLineIds.flatMap((b, i) =>
    lines.has(b) ? [] : [{ field: `budgetLineIds.${i}`, code: 'budget_line_not_for_office' as const }],
  );
  throwFirst([['budget_line_not_for_office', badLines]]);

  const rows = toWageRows(
    await minimumWagesOverlapping(
      db,
      t.posts.map((p) => p.skillLevelId),
      t.startDate,
      t.endDate,
    ),
  );
  const unknown: TFieldError[] = [];
  const below: TFieldError[] = [];
  t.posts.forEach((p, i) => {
    const wage = p.basicPaise + p.vdaPaise;
    const problem = wageProblem(
      wage,
      rows.filter((r) => r.skillLevelId === p.skillLevelId),
      t.startDate,
      t.endDate,
    );
    if (problem?.kind === 'unknown')
      unknown.push({ field: `posts.${i}.skillLevelId`, code: 'minimum_wage_unknown', params: { date: formatDate(t.startDate) } });
    if (problem?.kind === 'below') {
      below.push({
        field: `posts.${i}.basicPaise`,
        code: 'below_minimum_wage',
        params: {
          minimum: formatPaise(problem.row.totalPaise),
          wage: formatPaise(wage),
          from: formatDate(problem.row.effectiveFrom),
          minimumPaise: problem.row.totalPaise,
          wagePaise: wage,
        },
      });
    }
  });
  throwFirst([
    ['minimum_wage_unknown', unknown],
    ['wage_below_minimum', below],
  ]);
}

/**
 * Capacity: for each post, what locked sanction orders allow for its (office, skill level, post
 * name) minus the most that other active contracts' in-force versions cover at one time during
 * this period. Runs under a transaction-scoped advisory lock per key (taken in key order), so
 * two activations competing for the last position run one after the other and the second sees
 * the first.
 */
export async function checkCapacity(tx: DbOrTx, contractId: number, t: Pick<TVersionTerms, 'startDate' | 'endDate' | 'posts'>) {
  const keys: Key[] = t.posts.map((p) => ({ officeId: p.officeId, skillLevelId: p.skillLevelId, postNameId: p.postNameId }));
  for (const k of [...new Set(keys.map((k) => capKey(k.officeId, k.skillLevelId, k.postNameId)))].sort()) await capacityRepo.lockCapacityKey(tx, k);
  const sanctioned = await sanctionedFor(tx, keys);
  const covers = await peakCoverageByKey(tx, keys, t.startDate, t.endDate, contractId);
  const over: TFieldError[] = [];
  t.posts.forEach((p, i) => {
    const k = capKey(p.officeId, p.skillLevelId, p.postNameId);
    const s = sanctioned.get(k) ?? 0;
    const covered = covers.get(k) ?? 0;
    const available = Math.max(0, s - covered);
    if (p.positions > available)
      over.push({ field: `posts.${i}.positions`, code: 'exceeds_capacity', params: { requested: p.positions, available, sanctioned: s, covered } });
  });
  throwFirst([['positions_exceed_capacity', over]]);
}

export function checkIdentityOrThrow(ctx: Ctx, body: TContractUpdate) {
  const errors = checkIdentity(body);
  const gem = errors.filter((e) => e.code === 'gem_contract_no_invalid');
  if (gem.length) throw new AppError('gem_contract_no_invalid', { errors });
  if (errors.length) throw new AppError('validation_failed', { errors });
  if (body.contractDate > todayIst(ctx.now)) throw new AppError('date_in_future', { errors: [{ field: 'contractDate', code: 'date_in_future' }] });
}

/** The contracting office: the one named (in scope), or the caller's own office. */
export async function contractingOffice(db: DbOrTx, actor: Actor, officeId: number | undefined) {
  const id = officeId ?? (actor.scopeKind === 'office' ? actor.scopeId : undefined);
  if (id === undefined) throw new AppError('validation_failed', { errors: [{ field: 'officeId', code: 'required' }] });
  const place = await getOfficePlace(db, id);
  if (!place?.active || !mayAccess(await reachOf(db, actor), 'office', place))
    throw new AppError('validation_failed', { errors: [{ field: 'officeId', code: 'invalid_value' }] });
  return place;
}

export async function checkAgainstInForce(tx: DbOrTx, contractId: number, kind: 'extension' | 'amendment', terms: TVersionTerms) {
  const current = (await repo.listVersions(tx, contractId)).find((v) => v.state === 'in_force');
  if (!current) throw new AppError('contract_not_active');
  const errors = checkExtension(kind, terms.endDate, current.endDate);
  if (errors.length) throw new AppError('validation_failed', { errors });
}
