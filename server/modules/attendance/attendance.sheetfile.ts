import type ExcelJS from 'exceljs';
import { excel } from '../../platform/tabular/excel.ts';
import { TEMPLATE_COLUMNS, type THoliday, type TSheetParams, type TUploadReport } from '../../../shared/contracts/attendance.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { requireRecord } from '../../platform/access/access.ts';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { type Column, type RowError, type Table, writeCsv, writeXlsx } from '../../platform/tabular/tabular.ts';
import { officeAccess } from '../org/index.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, rollsInMonth, rowProblems } from './attendance.rules.ts';
import { getSheet } from './attendance.service.ts';

import { colKey, type Key, readUpload } from './attendance.sheetfile-read.ts';

export const monthName = (month: string, locale: TLocale) =>
  new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/**
 * The instructions sheet of a template, in the user's language: whom and which month the file is
 * for, what each column means, the balance rule, whole days only, and what makes a file refused.
 * One column of text lines (no merged cells, no formulas: the template obeys its own rules).
 */
export function addInstructions(wb: ExcelJS.Workbook, locale: TLocale, forLines: string[], department: boolean) {
  const t = translator(locale);
  const data = wb.worksheets[0]!;
  const ws = wb.addWorksheet(t('attendance.sheetFile.instructionsSheet'));
  ws.getColumn(1).width = 110;
  const header = (k: Key) => t(colKey[k]);
  const col = (label: string, text: string) => `• ${label}: ${text}`;
  const lines: { text: string; bold?: boolean }[] = [
    { text: t('attendance.sheetFile.title'), bold: true },
    ...forLines.map((text) => ({ text })),
    { text: '' },
    { text: t('attendance.sheetFile.columnsHeading', { sheet: data.name }), bold: true },
    { text: col(header('officeId'), t('attendance.sheetFile.colOfficeId')) },
    ...(department ? [{ text: col(t('attendance.sheetFile.officeName'), t('attendance.sheetFile.colOfficeName')) }] : []),
    { text: col(header('month'), t('attendance.sheetFile.colMonth')) },
    { text: col(header('resourceId'), t('attendance.sheetFile.colResourceId')) },
    { text: col(header('name'), t('attendance.sheetFile.colName')) },
    { text: col(header('post'), t('attendance.sheetFile.colPost')) },
    { text: col(`${header('fromDate')} / ${header('toDate')}`, t('attendance.sheetFile.colFromTo')) },
    { text: col(header('daysOnRolls'), t('attendance.sheetFile.colDaysOnRolls')) },
    { text: col(header('present'), t('attendance.sheetFile.colPresent')) },
    { text: col(header('paidLeave'), t('attendance.sheetFile.colPaidLeave')) },
    { text: col(header('offs'), t('attendance.sheetFile.colOffs')) },
    { text: col(header('absence'), t('attendance.sheetFile.colAbsence')) },
    { text: '' },
    { text: t('attendance.sheetFile.balanceRule'), bold: true },
    { text: t('attendance.sheetFile.wholeDays') },
    { text: t('attendance.sheetFile.noChanges'), bold: true },
    { text: t('attendance.sheetFile.uploadHow') },
  ];
  for (const l of lines) {
    const row = ws.addRow([l.text]);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    if (l.bold) row.getCell(1).font = { bold: true };
  }
}

/**
 * The spreadsheet template of an office-month (the department manager): one row per resource on
 * the roster, pre-filled with what is saved, headers in the user's language. The office and the
 * month are in every row, so that a template of another office or month is recognised on upload.
 * The Excel file has a second sheet of instructions in the user's language.
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
  let body: Buffer;
  if (format === 'xlsx') {
    const wb = await loadWorkbook(await writeXlsx(columns, sheet.rows, p.month));
    markHolidays(wb, sheet.holidays, ctx.locale);
    const forLine = t('attendance.sheetFile.forOffice', {
      office: name(sheet.officeNameEn, sheet.officeNameHi),
      officeId: sheet.officeId,
      month: monthName(p.month, ctx.locale),
    });
    addInstructions(wb, ctx.locale, [forLine], false);
    body = Buffer.from(await wb.xlsx.writeBuffer());
  } else body = writeCsv(columns, sheet.rows);
  await recordAudit(db, ctx, {
    entity: 'attendance_sheet',
    action: 'export',
    after: { officeId: p.officeId, month: p.month, format, rows: sheet.rows.length },
  });
  return { body, filename: `attendance-${p.officeId}-${p.month}.${format}` };
}

export async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new (await excel()).Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/**
 * Marks the month's holidays in an Excel template: a note on the "weekly offs and holidays"
 * header listing them (date, name, gazetted / optional), so a clerk filling offs sees them. The
 * cells and columns are unchanged (the upload reads the same template back).
 */
