import {
  LATE_AFTER_DAYS,
  LEGACY_BEFORE,
  LEGACY_DEADLINE,
  type TBelowMinimumFlag,
  type TContract,
  type TContractCreate,
  type TContractDashboard,
  type TContractExportQuery,
  type TContractListQuery,
  type TContractOptions,
  type TContractOptionsQuery,
  type TContractSummary,
  type TContractUpdate,
  type TContractVersion,
  type TTerminateBody,
  type TVersionCreate,
  type TVersionTerms,
} from '../../../shared/contracts/contract.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import type { TErrorCode, TFieldError } from '../../../shared/errors.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { mayAccess, reachOf, requireAccess, requireRecord } from '../../platform/access/access.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { type Column, writeCsv, writeXlsx } from '../../platform/tabular/tabular.ts';
import { agencyContractability, searchAgencies } from '../agency/index.ts';
import { getOfficePlace } from '../org/index.ts';
import { minimumWagesOverlapping } from '../rates/index.ts';
import { capKey, sanctionedFor } from '../sanction/index.ts';
import { coveredFor, peakCoverageByKey } from './contract.coverage.ts';
import { contractAccess } from './contract.policy.ts';
import * as repo from './contract.repo.ts';
import { checkBonus, checkExtension, checkIdentity, daysBetween, isLegacy, type WageRow, wageProblem } from './contract.rules.ts';

type Key = { officeId: number; skillLevelId: number; postNameId: number };
type Contractability = { ok: boolean; status: string; reason?: 'not_verified' | 'blacklisted' | 'suspended' | 'licence_expired'; legalName: string };

// --- Helpers ----------------------------------------------------------------------------------

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('forbidden');
  return ctx.actor;
}

function today(ctx: Ctx) {
  return todayIst(ctx.now);
}

/**
 * May the agency be given a contract on `onDate`? The agency module answers (verified, not
 * blacklisted / suspended, licence valid that day); an unknown agency is a field error.
 */
async function contractability(db: DbOrTx, agencyId: number, onDate: string): Promise<Contractability> {
  try {
    return await agencyContractability(db, agencyId, onDate);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') throw new AppError('validation_failed', { errors: [{ field: 'agencyId', code: 'not_found' }] });
    throw e;
  }
}

const AGENCY_CODES: Record<NonNullable<Contractability['reason']>, TErrorCode> = {
  not_verified: 'agency_not_verified',
  blacklisted: 'agency_blacklisted',
  suspended: 'agency_suspended',
  licence_expired: 'agency_licence_expired',
};

async function checkAgency(db: DbOrTx, agencyId: number, onDate: string) {
  const c = await contractability(db, agencyId, onDate);
  if (!c.ok) throw new AppError(AGENCY_CODES[c.reason ?? 'not_verified'], { errors: [{ field: 'agencyId', code: 'agency_not_contractable', params: { status: c.status } }] });
}

function duplicateNo() {
  return new AppError('duplicate_contract_no', { errors: [{ field: 'contractNo', code: 'duplicate' }] });
}

function translateDb(e: unknown): never {
  if (isUniqueViolation(e) && pgConstraint(e) === 'contracts_dept_no_uq') throw duplicateNo();
  if (isUniqueViolation(e) && pgConstraint(e) === 'contract_versions_no_uq') throw new AppError('version_draft_exists');
  if (isUniqueViolation(e) && pgConstraint(e) === 'contract_versions_in_force_uq') throw new AppError('version_not_draft');
  throw e;
}

/** The contract if it exists and the actor may reach it (the access layer); else 404 (no existence leak). */
async function contractInScope(db: DbOrTx, actor: Actor, id: number, forUpdate = false) {
  await requireRecord(db, actor, contractAccess, id);
  const c = await repo.getContract(db, id, forUpdate);
  if (!c) throw new AppError('not_found');
  return c;
}

async function versionOf(db: DbOrTx, contractId: number, versionNo: number) {
  const v = await repo.getVersion(db, contractId, versionNo);
  if (!v) throw new AppError('not_found');
  return v;
}

