import {
  LATE_AFTER_DAYS,
  LEGACY_BEFORE,
  LEGACY_DEADLINE,
  type TContractDashboard,
  type TContractExportQuery,
  type TContractListQuery,
  type TContractOptions,
  type TContractOptionsQuery,
  type TContractSummary,
} from '../../../shared/contracts/contract.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { reachOf, requireAccess } from '../../platform/access/access.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type FileStore, getStoredFile } from '../../platform/files/files.ts';
import { writeReport } from '../../platform/tabular/report.ts';
import { searchAgencies } from '../agency/index.ts';
import { getOfficePlace } from '../org/index.ts';
import { capKey, sanctionedFor } from '../sanction/index.ts';
import { coveredFor } from './contract.coverage.ts';
import * as repo from './contract.repo.ts';
import * as mastersRepo from './contract.masters.repo.ts';
import * as searchRepo from './contract.search.repo.ts';
import { daysBetween } from './contract.rules.ts';
import { contractInScope, contractability, versionOf } from './contract.checks.ts';
import { contractOut, summaryOut } from './contract.mappers.ts';
import { CONTRACT_EXPORT_COLUMNS, contractExportFilters } from './contract.export.ts';
import { readAll } from '../../db/read-all.ts';

/** Contracts: reading — list, one contract, a version's document, export, form options, dashboard. */

export async function listContracts(db: Db, ctx: Ctx, q: TContractListQuery) {
  const { items, total } = await searchRepo.listContracts(db, await reachOf(db, actorOf(ctx)), q, todayIst(ctx.now));
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

export async function exportContracts(db: Db, ctx: Ctx, q: TContractExportQuery) {
  const actor = actorOf(ctx);
  const rows = (await searchRepo.listContractsAll(db, await reachOf(db, actor), q, todayIst(ctx.now))).map(summaryOut);
  const keys = rows.flatMap((r) => {
    const versionNo = r.currentVersionNo ?? r.draftVersionNo;
    return versionNo === null ? [] : [{ id: r.id, versionNo }];
  });
  const terms = await repo.versionTerms(db, keys);
  const withTerms = rows.map((r) => ({
    ...r,
    monthlyWagePaise: terms.get(r.id)?.monthlyWagePaise ?? null,
    serviceChargeBp: terms.get(r.id)?.serviceChargeBp ?? null,
  }));
  const meta = {
    title: 'export.title.contracts',
    actor,
    locale: ctx.locale,
    now: ctx.now,
    filters: contractExportFilters(ctx.locale, q, rows),
    sheetName: 'contracts',
  };
  const body = await writeReport(q.format, meta, CONTRACT_EXPORT_COLUMNS, withTerms);
  const { format, ...filters } = q;
  await recordAudit(db, ctx, { entity: 'contract', action: 'export', after: { format, rows: rows.length, filters } });
  return { body, filename: `contracts-${todayIst(ctx.now)}.${format}` };
}

export async function options(db: Db, ctx: Ctx, q: TContractOptionsQuery): Promise<TContractOptions> {
  const actor = actorOf(ctx);
  const reach = await reachOf(db, actor);
  const offices = await mastersRepo.officesInScope(db, reach);
  let officeId = q.officeId ?? (actor.scopeKind === 'office' ? actor.scopeId : undefined);
  if (q.officeId !== undefined) requireAccess(reach, 'office', await getOfficePlace(db, q.officeId));
  if (officeId === undefined && offices.length === 1) officeId = offices[0]!.id;
  const t = todayIst(ctx.now);
  const [agencyRows, skillLevels, postNames] = await readAll(db, [
    () => searchAgencies(db, q.agencyQ),
    () => mastersRepo.skillLevelOptions(db),
    () => mastersRepo.postNameOptions(db),
  ]);
  const agencies = await Promise.all(
    agencyRows.map(async (a) => {
      const c = await contractability(db, a.id, t, reach.departmentId);
      return { id: a.id, legalName: a.legalName, status: c.status as typeof a.status, contractable: c.ok, reason: c.reason ?? null };
    }),
  );
  if (officeId === undefined) return { offices, agencies, ddoCodes: [], budgetLines: [], skillLevels, postNames, capacity: [] };
  const [ddoCodes, budgetLines, sanctioned] = await readAll(db, [
    () => mastersRepo.ddoCodesForOffice(db, officeId),
    () => mastersRepo.budgetLinesForOffice(db, officeId),
    () =>
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
  const t = todayIst(ctx.now);
  const rows = await searchRepo.dashboardRows(db, await reachOf(db, actorOf(ctx)), t, LEGACY_DEADLINE);
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
