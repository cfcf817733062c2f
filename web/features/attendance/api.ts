import { monthLabel, monthsBack } from '../../lib/dates.ts';
import { useQuery } from '@tanstack/react-query';
import type { TAttendanceOffice, TAttendanceRow, TAttendanceSheet } from '../../../shared/contracts/attendance.ts';
import type { TProblem } from '../../../shared/errors.ts';
import { ApiError, api } from '../../lib/api.ts';

export type { TAttendanceOffice, TAttendanceRow, TAttendanceSheet };

export const BASE = '/api/v1/attendance';

export const attendanceKeys = {
  offices: ['attendance', 'offices'] as const,
  sheet: (officeId: number, month: string) => ['attendance', 'sheet', officeId, month] as const,
};

export const sheetUrl = (officeId: number, month: string) => `${BASE}/offices/${officeId}/months/${month}`;
/** Every office of a department at once (the department's template and its upload). */
export const departmentSheetUrl = (departmentId: number, month: string) => `${BASE}/departments/${departmentId}/months/${month}`;

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
  return monthsBack(today, count);
}

export { monthLabel };

/** Where an upload is: sending the file (a fraction 0–1 when the browser knows the size), then the server checking it. */
export type UploadStage = { stage: 'sending'; fraction: number } | { stage: 'validating' };

/**
 * Posts a file as multipart with upload progress (fetch cannot report an upload's progress, so
 * XMLHttpRequest): `onStage` hears the fraction sent and then "validating" once the whole file is
 * sent and the server is checking it. Resolves with the JSON answer; a refusal rejects with the
 * server's problem document as `ApiError`, like `api()`.
 */
export function uploadWithProgress<T>(url: string, file: File, onStage: (s: UploadStage) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', decodeURIComponent(document.cookie.match(/(?:^|; )roams_csrf=([^;]+)/)?.[1] ?? ''));
    xhr.upload.onprogress = (e) => onStage({ stage: 'sending', fraction: e.lengthComputable && e.total > 0 ? e.loaded / e.total : 0 });
    xhr.upload.onload = () => onStage({ stage: 'validating' });
    xhr.onerror = () => reject(new Error('network'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const problem = (
        data && typeof data === 'object' && 'code' in data ? data : { type: 'about:blank', title: String(xhr.status), status: xhr.status, code: 'internal' }
      ) as TProblem;
      reject(new ApiError(problem));
    };
    const form = new FormData();
    form.append('file', file);
    onStage({ stage: 'sending', fraction: 0 });
    xhr.send(form);
  });
}
