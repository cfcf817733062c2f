import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS } from '../../../shared/contracts/attendance.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import { AppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { excel } from '../../platform/tabular/excel.ts';
import { cellText, isXlsx, MAX_IMPORT_ROWS, readTable, type Table, tableOf } from '../../platform/tabular/tabular.ts';

/**
 * Reading an uploaded attendance file (an office's or a department's): the column names in either
 * language, the streaming workbook read with its refusals, and the whole-workbook read it falls
 * back to. What a file's rows then mean is attendance.sheetfile.ts's (checkAndSave).
 */

export type Key = (typeof TEMPLATE_COLUMNS)[number];
export const colKey: Record<Key, string> = {
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
  // The department template's office name column (for reading; ignored on upload).
  for (const lang of ['en', 'hi'] as const) m.set(translator(lang)('attendance.sheetFile.officeName'), 'officeName');
  return m;
}

/** The instructions sheet's name in either language: the only sheet an upload may have beside the data sheet. */
const instructionsNames = () => new Set((['en', 'hi'] as const).map((l) => translator(l)('attendance.sheetFile.instructionsSheet')));

/** At most this many refusals of a workbook are listed (a sheet full of formulas is not listed cell by cell). */
const MAX_FILE_PROBLEMS = 20;

const notSpreadsheet = () => new AppError('unsupported_media_type', { errors: [{ field: 'file', code: 'file_type_invalid' }] });

/**
 * Reads an uploaded attendance file by its content. CSV as before. An Excel workbook must be the
 * template as downloaded: its first sheet is the data; beside it only the instructions sheet (in
 * either language) may be there; no cell of any sheet may hold a formula (its cached value is
 * whatever the last program computed — we never trust it) and no cells may be merged. Each such
 * refusal is `attendance_file_invalid` (422) naming the sheet and the cell or range. Anything that
 * is neither (a PDF renamed .xlsx, a damaged or non-Excel zip, a binary file) is 415.
 *
 * The workbook is read streaming (exceljs' `WorkbookReader`, bar S3's bounded memory): one row at a
 * time, keeping only the data sheet's cell texts — not exceljs' whole workbook model, which held
 * ~6 KB a row (≈ 300 MB for 50,000 rows). Beyond the rows an import may have, rows are no longer
 * kept and the file is refused (413). exceljs writes a sheet before its shared strings, so the
 * reader spools each sheet to a temporary file and parses it once the zip is read; it removes the
 * file when the sheet has been read to its end. The streaming reader does not report merged cells, so each sheet's XML
 * is watched for `<mergeCell ref="…">` as it streams past; sheets are named and ordered by the
 * workbook part, as the whole-workbook read did.
 */
