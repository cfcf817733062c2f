import type ExcelJS from 'exceljs';
import { excel } from './excel.ts';
import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import type { TFieldCode } from '../../../shared/errors.ts';
import { AppError } from '../errors.ts';

/**
 * Generic tabular files for imports and exports (CSV and Excel), reused by every module:
 * - `readTable` turns an uploaded CSV or XLSX (told apart by content, not by name) into row
 *   objects keyed by the header row;
 * - `validateRows` checks every row with a Zod schema and reports every bad cell with its
 *   spreadsheet row number (the header is row 1);
 * - `writeCsv` / `writeXlsx` write rows back (CSV with a UTF-8 BOM so that Excel shows Hindi).
 */

export type Cell = string;
export type RawRow = Record<string, Cell>;
export type Table = { headers: string[]; rows: { row: number; cells: RawRow }[] };
export type RowError = { row: number; field: string; code: TFieldCode; params?: Record<string, string | number> };

export const MAX_IMPORT_ROWS = 50_000;
const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isXlsx(buf: Buffer): boolean {
  return XLSX_MAGIC.every((b, i) => buf[i] === b);
}

/**
 * Cells that a spreadsheet would run as a formula get a leading apostrophe on export (CSV
 * injection): OWASP's list — `=`, `+`, `-`, `@`, tab and carriage return. A plain negative
 * number (`-12`, `-3.5`) is left alone: it opens as that number, and reductions are negative.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NEGATIVE = /^-\d+(\.\d+)?$/;
function unguard(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}
export function guard(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NEGATIVE.test(s) ? `'${s}` : s;
}

export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v);
}

/**
 * Reads a CSV or XLSX file into rows keyed by (trimmed) header; blank rows are skipped. With
 * `aliases` (header words → column key, e.g. from `headerAliases`), a file that is one of our
 * report exports reads back too: the header row is the first of the first ten rows that names a
 * known column (the title block above it is skipped) and its words become the keys.
 */
export async function readTable(buf: Buffer, opts: { aliases?: ReadonlyMap<string, string> } = {}): Promise<Table> {
  let matrix: string[][];
  if (isXlsx(buf)) {
    const wb = new (await excel()).Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new AppError('unsupported_media_type');
    }
    const ws = wb.worksheets[0];
    matrix = [];
    if (ws) {
      const width = ws.columnCount;
      ws.eachRow({ includeEmpty: true }, (r, n) => {
        const cells: string[] = [];
        for (let c = 1; c <= width; c++) cells.push(cellText(r.getCell(c).value));
        matrix[n - 1] = cells;
      });
      for (let i = 0; i < matrix.length; i++) matrix[i] ??= [];
    }
  } else {
    if (buf.includes(0)) throw new AppError('unsupported_media_type');
    try {
      matrix = parse(buf, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch {
      throw new AppError('import_invalid', { errors: [{ field: 'file', code: 'invalid_format' }] });
    }
  }
  return tableOf(matrix, opts.aliases);
}

/** A matrix of cell texts → a Table (the header row found as `readTable` says; blank rows skipped). */
export function tableOf(matrix: string[][], aliases?: ReadonlyMap<string, string>): Table {
  let start = 0;
  if (aliases) {
    const found = matrix.slice(0, 10).findIndex((line) => (line ?? []).some((c) => aliases.has(c.trim())));
    if (found > 0) start = found;
  }
  const headers = (matrix[start] ?? []).map((h) => h.trim()).map((h) => aliases?.get(h) ?? h);
  const rows: Table['rows'] = [];
  for (let i = start + 1; i < matrix.length; i++) {
    const line = matrix[i] ?? [];
    if (line.every((c) => c.trim() === '')) continue;
    const cells: RawRow = {};
    headers.forEach((h, j) => {
      if (h) cells[h] = unguard(line[j] ?? '');
    });
    rows.push({ row: i + 1, cells });
  }
  if (rows.length > MAX_IMPORT_ROWS) throw new AppError('payload_too_large');
  return { headers, rows };
}

/** What a strictly read workbook holds: each sheet as a matrix of cell texts, and what a template must not have. */
export type StrictWorkbook = {
  sheets: Map<string, string[][]>;
  /** Sheets beyond the expected ones. */
  extraSheets: string[];
  /** Cells holding a formula (`sheet!A1`), whatever their cached result. */
  formulas: string[];
};

/**
 * Reads an uploaded Excel workbook for a template import (bulk onboarding): XLSX by content (a
 * PDF or anything else renamed `.xlsx` is `unsupported_media_type`), every sheet as cell texts
 * (dates as ISO dates), and what the caller must refuse: sheets other than `expected`, and any
 * formula (a formula's cached value is whatever the last program computed; we never trust it).
 */
export async function readStrictWorkbook(buf: Buffer, expected: readonly string[]): Promise<StrictWorkbook> {
  const { ValueType } = await excel();
  if (!isXlsx(buf)) throw new AppError('unsupported_media_type', { errors: [{ field: 'file', code: 'file_not_spreadsheet' }] });
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('unsupported_media_type', { errors: [{ field: 'file', code: 'file_not_spreadsheet' }] });
  }
  const out: StrictWorkbook = { sheets: new Map(), extraSheets: [], formulas: [] };
  for (const ws of wb.worksheets) {
    if (!expected.includes(ws.name)) out.extraSheets.push(ws.name);
    const matrix: string[][] = [];
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (r, n) => {
      const line: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = r.getCell(c);
        if (cell.type === ValueType.Formula) out.formulas.push(`${ws.name}!${cell.address}`);
        line.push(cellText(cell.value));
      }
      matrix[n - 1] = line;
    });
    for (let i = 0; i < matrix.length; i++) matrix[i] ??= [];
    out.sheets.set(ws.name, matrix);
  }
  return out;
}

