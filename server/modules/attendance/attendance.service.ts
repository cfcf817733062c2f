import { sql } from 'drizzle-orm';
import type { TAttendanceOffice, TAttendanceRow, TAttendanceSave, TAttendanceSheet, THoliday, TSheetParams } from '../../../shared/contracts/attendance.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import { roleHas } from '../../../shared/permissions.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { officeAccess } from '../org/index.ts';
import { holidaysOf, prefillOffs } from './attendance.holidays.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, rollsInMonth, rowProblems } from './attendance.rules.ts';

const isAgency = (a: Actor) => a.scopeKind === 'agency';

/**
 * A roster row as the API gives it: the days on the rolls as of now (open) or as finalised. A row
 * never saved has its offs pre-filled from the calendar when the month's holidays are given: the
 * Sundays and the office's holidays (statewide, its district's, its own; not optional ones) within
 * the days on the rolls (`prefillOffs`); the other columns stay empty for the clerk.
 */
function out(r: repo.RosterRow, month: string, calendar?: readonly THoliday[]): TAttendanceRow {
  const rolls = rollsInMonth(month, r.joiningDate, r.relievedOn);
  const daysOnRolls = r.rowId !== null && r.daysOnRolls !== null ? r.daysOnRolls : (rolls?.days ?? 0);
  const saved = r.rowId !== null;
  const current = rolls?.days ?? 0;
  return {
    resourceId: r.resourceId,
    nameEn: r.nameEn,
    nameHi: r.nameHi,
    agencyId: r.agencyId,
    postNameEn: r.postNameEn,
    postNameHi: r.postNameHi,
    joiningDate: r.joiningDate,
    relievedOn: r.relievedOn,
    fromDate: rolls?.from ?? '',
    toDate: rolls?.to ?? '',
    daysOnRolls,
    present: r.present,
    paidLeave: r.paidLeave,
    offs: !saved && calendar && rolls ? prefillOffs(rolls.from, rolls.to, calendar) : r.offs,
    absence: r.absence,
    version: r.version ?? 0,
    // Saved rows balance (the database checks it); a row saved before a later relieving changed its days does not.
    balanced: saved && daysOnRolls === current,
    offRolls: saved && current === 0,
    revised:
      r.revisionNo === null ? null : { revisionNo: r.revisionNo, present: r.revPresent!, paidLeave: r.revPaidLeave!, offs: r.revOffs!, absence: r.revAbsence! },
    revisionPending: r.revisionPending === true,
  };
}

/**
 * The office-month's sheet for the actor. A government user reaches the office through the
 * access layer (another department's office: not found). An agency sees only a finalised
 * month, and only its own resources' rows; an open month is not found for it.
 */
export async function getSheet(db: Db, ctx: Ctx, p: TSheetParams): Promise<TAttendanceSheet> {
  const actor = actorOf(ctx);
  const { first, last } = monthBounds(p.month);
  const office = await repo.officeName(db, p.officeId);
  if (!office) throw new AppError('not_found');
  const sheet = await repo.getSheet(db, p.officeId, first);
  if (isAgency(actor)) {
    if (sheet?.state !== 'finalised') throw new AppError('not_found');
  } else {
    await requireRecord(db, actor, officeAccess, p.officeId);
  }
  const finalised = sheet?.state === 'finalised';
  const rows = await repo.roster(db, {
    officeId: p.officeId,
    first,
    last,
    savedOnly: finalised,
    ...(isAgency(actor) ? { agencyId: actor.scopeId } : {}),
  });
  if (isAgency(actor) && rows.length === 0) throw new AppError('not_found');
  const calendar = await holidaysOf(db, { officeId: p.officeId }, first, last);
  const items = rows.map((r) => out(r, p.month, calendar));
  const editable = !finalised && roleHas(actor.role, 'attendance.manage') && first <= todayIst(ctx.now);
  return {
    officeId: office.id,
    officeNameEn: office.nameEn,
    officeNameHi: office.nameHi,
    month: p.month,
    firstDay: first,
    lastDay: last,
    state: finalised ? 'finalised' : 'open',
    finalisedAt: sheet?.finalisedAt ? new Date(sheet.finalisedAt).toISOString() : null,
    editable,
    canFinalise: editable && last < todayIst(ctx.now) && items.every((r) => r.balanced || r.offRolls),
    canRequestRevision: finalised && !isAgency(actor) && roleHas(actor.role, 'attendance.manage'),
    holidays: calendar,
    rows: items,
  };
}