function summaryOut(r: repo.SummaryRow): TContractSummary {
  return {
    id: r.id,
    contractNo: r.contract_no,
    contractDate: r.contract_date,
    departmentId: r.department_id,
    departmentNameEn: r.department_name_en,
    departmentNameHi: r.department_name_hi,
    officeId: r.office_id,
    officeNameEn: r.office_name_en,
    officeNameHi: r.office_name_hi,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    agencyStatus: r.agency_status,
    procurementMode: r.procurement_mode,
    gemContractNo: r.gem_contract_no,
    gemBidNo: r.gem_bid_no,
    isLegacy: r.is_legacy,
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
    currentVersionNo: r.current_version_no,
    draftVersionNo: r.draft_version_no,
    totalPositions: Number(r.total_positions),
    registeredOn: r.registered_on,
    registeredLate: Boolean(r.registered_late),
    belowMinimumWage: Boolean(r.below_minimum),
    terminatedOn: r.terminated_on,
    terminationReason: r.termination_reason,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

function toWageRows(rows: Awaited<ReturnType<typeof minimumWagesOverlapping>>): WageRow[] {
  return rows.map((r) => ({ id: r.id, skillLevelId: r.skillLevelId, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, totalPaise: r.totalPaise, notificationRef: r.notificationRef }));
}

/** Posts of the in-force version paid below a minimum wage applying inside its period. */
async function belowMinimumFlags(db: DbOrTx, version: { startDate: string; endDate: string }, posts: Awaited<ReturnType<typeof repo.versionPosts>>): Promise<TBelowMinimumFlag[]> {
  const rows = toWageRows(await minimumWagesOverlapping(db, posts.map((p) => p.skillLevelId), version.startDate, version.endDate));
  const flags: TBelowMinimumFlag[] = [];
  for (const p of posts) {
    const wage = Number(p.basicPaise) + Number(p.vdaPaise);
    for (const r of rows.filter((x) => x.skillLevelId === p.skillLevelId && x.totalPaise > wage)) {
      flags.push({ postId: p.id, officeId: p.officeId, skillLevelId: p.skillLevelId, skillLevelNameEn: p.skillLevelNameEn, skillLevelNameHi: p.skillLevelNameHi, postNameId: p.postNameId, postNameEn: p.postNameEn, postNameHi: p.postNameHi, wagePaise: wage, minimumPaise: r.totalPaise, revisionId: r.id, revisionEffectiveFrom: r.effectiveFrom, notificationRef: r.notificationRef });
    }
  }
  return flags;
}

async function contractOut(db: DbOrTx, ctx: Ctx, id: number): Promise<TContract> {
  const s = await repo.getSummary(db, id, today(ctx));
  if (!s) throw new AppError('not_found');
  const versions = await repo.listVersions(db, id);
  const ids = versions.map((v) => v.id);
  const [posts, lines, ddos, files] = await Promise.all([
    repo.versionPosts(db, ids),
    repo.versionBudgetLines(db, ids),
    repo.ddoCodesById(db, [...new Set(versions.map((v) => v.ddoCodeId))]),
    repo.filesById(db, versions.map((v) => v.fileId).filter((f): f is number => f !== null)),
  ]);
  const out: TContractVersion[] = versions
    .map((v) => {
      const vp = posts.filter((p) => p.versionId === v.id);
      const ddo = ddos.find((d) => d.id === v.ddoCodeId);
      const file = files.find((f) => f.id === v.fileId);
      return {
        id: v.id,
        versionNo: v.versionNo,
        kind: v.kind,
        state: v.state,
        startDate: v.startDate,
        endDate: v.endDate,
        ddoCodeId: v.ddoCodeId,
        ddoCode: ddo?.code ?? '',
        ddoDesignationEn: ddo?.designationEn ?? '',
        ddoDesignationHi: ddo?.designationHi ?? '',
        paymentMode: v.paymentMode,
        wageBasis: v.wageBasis,
        serviceChargeBp: v.serviceChargeBp,
        epfMode: v.epfMode,
        esicApplies: v.esicApplies,
        bonusBp: v.bonusBp,
        remark: v.remark,
        document: file ? { name: file.name, sizeBytes: Number(file.sizeBytes), sha256: file.sha256 } : null,
        budgetLines: lines.filter((l) => l.versionId === v.id).map(({ versionId: _, ...l }) => l),
        posts: vp.map(({ versionId: _, ...p }) => ({ ...p, basicPaise: Number(p.basicPaise), vdaPaise: Number(p.vdaPaise), totalPaise: Number(p.basicPaise) + Number(p.vdaPaise) })),
        totalPositions: vp.reduce((n, p) => n + p.positions, 0),
        createdAt: v.createdAt.toISOString(),
        activatedAt: v.activatedAt ? v.activatedAt.toISOString() : null,
      };
    })
    .reverse();
  const current = versions.find((v) => v.state === 'in_force');
  const flags = current ? await belowMinimumFlags(db, current, posts.filter((p) => p.versionId === current.id)) : [];
  return { ...summaryOut(s), versions: out, belowMinimumWageFlags: flags, agencyStatusReason: s.agency_status_reason };
}

// --- The checks -------------------------------------------------------------------------------

type ContractPlace = { id?: number; departmentId: number; officeId: number };

/** Throws the first failing group of checks (each with every field error of its kind). */
function throwFirst(groups: [TErrorCode, TFieldError[]][]) {
  for (const [code, errors] of groups) if (errors.length) throw new AppError(code, { errors, params: errors[0]?.params ?? {} });
}

/**
 * Every check on a version's terms except capacity: the period, bonus, the DDO code and budget
 * lines mapped to the contracting office, the posts (masters, offices of the contract's
 * department in the actor's scope, no key twice) and the minimum wage of each post on every day
 * of the period.
 */
async function checkTerms(db: DbOrTx, actor: Actor, place: ContractPlace, t: TVersionTerms) {
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
  const skills = await repo.activeSkillLevelIds(db, t.posts.map((p) => p.skillLevelId));
  const postNames = await repo.activePostNameIds(db, t.posts.map((p) => p.postNameId));
  const offs = await repo.officesByIds(db, t.posts.map((p) => p.officeId));
  const reach = await reachOf(db, actor);
  t.posts.forEach((p, i) => {
    if (!skills.has(p.skillLevelId)) basic.push({ field: `posts.${i}.skillLevelId`, code: 'not_found' });
    if (!postNames.has(p.postNameId)) basic.push({ field: `posts.${i}.postNameId`, code: 'not_found' });
    const o = offs.find((x) => x.id === p.officeId);
    if (!o?.active || o.departmentId !== place.departmentId || !mayAccess(reach, 'office', { departmentId: o.departmentId, hodId: o.hodId, officeId: o.id })) basic.push({ field: `posts.${i}.officeId`, code: 'invalid_value' });
  });
  throwFirst([['validation_failed', basic]]);

  const ddos = await repo.ddoCodesForOffice(db, place.officeId);
  if (!ddos.some((d) => d.id === t.ddoCodeId)) throw new AppError('ddo_not_for_office', { errors: [{ field: 'ddoCodeId', code: 'ddo_not_for_office' }] });
  const lines = new Set((await repo.budgetLinesForOffice(db, place.officeId)).map((l) => l.id));
  const badLines: TFieldError[] = t.budgetLineIds.flatMap((b, i) => (lines.has(b) ? [] : [{ field: `budgetLineIds.${i}`, code: 'budget_line_not_for_office' as const }]));
  throwFirst([['budget_line_not_for_office', badLines]]);

  const rows = toWageRows(await minimumWagesOverlapping(db, t.posts.map((p) => p.skillLevelId), t.startDate, t.endDate));
  const unknown: TFieldError[] = [];
  const below: TFieldError[] = [];
  t.posts.forEach((p, i) => {
    const wage = p.basicPaise + p.vdaPaise;
    const problem = wageProblem(wage, rows.filter((r) => r.skillLevelId === p.skillLevelId), t.startDate, t.endDate);
    if (problem?.kind === 'unknown') unknown.push({ field: `posts.${i}.skillLevelId`, code: 'minimum_wage_unknown', params: { date: formatDate(t.startDate) } });
    if (problem?.kind === 'below') {
      below.push({ field: `posts.${i}.basicPaise`, code: 'below_minimum_wage', params: { minimum: formatPaise(problem.row.totalPaise), wage: formatPaise(wage), from: formatDate(problem.row.effectiveFrom), minimumPaise: problem.row.totalPaise, wagePaise: wage } });
    }
  });
  throwFirst([['minimum_wage_unknown', unknown], ['wage_below_minimum', below]]);
}

/**
 * Capacity: for each post, what locked sanction orders allow for its (office, skill level, post
 * name) minus the most that other active contracts' in-force versions cover at one time during
 * this period. Runs under a transaction-scoped advisory lock per key (taken in key order), so
 * two activations competing for the last position run one after the other and the second sees
 * the first.
 */
async function checkCapacity(tx: DbOrTx, contractId: number, t: Pick<TVersionTerms, 'startDate' | 'endDate' | 'posts'>) {
  const keys: Key[] = t.posts.map((p) => ({ officeId: p.officeId, skillLevelId: p.skillLevelId, postNameId: p.postNameId }));
  for (const k of [...new Set(keys.map((k) => capKey(k.officeId, k.skillLevelId, k.postNameId)))].sort()) await repo.lockCapacityKey(tx, k);
  const sanctioned = await sanctionedFor(tx, keys);
  const covers = await peakCoverageByKey(tx, keys, t.startDate, t.endDate, contractId);
  const over: TFieldError[] = [];
  t.posts.forEach((p, i) => {
    const k = capKey(p.officeId, p.skillLevelId, p.postNameId);
    const s = sanctioned.get(k) ?? 0;
    const covered = covers.get(k) ?? 0;
    const available = Math.max(0, s - covered);
    if (p.positions > available) over.push({ field: `posts.${i}.positions`, code: 'exceeds_capacity', params: { requested: p.positions, available, sanctioned: s, covered } });
  });
  throwFirst([['positions_exceed_capacity', over]]);
}

function termsFromVersion(v: Awaited<ReturnType<typeof repo.getVersion>> & object, lines: { id: number }[], posts: Awaited<ReturnType<typeof repo.versionPosts>>): TVersionTerms {
  return {
    startDate: v.startDate,
    endDate: v.endDate,
    ddoCodeId: v.ddoCodeId,
    budgetLineIds: lines.map((l) => l.id),
    paymentMode: v.paymentMode,
    wageBasis: v.wageBasis,
    serviceChargeBp: v.serviceChargeBp,
    epfMode: v.epfMode,
    esicApplies: v.esicApplies,
    bonusBp: v.bonusBp,
    remark: v.remark,
    posts: posts.map((p) => ({ officeId: p.officeId, skillLevelId: p.skillLevelId, postNameId: p.postNameId, positions: p.positions, basicPaise: Number(p.basicPaise), vdaPaise: Number(p.vdaPaise) })),
  };
}

function versionValues(t: TVersionTerms) {
  return { startDate: t.startDate, endDate: t.endDate, ddoCodeId: t.ddoCodeId, paymentMode: t.paymentMode, wageBasis: t.wageBasis, serviceChargeBp: t.serviceChargeBp, epfMode: t.epfMode, esicApplies: t.esicApplies, bonusBp: t.bonusBp, remark: t.remark };
}

function postValues(t: TVersionTerms) {
  return t.posts.map((p) => ({ officeId: p.officeId, skillLevelId: p.skillLevelId, postNameId: p.postNameId, positions: p.positions, basicPaise: p.basicPaise, vdaPaise: p.vdaPaise }));
}

function auditTerms(t: TVersionTerms) {
  return { ...versionValues(t), budgetLineIds: t.budgetLineIds, posts: postValues(t) };
}

function auditIdentity(c: { contractNo: string; contractDate: string; agencyId: number; officeId: number; procurementMode: string; gemContractNo: string; gemBidNo: string }) {
  return { contractNo: c.contractNo, contractDate: c.contractDate, agencyId: c.agencyId, officeId: c.officeId, procurementMode: c.procurementMode, gemContractNo: c.gemContractNo, gemBidNo: c.gemBidNo };
}

function checkIdentityOrThrow(ctx: Ctx, body: TContractUpdate) {
  const errors = checkIdentity(body);
  const gem = errors.filter((e) => e.code === 'gem_contract_no_invalid');
  if (gem.length) throw new AppError('gem_contract_no_invalid', { errors });
  if (errors.length) throw new AppError('validation_failed', { errors });
  if (body.contractDate > today(ctx)) throw new AppError('date_in_future', { errors: [{ field: 'contractDate', code: 'date_in_future' }] });
}

/** The contracting office: the one named (in scope), or the caller's own office. */
async function contractingOffice(db: DbOrTx, actor: Actor, officeId: number | undefined) {
  const id = officeId ?? (actor.scopeKind === 'office' ? actor.scopeId : undefined);
  if (id === undefined) throw new AppError('validation_failed', { errors: [{ field: 'officeId', code: 'required' }] });
  const place = await getOfficePlace(db, id);
  if (!place?.active || !mayAccess(await reachOf(db, actor), 'office', place)) throw new AppError('validation_failed', { errors: [{ field: 'officeId', code: 'invalid_value' }] });
  return place;
}

// --- Queries ----------------------------------------------------------------------------------

export async function listContracts(db: Db, ctx: Ctx, q: TContractListQuery) {
  const { items, total } = await repo.listContracts(db, await reachOf(db, actorOf(ctx)), q, today(ctx));
  return { items: items.map(summaryOut), total, page: q.page, pageSize: q.pageSize };
}

export async function getContract(db: Db, ctx: Ctx, id: number) {
  await contractInScope(db, actorOf(ctx), id);
  return contractOut(db, ctx, id);
}

/** 404 unless the contract and version exist in scope (routes call it before reading an upload). */
export async function assertVersionVisible(db: Db, ctx: Ctx, id: number, versionNo: number) {
  await contractInScope(db, actorOf(ctx), id);
  await versionOf(db, id, versionNo);
}

export async function getVersionDocument(db: Db, ctx: Ctx, store: FileStore, id: number, versionNo: number) {
  await contractInScope(db, actorOf(ctx), id);
  const v = await versionOf(db, id, versionNo);
  const file = v.fileId === null ? null : await getStoredFile(db, v.fileId);
  if (!file) throw new AppError('not_found');
  return { bytes: await store.get(file.storageKey), name: file.originalName, mime: file.mime };
}

const EXPORT_COLUMNS: Column<TContractSummary>[] = [
  { key: 'contractNo', value: (r) => r.contractNo },
  { key: 'contractDate', value: (r) => r.contractDate },
  { key: 'status', value: (r) => r.status },
  { key: 'departmentEn', value: (r) => r.departmentNameEn },
  { key: 'departmentHi', value: (r) => r.departmentNameHi },
  { key: 'officeId', value: (r) => r.officeId },
  { key: 'officeEn', value: (r) => r.officeNameEn },
  { key: 'officeHi', value: (r) => r.officeNameHi },
  { key: 'agency', value: (r) => r.agencyName },
  { key: 'agencyStatus', value: (r) => r.agencyStatus },
  { key: 'procurementMode', value: (r) => r.procurementMode },
  { key: 'gemContractNo', value: (r) => r.gemContractNo },
  { key: 'gemBidNo', value: (r) => r.gemBidNo },
  { key: 'startDate', value: (r) => r.startDate },
  { key: 'endDate', value: (r) => r.endDate },
  { key: 'currentVersionNo', value: (r) => r.currentVersionNo },
  { key: 'totalPositions', value: (r) => r.totalPositions },
  { key: 'isLegacy', value: (r) => (r.isLegacy ? 'true' : 'false') },
  { key: 'registeredOn', value: (r) => r.registeredOn },
  { key: 'registeredLate', value: (r) => (r.registeredLate ? 'true' : 'false') },
  { key: 'belowMinimumWage', value: (r) => (r.belowMinimumWage ? 'true' : 'false') },
  { key: 'terminatedOn', value: (r) => r.terminatedOn },
  { key: 'terminationReason', value: (r) => r.terminationReason },
];

export async function exportContracts(db: Db, ctx: Ctx, q: TContractExportQuery) {
  const actor = actorOf(ctx);
  const rows = (await repo.listContractsAll(db, await reachOf(db, actor), q, today(ctx))).map(summaryOut);
  const body = q.format === 'xlsx' ? await writeXlsx(EXPORT_COLUMNS, rows, 'contracts') : writeCsv(EXPORT_COLUMNS, rows);
  const { format, ...filters } = q;
  await recordAudit(db, ctx, { entity: 'contract', action: 'export', after: { format, rows: rows.length, filters } });
  return { body, filename: `contracts-${today(ctx)}.${format}` };
}

export async function options(db: Db, ctx: Ctx, q: TContractOptionsQuery): Promise<TContractOptions> {
  const actor = actorOf(ctx);
  const reach = await reachOf(db, actor);
  const offices = await repo.officesInScope(db, reach);
  let officeId = q.officeId ?? (actor.scopeKind === 'office' ? actor.scopeId : undefined);
  if (q.officeId !== undefined) requireAccess(reach, 'office', await getOfficePlace(db, q.officeId));
  if (officeId === undefined && offices.length === 1) officeId = offices[0]!.id;
  const t = today(ctx);
  const [agencyRows, skillLevels, postNames] = await Promise.all([searchAgencies(db, q.agencyQ), repo.skillLevelOptions(db), repo.postNameOptions(db)]);
  const agencies = await Promise.all(agencyRows.map(async (a) => {
    const c = await contractability(db, a.id, t);
    return { id: a.id, legalName: a.legalName, status: a.status, contractable: c.ok, reason: c.reason ?? null };
  }));
  if (officeId === undefined) return { offices, agencies, ddoCodes: [], budgetLines: [], skillLevels, postNames, capacity: [] };
  const [ddoCodes, budgetLines, sanctioned] = await Promise.all([
    repo.ddoCodesForOffice(db, officeId),
    repo.budgetLinesForOffice(db, officeId),
    // sanctionedFor answers every key of the offices named in `keys`.
    sanctionedFor(db, [{ officeId, skillLevelId: 0, postNameId: 0 }]),
  ]);
  const keys = [...sanctioned.keys()].map((k) => {
    const [o, s, p] = k.split(':').map(Number);
    return { officeId: o!, skillLevelId: s!, postNameId: p! };
  });
  const covered = await coveredFor(db, keys, t);
  const capacity = keys.map((k) => {
    const key = capKey(k.officeId, k.skillLevelId, k.postNameId);
    return { ...k, sanctioned: sanctioned.get(key) ?? 0, covered: covered.get(key) ?? 0 };
  });
  return { offices, agencies, ddoCodes, budgetLines: budgetLines.map((b) => ({ ...b })), skillLevels, postNames, capacity };
}

/**
 * Registration progress against the 30 June 2026 deadline, per department in scope. A contract
 * counts as registered on the IST date its version 1 was activated (a draft is not yet on the
 * portal); "late" is defined in contract.rules.isRegisteredLate.
 */
export async function dashboard(db: Db, ctx: Ctx): Promise<TContractDashboard> {
  const t = today(ctx);
  const rows = await repo.dashboardRows(db, await reachOf(db, actorOf(ctx)), t, LEGACY_DEADLINE);
  const departments = rows.map((r) => ({
    departmentId: r.department_id,
    nameEn: r.name_en,
    nameHi: r.name_hi,
    legacyRegistered: r.legacy_registered,
    legacyByDeadline: r.legacy_by_deadline,
    legacyAfterDeadline: r.legacy_after_deadline,
    legacyDrafts: r.legacy_drafts,
    newRegistered: r.new_registered,
    newRegisteredLate: r.new_registered_late,
    newDraftsOverdue: r.new_drafts_overdue,
  }));
  const sum = (k: keyof (typeof departments)[number]) => departments.reduce((n, d) => n + Number(d[k]), 0);
  return {
    today: t,
    legacyBefore: LEGACY_BEFORE,
    deadline: LEGACY_DEADLINE,
    lateAfterDays: LATE_AFTER_DAYS,
    daysToDeadline: daysBetween(t, LEGACY_DEADLINE),
    totals: {
      legacyRegistered: sum('legacyRegistered'),
      legacyByDeadline: sum('legacyByDeadline'),
      legacyAfterDeadline: sum('legacyAfterDeadline'),
      legacyDrafts: sum('legacyDrafts'),
      newRegistered: sum('newRegistered'),
      newRegisteredLate: sum('newRegisteredLate'),
      newDraftsOverdue: sum('newDraftsOverdue'),
    },
    departments,
  };
}

// --- Contracts ----------------------------------------------------------------------------------

/**
 * "Register contract": the contract (draft) and its version 1 (draft). Every check runs now,
 * capacity included, so the form shows problems early — but a draft reserves nothing: only
 * activation (which re-runs them all under the capacity locks) counts the positions as covered.
 */
export async function createContract(db: Db, ctx: Ctx, body: TContractCreate) {
  const actor = actorOf(ctx);
  const { contractNo, contractDate, agencyId, procurementMode, gemContractNo, gemBidNo, officeId: officeIn, ...terms } = body;
  const identity = { contractNo, contractDate, agencyId, procurementMode, gemContractNo, gemBidNo };
  checkIdentityOrThrow(ctx, identity);
  try {
    const id = await db.transaction(async (tx) => {
      const place = await contractingOffice(tx, actor, officeIn);
      await checkAgency(tx, agencyId, today(ctx));
      await checkTerms(tx, actor, { departmentId: place.departmentId, officeId: place.officeId }, terms);
      await checkCapacity(tx, 0, terms);
      if (await repo.contractNoTaken(tx, place.departmentId, contractNo)) throw duplicateNo();
      const c = await repo.insertContract(tx, { ...identity, departmentId: place.departmentId, officeId: place.officeId, isLegacy: isLegacy(contractDate), status: 'draft', createdBy: actor.userId, createdAt: ctx.now, updatedAt: ctx.now });
      await repo.insertVersion(tx, { contractId: c.id, versionNo: 1, kind: 'original', state: 'draft', ...versionValues(terms), createdBy: actor.userId, createdAt: ctx.now }, terms.budgetLineIds, postValues(terms));
      await recordAudit(tx, ctx, { entity: 'contract', entityId: c.id, action: 'create', departmentId: place.departmentId, after: { ...auditIdentity(c), isLegacy: c.isLegacy, version: 1, terms: auditTerms(terms) } });
      return c.id;
    });
    return contractOut(db, ctx, id);
  } catch (e) {
    return translateDb(e);
  }
}

/** Correcting a draft contract's identity. */
export async function updateContract(db: Db, ctx: Ctx, id: number, body: TContractUpdate) {
  const actor = actorOf(ctx);
  checkIdentityOrThrow(ctx, body);
  try {
    await db.transaction(async (tx) => {
      const before = await contractInScope(tx, actor, id, true);
      if (before.status !== 'draft') throw new AppError('contract_not_draft');
      await checkAgency(tx, body.agencyId, today(ctx));
      if (await repo.contractNoTaken(tx, before.departmentId, body.contractNo, id)) throw duplicateNo();
      const after = await repo.updateContract(tx, id, { ...body, isLegacy: isLegacy(body.contractDate), updatedAt: ctx.now });
      await recordAudit(tx, ctx, { entity: 'contract', entityId: id, action: 'update', departmentId: before.departmentId, before: auditIdentity(before), after: auditIdentity(after) });
    });
  } catch (e) {
    translateDb(e);
  }
  return contractOut(db, ctx, id);
}

/** Deletes a contract that was never activated, with its draft version (its file stays on record). */
export async function deleteContract(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const before = await contractInScope(tx, actor, id, true);
    if (before.status !== 'draft') throw new AppError('contract_not_draft');
    const versions = await repo.listVersions(tx, id);
    if (versions.some((v) => v.state !== 'draft')) throw new AppError('contract_not_draft');
    for (const v of versions) await repo.deleteVersion(tx, v.id);
    await repo.deleteContract(tx, id);
    await recordAudit(tx, ctx, { entity: 'contract', entityId: id, action: 'delete', departmentId: before.departmentId, before: auditIdentity(before) });
  });
}

