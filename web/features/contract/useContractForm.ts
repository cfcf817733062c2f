import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { GEM_CONTRACT_PREFIX, type TContractCreate, type TVersionCreate, type TVersionTerms } from '../../../shared/contracts/contract.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { paiseToInput, parseRupees } from '../../../shared/domain/wages.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { pdfProblem } from '../../lib/pdf.ts';
import { formatInt } from '../../ui/format.ts';
import { contractKeys, dateMsg, msg, parsePercentBp, type TContract, type TContractOptions, type TMsg } from './api.ts';
import { capacityOf, emptyRow, rowKey, type TPostRow, type TRowErrors } from './PostRows.tsx';

export type TMode = 'create' | 'version';

/** The typed values of the contract form (identity for a new contract, the terms for every version), as the fields hold them. */
export type TContractValues = {
  contractNo: string;
  contractDate: string;
  agencyId: string | null;
  officeId: string | null;
  procurementMode: string;
  gemContractNo: string;
  gemBidNo: string;
  kind: 'extension' | 'amendment';
  startDate: string;
  endDate: string;
  ddoCodeId: string | null;
  budgetLineIds: string[];
  paymentMode: string;
  wageBasis: string;
  serviceCharge: string;
  epfMode: string;
  esicApplies: boolean;
  bonus: string;
  remark: string;
};

const IDENTITY_FIELDS = ['contractNo', 'contractDate', 'agencyId', 'officeId', 'procurementMode', 'gemContractNo', 'gemBidNo'];
const TERM_FIELDS = [
  'startDate',
  'endDate',
  'ddoCodeId',
  'budgetLineIds',
  'paymentMode',
  'wageBasis',
  'serviceChargeBp',
  'epfMode',
  'esicApplies',
  'bonusBp',
  'remark',
  'document',
  'kind',
  'posts',
];
const ROW_FIELDS = ['officeId', 'skillLevelId', 'postNameId', 'positions', 'basicPaise', 'vdaPaise'];

function bpToInput(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/** The errors without `k` (typing in a field clears its error). */
function without(errors: Record<string, TMsg>, k: string): Record<string, TMsg> {
  if (!(k in errors)) return errors;
  const { [k]: _, ...rest } = errors;
  return rest;
}

const wholeNumber = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : null);

/** A new contract starts empty; a new version starts from the terms and posts of the version in force. */
function initialValues(contract: TContract | undefined): TContractValues {
  const base = contract?.versions.find((v) => v.state === 'in_force') ?? contract?.versions[0];
  return {
    contractNo: '',
    contractDate: '',
    agencyId: null,
    officeId: contract ? String(contract.officeId) : null,
    procurementMode: 'gem',
    gemContractNo: '',
    gemBidNo: '',
    kind: 'extension',
    startDate: base ? formatDate(base.startDate) : '',
    endDate: base ? formatDate(base.endDate) : '',
    ddoCodeId: base ? String(base.ddoCodeId) : null,
    budgetLineIds: base ? base.budgetLines.map((b) => String(b.id)) : [],
    paymentMode: base?.paymentMode ?? 'through_agency',
    wageBasis: base?.wageBasis ?? 'monthly',
    serviceCharge: base ? bpToInput(base.serviceChargeBp) : '',
    epfMode: base?.epfMode ?? 'capped',
    esicApplies: base?.esicApplies ?? true,
    bonus: base ? bpToInput(base.bonusBp) : '8.33',
    remark: '',
  };
}

/** Identity and terms checked before sending (the server checks again): field → message. */
function checkValues(mode: TMode, v: TContractValues, file: File | null): Promise<Record<string, TMsg>> {
  const fe: Record<string, TMsg> = {};
  const required = msg('contract.create.required');
  const date = (k: 'contractDate' | 'startDate' | 'endDate') => {
    if (!v[k].trim()) fe[k] = required;
    else if (!parseIndianDate(v[k])) fe[k] = dateMsg(v[k]);
  };
  if (mode === 'create') {
    if (!v.contractNo.trim()) fe.contractNo = required;
    date('contractDate');
    if (!v.agencyId) fe.agencyId = required;
    if (!v.officeId) fe.officeId = required;
    if (v.procurementMode === 'gem') {
      if (!v.gemContractNo.trim()) fe.gemContractNo = required;
      else if (!v.gemContractNo.trim().toUpperCase().startsWith(GEM_CONTRACT_PREFIX)) fe.gemContractNo = msg('contract.create.gemContractFormat');
      if (!v.gemBidNo.trim()) fe.gemBidNo = required;
    }
  }
  date('startDate');
  date('endDate');
  const startIso = parseIndianDate(v.startDate);
  const endIso = parseIndianDate(v.endDate);
  if (!fe.endDate && startIso && endIso && endIso < startIso) fe.endDate = msg('contract.create.endBeforeStart');
  if (!v.ddoCodeId) fe.ddoCodeId = required;
  if (v.budgetLineIds.length === 0) fe.budgetLineIds = required;
  const scBp = parsePercentBp(v.serviceCharge);
  if (!v.serviceCharge.trim()) fe.serviceChargeBp = required;
  else if (scBp === null) fe.serviceChargeBp = msg('contract.create.percentInvalid');
  else if (scBp > 10_000) fe.serviceChargeBp = msg('contract.create.serviceChargeRange');
  const bonusBp = parsePercentBp(v.bonus || '0');
  if (bonusBp === null) fe.bonusBp = msg('contract.create.percentInvalid');
  else if (bonusBp !== 0 && (bonusBp < 833 || bonusBp > 2000)) fe.bonusBp = msg('contract.create.bonusRange');
  return pdfProblem(file).then((p) => (p ? { ...fe, document: msg(`contract.create.${p}`) } : fe));
}