/** The offices the actor may open attendance for (where resources are deployed), for the page's picker. */
export async function listOffices(db: Db, ctx: Ctx): Promise<{ items: TAttendanceOffice[] }> {
  const actor = actorOf(ctx);
  if (isAgency(actor)) return { items: await repo.officesWithResources(db, sqlTrue, actor.scopeId) };
  const where = sourceCondition(await reachOf(db, actor), officeAccess);
  return { items: await repo.officesWithResources(db, where) };
}

const sqlTrue = sql`true`;

/** The request's row index of a field error `rows.<i>…` (its conflicts are named in the request's order). */
const fieldIndex = (e: TFieldError) => Number(e.field.split('.')[1]);

function monthOpenForEntry(ctx: Ctx, month: string) {
  if (monthBounds(month).first > todayIst(ctx.now)) throw new AppError('attendance_month_future');
}

/**
 * Saves rows of an open office-month (the department manager), all or nothing. Each row quotes
 * the version it read: a row saved meanwhile by someone else is a conflict (409, naming the
 * rows), and nothing of the request is saved — the clerk's entries stay on their screen. Every
 * bad value is reported at once, naming the row (its number on the roster and the resource) and
 * the field. The database refuses any change to a finalised month whatever the route does.
 */
export async function saveRows(db: Db, ctx: Ctx, p: TSheetParams, body: TAttendanceSave): Promise<TAttendanceSheet> {
  const actor = actorOf(ctx);
  const office = await requireRecord(db, actor, officeAccess, p.officeId);
  monthOpenForEntry(ctx, p.month);
  const { first, last } = monthBounds(p.month);
  const t = translator(ctx.locale);
  try {
    await db.transaction(async (tx) => {
      const sheet = await repo.ensureSheet(tx, p.officeId, first, ctx.now);
      if (sheet.state === 'finalised') throw new AppError('record_frozen');
      const all = await repo.roster(tx, { officeId: p.officeId, first, last });
      const position = new Map(all.map((r, i) => [r.resourceId, { row: i + 1, r }]));
      const errors: TFieldError[] = [];
      const seen = new Set<number>();
      body.rows.forEach((e, i) => {
        const at = position.get(e.resourceId);
        if (!at) {
          errors.push({ field: `rows.${i}.resourceId`, code: 'attendance_not_on_rolls', params: { row: i + 1, id: e.resourceId } });
          return;
        }
        const name = (ctx.locale === 'hi' ? at.r.nameHi || at.r.nameEn : at.r.nameEn || at.r.nameHi) || String(e.resourceId);
        if (seen.has(e.resourceId)) {
          errors.push({ field: `rows.${i}.resourceId`, code: 'attendance_duplicate_row', params: { row: at.row, name } });
          return;
        }
        seen.add(e.resourceId);
        const rolls = rollsInMonth(p.month, at.r.joiningDate, at.r.relievedOn);
        const days = rolls?.days ?? 0;
        if (days === 0) {
          errors.push({ field: `rows.${i}.resourceId`, code: 'attendance_not_on_rolls', params: { row: at.row, id: e.resourceId } });
          return;
        }
        for (const pr of rowProblems(e, days))
          errors.push({ field: `rows.${i}.${pr.field}`, code: pr.code, params: { row: at.row, name, column: t(`attendance.col.${pr.field}`), days } });
      });
      if (errors.length) throw new AppError('validation_failed', { errors });

      const conflicts: TFieldError[] = [];
      // Written in resource order, whatever the order of the request: two saves of the same rows at
      // once (two tabs) then lock them in the same order — one waits for the other and is told of
      // the conflict, where opposite orders deadlocked and one was answered 500.
      const inOrder = [...body.rows.entries()].sort(([, a], [, b]) => a.resourceId - b.resourceId);
      for (const [i, e] of inOrder) {
        const at = position.get(e.resourceId)!;
        const days = rollsInMonth(p.month, at.r.joiningDate, at.r.relievedOn)!.days;
        const v = { daysOnRolls: days, present: e.present, paidLeave: e.paidLeave, offs: e.offs, absence: e.absence };
        const done =
          e.version === 0
            ? await repo.insertRow(tx, sheet.id, e.resourceId, v, actor.userId, ctx.now)
            : await repo.updateRow(tx, sheet.id, e.resourceId, e.version, v, actor.userId, ctx.now);
        if (!done) {
          const name = (ctx.locale === 'hi' ? at.r.nameHi || at.r.nameEn : at.r.nameEn || at.r.nameHi) || String(e.resourceId);
          conflicts.push({ field: `rows.${i}`, code: 'attendance_conflict', params: { row: at.row, name } });
          continue;
        }
        const before =
          at.r.rowId === null ? null : { present: at.r.present, paidLeave: at.r.paidLeave, offs: at.r.offs, absence: at.r.absence, version: at.r.version };
        await recordAudit(tx, ctx, {
          entity: 'attendance_row',
          entityId: done.id,
          action: 'save',
          departmentId: office.departmentId ?? null,
          before,
          after: { officeId: p.officeId, month: p.month, resourceId: e.resourceId, ...v, version: done.version },
        });
      }
      if (conflicts.length) throw new AppError('attendance_conflict', { errors: conflicts.sort((a, b) => fieldIndex(a) - fieldIndex(b)) });
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e);
  }
  return getSheet(db, ctx, p);
}

/**
 * Finalises an office-month (the department manager): only after the month is over, and only
 * when every resource on the roster has a saved row that still matches its days on the rolls.
 * The sheet is then read-only in the database (migration 0017).
 */
export async function finalise(db: Db, ctx: Ctx, p: TSheetParams): Promise<TAttendanceSheet> {
  const actor = actorOf(ctx);
  const office = await requireRecord(db, actor, officeAccess, p.officeId);
  const { first, last } = monthBounds(p.month);
  if (last >= todayIst(ctx.now)) throw new AppError('attendance_month_not_over');
  try {
    await db.transaction(async (tx) => {
      const sheet = await repo.ensureSheet(tx, p.officeId, first, ctx.now);
      const locked = await repo.getSheet(tx, p.officeId, first, true);
      if (!locked || locked.state === 'finalised') throw new AppError('record_frozen');
      const rows = (await repo.roster(tx, { officeId: p.officeId, first, last })).map((r) => out(r, p.month));
      const pending = rows.filter((r) => !r.balanced && !r.offRolls).length;
      if (pending) throw new AppError('attendance_incomplete', { params: { count: pending } });
      // Rows of resources no longer on the rolls this month (relieved before it after the row was saved) are dropped, audited.
      for (const r of rows.filter((x) => x.offRolls)) {
        const gone = await repo.deleteRow(tx, sheet.id, r.resourceId);
        if (gone)
          await recordAudit(tx, ctx, {
            entity: 'attendance_row',
            entityId: gone,
            action: 'delete',
            departmentId: office.departmentId ?? null,
            before: {
              officeId: p.officeId,
              month: p.month,
              resourceId: r.resourceId,
              present: r.present,
              paidLeave: r.paidLeave,
              offs: r.offs,
              absence: r.absence,
            },
          });
      }
      await repo.finaliseSheet(tx, sheet.id, actor.userId, ctx.now);
      await recordAudit(tx, ctx, {
        entity: 'attendance_sheet',
        entityId: sheet.id,
        action: 'finalise',
        departmentId: office.departmentId ?? null,
        before: { state: 'open' },
        after: { state: 'finalised', officeId: p.officeId, month: p.month, rows: rows.filter((r) => !r.offRolls).length },
      });
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e);
  }
  return getSheet(db, ctx, p);
}