export async function readUpload(buf: Buffer): Promise<Table> {
  if (!isXlsx(buf)) {
    if (buf.subarray(0, 5).toString('latin1') === '%PDF-' || buf.includes(0)) throw notSpreadsheet();
    return readTable(buf, { aliases: aliases() });
  }
  const { ValueType, stream } = await excel();
  const reader = new stream.xlsx.WorkbookReader(Readable.from([buf]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles give number formats, so that a date cell reads as a date (as the whole-workbook read did).
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  type SheetRead = { id: number; name: string; merges: string[]; formulas: string[]; matrix: string[][]; rows: number };
  const read: SheetRead[] = [];
  let tooMany = false;
  try {
    for await (const ws of reader) {
      const wr = ws as unknown as { id: number; name: string; iterator: AsyncIterable<Buffer | string> };
      const sheet: SheetRead = { id: Number(wr.id), name: String(wr.name ?? ''), merges: [], formulas: [], matrix: [], rows: 0 };
      read.push(sheet);
      wr.iterator = watchMerges(wr.iterator, sheet.merges);
      for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
        const line: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const v = cell.value as { formula?: unknown; sharedFormula?: unknown } | null;
          if (cell.type === ValueType.Formula || (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))) {
            if (sheet.formulas.length < MAX_FILE_PROBLEMS) sheet.formulas.push(`${sheet.name}!${cell.address}`);
          }
          line[col - 1] = cellText(cell.value);
        });
        // A title block and the header come before the rows; beyond that the file is too big: its
        // rows are no longer kept (read on to the end, so that exceljs removes its temporary file).
        if (++sheet.rows > MAX_IMPORT_ROWS + 11) {
          tooMany = true;
          continue;
        }
        for (let i = 0; i < line.length; i++) line[i] ??= '';
        sheet.matrix[row.number - 1] = line;
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // The streaming reader failed once in CI on a template that reads cleanly every other time
    // (PostgreSQL tier, under load; not reproduced in 320 concurrent reads): an intermittent
    // failure must not tell a clerk that their workbook is not a spreadsheet. The whole-workbook
    // read (the reader before bar S3's streaming one; same refusals) decides instead, holding the
    // file in memory this once; a file that is truly not a workbook fails it as well (415).
    return readWholeWorkbook(buf);
  }
  if (tooMany) throw new AppError('payload_too_large');
  const model = (reader as unknown as { model?: { sheets?: { id: number; name: string }[] } }).model;
  const sheets = model?.sheets ?? [];
  const dataEntry = sheets[0];
  if (!dataEntry) throw notSpreadsheet();
  const problems: TFieldError[] = [];
  const allowed = instructionsNames();
  sheets.slice(1).forEach((ws, i) => {
    if (i > 0 || !allowed.has(ws.name)) problems.push({ field: 'file', code: 'file_extra_sheet', params: { sheet: ws.name } });
  });
  // In the workbook's order (the zip's may differ).
  const order = new Map(sheets.map((x, i) => [Number(x.id), i]));
  read.sort((a, b) => (order.get(a.id) ?? read.length) - (order.get(b.id) ?? read.length));
  for (const sh of read) for (const range of sh.merges) problems.push({ field: 'file', code: 'file_has_merged_cells', params: { sheet: sh.name, range } });
  for (const sh of read) for (const cell of sh.formulas) problems.push({ field: 'file', code: 'file_has_formula', params: { cell } });
  if (problems.length) throw new AppError('attendance_file_invalid', { errors: problems.slice(0, MAX_FILE_PROBLEMS) });
  const data = read.find((x) => x.id === Number(dataEntry.id));
  const matrix = data?.matrix ?? [];
  for (let i = 0; i < matrix.length; i++) matrix[i] ??= [];
  return tableOf(matrix, aliases());
}

/** The whole-workbook read (exceljs' model): the fallback of `readUpload` when the streaming reader fails. */
export async function readWholeWorkbook(buf: Buffer): Promise<Table> {
  const { ValueType, Workbook } = await excel();
  const wb = new Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw notSpreadsheet();
  }
  const [data, ...rest] = wb.worksheets;
  if (!data) throw notSpreadsheet();
  if (data.rowCount > MAX_IMPORT_ROWS + 11) throw new AppError('payload_too_large');
  const problems: TFieldError[] = [];
  const allowed = instructionsNames();
  rest.forEach((ws, i) => {
    if (i > 0 || !allowed.has(ws.name)) problems.push({ field: 'file', code: 'file_extra_sheet', params: { sheet: ws.name } });
  });
  let matrix: string[][] = [];
  for (const ws of wb.worksheets) {
    const merges = (ws as unknown as { _merges?: Record<string, { range?: string; toString(): string }> })._merges;
    for (const m of Object.values(merges ?? {}))
      problems.push({ field: 'file', code: 'file_has_merged_cells', params: { sheet: ws.name, range: m.range ?? String(m) } });
    const lines: string[][] = [];
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (r, n) => {
      const line: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = r.getCell(c);
        const v = cell.value as { formula?: unknown; sharedFormula?: unknown } | null;
        if (cell.type === ValueType.Formula || (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)))
          problems.push({ field: 'file', code: 'file_has_formula', params: { cell: `${ws.name}!${cell.address}` } });
        line.push(cellText(cell.value));
      }
      lines[n - 1] = line;
    });
    for (let i = 0; i < lines.length; i++) lines[i] ??= [];
    if (ws === data) matrix = lines;
  }
  if (problems.length) throw new AppError('attendance_file_invalid', { errors: problems.slice(0, MAX_FILE_PROBLEMS) });
  return tableOf(matrix, aliases());
}

/** Passes a sheet's XML through unchanged, noting each merged range (`<mergeCell ref="A1:B2"/>`) it holds. */
async function* watchMerges(chunks: AsyncIterable<Buffer | string>, into: string[]): AsyncGenerator<Buffer | string> {
  const re = /<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([^"]+)"/g;
  let tail = '';
  for await (const chunk of chunks) {
    const text = tail + chunk.toString();
    let end = 0;
    for (const m of text.matchAll(re)) {
      into.push(m[1]!);
      end = m.index + m[0].length;
    }
    // Keep enough of the end for a tag cut across two chunks, never a range already noted.
    tail = text.slice(Math.max(end, text.length - 512));
    yield chunk;
  }
}
