import type { TMaster } from '../../../shared/contracts/org.ts';
import type { MasterRow } from './api.ts';

/**
 * One description per master drives the generic MasterPage: its table columns, its filters and
 * its add / edit form. Labels are translation keys under `org.`.
 */
export type Ref = { code: string; nameEn: string; nameHi: string } | null;
export type FieldDef = {
  name: string;
  kind: 'text' | 'int' | 'ref';
  /** For `ref`: the master to pick from. */
  ref?: TMaster;
  /** For `ref`: the item field holding the current `{ code, nameEn, nameHi }`. */
  refName?: string;
  optional?: boolean;
  /** Shown only when adding (an office's id cannot change). */
  createOnly?: boolean;
  maxLength?: number;
};
export type ColumnDef = { key: string; sort?: string; value: (row: MasterRow, hi: boolean) => string };
export type FilterDef = { name: string; ref: TMaster };
export type MasterConfig = {
  master: TMaster;
  path: string;
  columns: ColumnDef[];
  fields: FieldDef[];
  filters: FilterDef[];
  /** A mapping: rows are added and removed, not edited or deactivated. */
  isMap?: boolean;
  /** The row's name in confirmations. */
  label: (row: MasterRow, hi: boolean) => string;
  /** Path segment(s) identifying the row. */
  key: (row: MasterRow) => string;
};

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const ref = (name: string) => (row: MasterRow, hi: boolean) => {
  const r = row[name] as Ref;
  return r ? `${hi ? r.nameHi : r.nameEn} (${r.code})` : '—';
};
const col = (key: string, sort?: string): ColumnDef => ({ key, sort, value: (r) => s(r[key]) });
const refCol = (key: string, name: string): ColumnDef => ({ key, value: ref(name) });
const nameCols = [col('code', 'code'), col('nameHi', 'nameHi'), col('nameEn', 'nameEn')];
const nameFields: FieldDef[] = [
  { name: 'code', kind: 'text', maxLength: 20 },
  { name: 'nameHi', kind: 'text', maxLength: 200 },
  { name: 'nameEn', kind: 'text', maxLength: 200 },
];
const named = (row: MasterRow, hi: boolean) => `${s(hi ? row.nameHi : row.nameEn)} (${s(row.code)})`;
const byId = (row: MasterRow) => s(row.id);