function markHolidays(wb: ExcelJS.Workbook, hs: THoliday[], locale: TLocale) {
  if (hs.length === 0) return;
  const t = translator(locale);
  const ws = wb.worksheets[0]!;
  const cell = ws.getRow(1).getCell(TEMPLATE_COLUMNS.indexOf('offs') + 1);
  const lines = hs.map((h) => `${h.date.slice(8, 10)}/${h.date.slice(5, 7)}: ${locale === 'hi' ? h.nameHi : h.nameEn} (${t(`attendance.holiday.${h.kind}`)})`);
  cell.note = `${t('attendance.holiday.templateNote', { count: hs.length })}\n${lines.join('\n')}`;
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
}

/** The record check of an upload, before its file is read (another department's office: not found). */
export async function requireUploadAccess(db: Db, ctx: Ctx, p: TSheetParams): Promise<void> {
  await requireRecord(db, actorOf(ctx), officeAccess, p.officeId);
}

/** An office a file's rows may name, with its sheet of the month ('none' before the first save). */
export type FileOffice = { officeId: number; nameEn: string; nameHi: string; departmentId: number | null; state: 'none' | 'open' | 'finalised' };

/**
 * Rows written per transaction (bar S5): on the embedded database, one connection, a request waits
 * behind at most one batch of an upload (2,000 rows and their audit entries) rather than a whole
 * department's file. The resource bulk import writes in batches of the same size.
 */
export const UPLOAD_WRITE_BATCH = 2_000;

/**
 * Checks every row of a file against its office-month's roster and, unless a row is bad and
 * `saveGood` is not asked, saves the good rows (each saved row audited). Every row must name,
 * through `officeOf`, an office the user may enter (else the reason), be of `month`, name a
 * resource on that office's roster once in the whole file, and carry whole days that balance with
 * the days on the rolls. A row of a finalised office-month is refused row-wise.
 *
 * The whole file is checked before anything is written (reads only, no transaction held). The good
 * rows are then written in transactions of `writeBatch` rows (UPLOAD_WRITE_BATCH; tests pass fewer), each with its rows' audit
 * entries, each re-checking what the check read: a row changed by another save since (its version)
 * or an office-month finalised since. A file of one batch — every single-office template — is all
 * or nothing as before: such a change refuses the lot (409 `attendance_conflict`, 409
 * `record_frozen`). In a file of several batches the earlier batches are saved by then, so there
 * the rows changed meanwhile are left as the other save made them and named in the report
 * (`attendance_conflict`, `attendance_month_finalised`), the rest saved; the same file uploaded
 * again overwrites them (an upload is a whole-row entry).
 */
