import { monthLabel, monthsBack } from '../../lib/dates.ts';
import { useQuery } from '@tanstack/react-query';
import type { TInvoice, TInvoiceSummary, TVerifyResult, TWorkflowAction } from '../../../shared/contracts/invoice.ts';
import type { TRecoveryBalances } from '../../../shared/contracts/invoice-recovery.ts';
import { api, newIdempotencyKey, qs } from '../../lib/api.ts';

export type { TInvoice, TInvoiceSummary, TVerifyResult };
export { newIdempotencyKey };
export { money } from '../rates/api.ts';

export const INVOICE_BASE = '/api/v1/invoices';

export const invoiceKeys = {
  all: ['invoice'] as const,
  list: (status: string, stage: string, page: number) => ['invoice', 'list', status, stage, page] as const,
  one: (id: number) => ['invoice', 'one', id] as const,
  options: ['invoice', 'options'] as const,
  verify: (no: string, agency: string, h: string) => ['invoice', 'verify', no, agency, h] as const,
};

export function useInvoices(status: string, stage: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: invoiceKeys.list(status, stage, page),
    queryFn: () =>
      api<{ items: TInvoiceSummary[]; total: number; page: number; pageSize: number }>(
        'GET',
        `${INVOICE_BASE}${qs({ status: status || undefined, stage: stage || undefined, page, pageSize })}`,
      ),
  });
}

/** One workflow step (submit, verify, return, approve) under the dialog's Idempotency-Key. */
export function workflowStep(id: number, action: TWorkflowAction, key: string, body: object): Promise<TInvoice> {
  return api<TInvoice>('POST', `${INVOICE_BASE}/${id}/${action}`, body, { idempotencyKey: key });
}

export function useInvoice(id: number) {
  return useQuery({ queryKey: invoiceKeys.one(id), queryFn: () => api<TInvoice>('GET', `${INVOICE_BASE}/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useInvoiceOptions(enabled: boolean) {
  return useQuery({
    queryKey: invoiceKeys.options,
    queryFn: () =>
      api<{ contracts: { id: number; contractNo: string; startDate: string; endDate: string }[]; lastMonth: string }>('GET', `${INVOICE_BASE}/options`),
    enabled,
  });
}

export function useVerify(no: string, agency: string, h: string) {
  return useQuery({
    queryKey: invoiceKeys.verify(no, agency, h),
    queryFn: () => api<TVerifyResult>('GET', `/api/v1/public/invoices/verify${qs({ no, agency, h })}`),
    enabled: no !== '' && agency !== '' && h !== '',
    retry: false,
  });
}

/** "November 2026" / "नवंबर 2026" (web/lib/dates.ts). */
export const monthName = monthLabel;

/** The months an agency may pick: the last twelve that are over, newest first. */
export function monthsUpTo(last: string): string[] {
  return monthsBack(last, 12);
}

/** Open recovery balances per contract and agency (invoice.recovery-report.ts); `endedOnly`: contracts expired or terminated. */
export function useRecoveryBalances(endedOnly: boolean) {
  return useQuery({
    queryKey: ['invoice', 'recovery-balances', endedOnly] as const,
    queryFn: () => api<TRecoveryBalances>('GET', `${INVOICE_BASE}/recovery-balances${qs({ endedOnly })}`),
  });
}
