import type { TOrderKind, TSanctionPostInput } from '../../../shared/contracts/sanction.ts';
import type { TFieldError } from '../../../shared/errors.ts';

/**
 * Pure rules for a post's numbers (spec 02 "Sanctioned posts"):
 * - original orders: total ≥ 1, every office number ≥ 0;
 * - reduction orders: total ≤ −1, every office number ≤ 0;
 * - cancellation orders carry no posts of their own (they negate the order they reference);
 * - an office appears once; the office numbers add up exactly to the total.
 * Returns the field errors (empty when fine) and whether the only problem is the sum.
 */
export function checkPostNumbers(kind: TOrderKind, input: Pick<TSanctionPostInput, 'total' | 'offices'>): { errors: TFieldError[]; sumMismatch: boolean } {
  const errors: TFieldError[] = [];
  if (kind === 'cancellation') return { errors: [{ field: 'kind', code: 'invalid_value' }], sumMismatch: false };
  const reduction = kind === 'reduction';
  if (!reduction && input.total < 1) errors.push({ field: 'total', code: 'too_small', params: { min: 1 } });
  if (reduction && input.total > -1) errors.push({ field: 'total', code: 'too_big', params: { max: -1 } });
  const seen = new Set<number>();
  input.offices.forEach((o, i) => {
    if (seen.has(o.officeId)) errors.push({ field: `offices.${i}.officeId`, code: 'duplicate' });
    seen.add(o.officeId);
    if (!reduction && o.posts < 0) errors.push({ field: `offices.${i}.posts`, code: 'too_small', params: { min: 0 } });
    if (reduction && o.posts > 0) errors.push({ field: `offices.${i}.posts`, code: 'too_big', params: { max: 0 } });
  });
  if (errors.length) return { errors, sumMismatch: false };
  const sum = input.offices.reduce((s, o) => s + o.posts, 0);
  if (sum !== input.total) return { errors: [{ field: 'offices', code: 'posts_sum_mismatch', params: { sum, total: input.total } }], sumMismatch: true };
  return { errors: [], sumMismatch: false };
}

/** Capacity after a change must stay ≥ 0 and ≥ what is deployed (the larger of the two). */
export function belowFloor(after: number, deployed: number): boolean {
  return after < Math.max(0, deployed);
}
