import ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS, type THoliday, type TSheetParams, type TUploadReport } from '../../../shared/contracts/attendance.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { type Column, readTable, type RowError, writeCsv, writeXlsx } from '../../platform/tabular/tabular.ts';
import { officeAccess } from '../org/index.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, rollsInMonth, rowProblems } from './attendance.rules.ts';
import { getSheet } from './attendance.service.ts';

type Key = (typeof TEMPLATE_COLUMNS)[number];
const colKey: Record<Key, string> = {
  officeId: 'attendance.file.officeId',
  month: 'attendance.file.month',
  resourceId: 'attendance.file.resourceId',
  name: 'attendance.col.name',
  post: 'attendance.col.post',
  fromDate: 'attendance.file.fromDate',
  toDate: 'attendance.file.toDate',
  daysOnRolls: 'attendance.col.daysOnRolls',
  present: 'attendance.col.present',
  paidLeave: 'attendance.col.paidLeave',
  offs: 'attendance.col.offs',
  absence: 'attendance.col.absence',
};

/** Header words in either language (and the column keys themselves) → column key. */
function aliases(): Map<string, string> {
  const m = new Map<string, string>();
  for (const k of TEMPLATE_COLUMNS) {
    m.set(k, k);
    for (const lang of ['en', 'hi'] as const) {
      const t = translator(lang);
      m.set(t(colKey[k]), k);
    }
  }
  return m;
}

/**
 * The spreadsheet template of an office-month (the department manager): one row per resource on
 * the roster, pre-filled with what is saved, headers in the user's language. The office and the
 * month are in every row, so that a template of another office or month is recognised on upload.
 */
export async function template(db: Db, ctx: Ctx, p: TSheetParams, format: 'xlsx' | 'csv') {
  const sheet = await getSheet(db, ctx, p);
  const t = translator(ctx.locale);
  const name = (en: string, hi: string) => (ctx.locale === 'hi' ? hi || en : en || hi);
  type R = (typeof sheet.rows)[number];
  const columns: Column<R>[] = TEMPLATE_COLUMNS.map((k) => ({
    key: k,
    header: t(colKey[k]),
    value: (r: R) => {
      switch (k) {
        case 'officeId':
          return sheet.officeId;
        case 'month':
          return sheet.month;
        case 'name':
          return name(r.nameEn, r.nameHi);
        case 'post':
          return name(r.postNameEn, r.postNameHi);
        default:
          return r[k];
      }
    },
  }));
  const body =
    format === 'xlsx' ? await markHolidays(await writeXlsx(columns, sheet.rows, p.month), sheet.holidays, ctx.locale) : writeCsv(columns, sheet.rows);
  await recordAudit(db, ctx, {
    entity: 'attendance_sheet',
    action: 'export',
    after: { officeId: p.officeId, month: p.month, format, rows: sheet.rows.length },
  });
  return { body, filename: `attendance-${p.officeId}-${p.month}.${format}` };
}

/**
 * Marks the month's holidays in an Excel template: a note on the "weekly offs and holidays"
 * header listing them (date, name, gazetted / optional), so a clerk filling offs sees them. The
 * cells and columns are unchanged (the upload reads the same template back).
 */
