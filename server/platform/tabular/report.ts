import type ExcelJS from 'exceljs';
import { excel } from './excel.ts';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Actor } from '../context.ts';
import { translator } from '../i18n/i18n.ts';
import { guard } from './tabular.ts';

/**
 * List exports that read like reports (issue 12, item 2), declared once per module as columns:
 * - a header from the catalogs in the request's language; names and master values in that
 *   language (the other as fallback);
 * - dates dd/mm/yyyy, times in IST; in Excel real date cells with a dd/mm/yyyy format;
 * - yes / no words (हाँ / नहीं), status codes as their translated labels;
 * - numbers as numbers; money (integer paise) as rupees: in Excel a number with an Indian ₹
 *   format, in CSV plain `12345.67` under a header that says (₹);
 * - a title block (what, by whom, when in IST, which filters in words) above the header row;
 *   Excel: merged title, sized columns, header frozen, bold and filtered.
 * Formula injection stays neutralised: text cells pass through `guard` in CSV and are plain
 * strings (never formulas) in Excel.
 */

export type ColumnKind = 'text' | 'date' | 'datetime' | 'boolean' | 'money' | 'number' | 'enum';
type Value = string | number | boolean | Date | null | undefined;

export type ReportColumn<R> = {
  /** A catalog key for the header, e.g. `sanction.field.orderNo`. */
  header: string;
  kind: ColumnKind;
  /** text: any; date: 'YYYY-MM-DD'; datetime: Date or ISO timestamp; boolean; money: integer paise; number; enum: a code. */
  value: (r: R, locale: TLocale) => Value;
  /** For `enum`: the catalog prefix of the labels (`contract.status` → `contract.status.active`). */
  labels?: string;
};

/** A filter the list was narrowed by: a catalog key for its name and its value in words. */
export type ReportFilter = { label: string; value: string };

export type ReportMeta = {
  /** A catalog key naming what was exported, e.g. `export.title.contracts`. */
  title: string;
  titleParams?: Record<string, string>;
  actor: Pick<Actor, 'name' | 'role'>;
  locale: TLocale;
  now: Date;
  filters: ReportFilter[];
  sheetName?: string;
};

export const MONEY_FORMAT = '[$₹-4009] #,##,##0.00';
export const DATE_FORMAT = 'dd/mm/yyyy';
export const DATETIME_FORMAT = 'dd/mm/yyyy hh:mm';
const IST_OFFSET_MS = 330 * 60_000;

/** A name in the caller's language, the other language when that one is blank. */
export function inLocale(locale: TLocale, en: string | null | undefined, hi: string | null | undefined): string {
  const [first, second] = locale === 'hi' ? [hi, en] : [en, hi];
  return first?.trim() ? first : (second ?? '');
}

