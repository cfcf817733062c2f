import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { TFieldError } from '../../../shared/errors.ts';

/**
 * The e-file and bank-scroll formats (docs/PD-EFILE.md), as pure functions: writing an e-file,
 * and reading a scroll into rows or row-level errors. Nothing here touches the database.
 */

export const EFILE_FORMAT_VERSION = '1';
export const SCROLL_HEADER = ['efile_no', 'echeque_no', 'amount_paise', 'status', 'bank_ref', 'value_date', 'reason'] as const;
export const MAX_SCROLL_ROWS = 1000;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const csvLine = (fields: readonly (string | number)[]) => `${fields.map(csvField).join(',')}\n`;

export type EfileLine = {
  echequeId: number;
  accountNo: string;
  payeeName: string;
  payeeAccountNo: string;
  payeeIfsc: string;
  amountPaise: number;
};

/**
 * The e-file's text: a header line, one detail line per e-cheque in e-cheque number order (seq
 * 1…n), and a trailer with the count, the total and the SHA-256 of the detail lines, so the bank
 * can check that nothing was lost or changed. UTF-8, LF line ends.
 */
export function buildEfile(h: { fileNo: string; treasuryCode: string; createdOn: string }, lines: readonly EfileLine[]): string {
  const sorted = [...lines].sort((a, b) => a.echequeId - b.echequeId);
  const total = sorted.reduce((s, l) => s + l.amountPaise, 0);
  const details = sorted.map((l, i) => csvLine(['D', i + 1, l.echequeId, l.accountNo, l.payeeName, l.payeeAccountNo, l.payeeIfsc, l.amountPaise])).join('');
  const digest = createHash('sha256').update(details, 'utf8').digest('hex');
  return (
    csvLine(['H', 'PDEFILE', EFILE_FORMAT_VERSION, h.fileNo, h.treasuryCode, h.createdOn, sorted.length, total]) +
    details +
    csvLine(['T', sorted.length, total, digest])
  );
}

/** The e-file's number: EF, the treasury's code, the IST date and the e-file's id. */
export function efileNo(treasuryCode: string, createdOn: string, id: number): string {
  return `EF${treasuryCode}${createdOn.replaceAll('-', '')}${String(id).padStart(6, '0')}`;
}

/** Is this upload a text file? UTF-8 without NUL or other control bytes (tab, CR, LF allowed). */
export function scrollText(buf: Buffer): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return null;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return null;
  return text.replace(/^\uFEFF/, '');
}

export type ScrollRow = {
  row: number;
  efileNo: string;
  echequeId: number;
  amountPaise: number;
  outcome: 'paid' | 'failed';
  bankRef: string;
  valueDate: string | null;
  reason: string;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: string) => ISO_DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Reads a scroll's text: the header line, then one row per e-cheque. Each line is checked on its
 * own (field count, each column's form); the file's rows and its errors come back together, every
 * error naming its row (the line number, header = row 1). Facts about e-cheques are checked by
 * the service against the database.
 */
export function readScroll(text: string, today: string): { rows: ScrollRow[]; errors: TFieldError[] } {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const errors: TFieldError[] = [];
  const rows: ScrollRow[] = [];
  const header = SCROLL_HEADER.join(',');
  const cellsOf = (line: string): string[] | null => {
    try {
      const parsed = parse(line, { relax_column_count: true, trim: true }) as string[][];
      return parsed[0] ?? [''];
    } catch {
      return null;
    }
  };
  const head = cellsOf(lines[0] ?? '');
  if (!head || head.map((c) => c.toLowerCase()).join(',') !== header) {
    errors.push({ field: 'rows.1', code: 'scroll_header', params: { row: 1, header } });
    return { rows, errors };
  }
  if (lines.length < 2) {
    errors.push({ field: 'rows.2', code: 'scroll_empty', params: { row: 2 } });
    return { rows, errors };
  }
  if (lines.length - 1 > MAX_SCROLL_ROWS) {
    errors.push({ field: 'rows', code: 'too_many_rows', params: { max: MAX_SCROLL_ROWS } });
    return { rows, errors };
  }
  for (let i = 1; i < lines.length; i++) {
    const row = i + 1;
    const bad = (column: string, value: string) =>
      errors.push({ field: `rows.${row}.${column}`, code: 'scroll_malformed', params: { row, column, value: value.slice(0, 40) } });
    const cells = cellsOf(lines[i]!);
    if (!cells) {
      bad('line', lines[i]!);
      continue;
    }
    if (cells.length !== SCROLL_HEADER.length) {
      errors.push({ field: `rows.${row}`, code: 'scroll_field_count', params: { row, count: cells.length, expected: SCROLL_HEADER.length } });
      continue;
    }
    const [efile, echeque, amount, status, bankRef, valueDate, reason] = cells as [string, string, string, string, string, string, string];
    const before = errors.length;
    if (!/^EF[0-9A-Za-z]{1,40}$/.test(efile)) bad('efile_no', efile);
    if (!/^[1-9][0-9]{0,9}$/.test(echeque) || Number(echeque) > 2_147_483_647) bad('echeque_no', echeque);
    if (!/^[1-9][0-9]{0,14}$/.test(amount) || !Number.isSafeInteger(Number(amount))) bad('amount_paise', amount);
    const st = status.toUpperCase();
    if (st !== 'PAID' && st !== 'FAILED') bad('status', status);
    if (st === 'PAID' && !/^[0-9A-Za-z]{6,30}$/.test(bankRef)) bad('bank_ref', bankRef);
    if (st === 'FAILED' && bankRef !== '' && !/^[0-9A-Za-z]{1,30}$/.test(bankRef)) bad('bank_ref', bankRef);
    const dateNeeded = st === 'PAID' || valueDate !== '';
    if (dateNeeded && (!validDate(valueDate) || valueDate > today || valueDate < '2000-01-01')) bad('value_date', valueDate);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a reason is one line of plain text.
    if (st === 'FAILED' && (reason.length < 2 || reason.length > 200 || /[\u0000-\u001f]/.test(reason))) bad('reason', reason);
    if (st === 'PAID' && reason.length > 200) bad('reason', reason);
    if (errors.length > before) continue;
    rows.push({
      row,
      efileNo: efile,
      echequeId: Number(echeque),
      amountPaise: Number(amount),
      outcome: st === 'PAID' ? 'paid' : 'failed',
      bankRef: bankRef.toUpperCase(),
      valueDate: valueDate === '' ? null : valueDate,
      reason: st === 'FAILED' ? reason : '',
    });
  }
  return { rows, errors };
}

/** A scroll line, as a bank would write it (tests, demo and the docs' example use it). */
export function scrollLine(r: Omit<ScrollRow, 'row'>): string {
  return csvLine([r.efileNo, r.echequeId, r.amountPaise, r.outcome === 'paid' ? 'PAID' : 'FAILED', r.bankRef, r.valueDate ?? '', r.reason]);
}
export const scrollHeaderLine = () => `${SCROLL_HEADER.join(',')}\n`;
