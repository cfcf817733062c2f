import { sql } from 'drizzle-orm';
import type { THoliday, THolidayCreate } from '../../../shared/contracts/attendance.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { officeAccess } from '../org/index.ts';
import { monthBounds } from './attendance.rules.ts';
import { holidays } from './attendance.table.ts';

/**
 * The holiday calendar (issue 15 item 4, kept small): statewide holidays kept by Finance and an
 * office's own kept by its department manager, per date, gazetted or optional. They are shown on
 * the grid and marked in the template; they count with the weekly offs (the balance rule is
 * unchanged).
 */
const cols = sql`id, date::text as date, office_id as "officeId", name_en as "nameEn", name_hi as "nameHi", kind`;

/** Holidays between two dates: statewide, and the office's own when an office is given. */
export async function holidaysOf(db: DbOrTx, officeId: number | null, first: string, last: string): Promise<THoliday[]> {
  const r = await db.execute<THoliday>(sql`
    select ${cols} from holidays
     where date between ${first} and ${last} and (office_id is null ${officeId === null ? sql`` : sql`or office_id = ${officeId}`})
     order by date, office_id nulls first, id`);
  return r.rows.map((h) => ({ ...h, id: Number(h.id), officeId: h.officeId === null ? null : Number(h.officeId) }));
}

/** The month's holidays for the actor: statewide, and an office's own when asked (government users: within their offices). */
export async function listHolidays(db: Db, ctx: Ctx, q: { month: string; officeId?: number | undefined }): Promise<{ items: THoliday[] }> {
  const actor = actorOf(ctx);
  if (q.officeId !== undefined && actor.scopeKind !== 'agency') await requireRecord(db, actor, officeAccess, q.officeId);
  const { first, last } = monthBounds(q.month);
  return { items: await holidaysOf(db, actor.scopeKind === 'agency' ? null : (q.officeId ?? null), first, last) };
}

/** Who keeps which holidays: Finance the statewide ones, a department manager its office's. 404 outside the actor's offices. */
async function requireKeeper(db: Db, ctx: Ctx, officeId: number | null): Promise<number | null> {
  const actor = actorOf(ctx);
  if (officeId === null) {
    if (actor.role !== 'finance_admin') throw new AppError('forbidden');
    return null;
  }
  if (actor.role !== 'department_manager') throw new AppError('forbidden');
  return (await requireRecord(db, actor, officeAccess, officeId)).departmentId ?? null;
}

export async function addHoliday(db: Db, ctx: Ctx, body: THolidayCreate): Promise<THoliday> {
  const departmentId = await requireKeeper(db, ctx, body.officeId);
  try {
    return await db.transaction(async (tx) => {
      const [h] = await tx
        .insert(holidays)
        .values({
          date: body.date,
          officeId: body.officeId,
          nameEn: body.nameEn,
          nameHi: body.nameHi,
          kind: body.kind,
          createdBy: actorOf(ctx).userId,
          createdAt: ctx.now,
        })
        .returning();
      const out: THoliday = { id: h!.id, date: h!.date, officeId: h!.officeId, nameEn: h!.nameEn, nameHi: h!.nameHi, kind: h!.kind };
      await recordAudit(tx, ctx, { entity: 'holiday', entityId: h!.id, action: 'create', departmentId, before: null, after: out });
      return out;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e, {
      holidays_state_date_uq: () => new AppError('holiday_exists', { errors: [{ field: 'date', code: 'holiday_exists' }] }),
      holidays_office_date_uq: () => new AppError('holiday_exists', { errors: [{ field: 'date', code: 'holiday_exists' }] }),
    });
  }
}

export async function deleteHoliday(db: Db, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const r = await db.execute<THoliday>(sql`select ${cols} from holidays where id = ${id}`);
  const h = r.rows[0];
  if (!h) throw new AppError('not_found');
  const officeId = h.officeId === null ? null : Number(h.officeId);
  let departmentId: number | null;
  try {
    departmentId = await requireKeeper(db, ctx, officeId);
  } catch {
    throw new AppError('not_found');
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from holidays where id = ${id}`);
    await recordAudit(tx, ctx, { entity: 'holiday', entityId: id, action: 'delete', departmentId, before: { ...h, id, officeId }, after: null });
  });
  return { ok: true };
}
