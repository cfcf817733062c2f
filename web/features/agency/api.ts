import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TAgency, TAgencyPage, TAgencyStatus, TLicenceAlert, TOperator } from '../../../shared/contracts/agency.ts';
import { BANK_ACCOUNT_RE, gstinProblem, ifscProblem, panProblem } from '../../../shared/domain/identifiers.ts';
import { EMAIL_RE, MOBILE_RE } from '../../../shared/domain/validators.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import { api, qs } from '../../lib/api.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';

export type { TAgency, TAgencyPage, TAgencyStatus, TLicenceAlert, TOperator };

export type TAgencyQuery = {
  q?: string;
  status?: TAgencyStatus;
  licence?: 'alert';
  districtId?: number;
  page: number;
  pageSize: number;
  sort: 'legalName' | 'createdAt' | 'licenceValidTo' | 'status';
  dir: 'asc' | 'desc';
};
export type TDistrict = { id: number; nameEn: string; nameHi: string };

export const agencyKeys = {
  all: ['agency'] as const,
  list: (q: TAgencyQuery) => ['agency', 'list', q] as const,
  one: (id: number) => ['agency', 'one', id] as const,
  mine: ['agency', 'mine'] as const,
  operators: ['agency', 'operators'] as const,
  districts: ['agency', 'districts'] as const,
};

export function useAgencies(q: TAgencyQuery) {
  return useQuery({ queryKey: agencyKeys.list(q), queryFn: () => api<TAgencyPage>('GET', `/api/v1/agencies${qs(q)}`), placeholderData: keepPreviousData });
}

export function useAgency(id: number) {
  return useQuery({ queryKey: agencyKeys.one(id), queryFn: () => api<TAgency>('GET', `/api/v1/agencies/${id}`), enabled: Number.isInteger(id) && id > 0 });
}

export function useMyAgency() {
  return useQuery({ queryKey: agencyKeys.mine, queryFn: () => api<TAgency>('GET', '/api/v1/my-agency') });
}

export function useOperators() {
  return useQuery({ queryKey: agencyKeys.operators, queryFn: () => api<{ items: TOperator[] }>('GET', '/api/v1/my-agency/operators') });
}

/** Active districts (a public list: the sign-up form has no login yet). */
export function useDistricts() {
  return useQuery({
    queryKey: agencyKeys.districts,
    queryFn: () => api<{ items: TDistrict[] }>('GET', '/api/v1/agency-signup/districts'),
    staleTime: 10 * 60_000,
  });
}

/** Badge colours dark enough for white text (WCAG AA, ≥ 4.5:1). */
export const STATUS_COLOURS: Record<TAgencyStatus, string> = {
  pending: '#8a5300',
  verified: '#2b7a3b',
  rejected: '#495057',
  suspended: '#a63c00',
  blacklisted: '#b02525',
};

/** The particulars form's values (all strings, as typed). */
export type TParticularsForm = {
  legalName: string;
  type: string;
  pan: string;
  gstin: string;
  epfoCode: string;
  esicCode: string;
  licenceNo: string;
  licenceWorkmen: string;
  licenceValidTo: string;
  address: string;
  districtId: string;
  contactName: string;
  mobile: string;
  email: string;
  bankAccount: string;
  ifsc: string;
};

export const EMPTY_PARTICULARS: TParticularsForm = {
  legalName: '',
  type: '',
  pan: '',
  gstin: '',
  epfoCode: '',
  esicCode: '',
  licenceNo: '',
  licenceWorkmen: '',
  licenceValidTo: '',
  address: '',
  districtId: '',
  contactName: '',
  mobile: '',
  email: '',
  bankAccount: '',
  ifsc: '',
};

/**
 * The same checks as the server (shared/domain/identifiers.ts and validators.ts), before submit:
 * returns field → validation code (translated by the caller as `validation.<code>`).
 */
export function checkParticulars(v: TParticularsForm): Record<string, TFieldCode> {
  const e: Record<string, TFieldCode> = {};
  for (const k of Object.keys(EMPTY_PARTICULARS) as (keyof TParticularsForm)[]) if (v[k].trim() === '') e[k] = 'required';
  if (v.pan.trim()) {
    const p = panProblem(v.pan);
    if (p) e.pan = p;
  }
  if (v.gstin.trim()) {
    const g = gstinProblem(v.gstin) ?? (e.pan ? null : gstinProblem(v.gstin, v.pan));
    if (g) e.gstin = g;
  }
  if (v.ifsc.trim() && ifscProblem(v.ifsc)) e.ifsc = 'ifsc_format';
  if (v.mobile.trim() && !MOBILE_RE.test(v.mobile.trim())) e.mobile = 'mobile_format';
  if (v.email.trim() && !EMAIL_RE.test(v.email.trim())) e.email = 'email_format';
  if (v.bankAccount.trim() && !BANK_ACCOUNT_RE.test(v.bankAccount.trim())) e.bankAccount = 'bank_account_format';
  if (v.licenceWorkmen.trim() && !/^[1-9][0-9]{0,6}$/.test(v.licenceWorkmen.trim())) e.licenceWorkmen = 'not_integer';
  if (v.licenceValidTo.trim()) {
    const problem = dateProblem(v.licenceValidTo);
    if (problem) e.licenceValidTo = problem;
  }
  return e;
}

export const DOC_FIELDS = ['pan_card', 'gst_certificate', 'labour_licence', 'registration_certificate'] as const;
export const REQUIRED_DOCS: readonly string[] = ['pan_card', 'gst_certificate', 'labour_licence'];

/** The particulars and documents as a multipart body. */
export function particularsForm(v: TParticularsForm, files: Record<string, File | null>, extra: Record<string, string> = {}): FormData {
  const fd = new FormData();
  // Dates are typed dd/mm/yyyy (as everywhere in ROAMS) and sent as ISO dates.
  for (const [k, val] of Object.entries(v)) fd.append(k, k === 'licenceValidTo' ? (parseIndianDate(val) ?? val.trim()) : val.trim());
  for (const [k, val] of Object.entries(extra)) fd.append(k, val);
  for (const [k, f] of Object.entries(files)) if (f) fd.append(k, f, f.name);
  return fd;
}
