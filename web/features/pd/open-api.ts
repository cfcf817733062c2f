import { useQuery } from '@tanstack/react-query';
import type { TApplication, TPdProposalState, TProposal, TProposalIn, TProposalSummary } from '../../../shared/contracts/pd-open.ts';
import { api } from '../../lib/api.ts';
import { PD_BASE } from './api.ts';

export type { TApplication, TPdProposalState, TProposal, TProposalIn, TProposalSummary };

/** Opening a PD account (issue 18 item 1; server/modules/pd/pd.open.routes.ts). */
export const OPEN_BASE = `${PD_BASE}/opening`;

export type TBudgetLineOption = { id: number; head: string; schemeNameEn: string; schemeNameHi: string };
export type TTreasuryOption = { id: number; code: string; nameEn: string; nameHi: string };

/** All under ['pd', ...], so a change anywhere in PD (invalidating pdKeys.all) refreshes them. */
export const openKeys = {
  all: ['pd', 'open'] as const,
  proposals: ['pd', 'open', 'proposals'] as const,
  one: (id: number) => ['pd', 'open', 'proposal', id] as const,
  applications: (registered: boolean) => ['pd', 'open', 'applications', registered] as const,
  budgetLines: ['pd', 'open', 'budget-lines'] as const,
  treasuries: ['pd', 'open', 'treasuries'] as const,
};

export const useProposals = (enabled = true) =>
  useQuery({ queryKey: openKeys.proposals, queryFn: () => api<{ items: TProposalSummary[] }>('GET', `${OPEN_BASE}/proposals`), enabled });

export const useProposal = (id: number | null) =>
  useQuery({ queryKey: openKeys.one(id ?? 0), queryFn: () => api<TProposal>('GET', `${OPEN_BASE}/proposals/${id}`), enabled: id !== null && id > 0 });

export const useApplications = (registered: boolean, enabled = true) =>
  useQuery({
    queryKey: openKeys.applications(registered),
    queryFn: () => api<{ items: TApplication[] }>('GET', `${OPEN_BASE}/applications?registered=${registered ? 'yes' : 'no'}`),
    enabled,
  });

export const useBudgetLineOptions = (enabled = true) =>
  useQuery({
    queryKey: openKeys.budgetLines,
    queryFn: () => api<{ items: TBudgetLineOption[] }>('GET', `${OPEN_BASE}/budget-lines`),
    enabled,
    staleTime: 5 * 60_000,
  });

export const useTreasuryOptions = (enabled = true) =>
  useQuery({
    queryKey: openKeys.treasuries,
    queryFn: () => api<{ items: TTreasuryOption[] }>('GET', `${OPEN_BASE}/treasuries`),
    enabled,
    staleTime: 5 * 60_000,
  });

/** A step of the proposal's way that carries no body (the department's and the HOD's). */
export type TPlainStep = 'submit' | 'recommend' | 'apply';

export const postStep = (id: number, step: TPlainStep) => api<TProposal>('POST', `${OPEN_BASE}/proposals/${id}/${step}`);

/** The state badge's colour (AA on white). */
export const STATE_COLOUR: Record<TPdProposalState, string> = {
  draft: 'gray.8',
  submitted: 'blue.9',
  recommended: 'indigo.9',
  sanctioned: '#1b6e2e',
  refused: 'red.9',
  applied: '#9c3a0a', // dark orange: orange.9 (#d9480f) is 4.29:1 on white, below WCAG AA 4.5:1
  registered: '#1b6e2e',
};
