import type { TKycMismatch } from '../../../shared/contracts/resource.ts';

/** Resources: pure rules — age on a date, name comparison with the e-KYC response, masking. */

/** Whole years from `dob` to `onDate` (both ISO dates). */
export function ageOn(dob: string, onDate: string): number {
  const [y1, m1, d1] = dob.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = onDate.split('-').map(Number) as [number, number, number];
  let age = y2 - y1;
  if (m2 < m1 || (m2 === m1 && d2 < d1)) age -= 1;
  return age;
}

/** A working age: at least `min` years and below the retirement age on `onDate`. */
export function ageProblem(dob: string, onDate: string, min: number, retirementAge: number): boolean {
  const age = ageOn(dob, onDate);
  return age < min || age >= retirementAge;
}

/** A name as compared: Unicode NFC, lower case, no spaces or dots (either script). */
export function normaliseName(s: string): string {
  return s
    .normalize('NFC')
    .toLocaleLowerCase('en-IN')
    .replace(/[\s.]+/gu, '');
}

/** The entered name matches the e-KYC name in either script (case- and space-insensitive). */
export function nameMatches(entered: { nameEn: string; nameHi: string }, kycName: string): boolean {
  const k = normaliseName(kycName);
  return [entered.nameEn, entered.nameHi].some((n) => n !== '' && normaliseName(n) === k);
}

/** What differs between the entry and the e-KYC response (name and date of birth). */
export function kycMismatches(entered: { nameEn: string; nameHi: string; dob: string }, kyc: { name: string; dob: string }): TKycMismatch[] {
  const out: TKycMismatch[] = [];
  if (!nameMatches(entered, kyc.name)) out.push({ field: 'name', entered: entered.nameEn || entered.nameHi, kyc: kyc.name });
  if (entered.dob !== kyc.dob) out.push({ field: 'dob', entered: entered.dob, kyc: kyc.dob });
  return out;
}

/** `XXXX XXXX 1234` from the last four digits. */
export function maskedAadhaar(last4: string | null): string | null {
  return last4 === null ? null : `XXXX XXXX ${last4}`;
}

/** An identity document number shown with all but the last four characters hidden. */
export function maskDocNumber(n: string): string {
  const s = n.replace(/\s+/g, '');
  return s.length <= 4 ? s : `${'X'.repeat(s.length - 4)}${s.slice(-4)}`;
}

/** JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A) by content, whatever the file is called. */
export function imageKind(bytes: Buffer): 'image/jpeg' | 'image/png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

/** The instant of an IST date and `HH:MM` time. */
export function istInstant(isoDate: string, hhmm: string): Date {
  return new Date(`${isoDate}T${hhmm}:00+05:30`);
}

/** The ESIC reporting deadline of an accident: `hours` after it. */
export function esicDueAt(occurredAt: Date, hours: number): Date {
  return new Date(occurredAt.getTime() + hours * 3_600_000);
}

/** Overdue: reported after the deadline, or not reported and the deadline has passed. */
export function esicIsOverdue(occurredAt: Date, reportedAt: Date | null, now: Date, hours: number): boolean {
  const due = esicDueAt(occurredAt, hours).getTime();
  return reportedAt ? reportedAt.getTime() > due : now.getTime() > due;
}

/** PDF (`%PDF-`), JPEG or PNG by content — an event's document. */
export function documentKind(bytes: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return imageKind(bytes);
}
