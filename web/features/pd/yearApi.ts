import { useQuery } from '@tanstack/react-query';
import type { TContinuation, TDormantReport, TTransferBackReport, TUnspentReport, TYearRun, TYearSettings } from '../../../shared/contracts/pd-year.ts';
import { api } from '../../lib/api.ts';
import { PD_BASE } from './api.ts';

export type { TContinuation, TDormantReport, TTransferBackReport, TUnspentReport, TYearRun, TYearSettings };

/** The PD year-end's queries (issue 18 item 5): all under ['pd', ...] so a change anywhere in PD refreshes them. */
export const yearKeys = {
  runs: ['pd', 'year', 'runs'] as const,
  settings: ['pd', 'year', 'settings'] as const,
  continuations: ['pd', 'year', 'continuations'] as const,
  unspent: ['pd', 'reports', 'unspent'] as const,
  dormant: ['pd', 'reports', 'dormant'] as const,
  transferBack: ['pd', 'reports', 'transfer-back'] as const,
};

export const useYearRuns = () => useQuery({ queryKey: yearKeys.runs, queryFn: () => api<{ items: TYearRun[] }>('GET', `${PD_BASE}/year-end/runs`) });
export const useYearSettings = () => useQuery({ queryKey: yearKeys.settings, queryFn: () => api<TYearSettings>('GET', `${PD_BASE}/year-end/settings`) });
export const useContinuations = () =>
  useQuery({ queryKey: yearKeys.continuations, queryFn: () => api<{ items: TContinuation[] }>('GET', `${PD_BASE}/year-end/continuations`) });
export const useUnspent = () => useQuery({ queryKey: yearKeys.unspent, queryFn: () => api<TUnspentReport>('GET', `${PD_BASE}/reports/unspent`) });
export const useDormant = () => useQuery({ queryKey: yearKeys.dormant, queryFn: () => api<TDormantReport>('GET', `${PD_BASE}/reports/dormant`) });
export const useTransferBack = () =>
  useQuery({ queryKey: yearKeys.transferBack, queryFn: () => api<TTransferBackReport>('GET', `${PD_BASE}/reports/transfer-back`) });