export const MASTER_CONFIGS: MasterConfig[] = [
  {
    master: 'offices',
    path: 'offices',
    columns: [
      col('id', 'id'),
      col('nameHi', 'nameHi'),
      col('nameEn', 'nameEn'),
      refCol('hodId', 'hod'),
      refCol('departmentId', 'department'),
      refCol('districtId', 'district'),
      refCol('treasuryId', 'treasury'),
    ],
    fields: [
      { name: 'id', kind: 'int', createOnly: true },
      { name: 'nameHi', kind: 'text', maxLength: 200 },
      { name: 'nameEn', kind: 'text', maxLength: 200 },
      { name: 'hodId', kind: 'ref', ref: 'hods', refName: 'hod' },
      { name: 'districtId', kind: 'ref', ref: 'districts', refName: 'district' },
      { name: 'treasuryId', kind: 'ref', ref: 'treasuries', refName: 'treasury', optional: true },
      { name: 'address', kind: 'text', optional: true, maxLength: 300 },
      { name: 'phone', kind: 'text', optional: true, maxLength: 20 },
    ],
    filters: [
      { name: 'departmentId', ref: 'departments' },
      { name: 'hodId', ref: 'hods' },
      { name: 'districtId', ref: 'districts' },
    ],
    label: (r, hi) => `${s(hi ? r.nameHi : r.nameEn)} (${s(r.id)})`,
    key: byId,
  },
  {
    master: 'hods',
    path: 'hods',
    columns: [...nameCols, refCol('departmentId', 'department')],
    fields: [...nameFields, { name: 'departmentId', kind: 'ref', ref: 'departments', refName: 'department' }],
    filters: [{ name: 'departmentId', ref: 'departments' }],
    label: named,
    key: byId,
  },
  { master: 'departments', path: 'departments', columns: nameCols, fields: nameFields, filters: [], label: named, key: byId },
  {
    master: 'ddo-codes',
    path: 'ddo-codes',
    columns: [
      col('code', 'code'),
      col('designationHi', 'designationHi'),
      col('designationEn', 'designationEn'),
      refCol('officeId', 'office'),
      refCol('treasuryId', 'treasury'),
    ],
    fields: [
      { name: 'code', kind: 'text', maxLength: 20 },
      { name: 'designationHi', kind: 'text', maxLength: 200 },
      { name: 'designationEn', kind: 'text', maxLength: 200 },
      { name: 'officeId', kind: 'ref', ref: 'offices', refName: 'office' },
      { name: 'treasuryId', kind: 'ref', ref: 'treasuries', refName: 'treasury' },
    ],
    filters: [
      { name: 'officeId', ref: 'offices' },
      { name: 'treasuryId', ref: 'treasuries' },
    ],
    label: (r, hi) => `${s(r.code)} — ${s(hi ? r.designationHi : r.designationEn)}`,
    key: byId,
  },
  {
    master: 'ddo-office-map',
    path: 'ddo-office-map',
    isMap: true,
    columns: [refCol('ddoCodeId', 'ddoCode'), refCol('officeId', 'office')],
    fields: [
      { name: 'ddoCodeId', kind: 'ref', ref: 'ddo-codes', refName: 'ddoCode' },
      { name: 'officeId', kind: 'ref', ref: 'offices', refName: 'office' },
    ],
    filters: [
      { name: 'ddoCodeId', ref: 'ddo-codes' },
      { name: 'officeId', ref: 'offices' },
    ],
    label: (r, hi) => `${ref('ddoCode')(r, hi)} → ${ref('office')(r, hi)}`,
    key: (r) => `${s(r.ddoCodeId)}/${s(r.officeId)}`,
  },
  {
    master: 'budget-lines',
    path: 'budget-lines',
    columns: [
      {
        key: 'head',
        sort: 'demandNo',
        value: (r) => ['demandNo', 'majorHead', 'subMajorHead', 'minorHead', 'subHead', 'detailedHead', 'objectHead'].map((k) => s(r[k])).join('-'),
      },
      col('schemeNameHi', 'schemeNameHi'),
      col('schemeNameEn', 'schemeNameEn'),
      refCol('departmentId', 'department'),
    ],
    fields: [
      { name: 'demandNo', kind: 'text', maxLength: 3 },
      { name: 'majorHead', kind: 'text', maxLength: 4 },
      { name: 'subMajorHead', kind: 'text', maxLength: 2 },
      { name: 'minorHead', kind: 'text', maxLength: 3 },
      { name: 'subHead', kind: 'text', maxLength: 4 },
      { name: 'detailedHead', kind: 'text', maxLength: 3 },
      { name: 'objectHead', kind: 'text', maxLength: 4 },
      { name: 'schemeNameHi', kind: 'text', maxLength: 200 },
      { name: 'schemeNameEn', kind: 'text', maxLength: 200 },
      { name: 'departmentId', kind: 'ref', ref: 'departments', refName: 'department' },
    ],
    filters: [{ name: 'departmentId', ref: 'departments' }],
    label: (r, hi) => s(hi ? r.schemeNameHi : r.schemeNameEn),
    key: byId,
  },
  {
    master: 'budget-line-map',
    path: 'budget-line-map',
    isMap: true,
    columns: [refCol('budgetLineId', 'budgetLine'), refCol('officeId', 'office')],
    fields: [
      { name: 'budgetLineId', kind: 'ref', ref: 'budget-lines', refName: 'budgetLine' },
      { name: 'officeId', kind: 'ref', ref: 'offices', refName: 'office' },
    ],
    filters: [
      { name: 'budgetLineId', ref: 'budget-lines' },
      { name: 'officeId', ref: 'offices' },
    ],
    label: (r, hi) => `${ref('budgetLine')(r, hi)} → ${ref('office')(r, hi)}`,
    key: (r) => `${s(r.budgetLineId)}/${s(r.officeId)}`,
  },
  {
    master: 'skill-levels',
    path: 'skill-levels',
    columns: [col('sortOrder', 'sortOrder'), ...nameCols],
    fields: [...nameFields, { name: 'sortOrder', kind: 'int' }],
    filters: [],
    label: named,
    key: byId,
  },
  { master: 'post-names', path: 'post-names', columns: nameCols, fields: nameFields, filters: [], label: named, key: byId },
  { master: 'districts', path: 'districts', columns: nameCols, fields: nameFields, filters: [], label: named, key: byId },
  {
    master: 'treasuries',
    path: 'treasuries',
    columns: [...nameCols, refCol('districtId', 'district')],
    fields: [...nameFields, { name: 'districtId', kind: 'ref', ref: 'districts', refName: 'district' }],
    filters: [{ name: 'districtId', ref: 'districts' }],
    label: named,
    key: byId,
  },
];

/** How a referenced row is shown in pickers. */
export function optionLabel(master: TMaster, row: MasterRow, hi: boolean): string {
  if (master === 'offices') return `${s(row.id)} — ${s(hi ? row.nameHi : row.nameEn)}`;
  if (master === 'ddo-codes') return `${s(row.code)} — ${s(hi ? row.designationHi : row.designationEn)}`;
  if (master === 'budget-lines')
    return `${['demandNo', 'majorHead', 'subMajorHead', 'minorHead', 'subHead', 'detailedHead', 'objectHead'].map((k) => s(row[k])).join('-')} — ${s(hi ? row.schemeNameHi : row.schemeNameEn)}`;
  return `${s(row.code)} — ${s(hi ? row.nameHi : row.nameEn)}`;
}
