import type { TMinimumWage, TMinimumWageCreate, TMinimumWageExportQuery, TMinimumWageListQuery, TMinimumWageSummary } from '../../../shared/contracts/rates.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { lastRevisionDate } from '../../../shared/domain/wages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { writeReport } from '../../platform/tabular/report.ts';
import { WAGE_EXPORT_COLUMNS, wageExportFilters } from './rates.export.ts';
import * as repo from './rates.repo.ts';
import { appliesOn, deletable, isStale } from './rates.rules.ts';
import { readAll } from '../../db/read-all.ts';

function out(r: repo.WageRow, today: string): TMinimumWage {
  return {
    id: r.id,
    skillLevelId: r.skillLevelId,
    skillLevelNameEn: r.skillLevelNameEn,
    skillLevelNameHi: r.skillLevelNameHi,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    basicPaise: r.basicPaise,
    vdaPaise: r.vdaPaise,
    totalPaise: r.basicPaise + r.vdaPaise,
    notificationRef: r.notificationRef,
    inForceToday: appliesOn(r, today),
    future: r.effectiveFrom > today,
    createdAt: r.createdAt.toISOString(),
  };
}

function auditRow(r: { skillLevelId: number; effectiveFrom: string; basicPaise: number; vdaPaise: number; notificationRef: string }) {
  return { skillLevelId: r.skillLevelId, effectiveFrom: r.effectiveFrom, basicPaise: r.basicPaise, vdaPaise: r.vdaPaise, notificationRef: r.notificationRef };
}

// --- Public reads for other modules (index.ts) --------------------------------------------------

export type MinimumWage = {
  id: number;
  skillLevelId: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  basicPaise: number;
  vdaPaise: number;
  totalPaise: number;
  notificationRef: string;
};

function plain(r: repo.WageRow): MinimumWage {
  return {
    id: r.id,
    skillLevelId: r.skillLevelId,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    basicPaise: r.basicPaise,
    vdaPaise: r.vdaPaise,
    totalPaise: r.basicPaise + r.vdaPaise,
    notificationRef: r.notificationRef,
  };
}

/** The minimum wage of a skill level in force on a date, or null when none is recorded by then. */
export async function minimumWageOn(db: DbOrTx, skillLevelId: number, isoDate: string): Promise<MinimumWage | null> {
  const [row] = await repo.rowsOn(db, isoDate, [skillLevelId]);
  return row ? plain(row) : null;
}

/**
 * Every minimum-wage row of the given skill levels that applies on some day of [from, to]
 * (the row in force on `from`, then each revision starting inside the period), by skill level
 * and date. `effectiveTo` is the day before the next row (null: still the latest).
 */
export async function minimumWagesOverlapping(db: DbOrTx, skillLevelIds: number[], from: string, to: string): Promise<MinimumWage[]> {
  return (await repo.rowsOverlapping(db, [...new Set(skillLevelIds)], from, to)).map(plain);
}

// --- Routes' use cases ---------------------------------------------------------------------------

export async function listMinimumWages(db: Db, ctx: Ctx, q: TMinimumWageListQuery) {
  actorOf(ctx);
  const today = todayIst(ctx.now);
  const { items, total } = await repo.listRows(db, q);
  return { items: items.map((r) => out(r, today)), total, page: q.page, pageSize: q.pageSize };
}

export async function summary(db: Db, ctx: Ctx): Promise<TMinimumWageSummary> {
  actorOf(ctx);
  const today = todayIst(ctx.now);
  const [skills, rows] = await readAll(db, [() => repo.activeSkillLevels(db), () => repo.listAllRows(db, { sort: 'effectiveFrom', dir: 'asc' })]);
  const result = skills.map((s) => {
    const own = rows.filter((r) => r.skillLevelId === s.id);
    const inForce = own.find((r) => appliesOn(r, today)) ?? null;
    const latest = own.at(-1) ?? null;
    return {
      skillLevelId: s.id,
      skillLevelNameEn: s.nameEn,
      skillLevelNameHi: s.nameHi,
      inForce: inForce ? out(inForce, today) : null,
      latest: latest ? out(latest, today) : null,
      stale: isStale(latest?.effectiveFrom ?? null, today),
      rows: own.length,
    };
  });
  return { today, expectedRevisionDate: lastRevisionDate(today), anyStale: result.some((r) => r.stale), skills: result };
}

export async function exportMinimumWages(db: Db, ctx: Ctx, q: TMinimumWageExportQuery) {
  const actor = actorOf(ctx);
  const today = todayIst(ctx.now);
  const rows = (await repo.listAllRows(db, q)).map((r) => out(r, today));
  const meta = {
    title: 'export.title.minimumWages',
    actor,
    locale: ctx.locale,
    now: ctx.now,
    filters: wageExportFilters(ctx.locale, q, rows),
    sheetName: 'minimum-wages',
  };
  const body = await writeReport(q.format, meta, WAGE_EXPORT_COLUMNS, rows);
  await recordAudit(db, ctx, {
    entity: 'minimum_wage',
    action: 'export',
    after: { format: q.format, rows: rows.length, skillLevelId: q.skillLevelId ?? null, on: q.on ?? null },
  });
  return { body, filename: `minimum-wages-${today}.${q.format}` };
}

function exists() {
  return new AppError('minimum_wage_exists', { errors: [{ field: 'effectiveFrom', code: 'minimum_wage_exists' }] });
}

/**
 * A revision (Finance). Any date is accepted — a notification often arrives after its
 * effective date, and periods already invoiced then get arrears — but one row per skill level
 * and date (a correction of a row in force is a new row, never an edit).
 */
export async function addMinimumWage(db: Db, ctx: Ctx, body: TMinimumWageCreate) {
  actorOf(ctx);
  let id = 0;
  try {
    id = await db.transaction(async (tx) => {
      if (!(await repo.skillLevelActive(tx, body.skillLevelId)))
        throw new AppError('validation_failed', { errors: [{ field: 'skillLevelId', code: 'not_found' }] });
      await repo.lockSkillLevel(tx, body.skillLevelId);
      if (await repo.rowExists(tx, body.skillLevelId, body.effectiveFrom)) throw exists();
      const row = await repo.insertRow(tx, { ...body, createdBy: ctx.actor?.userId ?? null, createdAt: ctx.now });
      await recordAudit(tx, ctx, { entity: 'minimum_wage', entityId: row.id, action: 'create', after: auditRow(body) });
      return row.id;
    });
  } catch (e) {
    throwDbError(e, { minimum_wages_skill_from_uq: exists });
  }
  const row = await repo.getRow(db, id);
  return out(row!, todayIst(ctx.now));
}

/** Deletes a row that is not yet in force (the database refuses the others too: migration 0006). */
export async function deleteMinimumWage(db: Db, ctx: Ctx, id: number) {
  actorOf(ctx);
  const today = todayIst(ctx.now);
  await db.transaction(async (tx) => {
    // Locked, then read: of twin deletes only the first deletes and audits; the others find none.
    const row = (await repo.lockRow(tx, id)) ? await repo.getRow(tx, id) : null;
    if (!row) throw new AppError('not_found');
    if (!deletable(row.effectiveFrom, today)) throw new AppError('minimum_wage_in_force');
    await repo.deleteRow(tx, id);
    await recordAudit(tx, ctx, { entity: 'minimum_wage', entityId: id, action: 'delete', before: auditRow(row) });
  });
}