// --- Versions -----------------------------------------------------------------------------------

/** Changing a draft version's terms (an in-force version is frozen; the database refuses it too). */
export async function updateVersion(db: Db, ctx: Ctx, id: number, versionNo: number, terms: TVersionTerms) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    const v = await versionOf(tx, id, versionNo);
    if (v.state !== 'draft') throw new AppError('version_not_draft');
    await checkTerms(tx, actor, c, terms);
    if (v.kind === 'extension') await checkAgainstInForce(tx, id, v.kind, terms);
    await checkCapacity(tx, id, terms);
    const beforeTerms = termsFromVersion(v, await repo.versionBudgetLines(tx, [v.id]), await repo.versionPosts(tx, [v.id]));
    await repo.updateVersion(tx, v.id, versionValues(terms));
    await repo.replaceChildren(tx, v.id, terms.budgetLineIds, postValues(terms));
    await recordAudit(tx, ctx, { entity: 'contract_version', entityId: v.id, action: 'update', departmentId: c.departmentId, before: { contractId: id, versionNo, ...auditTerms(beforeTerms) }, after: { contractId: id, versionNo, ...auditTerms(terms) } });
  });
  return contractOut(db, ctx, id);
}

async function checkAgainstInForce(tx: DbOrTx, contractId: number, kind: 'extension' | 'amendment', terms: TVersionTerms) {
  const current = (await repo.listVersions(tx, contractId)).find((v) => v.state === 'in_force');
  if (!current) throw new AppError('contract_not_active');
  const errors = checkExtension(kind, terms.endDate, current.endDate);
  if (errors.length) throw new AppError('validation_failed', { errors });
}

