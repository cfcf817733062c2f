import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TImportReport, TMaster, TStateSettings } from '../../../shared/contracts/org.ts';
import { api, qs } from '../../lib/api.ts';

export type MasterRow = Record<string, unknown> & { active?: boolean };
export type MasterPage = { items: MasterRow[]; total: number; page: number; pageSize: number };
export type ListParams = {
  page: number;
  pageSize: number;
  q: string;
  sort: string;
  dir: 'asc' | 'desc';
  active: 'all' | 'true' | 'false';
  filters: Record<string, number | null>;
};

export const orgKey = ['org'] as const;
export { formatInt } from '../../ui/format.ts';

function listQuery(p: Omit<ListParams, 'page' | 'pageSize'>) {
  return { q: p.q, sort: p.sort, dir: p.dir, active: p.active, ...p.filters };
}

export function useMasterList(master: TMaster, p: ListParams) {
  return useQuery({
    queryKey: [...orgKey, master, 'list', p],
    queryFn: () => api<MasterPage>('GET', `/api/v1/org/${master}${qs({ page: p.page, pageSize: p.pageSize, ...listQuery(p) })}`),
    placeholderData: keepPreviousData,
  });
}

/** Options for a reference picker: searched on the server. */
export function useRefOptions(master: TMaster, q: string) {
  return useQuery({
    queryKey: [...orgKey, master, 'options', q],
    queryFn: () => api<MasterPage>('GET', `/api/v1/org/${master}${qs({ q, pageSize: 50, active: 'true' })}`),
    staleTime: 30_000,
  });
}

export function exportUrl(master: TMaster, format: 'csv' | 'xlsx', p: Omit<ListParams, 'page' | 'pageSize'>) {
  return `/api/v1/org/${master}/export${qs({ format, ...listQuery(p) })}`;
}

export const createRow = (master: TMaster, body: Record<string, unknown>) => api<MasterRow>('POST', `/api/v1/org/${master}`, body);
export const updateRow = (master: TMaster, id: number, body: Record<string, unknown>) => api<MasterRow>('PUT', `/api/v1/org/${master}/${id}`, body);
export const setActive = (master: TMaster, id: number, active: boolean) =>
  api<MasterRow>('POST', `/api/v1/org/${master}/${id}/${active ? 'activate' : 'deactivate'}`);
export const removeMapping = (master: TMaster, path: string) => api<{ ok: true }>('DELETE', `/api/v1/org/${master}/${path}`);

export function importFile(master: TMaster, file: File, dryRun: boolean) {
  const fd = new FormData();
  fd.append('file', file);
  return api<TImportReport>('POST', `/api/v1/org/${master}/import?dryRun=${dryRun}`, fd);
}

export function useStateSettings() {
  return useQuery({ queryKey: [...orgKey, 'state-settings'], queryFn: () => api<TStateSettings>('GET', '/api/v1/org/state-settings') });
}
export const saveStateSettings = (body: TStateSettings) => api<TStateSettings>('PUT', '/api/v1/org/state-settings', body);
