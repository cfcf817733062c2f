/** Dates: ISO 'YYYY-MM-DD' strings in data, dd/mm/yyyy on screen, IST, financial year April–March. */

const IST_OFFSET_MIN = 330;

/** Today's date in India as 'YYYY-MM-DD'. */
export function todayIst(now: Date = new Date()): string {
  return new Date(now.getTime() + IST_OFFSET_MIN * 60_000).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy'. */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** A timestamp shown in IST as 'dd/mm/yyyy hh:mm'. */
export function formatDateTimeIst(ts: string | Date): string {
  const t = new Date(new Date(ts).getTime() + IST_OFFSET_MIN * 60_000).toISOString();
  return `${formatDate(t)} ${t.slice(11, 16)}`;
}

/** The financial year (April–March) a date falls in, named by its starting year: 2026-03-31 → 2025. */
export function fiscalYearStart(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return m >= 4 ? y : y - 1;
}

/** '2026-27' style label. */
export function fiscalYearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}
