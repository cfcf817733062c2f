import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  TEsicOverdue,
  TGhostGroup,
  TResource,
  TResourceListQuery,
  TResourceOptions,
  TResourceSummary,
  TTimeline,
} from '../../../shared/contracts/resource.ts';
import { api, qs } from '../../lib/api.ts';
import { flashSlot } from '../../ui/flash.ts';
import type { TMsg } from '../contract/api.ts';

export type { TGhostGroup, TResource, TResourceOptions, TResourceSummary, TTimeline };
export { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';

export const BASE = '/api/v1/resources';

export type TListQuery = Partial<TResourceListQuery>;

export const resourceKeys = {
  all: ['resource'] as const,
  list: (q: TListQuery) => ['resource', 'list', q] as const,
  one: (id: number) => ['resource', 'one', id] as const,
  timeline: (id: number) => ['resource', 'timeline', id] as const,
  options: ['resource', 'options'] as const,
  ghosts: (page: number) => ['resource', 'ghosts', page] as const,
};

export function useResources(q: TListQuery) {
  return useQuery({
    queryKey: resourceKeys.list(q),
    queryFn: () => api<{ items: TResourceSummary[]; total: number; page: number; pageSize: number }>('GET', `${BASE}${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

export function useResource(id: number) {
  return useQuery({ queryKey: resourceKeys.one(id), queryFn: () => api<TResource>('GET', `${BASE}/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useTimeline(id: number) {
  return useQuery({ queryKey: resourceKeys.timeline(id), queryFn: () => api<TTimeline>('GET', `${BASE}/${id}/timeline`) });
}

export function useResourceOptions() {
  return useQuery({ queryKey: resourceKeys.options, queryFn: () => api<TResourceOptions>('GET', `${BASE}/options`), staleTime: 60_000 });
}

export function useEsicOverdue() {
  return useQuery({ queryKey: ['resource', 'esic-overdue'], queryFn: () => api<TEsicOverdue>('GET', `${BASE}/esic-overdue`) });
}

export function useGhosts(page: number, pageSize: number) {
  return useQuery({
    queryKey: resourceKeys.ghosts(page),
    queryFn: () => api<{ items: TGhostGroup[]; total: number; page: number; pageSize: number }>('GET', `${BASE}/ghosts${qs({ page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/** Colour of a resource status tag (AA on white). */
export const STATUS_COLOUR: Record<TResourceSummary['status'], string> = {
  draft: 'gray.8',
  submitted: '#a84300',
  approved: '#1b6e2e',
  rejected: 'red.9',
  relieved: 'dark.6',
};

/** A message carried to the resource page after saving the form. */
export const resourceFlash = flashSlot<TMsg[]>();

/** The first bytes of a file say whether it is a JPEG or PNG, whatever it is called (as the server checks). */
export async function imageKindOf(file: File): Promise<'image/jpeg' | 'image/png' | null> {
  const b = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((x, i) => b[i] === x)) return 'image/png';
  return null;
}

/** Whole years from `dob` to `on` (ISO dates). */
export function ageOn(dob: string, on: string): number {
  const [y1, m1, d1] = dob.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = on.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/** '234567890124' → '2345 6789 0124' (as typed so far). */
export function groupAadhaar(raw: string): string {
  const d = raw.replace(/\D/g, '').slice(0, 12);
  return d.replace(/(\d{4})(?=\d)/g, '$1 ');
}
