/**
 * The EPFO Electronic Challan-cum-Return (ECR), version 2 ("UAN based"), as the employer uploads
 * it to the EPFO unified portal: a plain-text file, one member per line, eleven fields separated
 * by `#~#` (hash tilde hash), in this order:
 *
 *   1 UAN (12 digits) · 2 member name · 3 gross wages · 4 EPF wages · 5 EPS wages · 6 EDLI wages ·
 *   7 EPF contribution (EE share) remitted · 8 EPS contribution remitted · 9 EPF–EPS difference
 *   (ER share) remitted · 10 NCP days · 11 refund of advances
 *
 * Amounts are whole rupees ("numbers only, no special character and not in decimals"); a UAN may
 * appear once per file ("two lines with same member id will not be accepted in a single ECR text
 * file"); NCP days have at most two digits.
 *
 * Sources (read 2026-12): EPFO, "ECR file structure" (old member-id format, field widths and the
 * numbers-only / no-duplicate rules), copy at expydoc.com/doc/4335291; "ECR validation tool: new
 * revised EPF process explained" (knowinfonow.com, 2017-01), which lists the eleven UAN-based
 * fields in this order with examples such as
 * `100427607286#~#xy#~#15000#~#15000#~#15000#~#15000#~#1800#~#1250#~#550#~#0#~#0`; EPFO's
 * higher-wages file structure (same `#~#` separator rule).
 *
 * Pure and linear: the text is walked line by line (no split of the whole file into an array of
 * arrays, no quadratic duplicate search — one Map), so 50,000 lines parse in well under a second.
 * Names are kept as given (Devanagari and other scripts allowed), trimmed and NFC-normalised.
 */

export const ECR_SEPARATOR = '#~#';
export const ECR_COLUMNS = 11;
/** More lines than any establishment files in one ECR here; beyond it the file is refused. */
export const ECR_MAX_LINES = 100_000;
/** The name field's width in the EPFO file structure. */
export const ECR_NAME_MAX = 85;

/** One member line, amounts in whole rupees. */
export type EcrRow = {
  line: number;
  uan: string;
  name: string;
  grossWages: number;
  epfWages: number;
  epsWages: number;
  edliWages: number;
  eeShare: number;
  epsShare: number;
  erShare: number;
  ncpDays: number;
  refund: number;
};

export type EcrProblemReason =
  | 'ecr_empty'
  | 'ecr_separator'
  | 'ecr_columns'
  | 'ecr_uan'
  | 'ecr_name'
  | 'ecr_amount'
  | 'ecr_negative'
  | 'ecr_ncp_days'
  | 'ecr_duplicate_uan'
  | 'ecr_too_many_lines';

/** Why a line was refused: its number (1-based), the reason, and the column or the first line of a duplicate. */
export type EcrProblem = { line: number; reason: EcrProblemReason; column?: EcrAmountColumn | 'uan' | 'name'; count?: number; firstLine?: number };

export const ECR_AMOUNT_COLUMNS = ['grossWages', 'epfWages', 'epsWages', 'edliWages', 'eeShare', 'epsShare', 'erShare', 'ncpDays', 'refund'] as const;
export type EcrAmountColumn = (typeof ECR_AMOUNT_COLUMNS)[number];

/** The 1-based position of a column in the line (messages name it so, in any language). */
export function ecrColumnNo(column: EcrAmountColumn | 'uan' | 'name'): number {
  if (column === 'uan') return 1;
  if (column === 'name') return 2;
  return 3 + ECR_AMOUNT_COLUMNS.indexOf(column);
}

/** Whole rupees: at most 10 digits (the EPFO width "Number (10)"). */
const WHOLE = /^\d{1,10}$/;
const NEGATIVE = /^-\s*\d+(\.\d+)?$/;
const UAN = /^\d{12}$/;
/** Other separators people use when they save a spreadsheet instead of the EPFO text. */
const OTHER_SEPARATOR = /[,\t|;]|#~(?!#)|~#/;

/** The lines of a text, with their 1-based numbers, without building an array of the whole file. */
export function* ecrLines(text: string): Generator<{ no: number; text: string }> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  let no = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    no += 1;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    yield { no, text: line };
    start = end + 1;
  }
}

