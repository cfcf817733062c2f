import { ENDING_THRESHOLDS, GEM_CONTRACT_PREFIX, LATE_AFTER_DAYS, LEGACY_BEFORE, type TContractUpdate } from '../../../shared/contracts/contract.ts';
import type { TFieldError } from '../../../shared/errors.ts';

/**
 * Pure rules for contracts (spec 03). Dates are ISO 'YYYY-MM-DD' strings (IST calendar days);
 * money integer paise per month.
 */

const DAY_MS = 86_400_000;

/** Whole days from a to b (b − a), both ISO dates. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Contracts dated before 1 April 2026 are legacy (registered with their original dates by 30 June 2026). */
export function isLegacy(contractDate: string): boolean {
  return contractDate < LEGACY_BEFORE;
}

/**
 * The numbers of the "registered late" rule, exported so the SQL that derives the same flag for
 * lists and the dashboard (contract.search.repo `summarySql`) is written from them, not from copies:
 * contracts dated on or after `from` are measured; late is more than `afterDays` days.
 */
export const LATE_RULE = { from: LEGACY_BEFORE, afterDays: LATE_AFTER_DAYS } as const;

/**
 * "Registered late" (our definition, spec 03 leaves it open): a contract dated on or after
 * 1 April 2026 whose version 1 was activated on the portal more than 30 days after the contract
 * date — or which is still not activated although its date is more than 30 days ago. Legacy
 * contracts are measured against the 30 June 2026 deadline instead.
 */
export function isRegisteredLate(contractDate: string, registeredOn: string | null, today: string): boolean {
  if (contractDate < LATE_RULE.from) return false;
  return daysBetween(contractDate, registeredOn ?? today) > LATE_RULE.afterDays;
}

/** GeM contracts carry their GeM contract number (GEMC-…); other modes carry no GeM numbers. */
export function checkIdentity(input: Pick<TContractUpdate, 'procurementMode' | 'gemContractNo' | 'gemBidNo'>): TFieldError[] {
  const errors: TFieldError[] = [];
  const no = input.gemContractNo.trim();
  if (input.procurementMode === 'gem') {
    if (!no.toUpperCase().startsWith(GEM_CONTRACT_PREFIX) || no.length <= GEM_CONTRACT_PREFIX.length)
      errors.push({ field: 'gemContractNo', code: 'gem_contract_no_invalid' });
  } else {
    if (no !== '') errors.push({ field: 'gemContractNo', code: 'gem_contract_no_invalid' });
    if (input.gemBidNo.trim() !== '') errors.push({ field: 'gemBidNo', code: 'invalid_value' });
  }
  return errors;
}

/** Bonus in basis points: none (0) or 8.33 %–20 %. */
export const BONUS_BP = { min: 833, max: 2000 } as const;

export function checkBonus(bonusBp: number): TFieldError[] {
  if (bonusBp === 0 || (bonusBp >= BONUS_BP.min && bonusBp <= BONUS_BP.max)) return [];
  return [
    {
      field: 'bonusBp',
      code: bonusBp < BONUS_BP.min ? 'too_small' : 'too_big',
      params: bonusBp < BONUS_BP.min ? { min: BONUS_BP.min } : { max: BONUS_BP.max },
    },
  ];
}

export type WageRow = { id: number; skillLevelId: number; effectiveFrom: string; effectiveTo: string | null; totalPaise: number; notificationRef: string };
export type WageProblem = { kind: 'unknown' } | { kind: 'below'; row: WageRow };

/**
 * The minimum-wage check of one post over [start, end]. What is compared is the monthly wage
 * basic + VDA against the minimum basic + VDA (the notified minimum is their sum; how the
 * contract splits it between basic and VDA does not lower the floor). `rows` are the skill
 * level's rows applying on some day of the period (rates.minimumWagesOverlapping).
 * - no row in force on the start date → 'unknown' (never assume a rate);
 * - any row applying inside the period above the wage → 'below' (the first such row).
 * A row that starts after the period's end is not looked at (it does not apply to the period).
 */
export function wageProblem(wageTotalPaise: number, rows: WageRow[], start: string, end: string): WageProblem | null {
  const applying = rows
    .filter((r) => r.effectiveFrom <= end && (r.effectiveTo === null || r.effectiveTo >= start))
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  if (!applying.some((r) => r.effectiveFrom <= start)) return { kind: 'unknown' };
  const below = applying.find((r) => r.totalPaise > wageTotalPaise);
  return below ? { kind: 'below', row: below } : null;
}

/** A date after every contract's end: the end of an open period ("from this day on"). */
export const OPEN_END = '9999-12-31';

/**
 * The most positions other contracts cover at the same time on any day of [from, to]. Two
 * contracts that overlap our period but not each other are not added together (a January–June
 * and a July–December contract of 3 each cover 3, not 6). Coverage only changes on a start date,
 * so the maximum is found at `from` or at one of the other periods' start dates inside it.
 */
export function peakCoverage(others: { startDate: string; endDate: string; positions: number }[], from: string, to: string): number {
  const inside = others.filter((o) => o.startDate <= to && o.endDate >= from);
  const points = [from, ...inside.map((o) => o.startDate).filter((d) => d > from && d <= to)];
  let peak = 0;
  for (const p of points) {
    const n = inside.filter((o) => o.startDate <= p && o.endDate >= p).reduce((s, o) => s + o.positions, 0);
    if (n > peak) peak = n;
  }
  return peak;
}

/**
 * Which "ending soon" alert is due for a contract ending on `endDate`: the smallest threshold
 * (30 / 60 / 90 days) that the days left fall within, or null (more than 90 days left, or ended).
 * A contract first seen with 25 days left gets only the 30-day alert, not all three.
 */
export function endingThreshold(endDate: string, today: string): number | null {
  const left = daysBetween(today, endDate);
  if (left < 0) return null;
  for (const t of ENDING_THRESHOLDS) if (left <= t) return t;
  return null;
}

/** An extension must end later than the version in force. */
export function checkExtension(kind: 'extension' | 'amendment', endDate: string, inForceEnd: string): TFieldError[] {
  if (kind === 'extension' && endDate <= inForceEnd) return [{ field: 'endDate', code: 'too_small', params: { min: addDays(inForceEnd, 1) } }];
  return [];
}
