import { flashSlot } from '../../ui/flash.ts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type {
  TContract,
  TContractDashboard,
  TContractListQuery,
  TContractOptions,
  TContractSummary,
  TContractVersion,
} from '../../../shared/contracts/contract.ts';
import type { TMinimumWage } from '../../../shared/contracts/rates.ts';
import { api, ApiError, qs } from '../../lib/api.ts';
import { dateProblem } from '../../lib/dates.ts';
import { RATES_BASE } from '../rates/api.ts';

export type { TContract, TContractDashboard, TContractOptions, TContractSummary, TContractVersion };
export { money } from '../rates/api.ts';

export const BASE = '/api/v1/contracts';

export type TListQuery = Omit<TContractListQuery, 'endingWithinDays' | 'late' | 'belowMinimumWage'> & { late?: 'true'; belowMinimumWage?: 'true' };

export const contractKeys = {
  all: ['contract'] as const,
  list: (q: TListQuery) => ['contract', 'list', q] as const,
  one: (id: number) => ['contract', 'one', id] as const,
  options: (officeId: number | null) => ['contract', 'options', officeId] as const,
  dashboard: ['contract', 'dashboard'] as const,
  wages: ['contract', 'minimum-wages'] as const,
};

export function useContracts(q: TListQuery) {
  return useQuery({
    queryKey: contractKeys.list(q),
    queryFn: () => api<{ items: TContractSummary[]; total: number; page: number; pageSize: number }>('GET', `${BASE}${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

export function useContract(id: number) {
  return useQuery({ queryKey: contractKeys.one(id), queryFn: () => api<TContract>('GET', `${BASE}/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useContractOptions(officeId: number | null) {
  return useQuery({
    queryKey: contractKeys.options(officeId),
    queryFn: () => api<TContractOptions>('GET', `${BASE}/options${qs({ officeId })}`),
    staleTime: 60_000,
  });
}

export function useDashboard() {
  return useQuery({ queryKey: contractKeys.dashboard, queryFn: () => api<TContractDashboard>('GET', `${BASE}/dashboard`) });
}

/** Every minimum-wage row (a few per skill level a year), to show the minimum in force for a period. */
export function useAllMinimumWages() {
  return useQuery({
    queryKey: contractKeys.wages,
    queryFn: () => api<{ items: TMinimumWage[] }>('GET', `${RATES_BASE}${qs({ page: 1, pageSize: 200, sort: 'effectiveFrom', dir: 'asc' })}`),
    staleTime: 5 * 60_000,
  });
}

/**
 * The highest minimum wage (basic + VDA) of a skill level in force on any day of [start, end]:
 * what every day of the period must meet. Null when no row is in force at the start.
 */
export function minimumForPeriod(rows: TMinimumWage[], skillLevelId: number, start: string, end: string): TMinimumWage | null {
  const mine = rows.filter((r) => r.skillLevelId === skillLevelId).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const atStart = mine.filter((r) => r.effectiveFrom <= start).pop();
  if (!atStart) return null;
  return [atStart, ...mine.filter((r) => r.effectiveFrom > start && r.effectiveFrom <= end)].reduce((m, r) => (r.totalPaise > m.totalPaise ? r : m));
}

/** '3.85' → 385 basis points; null when not a percentage with at most two decimals. */
export function parsePercentBp(s: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(s.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 385 → '3.85 %'. */
export function formatBp(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')} %`;
}

/** Colour of a contract status badge (AA on white). */
export const STATUS_COLOUR: Record<TContractSummary['status'], string> = { draft: 'gray.8', active: '#1b6e2e', expired: '#a84300', terminated: 'red.9' };

/**
 * A message kept as its catalog key and parameters, translated when shown, so a refusal follows a
 * change of language (`text` is the server's translation, used if the key is unknown here).
 */
export type TMsg = { k: string; p?: Record<string, string | number>; text?: string };

export function msg(k: string, p?: Record<string, string | number>): TMsg {
  return { k, p };
}

/** A refused typed date: "no such date" (31/02) or the contract forms' "enter dd/mm/yyyy". */
export function dateMsg(typed: string): TMsg {
  return msg(dateProblem(typed) === 'date_not_exist' ? 'validation.date_not_exist' : 'contract.create.dateInvalid');
}

/** A server refusal as { field path → message } plus the message for the top of the form. */
export function problemOf(e: unknown): { fields: Record<string, TMsg>; title: TMsg } {
  if (e instanceof ApiError) {
    const fields: Record<string, TMsg> = {};
    for (const fe of e.problem.errors ?? []) fields[fe.field] = { k: `validation.${fe.code}`, p: fe.params, text: fe.message };
    return { fields, title: { k: `errors.${e.code}`, p: e.problem.params ?? e.problem.errors?.[0]?.params, text: e.problem.title } };
  }
  return { fields: {}, title: { k: 'common.somethingWrong' } };
}

/** Translates a TMsg in the current language. */
export function useMsg() {
  const { t, i18n } = useTranslation();
  return (m: TMsg | null | undefined): string | undefined => {
    if (!m) return undefined;
    const s = t(m.k, { ...readableParams(m.p, i18n.language), defaultValue: m.text ?? m.k });
    // A message whose parameters did not reach the web (an error's own params, such as the proof gate's
    // month, are only in the server's title, which is already in this language): the server's text, not "{{month}}".
    return m.text && /\{\{\w+\}\}/.test(s) ? m.text : s;
  };
}

/**
 * A problem's params as a person reads them: a month ('YYYY-MM', e.g. the proof gate's) as
 * "April 2026" / "अप्रैल 2026". Everything else as the server sent it.
 */
function readableParams(p: TMsg['p'], lang: string): TMsg['p'] {
  if (!p) return p;
  const out: Record<string, unknown> = { ...p };
  for (const [k, v] of Object.entries(p))
    if (typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v))
      out[k] = new Date(`${v}-01T00:00:00Z`).toLocaleDateString(lang === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return out as TMsg['p'];
}

// One message carried from a page to the next after a redirect ("contract saved"), kept as a key so it follows a change of language.
export type TFlash = { msgs: TMsg[]; warn: boolean };
export const contractFlash = flashSlot<TFlash>();
