import type { TCapacityQuery, TCapacityRow, TOrderExportQuery, TOrderListQuery, TSanctionOrderSummary } from '../../../shared/contracts/sanction.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { reachOf, requireAccess } from '../../platform/access/access.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type FileStore, getStoredFile } from '../../platform/files/files.ts';
import { writeReport } from '../../platform/tabular/report.ts';
import * as repo from './sanction.repo.ts';
import { deployedFor, orderInScope } from './sanction.checks.ts';
import { capacityCounts } from './sanction.seams.ts';
import { orderOut, summaryOut } from './sanction.mappers.ts';
import { ORDER_EXPORT_COLUMNS, orderExportFilters } from './sanction.export.ts';
import { readAll } from '../../db/read-all.ts';

/** Sanction orders: reading — list, one order and its PDF, export, form options, capacity. */

export async function listOrders(db: Db, ctx: Ctx, q: TOrderListQuery) {
  const { items, total } = await repo.listOrders(db, await reachOf(db, actorOf(ctx)), q);
  return { items: items.map(summaryOut), total, page: q.page, pageSize: q.pageSize };
}

export async function getOrder(db: Db, ctx: Ctx, id: number) {
  await orderInScope(db, actorOf(ctx), id);
  return orderOut(db, id);
}

/** 404 unless the order exists in scope (routes call it before reading an upload). */
export async function assertOrderVisible(db: Db, ctx: Ctx, id: number) {
  await orderInScope(db, actorOf(ctx), id);
}

export async function getOrderFile(db: Db, ctx: Ctx, store: FileStore, id: number) {
  const order = await orderInScope(db, actorOf(ctx), id);
  const file = await getStoredFile(db, order.fileId);
  if (!file) throw new AppError('not_found');
  const bytes = await store.get(file.storageKey);
  return { bytes, name: file.originalName, mime: file.mime };
}

export async function exportOrders(db: Db, ctx: Ctx, q: TOrderExportQuery) {
  const actor = actorOf(ctx);
  const rows = (await repo.listOrdersAll(db, await reachOf(db, actor), q)).map(summaryOut);
  const meta = {
    title: 'export.title.sanctionOrders',
    actor,
    locale: ctx.locale,
    now: ctx.now,
    filters: orderExportFilters(ctx, q),
    sheetName: 'sanction-orders',
  };
  const body = await writeReport(q.format, meta, ORDER_EXPORT_COLUMNS, rows);
  await recordAudit(db, ctx, {
    entity: 'sanction_order',
    action: 'export',
    after: { format: q.format, rows: rows.length, q: q.q ?? null, locked: q.locked ?? null },
  });
  return { body, filename: `sanction-orders-${todayIst(ctx.now)}.${q.format}` };
}

export async function options(db: Db, ctx: Ctx) {
  return repo.options(db, await reachOf(db, actorOf(ctx)));
}

export async function hodOffices(db: Db, ctx: Ctx, hodId: number) {
  const hod = await repo.getHod(db, hodId);
  requireAccess(await reachOf(db, actorOf(ctx)), 'department_record', hod);
  return repo.activeOfficesOfHod(db, hodId);
}

/**
 * Sanctioned, covered, deployed and vacant posts per (office, skill level, post name) in the
 * actor's scope. Sanctioned = the sum over LOCKED orders (reductions negative, a locked
 * cancellation negating its referenced order). This is the module's public read for contracts
 * and resources (exported from index.ts).
 */
export async function getCapacity(db: DbOrTx, filters: TCapacityQuery, actor: Actor) {
  const { items, total } = await repo.capacityPage(db, await reachOf(db, actor), filters);
  const keys = items.map((r) => ({ officeId: r.office_id, skillLevelId: r.skill_level_id, postNameId: r.post_name_id }));
  const [covered, deployed] = await readAll(db, [() => capacityCounts().covered(db, keys), () => deployedFor(db, keys)]);
  const rows: TCapacityRow[] = items.map((r) => {
    const k = repo.capKey(r.office_id, r.skill_level_id, r.post_name_id);
    const sanctioned = Number(r.sanctioned);
    const dep = deployed.get(k) ?? 0;
    return {
      officeId: r.office_id,
      officeNameEn: r.office_name_en,
      officeNameHi: r.office_name_hi,
      skillLevelId: r.skill_level_id,
      skillLevelNameEn: r.skill_name_en,
      skillLevelNameHi: r.skill_name_hi,
      postNameId: r.post_name_id,
      postNameEn: r.post_name_en,
      postNameHi: r.post_name_hi,
      sanctioned,
      covered: covered.get(k) ?? 0,
      deployed: dep,
      vacant: sanctioned - dep,
    };
  });
  return { items: rows, total, page: filters.page, pageSize: filters.pageSize };
}

export async function capacity(db: Db, ctx: Ctx, q: TCapacityQuery) {
  return getCapacity(db, q, actorOf(ctx));
}
