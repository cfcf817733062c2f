import { useMutation, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ZAuditPage, ZAuditVerify } from '../../../shared/contracts/audit.ts';
import type { ZSecurityEventPage } from '../../../shared/contracts/security.ts';
import { api, qs } from '../../lib/api.ts';

export type TAuditPage = z.infer<typeof ZAuditPage>;
export type TAuditVerify = z.infer<typeof ZAuditVerify>;

/** The search form's values; empty strings mean "any". */
export type AuditFilters = { username: string; role: string; from: string; to: string; entity: string; action: string; ip: string };
export const NO_FILTERS: AuditFilters = { username: '', role: '', from: '', to: '', entity: '', action: '', ip: '' };

export function useAuditSearch(filters: AuditFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['audit', 'search', filters, page, pageSize],
    queryFn: () => api<TAuditPage>('GET', `/api/v1/audit${qs({ ...filters, page, pageSize })}`),
    placeholderData: (prev) => prev,
  });
}

export function useVerifyChain() {
  return useMutation({ mutationFn: () => api<TAuditVerify>('POST', '/api/v1/audit/verify') });
}

export type TSecurityEventPage = z.infer<typeof ZSecurityEventPage>;

/** The security-log search form's values; empty strings mean "any". */
export type SecurityFilters = { username: string; code: string; ip: string; from: string; to: string };
export const NO_SECURITY_FILTERS: SecurityFilters = { username: '', code: '', ip: '', from: '', to: '' };

export function useSecuritySearch(filters: SecurityFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['audit', 'security', filters, page, pageSize],
    queryFn: () => api<TSecurityEventPage>('GET', `/api/v1/security-events${qs({ ...filters, page, pageSize })}`),
    placeholderData: (prev) => prev,
  });
}