/** A new version (extension / amendment) of an active or expired contract, as a draft. */
export async function createVersion(db: Db, ctx: Ctx, id: number, body: TVersionCreate) {
  const actor = actorOf(ctx);
  const { kind, ...terms } = body;
  try {
    await db.transaction(async (tx) => {
      const c = await contractInScope(tx, actor, id, true);
      if (c.status !== 'active' && c.status !== 'expired') throw new AppError('contract_not_active');
      const versions = await repo.listVersions(tx, id);
      if (versions.some((v) => v.state === 'draft')) throw new AppError('version_draft_exists');
      await checkAgainstInForce(tx, id, kind, terms);
      await checkTerms(tx, actor, c, terms);
      await checkCapacity(tx, id, terms);
      const versionNo = Math.max(0, ...versions.map((v) => v.versionNo)) + 1;
      const v = await repo.insertVersion(tx, { contractId: id, versionNo, kind, state: 'draft', ...versionValues(terms), createdBy: actor.userId, createdAt: ctx.now }, terms.budgetLineIds, postValues(terms));
      await recordAudit(tx, ctx, { entity: 'contract_version', entityId: v.id, action: 'create', departmentId: c.departmentId, after: { contractId: id, versionNo, kind, ...auditTerms(terms) } });
    });
  } catch (e) {
    translateDb(e);
  }
  return contractOut(db, ctx, id);
}

