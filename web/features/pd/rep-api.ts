import { useQuery } from '@tanstack/react-query';
import type { TRepAccountReport, TRepTreasury, TRepTreasuryMonth } from '../../../shared/contracts/pd-rep.ts';
import { api, qs } from '../../lib/api.ts';
import { PD_BASE } from './api.ts';

export type { TRepAccountReport, TRepTreasury, TRepTreasuryMonth };

/** The PD reports (server/modules/pd/pd.rep.routes.ts). */
export const repKeys = {
  account: (id: number, from: string, to: string) => ['pd', 'rep', 'account', id, from, to] as const,
  treasuries: ['pd', 'rep', 'treasuries'] as const,
  treasuryMonth: (id: number, month: string) => ['pd', 'rep', 'treasury', id, month] as const,
};

export function useAccountReport(id: number, from: string, to: string) {
  return useQuery({
    queryKey: repKeys.account(id, from, to),
    queryFn: () => api<TRepAccountReport>('GET', `${PD_BASE}/accounts/${id}/report${qs({ from, to })}`),
    enabled: Number.isInteger(id) && id > 0 && from <= to,
  });
}

export function useReportTreasuries() {
  return useQuery({ queryKey: repKeys.treasuries, queryFn: () => api<{ items: TRepTreasury[] }>('GET', `${PD_BASE}/report-treasuries`) });
}

export function useTreasuryMonth(id: number | null, month: string) {
  return useQuery({
    queryKey: repKeys.treasuryMonth(id ?? 0, month),
    queryFn: () => api<TRepTreasuryMonth>('GET', `${PD_BASE}/treasuries/${id}/monthly-account${qs({ month })}`),
    enabled: id !== null && /^\d{4}-\d{2}$/.test(month),
  });
}

/** The month before today's (IST), 'YYYY-MM': the month a monthly account is usually made for. */
export function lastMonth(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
