import { useQuery } from '@tanstack/react-query';
import type { TAttendanceOffice, TAttendanceRow, TAttendanceSheet } from '../../../shared/contracts/attendance.ts';
import { api } from '../../lib/api.ts';

export type { TAttendanceOffice, TAttendanceRow, TAttendanceSheet };

export const BASE = '/api/v1/attendance';

export const attendanceKeys = {
  offices: ['attendance', 'offices'] as const,
  sheet: (officeId: number, month: string) => ['attendance', 'sheet', officeId, month] as const,
};

export const sheetUrl = (officeId: number, month: string) => `${BASE}/offices/${officeId}/months/${month}`;

export function useAttendanceOffices() {
  return useQuery({ queryKey: attendanceKeys.offices, queryFn: () => api<{ items: TAttendanceOffice[] }>('GET', `${BASE}/offices`), staleTime: 60_000 });
}

export function useSheet(officeId: number | null, month: string) {
  return useQuery({
    queryKey: attendanceKeys.sheet(officeId ?? 0, month),
    queryFn: () => api<TAttendanceSheet>('GET', sheetUrl(officeId!, month)),
    enabled: officeId !== null,
    retry: false,
  });
}

/** The months a user may pick: this month and the twelve before it, newest first (`YYYY-MM`). */
export function monthChoices(today: string, count = 13): string[] {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
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

/** "November 2026" / "नवंबर 2026". */
export function monthLabel(month: string, lang: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  return new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}