/** Integer paise → '12345.67' (no floating point; a minus sign for a negative amount). */
export function rupeesText(paise: number): string {
  const v = BigInt(Math.trunc(paise));
  const abs = v < 0n ? -v : v;
  return `${v < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** The title block's lines (the same words in CSV and Excel). */
export function titleLines(meta: ReportMeta, rows: number): string[] {
  const t = translator(meta.locale);
  const filters = meta.filters.length ? meta.filters.map((f) => `${t(f.label)}: ${f.value}`).join('; ') : t('export.noFilters');
  return [
    t(meta.title, meta.titleParams ?? {}),
    t('export.exportedBy', { name: meta.actor.name, role: t(`common.roles.${meta.actor.role}`) }),
    t('export.exportedOn', { when: `${formatDateTimeIst(meta.now)} IST` }),
    t('export.filters', { filters }),
    t('export.rows', { count: rows }),
  ];
}

type T = (key: string, opts?: Record<string, unknown>) => string;

/** The translator with its answers remembered: a list of 100,000 rows asks for the same few words again and again. */
function remembering(locale: TLocale): T {
  const t = translator(locale) as unknown as T;
  const seen = new Map<string, string>();
  return (key, opts) => {
    if (opts && Object.keys(opts).some((k) => k !== 'defaultValue')) return t(key, opts);
    let v = seen.get(key);
    if (v === undefined) {
      v = t(key, opts);
      seen.set(key, v);
    }
    return v;
  };
}

function headerOf(t: T, c: Pick<ReportColumn<unknown>, 'header' | 'kind'>): string {
  const h = t(c.header);
  if (c.kind === 'money') return `${h} (₹)`;
  if (c.kind === 'datetime') return `${h} (IST)`;
  return h;
}

function isoDate(v: Value): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** The cell as text (CSV), in the report's words. */
function textOf(t: T, c: ReportColumn<unknown>, v: Value): string {
  if (v === null || v === undefined || v === '') return '';
  switch (c.kind) {
    case 'date':
      return formatDate(isoDate(v)!);
    case 'datetime':
      return formatDateTimeIst(v instanceof Date ? v : String(v));
    case 'boolean':
      return t(v ? 'common.yes' : 'common.no');
    case 'money':
      return rupeesText(Number(v));
    case 'number':
      return String(v);
    case 'enum':
      return c.labels ? t(`${c.labels}.${String(v)}`, { defaultValue: String(v) }) : String(v);
    default:
      return guard(String(v));
  }
}

/** The cell as an Excel value: dates as Date (UTC midnight = that calendar day), IST wall clock for times, rupees as numbers. */
function xlsxOf(t: T, c: ReportColumn<unknown>, v: Value): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  switch (c.kind) {
    case 'date': {
      const [y, m, d] = isoDate(v)!.split('-').map(Number);
      return new Date(Date.UTC(y!, m! - 1, d!));
    }
    case 'datetime':
      return new Date(new Date(v instanceof Date ? v : String(v)).getTime() + IST_OFFSET_MS);
    case 'money':
      return Number(v) / 100;
    case 'number':
      return Number(v);
    case 'text':
      return String(v);
    default:
      return textOf(t, c, v);
  }
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV: the title lines, a blank line, the header row, the rows (CRLF, UTF-8 with BOM so that Excel shows Hindi). */
export function writeReportCsv<R>(meta: ReportMeta, columns: ReportColumn<R>[], rows: readonly R[]): Buffer {
  const t = remembering(meta.locale);
  const cols = columns as ReportColumn<unknown>[];
  const lines = titleLines(meta, rows.length).map((l) => csvField(guard(l)));
  lines.push('');
  lines.push(cols.map((c) => csvField(headerOf(t, c))).join(','));
  for (const r of rows) lines.push(cols.map((c) => csvField(textOf(t, c, c.value(r, meta.locale)))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** Rows of the title block in Excel (title, by, on, filters, count, blank); the header follows. */
export const XLSX_HEADER_ROW = 7;

/** Excel: a merged bold title, the title lines, then a bold, frozen, filtered header row; typed, formatted cells; sized columns. */
export async function writeReportXlsx<R>(meta: ReportMeta, columns: ReportColumn<R>[], rows: readonly R[]): Promise<Buffer> {
  const t = remembering(meta.locale);
  const cols = columns as ReportColumn<unknown>[];
  const wb = new (await excel()).Workbook();
  wb.creator = 'ROAMS';
  wb.created = meta.now;
  const ws = wb.addWorksheet((meta.sheetName ?? 'Sheet1').replace(/[\\/?*[\]:]/g, '-').slice(0, 31), {
    views: [{ state: 'frozen', ySplit: XLSX_HEADER_ROW }],
  });
  const width = Math.max(cols.length, 1);
  const lines = titleLines(meta, rows.length);
  lines.forEach((line, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = line;
    if (width > 1) ws.mergeCells(i + 1, 1, i + 1, width);
    if (i === 0) row.font = { bold: true, size: 14 };
  });
  const headers = cols.map((c) => headerOf(t, c));
  const header = ws.getRow(XLSX_HEADER_ROW);
  header.values = headers;
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  const widths = headers.map((h) => Math.min(40, h.length + 2));
  cols.forEach((c, j) => {
    const col = ws.getColumn(j + 1);
    if (c.kind === 'text') col.numFmt = '@';
    if (c.kind === 'date') col.numFmt = DATE_FORMAT;
    if (c.kind === 'datetime') col.numFmt = DATETIME_FORMAT;
    if (c.kind === 'money') col.numFmt = MONEY_FORMAT;
  });
  rows.forEach((r, i) => {
    const row = ws.getRow(XLSX_HEADER_ROW + 1 + i);
    cols.forEach((c, j) => {
      const cell = row.getCell(j + 1);
      const v = xlsxOf(t, c, c.value(r, meta.locale));
      cell.value = v;
      const len = c.kind === 'date' ? 10 : c.kind === 'datetime' ? 16 : c.kind === 'money' ? 14 : v === null ? 0 : String(v).length;
      if (i < 1000) widths[j] = Math.min(60, Math.max(widths[j]!, len + 2));
    });
  });
  widths.forEach((w, j) => {
    ws.getColumn(j + 1).width = Math.max(10, w);
  });
  ws.autoFilter = { from: { row: XLSX_HEADER_ROW, column: 1 }, to: { row: XLSX_HEADER_ROW, column: width } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function writeReport<R>(format: 'csv' | 'xlsx', meta: ReportMeta, columns: ReportColumn<R>[], rows: readonly R[]): Promise<Buffer> {
  return format === 'xlsx' ? writeReportXlsx(meta, columns, rows) : writeReportCsv(meta, columns, rows);
}

/** The header row's words in both languages → the column's key (lets an import read back an export). */
export function headerAliases(columns: { key: string; header: string; kind: ColumnKind }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const locale of ['en', 'hi'] as const) {
    const t = remembering(locale);
    for (const c of columns) out.set(headerOf(t, c), c.key);
  }
  for (const c of columns) out.set(c.key, c.key);
  return out;
}