/**
 * Parses an ECR text. Returns the rows and the problems (at most `maxProblems`, in line order;
 * `problemCount` counts them all). Blank lines are skipped; any problem means the file is refused
 * as a whole (the caller saves nothing).
 */
export function parseEcr(text: string, maxProblems = 200): { rows: EcrRow[]; problems: EcrProblem[]; problemCount: number } {
  const rows: EcrRow[] = [];
  const problems: EcrProblem[] = [];
  let problemCount = 0;
  const seen = new Map<string, number>();
  const report = (p: EcrProblem) => {
    problemCount += 1;
    if (problems.length < maxProblems) problems.push(p);
  };
  let members = 0;
  for (const { no, text: raw } of ecrLines(text)) {
    if (raw.trim() === '') continue;
    members += 1;
    if (members > ECR_MAX_LINES) {
      report({ line: no, reason: 'ecr_too_many_lines', count: ECR_MAX_LINES });
      break;
    }
    if (!raw.includes(ECR_SEPARATOR)) {
      report({ line: no, reason: 'ecr_separator' });
      continue;
    }
    const fields = raw.split(ECR_SEPARATOR);
    if (fields.length !== ECR_COLUMNS) {
      // "a#~#b,c" (a spreadsheet's commas inside) reads as too few columns: name the separator.
      report(
        fields.some((f) => OTHER_SEPARATOR.test(f)) && fields.length < ECR_COLUMNS
          ? { line: no, reason: 'ecr_separator' }
          : { line: no, reason: 'ecr_columns', count: fields.length },
      );
      continue;
    }
    const [uanRaw, nameRaw, ...amountsRaw] = fields as [string, string, ...string[]];
    const uan = uanRaw.trim();
    let bad = false;
    if (!UAN.test(uan)) {
      report({ line: no, reason: 'ecr_uan', column: 'uan' });
      bad = true;
    }
    const name = nameRaw.trim().normalize('NFC');
    if (name === '' || name.length > ECR_NAME_MAX) {
      report({ line: no, reason: 'ecr_name', column: 'name' });
      bad = true;
    }
    const amounts: number[] = [];
    ECR_AMOUNT_COLUMNS.forEach((column, i) => {
      const v = (amountsRaw[i] ?? '').trim();
      if (WHOLE.test(v)) {
        const n = Number(v);
        if (column === 'ncpDays' && n > 31) {
          report({ line: no, reason: 'ecr_ncp_days', column });
          bad = true;
        }
        amounts.push(n);
      } else {
        report({ line: no, reason: NEGATIVE.test(v) ? 'ecr_negative' : 'ecr_amount', column });
        bad = true;
        amounts.push(0);
      }
    });
    if (UAN.test(uan)) {
      const first = seen.get(uan);
      if (first !== undefined) {
        report({ line: no, reason: 'ecr_duplicate_uan', column: 'uan', firstLine: first });
        bad = true;
      } else seen.set(uan, no);
    }
    if (bad) continue;
    const [grossWages, epfWages, epsWages, edliWages, eeShare, epsShare, erShare, ncpDays, refund] = amounts as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    rows.push({ line: no, uan, name, grossWages, epfWages, epsWages, edliWages, eeShare, epsShare, erShare, ncpDays, refund });
  }
  if (members === 0) report({ line: 1, reason: 'ecr_empty' });
  return { rows, problems, problemCount };
}

/** One ECR line from a row (tests, the demo, and a download of what was parsed). */
export function formatEcrLine(r: Omit<EcrRow, 'line'>): string {
  return [r.uan, r.name, r.grossWages, r.epfWages, r.epsWages, r.edliWages, r.eeShare, r.epsShare, r.erShare, r.ncpDays, r.refund].join(ECR_SEPARATOR);
}

/**
 * Looks like text? Refuses binary uploads (a PDF, a spreadsheet, an image renamed .txt): a NUL
 * byte, or invalid UTF-8, anywhere in the bytes.
 */
export function decodeEcrText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Rupees in the ECR to paise. */
export const rupeesToPaise = (r: number): number => r * 100;

/**
 * The billed EPF wage in whole rupees, as the ECR states wages: half a rupee and more rounds up
 * (EPFO rounds contributions to the nearest rupee; the invoice engine bills EPF "rupee_half_up").
 */
export const billedRupees = (paise: number): number => Math.floor((paise + 50) / 100);
