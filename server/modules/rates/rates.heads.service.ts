import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type {
  THeadCreate,
  THeadHistory,
  THeadHistoryQuery,
  THeadsInForce,
  THeadsQuery,
  TStatutoryHead,
  TWageDefinitionCreate,
  TWageDefinitionRow,
} from '../../../shared/contracts/rates.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { statutoryHeads, wageDefinitions } from './rates.table.ts';

/**
 * Finance's heads master (issue 16 item 1): the statutory heads and the wage definition as
 * effective-dated rows. A revision is a new row from today or later; a row in force is never
 * changed (migration 0019's trigger refuses, mapped to 409 `record_frozen`); a future row may be
 * deleted. Everyone with `rates.read` reads; `rates.manage` (Finance) writes. Every write is audited.
 */

type HeadRow = typeof statutoryHeads.$inferSelect;
type DefRow = typeof wageDefinitions.$inferSelect;

function headOut(r: HeadRow, today: string): TStatutoryHead {
  return {
    id: r.id,
    code: r.code,
    effectiveFrom: r.effectiveFrom,
    withdrawn: r.withdrawn,
    nameEn: r.nameEn,
    nameHi: r.nameHi,
    kind: r.kind,
    stage: r.stage,
    base: r.base,
    rateFrom: r.rateFrom,
    ratePpm: r.ratePpm,
    lumpSumPaise: r.lumpSumPaise,
    ceilingPaise: r.ceilingPaise,
    ceilingWhen: r.ceilingWhen,
    condition: r.condition,
    thresholdPaise: r.thresholdPaise,
    rounding: r.rounding,
    sortOrder: r.sortOrder,
    notificationRef: r.notificationRef,
    future: r.effectiveFrom > today,
    createdAt: r.createdAt.toISOString(),
  };
}