/** Deletes a draft version other than version 1 (a draft contract is deleted whole). */
export async function deleteVersion(db: Db, ctx: Ctx, id: number, versionNo: number) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    const v = await versionOf(tx, id, versionNo);
    if (v.state !== 'draft') throw new AppError('version_not_draft');
    if (v.versionNo === 1) throw new AppError('contract_not_draft');
    await repo.deleteVersion(tx, v.id);
    await recordAudit(tx, ctx, { entity: 'contract_version', entityId: v.id, action: 'delete', departmentId: c.departmentId, before: { contractId: id, versionNo, kind: v.kind } });
  });
  return contractOut(db, ctx, id);
}

export async function uploadVersionDocument(db: Db, ctx: Ctx, store: FileStore, id: number, versionNo: number, file: AcceptedFile) {
  const actor = actorOf(ctx);
  let duplicateOfFileId: number | null = null;
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    const v = await versionOf(tx, id, versionNo);
    if (v.state !== 'draft') throw new AppError('version_not_draft');
    const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
    duplicateOfFileId = saved.duplicateOfFileId;
    await repo.updateVersion(tx, v.id, { fileId: saved.file.id });
    await recordAudit(tx, ctx, { entity: 'contract_version', entityId: v.id, action: 'upload_document', departmentId: c.departmentId, before: { fileId: v.fileId }, after: { contractId: id, versionNo, fileId: saved.file.id, sha256: file.sha256, sizeBytes: file.sizeBytes, name: file.safeName, duplicateOfFileId: saved.duplicateOfFileId } });
  });
  return { contract: await contractOut(db, ctx, id), duplicateOfFileId };
}

