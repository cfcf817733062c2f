/**
 * Aadhaar numbers (spec 04): 12 digits, the first 2–9, the last a Verhoeff check digit (UIDAI's
 * scheme). Checked the same way by the server (before anything is stored or sent to the e-KYC
 * provider) and by the web form (before submit). The problem codes are keys in both catalogs
 * (errors.json). Nothing here logs or keeps a number; outside the vault a number is shown only
 * masked (`maskAadhaar`).
 */

export type TAadhaarProblem = 'aadhaar_format' | 'aadhaar_first_digit' | 'aadhaar_checksum';

/** Verhoeff's multiplication table of the dihedral group D5 (the published `d` table). */
const D: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
/** The position permutation table (`p`): row i is the permutation of row 1 applied i times, used at position i mod 8 (from the right). */
export const VERHOEFF_P: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
/** The inverse table (`inv`). */
const INV: readonly number[] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

const DIGITS_RE = /^[0-9]+$/;

/** True when the digit string (check digit last) passes Verhoeff's check. Non-digits: false. */
export function verhoeffValid(digits: string): boolean {
  if (!DIGITS_RE.test(digits)) return false;
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) c = D[c]![VERHOEFF_P[i % 8]![digits.charCodeAt(n - 1 - i) - 48]!]!;
  return c === 0;
}

/** The Verhoeff check digit to append to `partial` (digits only; throws otherwise). */
export function verhoeffDigit(partial: string): string {
  if (!DIGITS_RE.test(partial)) throw new Error('verhoeffDigit: digits only');
  let c = 0;
  const n = partial.length;
  for (let i = 0; i < n; i++) c = D[c]![VERHOEFF_P[(i + 1) % 8]![partial.charCodeAt(n - 1 - i) - 48]!]!;
  return String(INV[c]);
}

/** Strips surrounding white space and the spaces / hyphens people type between groups (`2345 6789 0123`). */
export function normaliseAadhaar(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** The first problem with an Aadhaar number as typed, or null when it is well-formed. */
export function aadhaarProblem(raw: string): TAadhaarProblem | null {
  const v = normaliseAadhaar(raw);
  if (!/^[0-9]{12}$/.test(v)) return 'aadhaar_format';
  if (v[0] === '0' || v[0] === '1') return 'aadhaar_first_digit';
  if (!verhoeffValid(v)) return 'aadhaar_checksum';
  return null;
}

/** The last four digits of a (normalised, valid) number: all that may be kept outside the vault. */
export function aadhaarLast4(aadhaar: string): string {
  return normaliseAadhaar(aadhaar).slice(-4);
}

/** The masked form shown everywhere outside the vault: `XXXX XXXX 1234`. */
export function maskAadhaar(last4: string): string {
  return `XXXX XXXX ${last4.slice(-4)}`;
}
