import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TMinimumWage, TMinimumWageListQuery, TMinimumWageSummary } from '../../../shared/contracts/rates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import { api, qs } from '../../lib/api.ts';

export type { TMinimumWage, TMinimumWageSummary };

export const RATES_BASE = '/api/v1/rates/minimum-wages';

export type TWageListQuery = Pick<TMinimumWageListQuery, 'page' | 'pageSize' | 'sort' | 'dir'> & { skillLevelId?: number; on?: string };

export const ratesKeys = {
  all: ['rates'] as const,
  summary: ['rates', 'summary'] as const,
  list: (q: TWageListQuery) => ['rates', 'list', q] as const,
};

/** Per skill level: the row in force today, the latest row, and whether a revision is overdue. */
export function useWageSummary() {
  return useQuery({ queryKey: ratesKeys.summary, queryFn: () => api<TMinimumWageSummary>('GET', `${RATES_BASE}/summary`), staleTime: 60_000 });
}

export function useWages(q: TWageListQuery) {
  return useQuery({
    queryKey: ratesKeys.list(q),
    queryFn: () => api<{ items: TMinimumWage[]; total: number; page: number; pageSize: number }>('GET', `${RATES_BASE}${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

/** Rupees and paise in the Indian system: ₹12,294.00. */
export function money(paise: number): string {
  return formatPaise(paise);
}
