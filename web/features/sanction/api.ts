import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { todayIst } from '../../../shared/domain/dates.ts';
import { api, qs } from '../../lib/api.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { formatInt } from '../../ui/format.ts';
import type { TCapacityRow, TNamed, TPage, TSanctionOptions, TSanctionOrder, TSanctionOrderSummary } from './types.ts';

export const BASE = '/api/v1/sanction-orders';

export type TOrderListQuery = {
  q?: string;
  locked?: 'true' | 'false';
  page: number;
  pageSize: number;
  sort: 'orderDate' | 'orderNo' | 'createdAt';
  dir: 'asc' | 'desc';
};
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
  return useQuery({
    queryKey: sanctionKeys.list(q),
    queryFn: () => api<TPage<TSanctionOrderSummary>>('GET', `${BASE}${qs(q)}`),
    placeholderData: keepPreviousData,
  });
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
  return useQuery({
    queryKey: sanctionKeys.capacity(q),
    queryFn: () => api<TPage<TCapacityRow>>('GET', `/api/v1/sanction/capacity${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

/** Whole numbers in the Indian system (shared formatter, re-exported for this feature's pages). */
export { formatInt };

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
  else if (!iso) errors.orderDate = t(`validation.${dateProblem(v.orderDate)}`);
  else if (iso > todayIst()) errors.orderDate = t('sanction.create.dateFuture');
  if (!v.officer.trim()) errors.issuingOfficerName = required;
  if (!v.designation.trim()) errors.issuingOfficerDesignation = required;
  return { errors, iso };
}
