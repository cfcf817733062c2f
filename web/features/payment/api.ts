import { useQuery } from '@tanstack/react-query';
import type { TBill, TImportResult, TInvoiceCredits, TPayDate } from '../../../shared/contracts/payment.ts';
import { api, qs } from '../../lib/api.ts';

export type { TBill, TImportResult, TInvoiceCredits, TPayDate };
export { money } from '../rates/api.ts';

export const PAY_BASE = '/api/v1/payments';

export const payKeys = {
  all: ['payment'] as const,
  bills: ['payment', 'bills'] as const,
  bill: (id: number) => ['payment', 'bill', id] as const,
  credits: (invoiceId: number) => ['payment', 'credits', invoiceId] as const,
  flags: ['payment', 'flags'] as const,
  payDates: (breachedOnly: boolean) => ['payment', 'pay-dates', breachedOnly] as const,
};

export type TBillSummary = Pick<
  TBill,
  'id' | 'invoiceId' | 'invoiceNo' | 'billNo' | 'ddoCode' | 'status' | 'ifmisRef' | 'netPayablePaise' | 'paidPaise' | 'outstandingPaise' | 'stage'
>;

export function useBills() {
  return useQuery({ queryKey: payKeys.bills, queryFn: () => api<{ items: TBillSummary[] }>('GET', `${PAY_BASE}/bills`) });
}

export function useBill(id: number) {
  return useQuery({ queryKey: payKeys.bill(id), queryFn: () => api<TBill>('GET', `${PAY_BASE}/bills/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useCredits(invoiceId: number) {
  return useQuery({
    queryKey: payKeys.credits(invoiceId),
    queryFn: () => api<TInvoiceCredits>('GET', `${PAY_BASE}/invoices/${invoiceId}/credits`),
    enabled: Number.isInteger(invoiceId) && invoiceId > 0,
  });
}

export type TCreditFlag = {
  invoiceId: number;
  invoiceNo: string;
  month: string;
  agencyId: number;
  resourceId: number;
  nameEn: string;
  nameHi: string;
  netWagePaise: number;
  creditedPaise: number;
  flag: 'ok' | 'short' | 'missing' | 'over';
};
export function useCreditFlags() {
  return useQuery({ queryKey: payKeys.flags, queryFn: () => api<{ items: TCreditFlag[] }>('GET', `${PAY_BASE}/credit-flags`) });
}

export function usePayDates(breachedOnly: boolean) {
  return useQuery({
    queryKey: payKeys.payDates(breachedOnly),
    queryFn: () => api<{ items: TPayDate[] }>('GET', `${PAY_BASE}/pay-dates${qs({ breachedOnly })}`),
  });
}

/** A chosen file as base64 (the import endpoints take JSON). */
export async function fileBase64(f: File): Promise<string> {
  const buf = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Rupees typed by a user ("1,234.50") → paise, or null. */
export function rupeesToPaise(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.replace(/[,\s₹]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
