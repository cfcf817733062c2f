import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { MASTER_FILE_COLUMNS, ZMasterBodies, ZMasterUpdateBodies, type TMaster } from '../../../shared/contracts/org.ts';
import { budgetLineMap, budgetLines, ddoCodes, ddoOfficeMap, departments, districts, hods, offices, postNames, skillLevels, treasuries } from './org.table.ts';

/**
 * One description per master drives the generic list, export, import and write code
 * (org.repo.ts, org.service.ts), so each master costs a table row here, not a copy of the code.
 */

/** A reference to another master: by id in the API, by code in files. */
export type RefDef = {
  /** Name of the item field holding `{ code, nameEn, nameHi }`, e.g. `hod`. */
  name: string;
  /** The API field holding the id, e.g. `hodId`. */
  idField: string;
  /** The file column holding the code, e.g. `hodCode`. */
  fileField: string;
  table: PgTable;
  id: PgColumn;
  /** The code as text (the office id for offices, the head of account for budget lines). */
  code: SQL;
  nameEn: PgColumn;
  nameHi: PgColumn;
  nullable?: boolean;
};

export type ListFilter = 'departmentId' | 'hodId' | 'districtId' | 'treasuryId' | 'officeId' | 'ddoCodeId' | 'budgetLineId';

export type MasterDef = {
  master: TMaster;
  /** Audit entity name. */
  entity: string;
  table: PgTable;
  /** The row id (path parameter); absent for mappings. */
  id?: PgColumn;
  /** API field → column, every column the item shows (ids, texts, active). */
  cols: Record<string, PgColumn>;
  refs: RefDef[];
  /** Text columns `q` searches (case-insensitive substring); `idSearch` also matches an exact id. */
  search: PgColumn[];
  idSearch?: PgColumn;
  sorts: Record<string, PgColumn>;
  defaultSort: string;
  filters: Partial<Record<ListFilter, PgColumn>>;
  /** API fields that identify a row in an import (updated if present, created if not). */
  key: string[];
  /** Other unique field sets (besides the key), checked before saving. */
  uniques: string[][];
  /** Unique constraint → the field a duplicate error names. */
  constraints: Record<string, string>;
  body: z.ZodObject;
  updateBody: z.ZodObject;
  fileColumns: readonly string[];
  /** Whole-number file columns. */
  intColumns: string[];
};

const headExpr = sql`(${budgetLines.demandNo} || '-' || ${budgetLines.majorHead} || '-' || ${budgetLines.subMajorHead} || '-' || ${budgetLines.minorHead} || '-' || ${budgetLines.subHead} || '-' || ${budgetLines.detailedHead} || '-' || ${budgetLines.objectHead})`;

const REF = {
  district: {
    name: 'district',
    idField: 'districtId',
    fileField: 'districtCode',
    table: districts,
    id: districts.id,
    code: sql`${districts.code}`,
    nameEn: districts.nameEn,
    nameHi: districts.nameHi,
  },
  department: {
    name: 'department',
    idField: 'departmentId',
    fileField: 'departmentCode',
    table: departments,
    id: departments.id,
    code: sql`${departments.code}`,
    nameEn: departments.nameEn,
    nameHi: departments.nameHi,
  },
  hod: { name: 'hod', idField: 'hodId', fileField: 'hodCode', table: hods, id: hods.id, code: sql`${hods.code}`, nameEn: hods.nameEn, nameHi: hods.nameHi },
  treasury: {
    name: 'treasury',
    idField: 'treasuryId',
    fileField: 'treasuryCode',
    table: treasuries,
    id: treasuries.id,
    code: sql`${treasuries.code}`,
    nameEn: treasuries.nameEn,
    nameHi: treasuries.nameHi,
  },
  office: {
    name: 'office',
    idField: 'officeId',
    fileField: 'officeId',
    table: offices,
    id: offices.id,
    code: sql`(${offices.id})::text`,
    nameEn: offices.nameEn,
    nameHi: offices.nameHi,
  },
  ddoCode: {
    name: 'ddoCode',
    idField: 'ddoCodeId',
    fileField: 'ddoCode',
    table: ddoCodes,
    id: ddoCodes.id,
    code: sql`${ddoCodes.code}`,
    nameEn: ddoCodes.designationEn,
    nameHi: ddoCodes.designationHi,
  },
  budgetLine: {
    name: 'budgetLine',
    idField: 'budgetLineId',
    fileField: 'budgetLineHead',
    table: budgetLines,
    id: budgetLines.id,
    code: headExpr,
    nameEn: budgetLines.schemeNameEn,
    nameHi: budgetLines.schemeNameHi,
  },
} satisfies Record<string, RefDef>;

const named = <T extends { code: PgColumn; nameEn: PgColumn; nameHi: PgColumn }>(t: T) => ({
  search: [t.code, t.nameEn, t.nameHi],
  sorts: { code: t.code, nameEn: t.nameEn, nameHi: t.nameHi },
});

