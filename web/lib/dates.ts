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

/**
 * A month as the page's language says it: "November 2026" / "नवंबर 2026". Month pickers are
 * selects of these, not `<input type="month">`, whose text is the browser's language (English on a
 * Hindi page in an English browser).
 */
export function monthLabel(month: string, lang: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  return new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** `count` months back from `from` ('YYYY-MM' or a 'YYYY-MM-DD' date) inclusive, newest first (`YYYY-MM`). */
export function monthsBack(from: string, count: number): string[] {
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}
