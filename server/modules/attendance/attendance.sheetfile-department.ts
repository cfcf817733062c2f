import { sql } from 'drizzle-orm';
import { TEMPLATE_COLUMNS, type TDepartmentMonthParams, type TUploadReport } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { type Column, writeCsv, writeXlsx } from '../../platform/tabular/tabular.ts';
import { officeAccess } from '../org/index.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, rollsInMonth } from './attendance.rules.ts';
import { addInstructions, checkAndSave, type FileOffice, loadWorkbook, monthName } from './attendance.sheetfile.ts';
import { colKey, readUpload } from './attendance.sheetfile-read.ts';

// The department-wide spreadsheet (issue 15 item 3): every office of a department at once — its
// template and its upload, checked row by row with the single-office upload's checkAndSave.

/**
 * The offices of a department the actor reaches through the access layer's office source (Finance
 * and state-wide users every office of it, a department's office admin or auditor its offices, a
 * HOD-scope user its HOD's, a department manager its office), with the month's sheet state. A
 * department of which the actor reaches no office is not found.
 */
async function departmentOffices(db: DbOrTx, actor: Actor, p: TDepartmentMonthParams): Promise<{ nameEn: string; nameHi: string; offices: FileOffice[] }> {
  if (actor.scopeKind === 'agency' || actor.scopeKind === 'ddo') throw new AppError('forbidden');
  const { first } = monthBounds(p.month);
  const where = sourceCondition(await reachOf(db, actor), officeAccess);
  const r = await db.execute<FileOffice & { deptEn: string; deptHi: string }>(sql`
    select o.id as "officeId", o.name_en as "nameEn", o.name_hi as "nameHi", o.department_id as "departmentId",
           coalesce(s.state, 'none') as state, d.name_en as "deptEn", d.name_hi as "deptHi"
      from offices o
      join departments d on d.id = o.department_id
      left join attendance_sheets s on s.office_id = o.id and s.month = ${first}
     where o.department_id = ${p.departmentId} and ${where}
     order by o.id`);
  const first0 = r.rows[0];
  if (!first0) throw new AppError('not_found');
  return {
    nameEn: first0.deptEn,
    nameHi: first0.deptHi,
    offices: r.rows.map((o) => ({ officeId: Number(o.officeId), nameEn: o.nameEn, nameHi: o.nameHi, departmentId: Number(o.departmentId), state: o.state })),
  };
}

/**
 * The template of every office of a department the actor reaches, for a month: one data sheet
 * with the single-office template's columns plus the office's name after its code — one row per
 * resource on the rolls of each office whose month is not finalised (finalised office-months
 * cannot be entered; the instructions sheet names them). Offices with nobody on the rolls are left
 * out. Readers of the overview may download it; only the department manager uploads.
 */
export async function departmentTemplate(db: Db, ctx: Ctx, p: TDepartmentMonthParams, format: 'xlsx' | 'csv') {
  const actor = actorOf(ctx);
  const dept = await departmentOffices(db, actor, p);
  const { first, last } = monthBounds(p.month);
  if (first > todayIst(ctx.now)) throw new AppError('attendance_month_future');
  const t = translator(ctx.locale);
  const pick = (en: string, hi: string) => (ctx.locale === 'hi' ? hi || en : en || hi);
  type R = { office: FileOffice; r: repo.RosterRow; rolls: { from: string; to: string; days: number } };
  const rows: R[] = [];
  const finalised: string[] = [];
  let included = 0;
  for (const office of dept.offices) {
    if (office.state === 'finalised') {
      finalised.push(pick(office.nameEn, office.nameHi));
      continue;
    }
    const before = rows.length;
    for (const r of await repo.roster(db, { officeId: office.officeId, first, last })) {
      const rolls = rollsInMonth(p.month, r.joiningDate, r.relievedOn);
      if (rolls) rows.push({ office, r, rolls });
    }
    if (rows.length > before) included++;
  }
  const keys = ['officeId', 'officeName', ...TEMPLATE_COLUMNS.slice(1)] as const;
  const columns: Column<R>[] = keys.map((k) => ({
    key: k,
    header: k === 'officeName' ? t('attendance.sheetFile.officeName') : t(colKey[k]),
    value: ({ office, r, rolls }: R) => {
      switch (k) {
        case 'officeId':
          return office.officeId;
        case 'officeName':
          return pick(office.nameEn, office.nameHi);
        case 'month':
          return p.month;
        case 'resourceId':
          return r.resourceId;
        case 'name':
          return pick(r.nameEn, r.nameHi);
        case 'post':
          return pick(r.postNameEn, r.postNameHi);
        case 'fromDate':
          return rolls.from;
        case 'toDate':
          return rolls.to;
        case 'daysOnRolls':
          return rolls.days;
        default:
          return r[k];
      }
    },
  }));
  let body: Buffer;
  if (format === 'xlsx') {
    const wb = await loadWorkbook(await writeXlsx(columns, rows, p.month));
    const forLines = [
      t('attendance.sheetFile.forDepartment', { department: pick(dept.nameEn, dept.nameHi), month: monthName(p.month, ctx.locale), count: included }),
    ];
    if (finalised.length) forLines.push(t('attendance.sheetFile.finalisedLeftOut', { offices: finalised.join(', ') }));
    addInstructions(wb, ctx.locale, forLines, true);
    body = Buffer.from(await wb.xlsx.writeBuffer());
  } else body = writeCsv(columns, rows);
  await recordAudit(db, ctx, {
    entity: 'attendance_sheet',
    action: 'export',
    departmentId: p.departmentId,
    after: { departmentId: p.departmentId, month: p.month, format, offices: included, rows: rows.length },
  });
  return { body, filename: `attendance-department-${p.departmentId}-${p.month}.${format}` };
}

/**
 * An upload of a department's template (the department manager; the same permission as the
 * single-office upload). Checked as a whole like it: every row must name an office of this
 * department that the user reaches (`attendance_office_not_allowed` otherwise, whether the office
 * is of another department, out of the user's scope or unknown), be of this month, not of a
 * finalised office-month (`attendance_month_finalised`), and name a resource of that office's
 * roster once in the whole file. With any bad row nothing is saved unless `saveGood`.
 */
export async function uploadDepartment(db: Db, ctx: Ctx, p: TDepartmentMonthParams, file: Buffer, saveGood: boolean): Promise<TUploadReport> {
  const dept = await departmentOffices(db, actorOf(ctx), p);
  if (monthBounds(p.month).first > todayIst(ctx.now)) throw new AppError('attendance_month_future');
  const table = await readUpload(file);
  const byId = new Map(dept.offices.map((o) => [String(o.officeId), o]));
  return checkAndSave(db, ctx, p.month, table, saveGood, (cell) => {
    const office = byId.get(cell);
    return office ? { office } : { code: 'attendance_office_not_allowed' };
  });
}

/** The record check of a department upload, before its file is read (a department the user does not reach: not found). */
export async function requireDepartmentAccess(db: Db, ctx: Ctx, p: TDepartmentMonthParams): Promise<void> {
  await departmentOffices(db, actorOf(ctx), p);
}
