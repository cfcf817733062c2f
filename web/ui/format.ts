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

/** A moment's time of day in India (IST), e.g. "14:32", whatever the browser's zone. */
export function formatTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Kolkata' }).format(
    new Date(iso),
  );
}
