import { useQuery } from '@tanstack/react-query';
import type { TEcheque, TPdAccount, TPdAccountSummary, TStatement } from '../../../shared/contracts/pd.ts';
import { api, ApiError, qs } from '../../lib/api.ts';

export type { TEcheque, TPdAccount, TPdAccountSummary, TStatement };
export { money } from '../rates/api.ts';

export const PD_BASE = '/api/v1/pd';

export const pdKeys = {
  all: ['pd'] as const,
  accounts: ['pd', 'accounts'] as const,
  one: (id: number) => ['pd', 'account', id] as const,
  statement: (id: number, from: string, to: string) => ['pd', 'statement', id, from, to] as const,
  worklist: (state: string, payeeKind: string) => ['pd', 'worklist', state, payeeKind] as const,
};

export function usePdAccounts() {
  return useQuery({ queryKey: pdKeys.accounts, queryFn: () => api<{ items: TPdAccountSummary[] }>('GET', `${PD_BASE}/accounts`) });
}

export function usePdAccount(id: number) {
  return useQuery({ queryKey: pdKeys.one(id), queryFn: () => api<TPdAccount>('GET', `${PD_BASE}/accounts/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useStatement(id: number, from: string, to: string) {
  return useQuery({
    queryKey: pdKeys.statement(id, from, to),
    queryFn: () => api<TStatement>('GET', `${PD_BASE}/accounts/${id}/statement${qs({ from, to })}`),
    enabled: Number.isInteger(id) && id > 0 && from <= to,
  });
}

export function useWorklist(state: 'prepared' | 'passed' | 'returned', payeeKind: 'vendor' | 'book_transfer') {
  return useQuery({
    queryKey: pdKeys.worklist(state, payeeKind),
    queryFn: () => api<{ items: TEcheque[] }>('GET', `${PD_BASE}/echeques${qs({ state, payeeKind })}`),
  });
}

export { newIdempotencyKey } from '../../lib/api.ts';

/** Sends an e-cheque with its Idempotency-Key header (bar M1: a retried submit cannot make a second one). */
export async function prepareEcheque(accountId: number, key: string, body: unknown): Promise<TEcheque> {
  const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )roams_csrf=([^;]+)/)?.[1] ?? '');
  const res = await fetch(`${PD_BASE}/accounts/${accountId}/echeques`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrf, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new ApiError(data);
  return data as TEcheque;
}
