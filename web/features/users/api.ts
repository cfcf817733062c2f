import { useQuery } from '@tanstack/react-query';
import type {
  TAddOfficeUserBody,
  TAddOfficeUserReply,
  TLookupReply,
  TOfficeOption,
  TOfficeUserPage,
  TOfficeUserStatus,
} from '../../../shared/contracts/users.ts';
import { api, qs } from '../../lib/api.ts';

export const officeUsersKey = ['office-users'] as const;

export function useOfficeOptions(q: string) {
  return useQuery({
    queryKey: ['office-users', 'offices', q],
    queryFn: () => api<{ items: TOfficeOption[] }>('GET', `/api/v1/office-users/offices${qs({ q })}`),
    staleTime: 30_000,
  });
}

export function useOfficeUsers(p: { officeId: number | null; page: number; pageSize: number; q: string; status: TOfficeUserStatus }) {
  return useQuery({
    queryKey: [...officeUsersKey, 'list', p],
    queryFn: () =>
      api<TOfficeUserPage>('GET', `/api/v1/office-users${qs({ officeId: p.officeId, page: p.page, pageSize: p.pageSize, q: p.q, status: p.status })}`),
    enabled: p.officeId !== null,
    placeholderData: (prev) => prev,
  });
}

export const lookupMobile = (officeId: number, mobile: string) => api<TLookupReply>('GET', `/api/v1/office-users/lookup${qs({ officeId, mobile })}`);
export const addOfficeUser = (body: TAddOfficeUserBody) => api<TAddOfficeUserReply>('POST', '/api/v1/office-users', body);
export const endAssignment = (id: number) => api<{ assignmentId: number }>('POST', `/api/v1/office-users/assignments/${id}/end`);
export const setUserStatus = (id: number, action: 'activate' | 'deactivate') =>
  api<{ userId: number; status: string }>('POST', `/api/v1/office-users/users/${id}/${action}`);
