import { fiscalYearLabel, fiscalYearStart } from '../../../shared/domain/dates.ts';

/**
 * Pure rules of invoices (spec 06). Choices written down (also in docs/INVOICES.md):
 * - Invoice number `PREFIX/YYYY/NNNN`: the agency's prefix (1–6 letters or digits, default
 *   'INV'), the financial year of the invoice date as its two years' last digits ('2627' for
 *   2026-27) and the number in the year, at least four digits: at most 6 + 1 + 4 + 1 + 4 = 16
 *   characters (GST rule 46). The long form '2026-27' would make a six-letter prefix 19. A year's
 *   10,000th number would pass 16 with a long prefix: refused (`invoice_series_full`).
 * - Credit notes take the next number of the same series.
 * - The month may be invoiced once it is over (its last day is before today, IST), and only if
 *   it overlaps the in-force version's period.
 */

export const DEFAULT_PREFIX = 'INV';
export const NUMBER_MAX = 16;
export const NUMBER_RE = /^[A-Za-z0-9/-]{1,16}$/;

/** The financial year of a date, as the series names it: '2026-27'. */
export function seriesYear(isoDate: string): string {
  return fiscalYearLabel(fiscalYearStart(isoDate));
}

/** The n-th number of a series; null when it would be longer than 16 characters. */
export function invoiceNumber(prefix: string, fy: string, n: number): string | null {
  const yy = `${fy.slice(2, 4)}${fy.slice(5, 7)}`;
  const s = `${prefix}/${yy}/${String(n).padStart(4, '0')}`;
  return s.length <= NUMBER_MAX && NUMBER_RE.test(s) ? s : null;
}

export function validPrefix(p: string): boolean {
  return /^[A-Z0-9]{1,6}$/.test(p);
}

/** First and last day and the number of days of a 'YYYY-MM' month. */
export function monthRange(month: string): { first: string; last: string; days: number } {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}`, days };
}

/** The start of the ESIC contribution period a month falls in: 1 April (April–September) or 1 October (October–March). */
export function esicPeriodStart(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  if (m >= 4 && m <= 9) return `${y}-04-01`;
  return m >= 10 ? `${y}-10-01` : `${y - 1}-10-01`;
}

/** The agency's GSTIN state code is the portal's: CGST + SGST; otherwise IGST. */
export function isIntraState(gstin: string, portalStateCode: string): boolean {
  return gstin.slice(0, 2) === portalStateCode;
}

/** 'XXXX XXXX 1234' from the last four digits ('' when unknown: 'XXXX XXXX XXXX'). */
export function maskAadhaar(last4: string | null | undefined): string {
  return `XXXX XXXX ${last4 && /^[0-9]{4}$/.test(last4) ? last4 : 'XXXX'}`;
}

/** The portal's state code (GSTIN's first two digits): PORTAL_STATE_CODE, default Madhya Pradesh's 23. */
export function portalStateCode(): string {
  const v = process.env.PORTAL_STATE_CODE ?? '';
  return /^[0-9]{2}$/.test(v) ? v : '23';
}

/** Where the public pages live, for the QR code: PUBLIC_BASE_URL, default http://localhost:PORT. */
export function publicBaseUrl(): string {
  const v = process.env.PUBLIC_BASE_URL?.trim();
  if (v && /^https?:\/\//.test(v)) return v.replace(/\/+$/, '');
  return `http://localhost:${process.env.PORT ?? '3000'}`;
}

export function verifyUrl(invoiceNo: string, agencyId: number, hash: string): string {
  const q = new URLSearchParams({ no: invoiceNo, agency: String(agencyId), h: hash });
  return `${publicBaseUrl()}/verify/invoice?${q.toString()}`;
}