function def(
  master: TMaster,
  d: Omit<MasterDef, 'master' | 'body' | 'updateBody' | 'fileColumns' | 'intColumns' | 'uniques' | 'constraints'> &
    Partial<Pick<MasterDef, 'intColumns' | 'uniques' | 'constraints'>>,
): MasterDef {
  return {
    master,
    body: ZMasterBodies[master] as unknown as z.ZodObject,
    updateBody: ZMasterUpdateBodies[master] as unknown as z.ZodObject,
    fileColumns: MASTER_FILE_COLUMNS[master],
    intColumns: d.intColumns ?? [],
    uniques: d.uniques ?? [],
    constraints: d.constraints ?? {},
    ...d,
  };
}

export const MASTER_DEFS: Record<TMaster, MasterDef> = {
  districts: def('districts', {
    entity: 'district',
    table: districts,
    id: districts.id,
    cols: { id: districts.id, code: districts.code, nameEn: districts.nameEn, nameHi: districts.nameHi, active: districts.active },
    refs: [],
    ...named(districts),
    defaultSort: 'nameEn',
    filters: {},
    key: ['code'],
    uniques: [['nameEn']],
    constraints: { districts_code_uq: 'code', districts_name_en_uq: 'nameEn' },
  }),
  treasuries: def('treasuries', {
    entity: 'treasury',
    table: treasuries,
    id: treasuries.id,
    cols: {
      id: treasuries.id,
      code: treasuries.code,
      nameEn: treasuries.nameEn,
      nameHi: treasuries.nameHi,
      districtId: treasuries.districtId,
      active: treasuries.active,
    },
    refs: [REF.district],
    ...named(treasuries),
    defaultSort: 'code',
    filters: { districtId: treasuries.districtId },
    key: ['code'],
    constraints: { treasuries_code_uq: 'code' },
  }),
  departments: def('departments', {
    entity: 'department',
    table: departments,
    id: departments.id,
    cols: { id: departments.id, code: departments.code, nameEn: departments.nameEn, nameHi: departments.nameHi, active: departments.active },
    refs: [],
    ...named(departments),
    defaultSort: 'nameEn',
    filters: { departmentId: departments.id },
    key: ['code'],
    constraints: { departments_code_uq: 'code' },
  }),
  hods: def('hods', {
    entity: 'hod',
    table: hods,
    id: hods.id,
    cols: { id: hods.id, code: hods.code, nameEn: hods.nameEn, nameHi: hods.nameHi, departmentId: hods.departmentId, active: hods.active },
    refs: [REF.department],
    ...named(hods),
    defaultSort: 'nameEn',
    filters: { departmentId: hods.departmentId, hodId: hods.id },
    key: ['code'],
    constraints: { hods_code_uq: 'code' },
  }),
  offices: def('offices', {
    entity: 'office',
    table: offices,
    id: offices.id,
    cols: {
      id: offices.id,
      nameEn: offices.nameEn,
      nameHi: offices.nameHi,
      hodId: offices.hodId,
      departmentId: offices.departmentId,
      districtId: offices.districtId,
      treasuryId: offices.treasuryId,
      address: offices.address,
      phone: offices.phone,
      active: offices.active,
    },
    refs: [REF.hod, { ...REF.department, fileField: '' }, REF.district, { ...REF.treasury, nullable: true }],
    search: [offices.nameEn, offices.nameHi, offices.address],
    idSearch: offices.id,
    sorts: { id: offices.id, nameEn: offices.nameEn, nameHi: offices.nameHi },
    defaultSort: 'id',
    filters: { departmentId: offices.departmentId, hodId: offices.hodId, districtId: offices.districtId, treasuryId: offices.treasuryId, officeId: offices.id },
    key: ['id'],
    intColumns: ['id'],
    constraints: { offices_pkey: 'id' },
  }),
  'ddo-codes': def('ddo-codes', {
    entity: 'ddo_code',
    table: ddoCodes,
    id: ddoCodes.id,
    cols: {
      id: ddoCodes.id,
      code: ddoCodes.code,
      designationEn: ddoCodes.designationEn,
      designationHi: ddoCodes.designationHi,
      officeId: ddoCodes.officeId,
      treasuryId: ddoCodes.treasuryId,
      active: ddoCodes.active,
    },
    refs: [REF.office, REF.treasury],
    search: [ddoCodes.code, ddoCodes.designationEn, ddoCodes.designationHi],
    sorts: { code: ddoCodes.code, designationEn: ddoCodes.designationEn, designationHi: ddoCodes.designationHi, officeId: ddoCodes.officeId },
    defaultSort: 'code',
    filters: { officeId: ddoCodes.officeId, treasuryId: ddoCodes.treasuryId, ddoCodeId: ddoCodes.id },
    key: ['code'],
    intColumns: ['officeId'],
    constraints: { ddo_codes_code_uq: 'code' },
  }),
  'budget-lines': def('budget-lines', {
    entity: 'budget_line',
    table: budgetLines,
    id: budgetLines.id,
    cols: {
      id: budgetLines.id,
      demandNo: budgetLines.demandNo,
      majorHead: budgetLines.majorHead,
      subMajorHead: budgetLines.subMajorHead,
      minorHead: budgetLines.minorHead,
      subHead: budgetLines.subHead,
      detailedHead: budgetLines.detailedHead,
      objectHead: budgetLines.objectHead,
      schemeNameEn: budgetLines.schemeNameEn,
      schemeNameHi: budgetLines.schemeNameHi,
      departmentId: budgetLines.departmentId,
      active: budgetLines.active,
    },
    refs: [REF.department],
    search: [budgetLines.schemeNameEn, budgetLines.schemeNameHi, budgetLines.demandNo, budgetLines.majorHead],
    sorts: { demandNo: budgetLines.demandNo, majorHead: budgetLines.majorHead, schemeNameEn: budgetLines.schemeNameEn, schemeNameHi: budgetLines.schemeNameHi },
    defaultSort: 'demandNo',
    filters: { departmentId: budgetLines.departmentId, budgetLineId: budgetLines.id },
    key: ['demandNo', 'majorHead', 'subMajorHead', 'minorHead', 'subHead', 'detailedHead', 'objectHead'],
    constraints: { budget_lines_head_uq: 'objectHead' },
  }),
  'skill-levels': def('skill-levels', {
    entity: 'skill_level',
    table: skillLevels,
    id: skillLevels.id,
    cols: {
      id: skillLevels.id,
      code: skillLevels.code,
      nameEn: skillLevels.nameEn,
      nameHi: skillLevels.nameHi,
      sortOrder: skillLevels.sortOrder,
      active: skillLevels.active,
    },
    refs: [],
    search: [skillLevels.code, skillLevels.nameEn, skillLevels.nameHi],
    sorts: { sortOrder: skillLevels.sortOrder, code: skillLevels.code, nameEn: skillLevels.nameEn, nameHi: skillLevels.nameHi },
    defaultSort: 'sortOrder',
    filters: {},
    key: ['code'],
    intColumns: ['sortOrder'],
    constraints: { skill_levels_code_uq: 'code' },
  }),
  'post-names': def('post-names', {
    entity: 'post_name',
    table: postNames,
    id: postNames.id,
    cols: { id: postNames.id, code: postNames.code, nameEn: postNames.nameEn, nameHi: postNames.nameHi, active: postNames.active },
    refs: [],
    ...named(postNames),
    defaultSort: 'nameEn',
    filters: {},
    key: ['code'],
    constraints: { post_names_code_uq: 'code' },
  }),
  'ddo-office-map': def('ddo-office-map', {
    entity: 'ddo_office_map',
    table: ddoOfficeMap,
    cols: { ddoCodeId: ddoOfficeMap.ddoCodeId, officeId: ddoOfficeMap.officeId },
    refs: [REF.ddoCode, REF.office],
    search: [],
    sorts: { officeId: ddoOfficeMap.officeId, ddoCodeId: ddoOfficeMap.ddoCodeId },
    defaultSort: 'officeId',
    filters: { ddoCodeId: ddoOfficeMap.ddoCodeId, officeId: ddoOfficeMap.officeId },
    key: ['ddoCodeId', 'officeId'],
    intColumns: ['officeId'],
    constraints: { ddo_office_map_ddo_code_id_office_id_pk: 'officeId' },
  }),
  'budget-line-map': def('budget-line-map', {
    entity: 'budget_line_map',
    table: budgetLineMap,
    cols: { budgetLineId: budgetLineMap.budgetLineId, officeId: budgetLineMap.officeId },
    refs: [REF.budgetLine, REF.office],
    search: [],
    sorts: { officeId: budgetLineMap.officeId, budgetLineId: budgetLineMap.budgetLineId },
    defaultSort: 'officeId',
    filters: { budgetLineId: budgetLineMap.budgetLineId, officeId: budgetLineMap.officeId },
    key: ['budgetLineId', 'officeId'],
    intColumns: ['officeId'],
    constraints: { budget_line_map_budget_line_id_office_id_pk: 'officeId' },
  }),
};

/** The reference text search for mappings: codes / names of the referenced rows. */
export function refSearch(d: MasterDef, like: string): SQL[] {
  const out: SQL[] = [];
  for (const r of d.refs) {
    const col = d.cols[r.idField];
    if (!col) continue;
    out.push(
      sql`exists (select 1 from ${r.table} where ${r.id} = ${col} and (${r.code} ilike ${like} or ${r.nameEn} ilike ${like} or ${r.nameHi} ilike ${like}))`,
    );
  }
  return out;
}
