import { parseRupees } from '../../shared/domain/wages.ts';

/** Parts per million → a percentage without floating point: 120000 → "12", 38500 → "3.85", 5000 → "0.5". */
export function ppmToPercent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** A percentage typed with at most two decimals → basis points (3.85 → 385), or null. Same exact parse as rupees. */
export function percentToBp(input: string): number | null {
  const s = input.trim().replace(/\s*%$/, '');
  if (s.includes(',')) return null;
  return parseRupees(s);
}

/** A whole number typed in a field (days, counts), or null. */
export function parseWhole(input: string): number | null {
  const s = input.trim();
  if (!/^\d{1,6}$/.test(s)) return null;
  return Number(s);
}

/** A percentage typed with at most four decimals → parts per million (0.75 → 7500, 12 → 120000), or null. */
export function percentToPpm(input: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{0,4}))?$/.exec(input.trim().replace(/\s*%$/, ''));
  if (!m) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}
