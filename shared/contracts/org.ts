import { z } from 'zod';
import { ZId, ZPage, ZPageQuery, zText } from './common.ts';

/**
 * The columns a master list may be sorted by (each master uses those it has and falls back to
 * its default for the rest). A closed list: a free `sort` string was looked up in an object,
 * and `__proto__` or `constructor` found something that is not a column (a 500).
 */
export const MASTER_SORTS = [
  'code',
  'nameEn',
  'nameHi',
  'id',
  'designationEn',
  'designationHi',
  'officeId',
  'demandNo',
  'majorHead',
  'schemeNameEn',
  'schemeNameHi',
  'sortOrder',
  'ddoCodeId',
  'budgetLineId',
] as const;

export const ZListQuery = ZPageQuery.extend({
  q: zText({ max: 100 }).optional(),
  /** Empty: the master's default order. */
  sort: z.enum(['', ...MASTER_SORTS]).optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
});

export const ZDistrict = z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), active: z.boolean() });
export const ZDistrictPage = ZPage(ZDistrict);

// ---------------------------------------------------------------------------------------------
// Organisation masters managed by Finance (spec 01, "Organisation masters").
// ---------------------------------------------------------------------------------------------

/** The masters, as they appear in URLs: /api/v1/org/<master>. */
export const MASTERS = [
  'offices',
  'hods',
  'departments',
  'ddo-codes',
  'ddo-office-map',
  'budget-lines',
  'budget-line-map',
  'skill-levels',
  'post-names',
  'districts',
  'treasuries',
] as const;
export type TMaster = (typeof MASTERS)[number];
/** Masters that are mappings (no id, no active flag): rows are added and removed. */
export const MAP_MASTERS: readonly TMaster[] = ['ddo-office-map', 'budget-line-map'];

const fk = ZId;
const optFk = fk.optional();
const ZActiveFilter = z.enum(['true', 'false', 'all']).default('all');

/** One list query for every master; a master ignores the filters it does not have. */
export const ZMasterListQuery = ZListQuery.extend({
  active: ZActiveFilter,
  departmentId: optFk,
  hodId: optFk,
  districtId: optFk,
  treasuryId: optFk,
  officeId: optFk,
  ddoCodeId: optFk,
  budgetLineId: optFk,
});
export type TMasterListQuery = z.infer<typeof ZMasterListQuery>;

export const ZExportQuery = ZMasterListQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export const ZImportQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') });

const code = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/);
const name = zText({ min: 1, max: 200 });
const optText = (max: number) => zText({ max, multiLine: true }).default('');
const digits = (n: number) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[0-9]{${n}}$`));
const digitsUpTo = (n: number) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[0-9]{1,${n}}$`));

// Bodies: what the screen sends (references by id). Strict: unknown fields are refused (bar A2).
export const ZDistrictBody = z.strictObject({ code, nameEn: name, nameHi: name });
export const ZTreasuryBody = z.strictObject({ code, nameEn: name, nameHi: name, districtId: fk });
export const ZDepartmentBody = z.strictObject({ code, nameEn: name, nameHi: name });
export const ZHodBody = z.strictObject({ code, nameEn: name, nameHi: name, departmentId: fk });
export const ZOfficeFields = z.strictObject({
  nameEn: name,
  nameHi: name,
  hodId: fk,
  districtId: fk,
  treasuryId: fk.nullable().default(null),
  address: optText(300),
  phone: z
    .string()
    .trim()
    .max(20)
    .regex(/^[0-9+\-\s()/]*$/)
    .default(''),
  /** Absent: unchanged. */
  retirementAge: z.coerce.number().int().min(55).max(70).optional(),
});
export const ZOfficeBody = ZOfficeFields.extend({ id: fk });
export const ZDdoCodeBody = z.strictObject({ code, designationEn: name, designationHi: name, officeId: fk, treasuryId: fk });
export const ZBudgetLineBody = z.strictObject({
  demandNo: digitsUpTo(3),
  majorHead: digits(4),
  subMajorHead: digits(2),
  minorHead: digits(3),
  subHead: digitsUpTo(4),
  detailedHead: digitsUpTo(3),
  objectHead: digitsUpTo(4),
  schemeNameEn: name,
  schemeNameHi: name,
  departmentId: fk,
});
export const ZSkillLevelBody = z.strictObject({ code, nameEn: name, nameHi: name, sortOrder: z.coerce.number().int().min(0).max(9999).default(0) });
export const ZPostNameBody = z.strictObject({ code, nameEn: name, nameHi: name });
export const ZDdoOfficeMapBody = z.strictObject({ ddoCodeId: fk, officeId: fk });
export const ZBudgetLineMapBody = z.strictObject({ budgetLineId: fk, officeId: fk });

export const ZStateSettings = z.object({
  nameEn: z.string(),
  nameHi: z.string(),
  gstStateCode: z.string(),
  currentFyStart: z.number().int(),
  helpEmail: z.string(),
  helpPhone: z.string(),
  /** The retirement age of resources (spec 04; default 62). */
  retirementAge: z.number().int(),
});
export const ZStateSettingsBody = z.strictObject({
  nameEn: name,
  nameHi: name,
  gstStateCode: digits(2),
  currentFyStart: z.coerce.number().int().min(2000).max(2100),
  helpEmail: z.union([z.literal(''), z.email().max(200)]).default(''),
  helpPhone: z
    .string()
    .trim()
    .max(20)
    .regex(/^[0-9+\-\s()/]*$/)
    .default(''),
  /** Absent: unchanged. */
  retirementAge: z.coerce.number().int().min(55).max(70).optional(),
});
export type TStateSettings = z.infer<typeof ZStateSettings>;