/** Headers the file must have (every one) and may have (no others). */
export function checkHeaders(table: Table, expected: readonly string[]): RowError[] {
  const errors: RowError[] = [];
  for (const h of expected) if (!table.headers.includes(h)) errors.push({ row: 1, field: h, code: 'required' });
  for (const h of table.headers) if (h && !expected.includes(h)) errors.push({ row: 1, field: h, code: 'unknown_field' });
  return errors;
}

/** A Zod issue → our field error code (the same vocabulary as the API's 400s). */
export function fieldCodeOf(issue: z.core.$ZodIssue, input?: unknown): { code: TFieldCode; params?: Record<string, string | number> } {
  const i = issue as z.core.$ZodIssue & {
    origin?: string;
    expected?: string;
    format?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    params?: { code?: TFieldCode };
  };
  const missing = input === undefined || input === null || input === '';
  switch (i.code) {
    case 'too_small':
      if (i.origin === 'string') return Number(i.minimum) === 1 ? { code: 'required' } : { code: 'too_short', params: { min: Number(i.minimum) } };
      return { code: 'too_small', params: { min: Number(i.minimum) } };
    case 'too_big':
      return i.origin === 'string' ? { code: 'too_long', params: { max: Number(i.maximum) } } : { code: 'too_big', params: { max: Number(i.maximum) } };
    case 'invalid_type':
      if (missing) return { code: 'required' };
      if (i.expected === 'int' || i.expected === 'number') return { code: 'not_integer' };
      return { code: i.expected === 'boolean' ? 'invalid_value' : 'invalid_type' };
    case 'invalid_format':
      return { code: i.format === 'email' ? 'email_format' : 'invalid_format' };
    case 'unrecognized_keys':
      return { code: 'unknown_field' };
    case 'custom':
      return { code: i.params?.code ?? 'invalid_value' };
    default:
      return { code: missing ? 'required' : 'invalid_value' };
  }
}

/**
 * Validates every row with `schema`. `prepare` turns cells into the schema's input (numbers,
 * booleans, looked-up references) and may report errors of its own through `fail`; `fieldName`
 * maps a schema path back to the file's column name. Never stops at the first bad row.
 */
export function validateRows<S extends z.ZodTypeAny>(
  table: Table,
  schema: S,
  opts: {
    prepare?: (cells: RawRow, fail: (field: string, code: TFieldCode) => void) => Record<string, unknown>;
    fieldName?: (path: string) => string;
  } = {},
): { ok: { row: number; value: z.infer<S> }[]; errors: RowError[] } {
  const ok: { row: number; value: z.infer<S> }[] = [];
  const errors: RowError[] = [];
  const prepare = opts.prepare ?? ((c: RawRow) => c);
  const fieldName = opts.fieldName ?? ((p: string) => p);
  for (const r of table.rows) {
    const seen = new Set<string>();
    const own: RowError[] = [];
    const input = prepare(r.cells, (field, code) => {
      if (!seen.has(field)) own.push({ row: r.row, field, code });
      seen.add(field);
    });
    const res = schema.safeParse(input);
    errors.push(...own);
    if (res.success) {
      if (own.length === 0) ok.push({ row: r.row, value: res.data });
      continue;
    }
    for (const issue of res.error.issues) {
      const path = issue.path.map(String).join('.') || ((issue as { keys?: string[] }).keys ?? []).join(',');
      const field = fieldName(path);
      if (seen.has(field)) continue;
      seen.add(field);
      const value = issue.path.reduce<unknown>(
        (o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined),
        input,
      );
      errors.push({ row: r.row, field, ...fieldCodeOf(issue, value) });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { ok, errors };
}

/** Cell helpers for `prepare`: blank → undefined, whole numbers → numbers, yes/no → booleans. */
export const cells = {
  text: (v: string | undefined) => (v === undefined ? undefined : v.trim()),
  int: (v: string | undefined): unknown => {
    const s = v?.trim() ?? '';
    if (s === '') return undefined;
    return /^-?\d+$/.test(s) ? Number(s) : s;
  },
  bool: (v: string | undefined): unknown => {
    const s = (v ?? '').trim().toLowerCase();
    if (s === '') return undefined;
    if (['true', 'yes', 'y', '1', 'हाँ', 'हां', 'सक्रिय'].includes(s)) return true;
    if (['false', 'no', 'n', '0', 'नहीं', 'निष्क्रिय'].includes(s)) return false;
    return s;
  },
};

export type Column<R> = { key: string; header?: string; value: (r: R) => string | number | boolean | null | undefined };

function csvField(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function text(v: string | number | boolean | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

/** CSV (RFC 4180, CRLF) with a UTF-8 byte-order mark so that Excel opens Hindi correctly. */
export function writeCsv<R>(columns: Column<R>[], rows: Iterable<R>): Buffer {
  const lines = [columns.map((c) => csvField(c.header ?? c.key)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(guard(text(c.value(r))))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** An Excel workbook of one sheet; every cell is text so that codes like "01" keep their zeros. */
export async function writeXlsx<R>(columns: Column<R>[], rows: Iterable<R>, sheetName = 'Sheet1'): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = 'ROAMS';
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = columns.map((c) => ({
    header: c.header ?? c.key,
    key: c.key,
    width: Math.max(12, Math.min(50, (c.header ?? c.key).length + 4)),
    style: { numFmt: '@' },
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const values: Record<string, string> = {};
    for (const c of columns) values[c.key] = text(c.value(r));
    ws.addRow(values);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
