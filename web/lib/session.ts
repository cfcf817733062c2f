import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TMe } from '../../shared/contracts/auth.ts';
import { roleHas, type TPermission } from '../../shared/permissions.ts';
import { api, ApiError } from './api.ts';

export const meKey = ['me'] as const;

/** The logged-in user, or null. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async () => {
      try {
        return await api<TMe>('GET', '/api/v1/auth/me');
      } catch (e) {
        if (e instanceof ApiError && e.problem.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetMe() {
  const qc = useQueryClient();
  return (me: TMe | null) => qc.setQueryData(meKey, me);
}

export function activeAssignment(me: TMe | null | undefined) {
  return me?.assignments.find((a) => a.id === me.activeAssignmentId) ?? null;
}

export function can(me: TMe | null | undefined, permission: TPermission): boolean {
  const a = activeAssignment(me);
  return Boolean(a && !me?.mustChangePassword && roleHas(a.role, permission));
}
