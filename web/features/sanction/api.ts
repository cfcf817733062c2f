import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { todayIst } from '../../../shared/domain/dates.ts';
import { api, qs } from '../../lib/api.ts';
import { formatInt } from '../../ui/format.ts';
import type { TCapacityRow, TNamed, TPage, TSanctionOptions, TSanctionOrder, TSanctionOrderSummary } from './types.ts';

export const BASE = '/api/v1/sanction-orders';
export const MAX_PDF_BYTES = 2 * 1024 * 1024;

export type TOrderListQuery = { q?: string; locked?: 'true' | 'false'; page: number; pageSize: number; sort: 'orderDate' | 'orderNo' | 'createdAt'; dir: 'asc' | 'desc' };
export type TCapacityQuery = { hodId?: number; officeId?: number; skillLevelId?: number; postNameId?: number; page: number; pageSize: number };

export const sanctionKeys = {
  all: ['sanction'] as const,
  list: (q: TOrderListQuery) => ['sanction', 'orders', q] as const,
  order: (id: number) => ['sanction', 'order', id] as const,
  options: ['sanction', 'options'] as const,
  offices: (hodId: number) => ['sanction', 'hod-offices', hodId] as const,
  capacity: (q: TCapacityQuery) => ['sanction', 'capacity', q] as const,
  lockedOrders: ['sanction', 'locked-orders'] as const,
};

export function useOrders(q: TOrderListQuery) {
  return useQuery({ queryKey: sanctionKeys.list(q), queryFn: () => api<TPage<TSanctionOrderSummary>>('GET', `${BASE}${qs(q)}`), placeholderData: keepPreviousData });
}

export function useOrder(id: number) {
  return useQuery({ queryKey: sanctionKeys.order(id), queryFn: () => api<TSanctionOrder>('GET', `${BASE}/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useOptions() {
  return useQuery({ queryKey: sanctionKeys.options, queryFn: () => api<TSanctionOptions>('GET', '/api/v1/sanction/options'), staleTime: 5 * 60_000 });
}

export function useHodOffices(hodId: number | null) {
  return useQuery({
    queryKey: sanctionKeys.offices(hodId ?? 0),
    queryFn: () => api<TNamed[]>('GET', `/api/v1/sanction/hods/${hodId}/offices`),
    enabled: hodId !== null,
    staleTime: 5 * 60_000,
  });
}

/** Locked orders, for the "original order" of a reduction or cancellation order. */
export function useLockedOrders(enabled: boolean) {
  return useQuery({
    queryKey: sanctionKeys.lockedOrders,
    queryFn: () => api<TPage<TSanctionOrderSummary>>('GET', `${BASE}${qs({ locked: 'true', page: 1, pageSize: 200, sort: 'orderDate', dir: 'desc' })}`),
    enabled,
  });
}

export function useCapacity(q: TCapacityQuery) {
  return useQuery({ queryKey: sanctionKeys.capacity(q), queryFn: () => api<TPage<TCapacityRow>>('GET', `/api/v1/sanction/capacity${qs(q)}`), placeholderData: keepPreviousData });
}

/** Picks the name in the current language from an `...En` / `...Hi` pair. */
export function useBilingual() {
  const { i18n } = useTranslation();
  return (en: string, hi: string) => (i18n.language === 'hi' ? hi || en : en || hi);
}

/** Whole numbers in the Indian system (shared formatter, re-exported for this feature's pages). */
export { formatInt };

/** File sizes as people read them (KB / MB, Indian digit grouping). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${formatInt(n)} B`;
  if (n < 1024 * 1024) return `${new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 }).format(n / 1024)} KB`;
  return `${new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2 }).format(n / (1024 * 1024))} MB`;
}

export type TPdfProblem = 'fileRequired' | 'fileEmpty' | 'fileTooLarge' | 'fileNotPdf';

/** Early, client-side check of the order / letter (the server checks again): size and `%PDF-` magic bytes. */
export async function checkPdf(file: File | null): Promise<TPdfProblem | null> {
  if (!file) return 'fileRequired';
  if (file.size === 0) return 'fileEmpty';
  if (file.size > MAX_PDF_BYTES) return 'fileTooLarge';
  const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
  const magic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
  return magic.every((b, i) => head[i] === b) ? null : 'fileNotPdf';
}

/** 'dd/mm/yyyy' → 'YYYY-MM-DD', or null when it is not a real date. */
export function parseIndianDate(s: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Early, client-side check of an order's particulars (create and edit share it; the server
 * checks again): required fields, a real dd/mm/yyyy date, not in the future (IST).
 * Returns the field errors and the date as 'YYYY-MM-DD' when it parsed.
 */
export function orderFieldErrors(
  t: TFunction,
  v: { orderNo: string; orderDate: string; officer: string; designation: string },
): { errors: Record<string, string>; iso: string | null } {
  const errors: Record<string, string> = {};
  const required = t('sanction.create.required');
  if (!v.orderNo.trim()) errors.orderNo = required;
  const iso = parseIndianDate(v.orderDate);
  if (!v.orderDate.trim()) errors.orderDate = required;
  else if (!iso) errors.orderDate = t('validation.date_format');
  else if (iso > todayIst()) errors.orderDate = t('sanction.create.dateFuture');
  if (!v.officer.trim()) errors.issuingOfficerName = required;
  if (!v.designation.trim()) errors.issuingOfficerDesignation = required;
  return { errors, iso };
}