async function markHolidays(buf: Buffer, hs: THoliday[], locale: TLocale): Promise<Buffer> {
  if (hs.length === 0) return buf;
  const t = translator(locale);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const cell = ws.getRow(1).getCell(TEMPLATE_COLUMNS.indexOf('offs') + 1);
  const lines = hs.map((h) => `${h.date.slice(8, 10)}/${h.date.slice(5, 7)}: ${locale === 'hi' ? h.nameHi : h.nameEn} (${t(`attendance.holiday.${h.kind}`)})`);
  cell.note = `${t('attendance.holiday.templateNote', { count: hs.length })}\n${lines.join('\n')}`;
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The record check of an upload, before its file is read (another department's office: not found). */
export async function requireUploadAccess(db: Db, ctx: Ctx, p: TSheetParams): Promise<void> {
  await requireRecord(db, actorOf(ctx), officeAccess, p.officeId);
}

/**
 * An upload of a filled template (the department manager). The whole file is checked first:
 * every row must be of this office and month, name a resource on its roster once, and carry
 * whole days that balance with the days on the rolls. With any bad row nothing is saved unless
 * `saveGood` — then the good rows are. A saved row overwrites what is saved (an upload is a
 * deliberate whole-row entry); each is audited. A finalised month refuses (in the database too).
 */
export async function upload(db: Db, ctx: Ctx, p: TSheetParams, file: Buffer, saveGood: boolean): Promise<TUploadReport> {
  const actor = actorOf(ctx);
  const office = await requireRecord(db, actor, officeAccess, p.officeId);
  const { first, last } = monthBounds(p.month);
  if (first > todayIst(ctx.now)) throw new AppError('attendance_month_future');
  if ((await repo.getSheet(db, p.officeId, first))?.state === 'finalised') throw new AppError('record_frozen');
  const t = translator(ctx.locale);
  const table = await readTable(file, { aliases: aliases() });
  const errors: RowError[] = [];
  for (const k of TEMPLATE_COLUMNS) if (!table.headers.includes(k)) errors.push({ row: 1, field: k, code: 'required' });
  if (table.rows.length === 0 && errors.length === 0) errors.push({ row: 2, field: 'resourceId', code: 'required' });
  const report = (saved: number): TUploadReport => ({
    rows: table.rows.length,
    saved,
    // Attendance messages name the row and the column themselves; the others get the column's name in front.
    errors: errors.map((e) => {
      const text = t(`validation.${e.code}`, e.params ?? {});
      return {
        row: e.row,
        field: e.field,
        code: e.code,
        message: e.code.startsWith('attendance_') ? text : `${t(colKey[e.field as Key] ?? e.field)}: ${text}`,
      };
    }),
  });
  if (errors.length) return report(0);

  let saved = 0;
  try {
    await db.transaction(async (tx) => {
      const sheet = await repo.ensureSheet(tx, p.officeId, first, ctx.now);
      if (sheet.state === 'finalised') throw new AppError('record_frozen');
      const roster = await repo.roster(tx, { officeId: p.officeId, first, last });
      const byId = new Map(roster.map((r, i) => [r.resourceId, { r, n: i + 1 }]));
      const seen = new Set<number>();
      const good: { resourceId: number; values: repo.RowValues; version: number | null }[] = [];
      for (const { row, cells } of table.rows) {
        const bad = (field: string, code: TFieldCode, params: Record<string, string | number> = {}) =>
          errors.push({ row, field, code, params: { row, ...params } });
        if ((cells.officeId ?? '').trim() !== String(p.officeId) || (cells.month ?? '').trim() !== p.month) {
          bad((cells.officeId ?? '').trim() !== String(p.officeId) ? 'officeId' : 'month', 'attendance_wrong_template');
          continue;
        }
        const id = Number((cells.resourceId ?? '').trim());
        const at = Number.isInteger(id) ? byId.get(id) : undefined;
        const rolls = at ? rollsInMonth(p.month, at.r.joiningDate, at.r.relievedOn) : null;
        if (!at || !rolls) {
          bad('resourceId', 'attendance_not_on_rolls', { id: cells.resourceId ?? '' });
          continue;
        }
        const who = (ctx.locale === 'hi' ? at.r.nameHi || at.r.nameEn : at.r.nameEn || at.r.nameHi) || String(id);
        if (seen.has(id)) {
          bad('resourceId', 'attendance_duplicate_row', { name: who });
          continue;
        }
        seen.add(id);
        const num = (k: string) => {
          const s = (cells[k] ?? '').trim();
          return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
        };
        const e = { present: num('present'), paidLeave: num('paidLeave'), offs: num('offs'), absence: num('absence') };
        const problems = rowProblems(e, rolls.days);
        for (const pr of problems) bad(pr.field, pr.code, { name: who, column: t(`attendance.col.${pr.field}`), days: rolls.days });
        if (problems.length === 0) good.push({ resourceId: id, values: { daysOnRolls: rolls.days, ...e }, version: at.r.version });
      }
      if (errors.length && !saveGood) return;
      for (const g of good) {
        const done =
          g.version === null
            ? await repo.insertRow(tx, sheet.id, g.resourceId, g.values, actor.userId, ctx.now)
            : await repo.updateRow(tx, sheet.id, g.resourceId, g.version, g.values, actor.userId, ctx.now);
        if (!done) throw new AppError('attendance_conflict');
        await recordAudit(tx, ctx, {
          entity: 'attendance_row',
          entityId: done.id,
          action: 'upload',
          departmentId: office.departmentId ?? null,
          after: { officeId: p.officeId, month: p.month, resourceId: g.resourceId, ...g.values, version: done.version },
        });
        saved++;
      }
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e);
  }
  return report(saved);
}
