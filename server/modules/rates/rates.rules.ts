import { lastRevisionDate } from '../../../shared/domain/wages.ts';

/**
 * Pure rules for minimum wages (spec 06). Madhya Pradesh revises VDA on 1 April and 1 October;
 * the notification often arrives days later. A skill level whose latest row starts before the
 * latest such date on or before today is "stale": the revision may not have been entered yet,
 * and contracts are meanwhile checked against the last known rates (never invented ones).
 */
export function isStale(latestEffectiveFrom: string | null, today: string): boolean {
  if (latestEffectiveFrom === null) return true;
  return latestEffectiveFrom < lastRevisionDate(today);
}

/** A row that applies on `isoDate` given its validity window. */
export function appliesOn(row: { effectiveFrom: string; effectiveTo: string | null }, isoDate: string): boolean {
  return row.effectiveFrom <= isoDate && (row.effectiveTo === null || row.effectiveTo >= isoDate);
}

/** Only a row that is not yet in force (starts after today, IST) may be deleted. */
export function deletable(effectiveFrom: string, today: string): boolean {
  return effectiveFrom > today;
}
