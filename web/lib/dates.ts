const SHAPE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** 'dd/mm/yyyy' as typed (also with '.' or '-') → 'YYYY-MM-DD', or null when it is not a real date. */
export function parseIndianDate(s: string): string | null {
  const m = SHAPE.exec(s.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Why a typed date is refused, as a field code (`validation.<code>`), or null when it is a real date.
 * 31/02/2026 has the right shape but no such day: saying "enter dd/mm/yyyy" to someone who did was wrong (issue 12.5).
 */
export function dateProblem(s: string): 'date_format' | 'date_not_exist' | null {
  if (parseIndianDate(s)) return null;
  return SHAPE.test(s.trim()) ? 'date_not_exist' : 'date_format';
}
