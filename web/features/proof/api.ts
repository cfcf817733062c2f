import { useQuery } from '@tanstack/react-query';
import type { TGateSetting, TProof, TProofSummary } from '../../../shared/contracts/proof.ts';
import { api, qs } from '../../lib/api.ts';

export type { TGateSetting, TProof, TProofSummary };
export { money } from '../rates/api.ts';
export { monthName } from '../invoice/api.ts';

export const PROOF_BASE = '/api/v1/proofs';

export const proofKeys = {
  all: ['proof'] as const,
  list: (page: number) => ['proof', 'list', page] as const,
  one: (id: number) => ['proof', 'one', id] as const,
  gate: ['proof', 'gate'] as const,
};

export function useProofs(page: number, pageSize: number) {
  return useQuery({
    queryKey: proofKeys.list(page),
    queryFn: () => api<{ items: TProofSummary[]; total: number; page: number; pageSize: number }>('GET', `${PROOF_BASE}${qs({ page, pageSize })}`),
  });
}

export function useProof(id: number) {
  return useQuery({ queryKey: proofKeys.one(id), queryFn: () => api<TProof>('GET', `${PROOF_BASE}/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useGate(enabled: boolean) {
  return useQuery({ queryKey: proofKeys.gate, queryFn: () => api<{ items: TGateSetting[] }>('GET', `${PROOF_BASE}/gate`), enabled });
}

/** The last twelve months that are over, newest first ('YYYY-MM'). */
export function monthsOver(today: Date = new Date()): string[] {
  const ist = new Date(today.getTime() + 5.5 * 3600_000);
  let y = ist.getUTCFullYear();
  let m = ist.getUTCMonth() + 1;
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

/** Rupees typed ('1,234.50') to paise, or null when it is not an amount. */
export function rupeesToPaise(s: string): number | null {
  const v = s.replace(/,/g, '').trim();
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(v)) return null;
  const [r, p = ''] = v.split('.');
  return Number(r) * 100 + Number(p.padEnd(2, '0'));
}