/** A referenced record as lists show it: its code (or id) and names. */
const ref = z.object({ code: z.string(), nameEn: z.string(), nameHi: z.string() }).nullable();

const base = { active: z.boolean() };
export const ZMasterItems = {
  districts: z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), ...base }),
  treasuries: z.object({
    id: z.number().int(),
    code: z.string(),
    nameEn: z.string(),
    nameHi: z.string(),
    districtId: z.number().int(),
    district: ref,
    ...base,
  }),
  departments: z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), ...base }),
  hods: z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), departmentId: z.number().int(), department: ref, ...base }),
  offices: z.object({
    id: z.number().int(),
    nameEn: z.string(),
    nameHi: z.string(),
    hodId: z.number().int(),
    hod: ref,
    departmentId: z.number().int(),
    department: ref,
    districtId: z.number().int(),
    district: ref,
    treasuryId: z.number().int().nullable(),
    treasury: ref,
    address: z.string(),
    phone: z.string(),
    ...base,
  }),
  'ddo-codes': z.object({
    id: z.number().int(),
    code: z.string(),
    designationEn: z.string(),
    designationHi: z.string(),
    officeId: z.number().int(),
    office: ref,
    treasuryId: z.number().int(),
    treasury: ref,
    ...base,
  }),
  'budget-lines': z.object({
    id: z.number().int(),
    demandNo: z.string(),
    majorHead: z.string(),
    subMajorHead: z.string(),
    minorHead: z.string(),
    subHead: z.string(),
    detailedHead: z.string(),
    objectHead: z.string(),
    schemeNameEn: z.string(),
    schemeNameHi: z.string(),
    departmentId: z.number().int(),
    department: ref,
    ...base,
  }),
  'skill-levels': z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), sortOrder: z.number().int(), ...base }),
  'post-names': z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string(), ...base }),
  'ddo-office-map': z.object({ ddoCodeId: z.number().int(), ddoCode: ref, officeId: z.number().int(), office: ref }),
  'budget-line-map': z.object({ budgetLineId: z.number().int(), budgetLine: ref, officeId: z.number().int(), office: ref }),
} satisfies Record<TMaster, z.ZodTypeAny>;
export type TMasterItem<M extends TMaster> = z.infer<(typeof ZMasterItems)[M]>;

export const ZMasterBodies = {
  districts: ZDistrictBody,
  treasuries: ZTreasuryBody,
  departments: ZDepartmentBody,
  hods: ZHodBody,
  offices: ZOfficeBody,
  'ddo-codes': ZDdoCodeBody,
  'budget-lines': ZBudgetLineBody,
  'skill-levels': ZSkillLevelBody,
  'post-names': ZPostNameBody,
  'ddo-office-map': ZDdoOfficeMapBody,
  'budget-line-map': ZBudgetLineMapBody,
} satisfies Record<TMaster, z.ZodTypeAny>;

/** PUT bodies: as create, but an office's id is its path (it cannot change). */
export const ZMasterUpdateBodies = { ...ZMasterBodies, offices: ZOfficeFields };

/**
 * The columns of the import / export files, in order. References are by code (HOD, district,
 * treasury, department, DDO code), offices by their numeric id, budget lines by their head of
 * account "demand-major-submajor-minor-sub-detailed-object".
 */
export const MASTER_FILE_COLUMNS: Record<TMaster, readonly string[]> = {
  districts: ['code', 'nameEn', 'nameHi', 'active'],
  treasuries: ['code', 'nameEn', 'nameHi', 'districtCode', 'active'],
  departments: ['code', 'nameEn', 'nameHi', 'active'],
  hods: ['code', 'nameEn', 'nameHi', 'departmentCode', 'active'],
  offices: ['id', 'nameEn', 'nameHi', 'hodCode', 'districtCode', 'treasuryCode', 'address', 'phone', 'active'],
  'ddo-codes': ['code', 'designationEn', 'designationHi', 'officeId', 'treasuryCode', 'active'],
  'budget-lines': [
    'demandNo',
    'majorHead',
    'subMajorHead',
    'minorHead',
    'subHead',
    'detailedHead',
    'objectHead',
    'schemeNameEn',
    'schemeNameHi',
    'departmentCode',
    'active',
  ],
  'skill-levels': ['code', 'nameEn', 'nameHi', 'sortOrder', 'active'],
  'post-names': ['code', 'nameEn', 'nameHi', 'active'],
  'ddo-office-map': ['ddoCode', 'officeId'],
  'budget-line-map': ['budgetLineHead', 'officeId'],
};

export const ZImportRowError = z.object({ row: z.number().int(), field: z.string(), code: z.string(), message: z.string() });
export const ZImportReport = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  saved: z.boolean(),
  errors: z.array(ZImportRowError),
});
export type TImportReport = z.infer<typeof ZImportReport>;
export type TImportRowError = z.infer<typeof ZImportRowError>;
