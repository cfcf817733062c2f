/**
 * Indian tax and bank identifiers, checked the same way by the server (contracts) and the web
 * forms (before submit). Each check returns the field code of the first problem, or null; the
 * codes are keys under `validation.` in both catalogs. Inputs are trimmed and upper-cased
 * first (`normaliseId`), so `sbin0001308` is the IFSC `SBIN0001308`.
 */

export type TIdProblem = 'pan_format' | 'pan_holder_type' | 'gstin_format' | 'gstin_state_code' | 'gstin_check_char' | 'gstin_pan_mismatch' | 'ifsc_format';

export function normaliseId(v: string): string {
  return v.trim().toUpperCase();
}

/** PAN: 5 letters, 4 digits, 1 letter. */
export const PAN_RE = /^[A-Z]{5}[0-9]{4}[A-Z]$/;
/**
 * The 4th character of a PAN tells the holder type: Company, Person, HUF, Firm, AOP, Trust,
 * BOI, Local authority, artificial Juridical person, Government.
 */
export const PAN_HOLDER_TYPES = ['C', 'P', 'H', 'F', 'A', 'T', 'B', 'L', 'J', 'G'] as const;

export function panProblem(raw: string): TIdProblem | null {
  const v = normaliseId(raw);
  if (!PAN_RE.test(v)) return 'pan_format';
  if (!(PAN_HOLDER_TYPES as readonly string[]).includes(v[3]!)) return 'pan_holder_type';
  return null;
}

/**
 * GST state codes as published by GSTN: 01–38 (25 and 28 are the pre-merger Daman & Diu and
 * Andhra Pradesh codes, still valid on older registrations), 97 Other Territory, 99 Centre
 * Jurisdiction.
 */
export const GST_STATE_CODES: Readonly<Record<string, string>> = {
  '01': 'Jammu and Kashmir',
  '02': 'Himachal Pradesh',
  '03': 'Punjab',
  '04': 'Chandigarh',
  '05': 'Uttarakhand',
  '06': 'Haryana',
  '07': 'Delhi',
  '08': 'Rajasthan',
  '09': 'Uttar Pradesh',
  '10': 'Bihar',
  '11': 'Sikkim',
  '12': 'Arunachal Pradesh',
  '13': 'Nagaland',
  '14': 'Manipur',
  '15': 'Mizoram',
  '16': 'Tripura',
  '17': 'Meghalaya',
  '18': 'Assam',
  '19': 'West Bengal',
  '20': 'Jharkhand',
  '21': 'Odisha',
  '22': 'Chhattisgarh',
  '23': 'Madhya Pradesh',
  '24': 'Gujarat',
  '25': 'Daman and Diu',
  '26': 'Dadra and Nagar Haveli and Daman and Diu',
  '27': 'Maharashtra',
  '28': 'Andhra Pradesh (before 2014)',
  '29': 'Karnataka',
  '30': 'Goa',
  '31': 'Lakshadweep',
  '32': 'Kerala',
  '33': 'Tamil Nadu',
  '34': 'Puducherry',
  '35': 'Andaman and Nicobar Islands',
  '36': 'Telangana',
  '37': 'Andhra Pradesh',
  '38': 'Ladakh',
  '97': 'Other Territory',
  '99': 'Centre Jurisdiction',
};

/** 2-digit state code, the PAN, entity number (1-9, A-Z), `Z`, check character. */
export const GSTIN_RE = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The GSTIN check character (GSTN's published base-36 mod-36 scheme): over the first 14
 * characters, factors 1, 2, 1, 2 … from the left; each product p contributes
 * floor(p / 36) + p mod 36; check = (36 − sum mod 36) mod 36.
 */
export function gstinCheckChar(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const p = BASE36.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(p / 36) + (p % 36);
  }
  return BASE36[(36 - (sum % 36)) % 36]!;
}

/** Checks a GSTIN; with `pan`, also that the PAN inside it (characters 3–12) is that PAN. */
export function gstinProblem(raw: string, pan?: string): TIdProblem | null {
  const v = normaliseId(raw);
  if (!GSTIN_RE.test(v)) return 'gstin_format';
  if (!(v.slice(0, 2) in GST_STATE_CODES)) return 'gstin_state_code';
  if (gstinCheckChar(v.slice(0, 14)) !== v[14]) return 'gstin_check_char';
  if (pan !== undefined && normaliseId(pan) !== v.slice(2, 12)) return 'gstin_pan_mismatch';
  return null;
}

/** IFSC: 4 letters (the bank), `0`, 6 letters or digits (the branch). */
export const IFSC_RE = /^[A-Z]{4}0[A-Z0-9]{6}$/;

export function ifscProblem(raw: string): TIdProblem | null {
  return IFSC_RE.test(normaliseId(raw)) ? null : 'ifsc_format';
}

/** A bank account number: 9 to 18 digits (Indian banks' range). */
export const BANK_ACCOUNT_RE = /^[0-9]{9,18}$/;

/** `XXXXXXX8901`: all but the last four digits hidden. */
export function maskAccount(acc: string): string {
  return acc.length <= 4 ? acc : `${'X'.repeat(acc.length - 4)}${acc.slice(-4)}`;
}