/** The post rows checked before sending: required, no post twice, positions within the sanctioned capacity, wages as amounts. */
function checkRows(rows: TPostRow[], capacity: (r: TPostRow) => ReturnType<typeof capacityOf>): TRowErrors[] {
  const required = msg('contract.create.required');
  const seen = new Set<string>();
  return rows.map((r) => {
    const ri: TRowErrors = {};
    if (!r.officeId) ri.officeId = required;
    if (!r.skillLevelId) ri.skillLevelId = required;
    if (!r.postNameId) ri.postNameId = required;
    if (r.officeId && r.skillLevelId && r.postNameId) {
      const k = rowKey(r.officeId, r.skillLevelId, r.postNameId);
      if (seen.has(k)) ri.postNameId = msg('contract.post.duplicate');
      seen.add(k);
    }
    const n = wholeNumber(r.positions);
    if (!r.positions.trim()) ri.positions = required;
    else if (n === null || n < 1) ri.positions = msg('contract.create.wholeNumber');
    else {
      // Capacity is known here (sanctioned by locked orders minus other active contracts): refuse early.
      const cap = capacity(r);
      if (cap && n > cap.available)
        ri.positions = cap.sanctioned === 0 ? msg('contract.post.noCapacity') : msg('contract.post.overCapacity', { available: formatInt(cap.available) });
    }
    const b = parseRupees(r.basic);
    if (!r.basic.trim()) ri.basicPaise = required;
    else if (b === null || b === 0) ri.basicPaise = msg('contract.create.amountInvalid');
    if (!r.vda.trim()) ri.vdaPaise = required;
    else if (parseRupees(r.vda) === null) ri.vdaPaise = msg('contract.create.amountInvalid');
    return ri;
  });
}

/** The request body from checked values. */
function toBody(mode: TMode, v: TContractValues, rows: TPostRow[]): TContractCreate | TVersionCreate {
  const terms: TVersionTerms = {
    startDate: parseIndianDate(v.startDate)!,
    endDate: parseIndianDate(v.endDate)!,
    ddoCodeId: Number(v.ddoCodeId),
    budgetLineIds: v.budgetLineIds.map(Number),
    paymentMode: v.paymentMode as TVersionTerms['paymentMode'],
    wageBasis: v.wageBasis as TVersionTerms['wageBasis'],
    serviceChargeBp: parsePercentBp(v.serviceCharge)!,
    epfMode: v.epfMode as TVersionTerms['epfMode'],
    esicApplies: v.esicApplies,
    bonusBp: parsePercentBp(v.bonus || '0')!,
    remark: v.remark.trim(),
    posts: rows.map((r) => ({
      officeId: Number(r.officeId),
      skillLevelId: Number(r.skillLevelId),
      postNameId: Number(r.postNameId),
      positions: Number(r.positions),
      basicPaise: parseRupees(r.basic)!,
      vdaPaise: parseRupees(r.vda)!,
    })),
  };
  if (mode === 'version') return { kind: v.kind, ...terms };
  const gem = v.procurementMode === 'gem';
  return {
    contractNo: v.contractNo.trim(),
    contractDate: parseIndianDate(v.contractDate)!,
    agencyId: Number(v.agencyId),
    procurementMode: v.procurementMode as TContractCreate['procurementMode'],
    gemContractNo: gem ? v.gemContractNo.trim() : '',
    gemBidNo: gem ? v.gemBidNo.trim() : '',
    officeId: Number(v.officeId),
    ...terms,
  };
}

/**
 * The state of a ContractForm, in one place: the typed values, the chosen PDF, the post rows, and
 * the errors (per field, per row, and for the top of the form). Typing in a field clears its
 * error; `check()` validates everything and gives the body to send, or null after showing why not;
 * `showRefusal()` lays a server refusal out on the same fields.
 */