function defOut(r: DefRow, today: string): TWageDefinitionRow {
  return {
    id: r.id,
    effectiveFrom: r.effectiveFrom,
    kind: r.kind,
    allowanceSharePpm: r.allowanceSharePpm,
    notificationRef: r.notificationRef,
    future: r.effectiveFrom > today,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The rows in force on a date: per code the latest row by then, unless it withdraws the head. */
export async function headsOn(db: Db, ctx: Ctx, q: THeadsQuery): Promise<THeadsInForce> {
  actorOf(ctx);
  const today = todayIst(ctx.now);
  const on = q.on ?? today;
  const rows = await db
    .selectDistinctOn([statutoryHeads.code])
    .from(statutoryHeads)
    .where(lte(statutoryHeads.effectiveFrom, on))
    .orderBy(asc(statutoryHeads.code), sql`${statutoryHeads.effectiveFrom} desc`);
  const heads = rows
    .filter((r) => !r.withdrawn)
    .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
    .map((r) => headOut(r, today));
  const [def] = await db
    .select()
    .from(wageDefinitions)
    .where(lte(wageDefinitions.effectiveFrom, on))
    .orderBy(sql`${wageDefinitions.effectiveFrom} desc`)
    .limit(1);
  return { on, today, heads, wageDefinition: def ? defOut(def, today) : null };
}

export async function headHistory(db: Db, ctx: Ctx, q: THeadHistoryQuery): Promise<THeadHistory> {
  actorOf(ctx);
  const today = todayIst(ctx.now);
  const rows = await db
    .select()
    .from(statutoryHeads)
    .where(q.code ? eq(statutoryHeads.code, q.code) : undefined)
    .orderBy(asc(statutoryHeads.sortOrder), asc(statutoryHeads.code), asc(statutoryHeads.effectiveFrom));
  const defs = await db.select().from(wageDefinitions).orderBy(asc(wageDefinitions.effectiveFrom));
  return { today, rows: rows.map((r) => headOut(r, today)), wageDefinitions: defs.map((r) => defOut(r, today)) };
}

/** A revision must start today or later: the past is what invoices were computed with. */
function notPast(effectiveFrom: string, today: string) {
  if (effectiveFrom < today) {
    const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
    throw new AppError('validation_failed', {
      errors: [{ field: 'effectiveFrom', code: 'date_out_of_range', params: { from: dmy(today), to: '31/12/2100' } }],
    });
  }
}

const duplicate = () => new AppError('duplicate', { errors: [{ field: 'effectiveFrom', code: 'duplicate' }] });

/**
 * The one write both masters share: a row from today or later, inserted with its author and
 * audited in one transaction; a second row for the same date (the table's unique constraint) is a
 * 409 `duplicate` on `effectiveFrom`.
 */
async function insertDated<R extends { id: number }>(
  db: Db,
  ctx: Ctx,
  body: { effectiveFrom: string },
  entity: string,
  uniqueConstraint: string,
  insert: (tx: DbOrTx, stamp: { createdBy: number | null; createdAt: Date }) => Promise<R[]>,
): Promise<R> {
  actorOf(ctx);
  notPast(body.effectiveFrom, todayIst(ctx.now));
  try {
    return await db.transaction(async (tx) => {
      const [r] = await insert(tx, { createdBy: ctx.actor?.userId ?? null, createdAt: ctx.now });
      await recordAudit(tx, ctx, { entity, entityId: r!.id, action: 'create', after: { ...body } });
      return r!;
    });
  } catch (e) {
    throwDbError(e, { [uniqueConstraint]: duplicate });
  }
}

export async function addHead(db: Db, ctx: Ctx, body: THeadCreate): Promise<TStatutoryHead> {
  const row = await insertDated(db, ctx, body, 'statutory_head', 'statutory_heads_code_from_uq', (tx, stamp) =>
    tx
      .insert(statutoryHeads)
      .values({ ...body, ...stamp })
      .returning(),
  );
  return headOut(row, todayIst(ctx.now));
}

async function deleteRow(
  db: Db,
  ctx: Ctx,
  /** Reads the row FOR UPDATE: of twin deletes the second waits, then finds none (404), so one delete, one audit. */
  find: (tx: DbOrTx) => Promise<{ id: number; effectiveFrom: string } | undefined>,
  remove: (tx: DbOrTx) => Promise<unknown>,
  entity: string,
) {
  actorOf(ctx);
  const today = todayIst(ctx.now);
  try {
    await db.transaction(async (tx) => {
      const row = await find(tx);
      if (!row) throw new AppError('not_found');
      if (row.effectiveFrom <= today) throw new AppError('record_frozen');
      await remove(tx);
      await recordAudit(tx, ctx, { entity, entityId: row.id, action: 'delete', before: row });
    });
  } catch (e) {
    throwDbError(e);
  }
}

/** Deletes a row not yet in force (the database refuses the others: ROAMS_FROZEN → 409 record_frozen). */
export async function deleteHead(db: Db, ctx: Ctx, id: number) {
  await deleteRow(
    db,
    ctx,
    async (tx) => (await tx.select().from(statutoryHeads).where(eq(statutoryHeads.id, id)).limit(1).for('update'))[0],
    (tx) => tx.delete(statutoryHeads).where(eq(statutoryHeads.id, id)),
    'statutory_head',
  );
}

export async function addWageDefinition(db: Db, ctx: Ctx, body: TWageDefinitionCreate): Promise<TWageDefinitionRow> {
  const row = await insertDated(db, ctx, body, 'wage_definition', 'wage_definitions_from_uq', (tx, stamp) =>
    tx
      .insert(wageDefinitions)
      .values({ ...body, ...stamp })
      .returning(),
  );
  return defOut(row, todayIst(ctx.now));
}

export async function deleteWageDefinition(db: Db, ctx: Ctx, id: number) {
  await deleteRow(
    db,
    ctx,
    async (tx) =>
      (
        await tx
          .select()
          .from(wageDefinitions)
          .where(and(eq(wageDefinitions.id, id)))
          .limit(1)
          .for('update')
      )[0],
    (tx) => tx.delete(wageDefinitions).where(eq(wageDefinitions.id, id)),
    'wage_definition',
  );
}
