import type { TAgencyListQuery } from '../../../shared/contracts/agency.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type FileStore, getStoredFile } from '../../platform/files/files.ts';
import { agencyAccess, statusSeenBy } from './agency.policy.ts';
import * as repo from './agency.repo.ts';
import { alertHorizon } from './agency.rules.ts';
import { agencyOut, ownAgencyId, summaryOut } from './agency.view.ts';

/** Reading agencies: the list, one agency, "my agency", its documents. Scope from the access layer. */

export async function listAgencies(db: Db, ctx: Ctx, q: TAgencyListQuery) {
  const actor = actorOf(ctx);
  const today = todayIst(ctx.now);
  const reach = await reachOf(db, actor);
  const scope = sourceCondition(reach, agencyAccess);
  const viewerDepartmentId = reach.scopeKind === 'state' || reach.scopeKind === 'agency' ? 'all' : (reach.departmentId ?? -1);
  const { items, total } = await repo.listAgencies(db, { ...q, scope, alertBefore: alertHorizon(today), viewerDepartmentId });
  return {
    items: items.map((r) => summaryOut({ ...r, status: statusSeenBy(reach, r.status, r.statusDepartmentId) }, today)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getAgency(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, agencyAccess, id);
  return agencyOut(db, actor, id, todayIst(ctx.now));
}

/** "My agency": the agency of an agency user's role; other roles have none (404). */
export async function myAgency(db: Db, ctx: Ctx) {
  const actor = actorOf(ctx);
  return agencyOut(db, actor, ownAgencyId(actor), todayIst(ctx.now));
}

export async function listDocuments(db: Db, ctx: Ctx, id: number) {
  return (await getAgency(db, ctx, id)).documents;
}

export async function getDocumentFile(db: Db, ctx: Ctx, store: FileStore, id: number, docId: number) {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, agencyAccess, id);
  const doc = await repo.getDocument(db, id, docId);
  if (!doc) throw new AppError('not_found');
  const file = await getStoredFile(db, doc.fileId);
  if (!file) throw new AppError('not_found');
  const bytes = await store.get(file.storageKey);
  return { bytes, name: file.originalName };
}
