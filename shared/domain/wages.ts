/**
 * Minimum-wage arithmetic in integer paise (spec 06 "Rates and heads are data, not code").
 * No floating point touches an amount: rupee strings are parsed digit by digit.
 */

/** Working days a monthly wage is divided by for the day rate. */
export const DAYS_PER_MONTH = 26;

/** a ÷ b rounded half-up, for non-negative integers (paise). */
export function divideHalfUp(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0)
    throw new RangeError('divideHalfUp needs a non-negative integer and a positive divisor');
  const q = Math.floor(a / b);
  const r = a - q * b;
  return r * 2 >= b ? q + 1 : q;
}

/**
 * The day rate of a monthly wage: basic ÷ 26 and VDA ÷ 26, each rounded half-up to the paisa
 * first, then added (skilled from 1 Oct 2025: 472.85 + 99.04 = ₹571.89, not 14,869 ÷ 26 = 571.88).
 */
export function dayRatePaise(basicPaise: number, vdaPaise: number): number {
  return divideHalfUp(basicPaise, DAYS_PER_MONTH) + divideHalfUp(vdaPaise, DAYS_PER_MONTH);
}

/**
 * A rupee amount as typed ("12,294", "12294.5", "₹ 12,294.00") → integer paise, or null when it is
 * not a non-negative amount with at most two decimals. Indian or Western digit grouping is accepted.
 */
export function parseRupees(input: string): number | null {
  const s = input.trim().replace(/^₹\s*/, '').replace(/,/g, '');
  const m = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const paise = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(paise) ? paise : null;
}

/** Integer paise → the plain rupee string a form field shows ("12294.00"). */
export function paiseToInput(paise: number): string {
  const neg = paise < 0;
  const abs = Math.abs(paise);
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The latest VDA revision date (1 April or 1 October, when Madhya Pradesh revises VDA) on or before
 * `iso` ('YYYY-MM-DD'): 2026-11-25 → 2026-10-01; 2026-03-31 → 2025-10-01.
 */
export function lastRevisionDate(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const md = iso.slice(5, 10);
  if (md >= '10-01') return `${y}-10-01`;
  if (md >= '04-01') return `${y}-04-01`;
  return `${y - 1}-10-01`;
}