/**
 * Activation of a draft version, all checks again plus capacity. Version 1 makes the contract
 * active; a later version supersedes the one in force (and brings an expired contract back to
 * active when it extends it). The contract row is locked first, so a double click activates
 * once (the second finds the version in force → 409 version_not_draft).
 */
export async function activateVersion(db: Db, ctx: Ctx, id: number, versionNo: number) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const c = await contractInScope(tx, actor, id, true);
      const v = await versionOf(tx, id, versionNo);
      if (v.state !== 'draft') throw new AppError('version_not_draft');
      if (versionNo === 1 && c.status !== 'draft') throw new AppError('contract_not_draft');
      if (versionNo > 1 && c.status !== 'active' && c.status !== 'expired') throw new AppError('contract_not_active');
      if (v.fileId === null) throw new AppError('file_required', { errors: [{ field: 'document', code: 'file_required' }] });
      const terms = termsFromVersion(v, await repo.versionBudgetLines(tx, [v.id]), await repo.versionPosts(tx, [v.id]));
      checkIdentityOrThrow(ctx, c);
      await checkAgency(tx, c.agencyId, today(ctx));
      await checkTerms(tx, actor, c, terms);
      if (versionNo > 1) await checkAgainstInForce(tx, id, v.kind === 'extension' ? 'extension' : 'amendment', terms);
      await checkCapacity(tx, id, terms);
      const superseded = versionNo > 1 ? await repo.supersede(tx, id) : null;
      const activated = await repo.bringInForce(tx, v.id, actor.userId, ctx.now);
      if (!activated) throw new AppError('version_not_draft');
      if (c.status !== 'active') await repo.updateContract(tx, id, { status: 'active', updatedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'contract_version',
        entityId: v.id,
        action: 'activate',
        departmentId: c.departmentId,
        before: { contractStatus: c.status, versionState: 'draft', supersededVersionNo: null },
        after: { contractId: id, versionNo, kind: v.kind, contractStatus: 'active', versionState: 'in_force', supersededVersionNo: superseded?.versionNo ?? null, startDate: terms.startDate, endDate: terms.endDate, positions: terms.posts.reduce((n, p) => n + p.positions, 0) },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return contractOut(db, ctx, id);
}

/** Termination (reason and date within the in-force period) of an active contract. */
export async function terminateContract(db: Db, ctx: Ctx, id: number, body: TTerminateBody) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    if (c.status !== 'active') throw new AppError('contract_not_active');
    const current = (await repo.listVersions(tx, id)).find((v) => v.state === 'in_force');
    if (!current) throw new AppError('contract_not_active');
    if (body.terminatedOn < current.startDate || body.terminatedOn > current.endDate) {
      throw new AppError('termination_date_invalid', { errors: [{ field: 'terminatedOn', code: 'termination_date_invalid', params: { from: formatDate(current.startDate), to: formatDate(current.endDate) } }] });
    }
    await repo.updateContract(tx, id, { status: 'terminated', terminatedOn: body.terminatedOn, terminationReason: body.reason, updatedAt: ctx.now });
    await recordAudit(tx, ctx, { entity: 'contract', entityId: id, action: 'terminate', departmentId: c.departmentId, before: { status: c.status }, after: { status: 'terminated', terminatedOn: body.terminatedOn, reason: body.reason } });
  });
  return contractOut(db, ctx, id);
}
