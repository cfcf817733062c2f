const INT = new Intl.NumberFormat('en-IN');

/** Whole numbers in the Indian system (12,34,567), the one formatter every page uses. */
export function formatInt(n: number): string {
  return INT.format(n);
}

/** File sizes as people read them (KB / MB, Indian digit grouping). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${formatInt(n)} B`;
  if (n < 1024 * 1024) return `${new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 }).format(n / 1024)} KB`;
  return `${new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2 }).format(n / (1024 * 1024))} MB`;
}
