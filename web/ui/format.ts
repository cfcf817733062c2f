const INT = new Intl.NumberFormat('en-IN');

/** Whole numbers in the Indian system (12,34,567), the one formatter every page uses. */
export function formatInt(n: number): string {
  return INT.format(n);
}
