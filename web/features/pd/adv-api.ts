import { useQuery } from '@tanstack/react-query';
import type { TAdvice, TVendor } from '../../../shared/contracts/pd-adv.ts';
import { api } from '../../lib/api.ts';
import { PD_BASE } from './api.ts';

export type { TAdvice, TVendor };
export { MAX_VENDOR_PROOF_BYTES, PROOF_KINDS, VENDOR_PROOF_FIELD } from '../../../shared/contracts/pd-adv.ts';

/** The vendor master and advices of a PD account (server/modules/pd/pd.adv.routes.ts); under pdKeys.all, so a change anywhere in PD refreshes them. */
export const advKeys = {
  vendors: (accountId: number) => ['pd', 'vendors', accountId] as const,
  advices: (accountId: number) => ['pd', 'advices', accountId] as const,
};

export function useVendors(accountId: number) {
  return useQuery({
    queryKey: advKeys.vendors(accountId),
    queryFn: () => api<{ items: TVendor[] }>('GET', `${PD_BASE}/accounts/${accountId}/vendors`),
    enabled: Number.isInteger(accountId) && accountId > 0,
  });
}

export function useAdvices(accountId: number) {
  return useQuery({
    queryKey: advKeys.advices(accountId),
    queryFn: () => api<{ items: TAdvice[] }>('GET', `${PD_BASE}/accounts/${accountId}/advices`),
    enabled: Number.isInteger(accountId) && accountId > 0,
  });
}

/** Where a vendor's proof (cancelled cheque, bank statement or passbook) opens. */
export const proofUrl = (accountId: number, vendorId: number) => `${PD_BASE}/accounts/${accountId}/vendors/${vendorId}/proof`;

/** Adds a vendor: the text fields and the proof file, as multipart/form-data. */
export function createVendor(accountId: number, form: FormData): Promise<TVendor> {
  return api<TVendor>('POST', `${PD_BASE}/accounts/${accountId}/vendors`, form);
}

/** A draft advice of prepared e-cheques of the account, with its Idempotency-Key (bar M1). */
export function createAdvice(accountId: number, key: string, echequeIds: number[]): Promise<TAdvice> {
  return api<TAdvice>('POST', `${PD_BASE}/accounts/${accountId}/advices`, { echequeIds }, { idempotencyKey: key });
}

/** The administrator's approval of a draft advice, confirmed with the second factor (bar A5). */
export function approveAdvice(adviceId: number, key: string, otp: string): Promise<TAdvice> {
  return api<TAdvice>('POST', `${PD_BASE}/advices/${adviceId}/approve`, otp ? { otp } : {}, { idempotencyKey: key });
}
