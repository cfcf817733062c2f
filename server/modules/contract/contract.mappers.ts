import type { TBelowMinimumFlag, TContract, TContractSummary, TContractVersion, TVersionTerms } from '../../../shared/contracts/contract.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { minimumWagesOverlapping } from '../rates/index.ts';
import * as repo from './contract.repo.ts';
import * as searchRepo from './contract.search.repo.ts';
import type { WageRow } from './contract.rules.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * Contracts: rows → API shapes (summary, contract with versions and below-minimum flags) and
 * the shapes audit events and version rows are written in. No checks, no writes.
 */

export function summaryOut(r: searchRepo.SummaryRow): TContractSummary {
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

export function toWageRows(rows: Awaited<ReturnType<typeof minimumWagesOverlapping>>): WageRow[] {
  return rows.map((r) => ({
    id: r.id,
    skillLevelId: r.skillLevelId,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    totalPaise: r.totalPaise,
    notificationRef: r.notificationRef,
  }));
}

/** Posts of the in-force version paid below a minimum wage applying inside its period. */
export async function belowMinimumFlags(
  db: DbOrTx,
  version: { startDate: string; endDate: string },
  posts: Awaited<ReturnType<typeof repo.versionPosts>>,
): Promise<TBelowMinimumFlag[]> {
  const rows = toWageRows(
    await minimumWagesOverlapping(
      db,
      posts.map((p) => p.skillLevelId),
      version.startDate,
      version.endDate,
    ),
  );
  const flags: TBelowMinimumFlag[] = [];
  for (const p of posts) {
    const wage = Number(p.basicPaise) + Number(p.vdaPaise);
    for (const r of rows.filter((x) => x.skillLevelId === p.skillLevelId && x.totalPaise > wage)) {
      flags.push({
        postId: p.id,
        officeId: p.officeId,
        skillLevelId: p.skillLevelId,
        skillLevelNameEn: p.skillLevelNameEn,
        skillLevelNameHi: p.skillLevelNameHi,
        postNameId: p.postNameId,
        postNameEn: p.postNameEn,
        postNameHi: p.postNameHi,
        wagePaise: wage,
        minimumPaise: r.totalPaise,
        revisionId: r.id,
        revisionEffectiveFrom: r.effectiveFrom,
        notificationRef: r.notificationRef,
      });
    }
  }
  return flags;
}

export async function contractOut(db: DbOrTx, ctx: Ctx, id: number): Promise<TContract> {
  const s = await searchRepo.getSummary(db, id, todayIst(ctx.now));
  if (!s) throw new AppError('not_found');
  const versions = await repo.listVersions(db, id);
  const ids = versions.map((v) => v.id);
  const [posts, lines, ddos, files] = await readAll(db, [
    () => repo.versionPosts(db, ids),
    () => repo.versionBudgetLines(db, ids),
    () => repo.ddoCodesById(db, [...new Set(versions.map((v) => v.ddoCodeId))]),
    () =>
      repo.filesById(
        db,
        versions.map((v) => v.fileId).filter((f): f is number => f !== null),
      ),
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
        ...versionValues(v),
        ddoCode: ddo?.code ?? '',
        ddoDesignationEn: ddo?.designationEn ?? '',
        ddoDesignationHi: ddo?.designationHi ?? '',
        document: file ? { name: file.name, sizeBytes: Number(file.sizeBytes), sha256: file.sha256 } : null,
        budgetLines: lines.filter((l) => l.versionId === v.id).map(({ versionId: _, ...l }) => l),
        posts: vp.map(({ versionId: _, ...p }) => ({
          ...p,
          basicPaise: Number(p.basicPaise),
          vdaPaise: Number(p.vdaPaise),
          totalPaise: Number(p.basicPaise) + Number(p.vdaPaise),
        })),
        totalPositions: vp.reduce((n, p) => n + p.positions, 0),
        createdAt: v.createdAt.toISOString(),
        activatedAt: v.activatedAt ? v.activatedAt.toISOString() : null,
      };
    })
    .reverse();
  const current = versions.find((v) => v.state === 'in_force');
  const flags = current
    ? await belowMinimumFlags(
        db,
        current,
        posts.filter((p) => p.versionId === current.id),
      )
    : [];
  return { ...summaryOut(s), versions: out, belowMinimumWageFlags: flags, agencyStatusReason: s.agency_status_reason };
}

export function termsFromVersion(
  v: Awaited<ReturnType<typeof repo.getVersion>> & object,
  lines: { id: number }[],
  posts: Awaited<ReturnType<typeof repo.versionPosts>>,
): TVersionTerms {
  return {
    ...versionValues(v),
    budgetLineIds: lines.map((l) => l.id),
    posts: posts.map((p) => ({
      officeId: p.officeId,
      skillLevelId: p.skillLevelId,
      postNameId: p.postNameId,
      positions: p.positions,
      basicPaise: Number(p.basicPaise),
      vdaPaise: Number(p.vdaPaise),
    })),
  };
}

/** A version's own terms (no budget lines, no posts): from a form's terms or a version row alike. */
export function versionValues(t: Omit<TVersionTerms, 'budgetLineIds' | 'posts'>) {
  return {
    startDate: t.startDate,
    endDate: t.endDate,
    ddoCodeId: t.ddoCodeId,
    paymentMode: t.paymentMode,
    wageBasis: t.wageBasis,
    serviceChargeBp: t.serviceChargeBp,
    epfMode: t.epfMode,
    esicApplies: t.esicApplies,
    bonusBp: t.bonusBp,
    remark: t.remark,
  };
}

export function postValues(t: TVersionTerms) {
  return t.posts.map((p) => ({
    officeId: p.officeId,
    skillLevelId: p.skillLevelId,
    postNameId: p.postNameId,
    positions: p.positions,
    basicPaise: p.basicPaise,
    vdaPaise: p.vdaPaise,
  }));
}

export function auditTerms(t: TVersionTerms) {
  return { ...versionValues(t), budgetLineIds: t.budgetLineIds, posts: postValues(t) };
}

export function auditIdentity(c: {
  contractNo: string;
  contractDate: string;
  agencyId: number;
  officeId: number;
  procurementMode: string;
  gemContractNo: string;
  gemBidNo: string;
}) {
  return {
    contractNo: c.contractNo,
    contractDate: c.contractDate,
    agencyId: c.agencyId,
    officeId: c.officeId,
    procurementMode: c.procurementMode,
    gemContractNo: c.gemContractNo,
    gemBidNo: c.gemBidNo,
  };
}