export async function checkAndSave(
  db: Db,
  ctx: Ctx,
  month: string,
  table: Table,
  saveGood: boolean,
  officeOf: (cell: string) => { office: FileOffice } | { code: TFieldCode },
  writeBatch = UPLOAD_WRITE_BATCH,
): Promise<TUploadReport> {
  const actor = actorOf(ctx);
  const { first, last } = monthBounds(month);
  const t = translator(ctx.locale);
  const pick = (en: string, hi: string) => (ctx.locale === 'hi' ? hi || en : en || hi);
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
    // The sheets and rosters of every office the file names, in two statements (a department file
    // names ~150 offices: one roster each was most of its upload, bar S3).
    type OfficeState = { office: FileOffice; state: 'none' | 'open' | 'finalised'; byId: Map<number, repo.UploadRosterRow> };
    const named = new Map<number, FileOffice>();
    for (const { cells } of table.rows) {
      const found = officeOf((cells.officeId ?? '').trim());
      if ('office' in found) named.set(found.office.officeId, found.office);
    }
    const ids = [...named.keys()];
    const sheets = new Map((await repo.getSheets(db, ids, first)).map((x) => [x.officeId, x]));
    const offices = new Map<number, OfficeState>(
      [...named.values()].map((o) => [o.officeId, { office: o, state: sheets.get(o.officeId)?.state ?? 'none', byId: new Map() }]),
    );
    for (const r of await repo.uploadRosters(db, { officeIds: ids, first, last })) offices.get(r.officeId)?.byId.set(r.resourceId, r);
    const officeState = (o: FileOffice): OfficeState => offices.get(o.officeId)!;
    const seen = new Set<number>();
    type Good = { row: number; who: string; office: FileOffice; resourceId: number; values: repo.RowValues; version: number | null };
    const good: Good[] = [];
    for (const { row, cells } of table.rows) {
      const bad = (field: string, code: TFieldCode, params: Record<string, string | number> = {}) =>
        errors.push({ row, field, code, params: { row, ...params } });
      const officeCell = (cells.officeId ?? '').trim();
      const found = officeOf(officeCell);
      if ('code' in found) {
        bad('officeId', found.code, { office: officeCell });
        continue;
      }
      if ((cells.month ?? '').trim() !== month) {
        bad('month', 'attendance_wrong_template');
        continue;
      }
      const at = officeState(found.office);
      if (at.state === 'finalised') {
        bad('officeId', 'attendance_month_finalised', { office: pick(found.office.nameEn, found.office.nameHi), month });
        continue;
      }
      const id = Number((cells.resourceId ?? '').trim());
      const r = Number.isInteger(id) ? at.byId.get(id) : undefined;
      const rolls = r ? rollsInMonth(month, r.joiningDate, r.relievedOn) : null;
      if (!r || !rolls) {
        bad('resourceId', 'attendance_not_on_rolls', { id: cells.resourceId ?? '' });
        continue;
      }
      const who = pick(r.nameEn, r.nameHi) || String(id);
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
      if (problems.length === 0) good.push({ row, who, office: found.office, resourceId: id, values: { daysOnRolls: rolls.days, ...e }, version: r.version });
    }
    if (errors.length && !saveGood) return report(0);
    offices.clear();
    errors.sort((a, b) => a.row - b.row);

    const atomic = good.length <= writeBatch;
    for (let i = 0; i < good.length; i += writeBatch) {
      const batch = good.slice(i, i + writeBatch);
      await db.transaction(async (tx) => {
        // The batch's office-months, opened if new (in one statement); one finalised since the
        // check keeps its rows out.
        const sheetIds = new Map<number, number>();
        const frozen = new Set<number>();
        for (const sheet of await repo.ensureSheets(
          tx,
          batch.map((g) => g.office.officeId),
          first,
          ctx.now,
        )) {
          if (sheet.state !== 'finalised') sheetIds.set(sheet.officeId, sheet.id);
          else if (atomic) throw new AppError('record_frozen');
          else frozen.add(sheet.officeId);
        }
        const open = batch.filter((g) => sheetIds.has(g.office.officeId));
        // The rows in two statements and their audit entries in one (bar S3: the upload was two
        // statements a row); a row another save changed since the check is not written.
        const written = await repo.writeRows(
          tx,
          open.map((g) => ({ sheetId: sheetIds.get(g.office.officeId)!, resourceId: g.resourceId, version: g.version, values: g.values })),
          actor.userId,
          ctx.now,
        );
        if (written.length !== open.length && atomic) throw new AppError('attendance_conflict');
        const byResource = new Map(written.map((w) => [w.resourceId, w]));
        for (const g of batch) {
          if (frozen.has(g.office.officeId))
            errors.push({
              row: g.row,
              field: 'officeId',
              code: 'attendance_month_finalised',
              params: { row: g.row, office: pick(g.office.nameEn, g.office.nameHi), month },
            });
          else if (!byResource.has(g.resourceId))
            errors.push({ row: g.row, field: 'resourceId', code: 'attendance_conflict', params: { row: g.row, name: g.who } });
        }
        await recordAudits(
          tx,
          ctx,
          open
            .filter((g) => byResource.has(g.resourceId))
            .map((g) => {
              const done = byResource.get(g.resourceId)!;
              return {
                entity: 'attendance_row',
                entityId: done.id,
                action: 'upload',
                departmentId: g.office.departmentId,
                after: { officeId: g.office.officeId, month, resourceId: g.resourceId, ...g.values, version: done.version },
              };
            }),
        );
        saved += written.length;
      });
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e);
  }
  errors.sort((a, b) => a.row - b.row);
  return report(saved);
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
  const coords = await requireRecord(db, actor, officeAccess, p.officeId);
  const { first } = monthBounds(p.month);
  if (first > todayIst(ctx.now)) throw new AppError('attendance_month_future');
  if ((await repo.getSheet(db, p.officeId, first))?.state === 'finalised') throw new AppError('record_frozen');
  const office = await repo.officeName(db, p.officeId);
  if (!office) throw new AppError('not_found');
  const table = await readUpload(file);
  const mine: FileOffice = { officeId: office.id, nameEn: office.nameEn, nameHi: office.nameHi, departmentId: coords.departmentId ?? null, state: 'open' };
  return checkAndSave(db, ctx, p.month, table, saveGood, (cell) => (cell === String(p.officeId) ? { office: mine } : { code: 'attendance_wrong_template' }));
}

// The department-wide template and upload: attendance.sheetfile-department.ts.