export function useContractForm(mode: TMode, contract: TContract | undefined) {
  const qc = useQueryClient();
  const [value, setValue] = useState<TContractValues>(() => initialValues(contract));
  const [file, setFile] = useState<File | null>(null);
  const nextKey = useRef(1);
  const [rows, setRows] = useState<TPostRow[]>(() => {
    const base = contract?.versions.find((v) => v.state === 'in_force') ?? contract?.versions[0];
    return base
      ? base.posts.map((p) => ({
          key: nextKey.current++,
          officeId: String(p.officeId),
          skillLevelId: String(p.skillLevelId),
          postNameId: String(p.postNameId),
          positions: String(p.positions),
          basic: paiseToInput(p.basicPaise),
          vda: paiseToInput(p.vdaPaise),
        }))
      : [emptyRow(0, null)];
  });
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [rowErrors, setRowErrors] = useState<TRowErrors[]>([]);
  const [formError, setFormError] = useState<TMsg[] | null>(null);

  // Positions the version in force covers itself: a new version replaces them.
  const own: Record<string, number> = {};
  if (contract?.status === 'active')
    for (const p of contract.versions.find((v) => v.state === 'in_force')?.posts ?? []) own[rowKey(p.officeId, p.skillLevelId, p.postNameId)] = p.positions;

  const takeOffice = useCallback((officeId: string) => {
    setValue((x) => ({ ...x, officeId }));
    setRows((rs) => rs.map((r) => (r.officeId ? r : { ...r, officeId })));
  }, []);

  const startIso = parseIndianDate(value.startDate);
  const endIso = parseIndianDate(value.endDate);

  const set = <K extends keyof TContractValues>(k: K, v: TContractValues[K]) => {
    setValue((x) => ({ ...x, [k]: v }));
    setErrors((x) => without(x, k));
  };

  return {
    value,
    set,
    file,
    setFile: (f: File | null) => {
      setFile(f);
      setErrors((x) => without(x, 'document'));
    },
    errors,
    formError,
    own,
    /** The period the rows' minimum wages are looked up for (today while the dates are not yet real). */
    period: { start: startIso ?? todayIst(), end: endIso ?? startIso ?? todayIst() },
    rows,
    rowErrors,
    setRow: (i: number, next: TPostRow) => {
      setRows((rs) => rs.map((x) => (x.key === next.key ? next : x)));
      setRowErrors((re) => re.map((x, j) => (j === i ? {} : x)));
    },
    addRow: () => setRows((rs) => [...rs, emptyRow(nextKey.current++, value.officeId)]),
    removeRow: (key: number) => {
      setRows((rs) => rs.filter((x) => x.key !== key));
      setRowErrors([]);
    },
    /** The office the user acts for, once the options name it: the contracting office and the rows' default. */
    takeOffice,
    totals: {
      positions: rows.reduce((s, r) => s + (wholeNumber(r.positions) ?? 0), 0),
      bill: rows.reduce((s, r) => s + (wholeNumber(r.positions) ?? 0) * ((parseRupees(r.basic) ?? 0) + (parseRupees(r.vda) ?? 0)), 0),
    },
    check: async (): Promise<TContractCreate | TVersionCreate | null> => {
      const fe = await checkValues(mode, value, file);
      const re = checkRows(rows, (r) => capacityOf(qc.getQueryData<TContractOptions>(contractKeys.options(r.officeId ? Number(r.officeId) : null)), r, own));
      setErrors(fe);
      setRowErrors(re);
      if (Object.keys(fe).length > 0 || re.some((r) => Object.keys(r).length > 0)) {
        setFormError([msg('contract.create.fixErrors')]);
        return null;
      }
      setFormError(null);
      return toBody(mode, value, rows);
    },
    showRefusal: (fields: Record<string, TMsg>, title: TMsg) => {
      const fe: Record<string, TMsg> = {};
      const re: TRowErrors[] = [];
      const other: TMsg[] = [];
      for (const [k, v] of Object.entries(fields)) {
        const row = /^posts\.(\d+)\.(\w+)$/.exec(k);
        if (row && ROW_FIELDS.includes(row[2]!)) {
          const i = Number(row[1]);
          re[i] = { ...re[i], [row[2]!]: v };
          continue;
        }
        const key = k.replace(/\.\d+$/, '');
        if (IDENTITY_FIELDS.includes(key) || TERM_FIELDS.includes(key)) fe[key] = v;
        else other.push(v);
      }
      setErrors(fe);
      setRowErrors(re);
      setFormError([title, ...other]);
    },
  };
}

export type TContractFormState = ReturnType<typeof useContractForm>;
