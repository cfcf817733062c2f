import { z } from 'zod';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/**
 * Contracts / work orders (spec 03; API note: notes/contract-api.md). A contract's identity
 * (number, date, agency, office, procurement) is edited only while it is a draft; its terms live
 * in versions (1 = original, then extensions / amendments), each a draft until activated, then
 * frozen. Money is integer paise per month; percentages are basis points (3.85 % = 385).
 */

const id = ZId;
const isoDate = zDate('record');

export const PROCUREMENT_MODES = ['gem', 'open_tender', 'other'] as const;
export const CONTRACT_STATUSES = ['draft', 'active', 'expired', 'terminated'] as const;
export const VERSION_KINDS = ['original', 'extension', 'amendment'] as const;
export const VERSION_STATES = ['draft', 'in_force', 'superseded'] as const;
export const PAYMENT_MODES = ['through_agency', 'direct'] as const;
export const WAGE_BASES = ['monthly', 'daily'] as const;
export const EPF_MODES = ['none', 'capped', 'uncapped'] as const;

/** Contracts dated before this are legacy (seed 000 para 2(ii)). */
export const LEGACY_BEFORE = '2026-04-01';
/** Legacy (running) contracts must be on the portal by this date. */
export const LEGACY_DEADLINE = '2026-06-30';
/** A contract dated on/after LEGACY_BEFORE is "registered late" when activated more than this many days after its date. */
export const LATE_AFTER_DAYS = 30;
/** Alert thresholds for contracts ending soon (days). */
export const ENDING_THRESHOLDS = [30, 60, 90] as const;
/** GeM contract numbers start with this. */
export const GEM_CONTRACT_PREFIX = 'GEMC-';
/** The largest contract document accepted (2 MiB), as for sanction orders. */
export const MAX_CONTRACT_FILE_BYTES = 2 * 1024 * 1024;

export const ZProcurementMode = z.enum(PROCUREMENT_MODES);
export const ZContractStatus = z.enum(CONTRACT_STATUSES);
export const ZVersionKind = z.enum(VERSION_KINDS);
export const ZVersionState = z.enum(VERSION_STATES);
export const ZPaymentMode = z.enum(PAYMENT_MODES);
export const ZWageBasis = z.enum(WAGE_BASES);
export const ZEpfMode = z.enum(EPF_MODES);

// --- Inputs -----------------------------------------------------------------------------------

/** Monthly wage per position, in paise (≤ ₹10,00,000). */
const paise = z.number().int().min(0).max(100_000_000);

export const ZContractPostInput = z.strictObject({
  officeId: id,
  skillLevelId: id,
  postNameId: id,
  positions: z.number().int().min(1).max(100_000),
  basicPaise: paise.min(1),
  vdaPaise: paise,
});
export type TContractPostInput = z.infer<typeof ZContractPostInput>;

/**
 * The terms of a version. `bonusBp` is 0 (no bonus) or 833–2000 (8.33 %–20 %); `epfMode`
 * 'capped' applies EPF on at most ₹15,000, 'uncapped' on the whole PF wage, 'none' no EPF.
 */
export const ZVersionTerms = z.strictObject({
  startDate: isoDate,
  endDate: isoDate,
  ddoCodeId: id,
  budgetLineIds: z.array(id).min(1).max(20),
  paymentMode: ZPaymentMode,
  wageBasis: ZWageBasis,
  serviceChargeBp: z.number().int().min(0).max(10_000),
  epfMode: ZEpfMode,
  esicApplies: z.boolean(),
  bonusBp: z.number().int().min(0).max(2000),
  remark: zText({ max: 500, multiLine: true }).default(''),
  posts: z.array(ZContractPostInput).min(1).max(200),
});
export type TVersionTerms = z.infer<typeof ZVersionTerms>;

const contractNo = zText({ min: 1, max: 60 });
const identity = {
  contractNo,
  contractDate: isoDate,
  agencyId: id,
  procurementMode: ZProcurementMode,
  /** Required (GEMC-…) when procurementMode is 'gem'; must be empty otherwise. */
  gemContractNo: zText({ max: 60 }).default(''),
  gemBidNo: zText({ max: 60 }).default(''),
};

/**
 * "Register contract": identity + the terms of version 1 (a draft). `officeId` is the contracting
 * office; it may be omitted when the caller's scope is one office (a department manager).
 */
export const ZContractCreate = z.strictObject({ ...identity, officeId: id.optional(), ...ZVersionTerms.shape });
export type TContractCreate = z.infer<typeof ZContractCreate>;

/** Correcting a draft contract's identity (refused once it has been activated). */
export const ZContractUpdate = z.strictObject(identity);
export type TContractUpdate = z.infer<typeof ZContractUpdate>;

/** A new version of an active contract (starts as a draft; the screen pre-fills the in-force terms). */
export const ZVersionCreate = z.strictObject({ kind: z.enum(['extension', 'amendment']), ...ZVersionTerms.shape });
export type TVersionCreate = z.infer<typeof ZVersionCreate>;

export const ZTerminateBody = z.strictObject({ terminatedOn: isoDate, reason: zText({ min: 1, max: 500, multiLine: true }) });
export type TTerminateBody = z.infer<typeof ZTerminateBody>;

export const ZVersionParams = z.object({ id, versionNo: z.coerce.number().int().min(1).max(10_000) });

export const ZContractListQuery = ZPageQuery.extend({
  /** Searches contract no., GeM contract / bid no., agency name. */
  q: zText({ max: 100 }).optional(),
  status: ZContractStatus.optional(),
  agencyId: id.optional(),
  officeId: id.optional(),
  departmentId: id.optional(),
  legacy: z.enum(['true', 'false']).optional(),
  /** Only contracts dated on/after 1 Apr 2026 registered (or still unregistered) more than 30 days after their date. */
  late: z.enum(['true']).optional(),
  /** Only contracts whose wage falls below a minimum-wage revision. */
  belowMinimumWage: z.enum(['true']).optional(),
  /** Only active contracts ending within this many days of today. */
  endingWithinDays: z.coerce.number().int().min(1).max(366).optional(),
  sort: z.enum(['contractDate', 'contractNo', 'createdAt', 'endDate']).default('createdAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type TContractListQuery = z.infer<typeof ZContractListQuery>;

export const ZContractExportQuery = ZContractListQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type TContractExportQuery = z.infer<typeof ZContractExportQuery>;

export const ZContractOptionsQuery = z.object({
  officeId: id.optional(),
  /** Searches agencies by name / PAN (at most 50 returned). */
  agencyQ: zText({ max: 100 }).optional(),
});
export type TContractOptionsQuery = z.infer<typeof ZContractOptionsQuery>;

// --- Outputs ----------------------------------------------------------------------------------

const named = { nameEn: z.string(), nameHi: z.string() };

export const ZContractPost = z.object({
  id: z.number().int(),
  officeId: z.number().int(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  skillLevelId: z.number().int(),
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  postNameId: z.number().int(),
  postNameEn: z.string(),
  postNameHi: z.string(),
  positions: z.number().int(),
  basicPaise: z.number().int(),
  vdaPaise: z.number().int(),
  totalPaise: z.number().int(),
});
export type TContractPost = z.infer<typeof ZContractPost>;

export const ZBudgetLineRef = z.object({
  id: z.number().int(),
  /** demand-major-submajor-minor-sub-detailed-object, e.g. "06-2054-00-095-0101-11-002". */
  head: z.string(),
  schemeNameEn: z.string(),
  schemeNameHi: z.string(),
});
export type TBudgetLineRef = z.infer<typeof ZBudgetLineRef>;

export const ZContractVersion = z.object({
  id: z.number().int(),
  versionNo: z.number().int(),
  kind: ZVersionKind,
  state: ZVersionState,
  startDate: z.string(),
  endDate: z.string(),
  ddoCodeId: z.number().int(),
  ddoCode: z.string(),
  ddoDesignationEn: z.string(),
  ddoDesignationHi: z.string(),
  paymentMode: ZPaymentMode,
  wageBasis: ZWageBasis,
  serviceChargeBp: z.number().int(),
  epfMode: ZEpfMode,
  esicApplies: z.boolean(),
  bonusBp: z.number().int(),
  remark: z.string(),
  document: z.object({ name: z.string(), sizeBytes: z.number().int(), sha256: z.string() }).nullable(),
  budgetLines: z.array(ZBudgetLineRef),
  posts: z.array(ZContractPost),
  totalPositions: z.number().int(),
  createdAt: z.string(),
  activatedAt: z.string().nullable(),
});
export type TContractVersion = z.infer<typeof ZContractVersion>;

/** A post of the in-force version whose wage is below a minimum-wage row that starts after the version's start. */
export const ZBelowMinimumFlag = z.object({
  postId: z.number().int(),
  officeId: z.number().int(),
  skillLevelId: z.number().int(),
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  postNameId: z.number().int(),
  postNameEn: z.string(),
  postNameHi: z.string(),
  wagePaise: z.number().int(),
  minimumPaise: z.number().int(),
  revisionId: z.number().int(),
  revisionEffectiveFrom: z.string(),
  notificationRef: z.string(),
});
export type TBelowMinimumFlag = z.infer<typeof ZBelowMinimumFlag>;

export const ZContractSummary = z.object({
  id: z.number().int(),
  contractNo: z.string(),
  contractDate: z.string(),
  departmentId: z.number().int(),
  departmentNameEn: z.string(),
  departmentNameHi: z.string(),
  officeId: z.number().int(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  /** The agency's status now: a blacklisting shows on every contract. */
  agencyStatus: z.string(),
  procurementMode: ZProcurementMode,
  gemContractNo: z.string(),
  gemBidNo: z.string(),
  isLegacy: z.boolean(),
  /** 'expired' when the in-force version's end date is past (IST), even before the daily job marks it. */
  status: ZContractStatus,
  /** Period of the in-force version, else of the latest draft. */
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  currentVersionNo: z.number().int().nullable(),
  draftVersionNo: z.number().int().nullable(),
  totalPositions: z.number().int(),
  /** IST date version 1 was activated (the contract's registration on the portal); null while a draft. */
  registeredOn: z.string().nullable(),
  /** Dated on/after 1 Apr 2026 and registered (or still unregistered today) more than 30 days after its date. */
  registeredLate: z.boolean(),
  belowMinimumWage: z.boolean(),
  terminatedOn: z.string().nullable(),
  terminationReason: z.string(),
  createdAt: z.string(),
});
export type TContractSummary = z.infer<typeof ZContractSummary>;
export const ZContractPage = ZPage(ZContractSummary);

export const ZContract = ZContractSummary.extend({
  versions: z.array(ZContractVersion),
  belowMinimumWageFlags: z.array(ZBelowMinimumFlag),
  agencyStatusReason: z.string(),
});
export type TContract = z.infer<typeof ZContract>;

export const ZContractOptions = z.object({
  /** Offices the caller may register contracts for (its own office for a department manager). */
  offices: z.array(z.object({ id: z.number().int(), ...named, departmentId: z.number().int() })),
  /** Agencies matching agencyQ (or the first 50), with whether they can be given a contract today. */
  agencies: z.array(z.object({ id: z.number().int(), legalName: z.string(), status: z.string(), contractable: z.boolean(), reason: z.string().nullable() })),
  /** For the chosen office: DDO codes that pay for it, budget lines mapped to it, and its capacity. */
  ddoCodes: z.array(z.object({ id: z.number().int(), code: z.string(), designationEn: z.string(), designationHi: z.string() })),
  budgetLines: z.array(ZBudgetLineRef),
  skillLevels: z.array(z.object({ id: z.number().int(), ...named })),
  postNames: z.array(z.object({ id: z.number().int(), ...named })),
  capacity: z.array(
    z.object({
      officeId: z.number().int(),
      skillLevelId: z.number().int(),
      postNameId: z.number().int(),
      sanctioned: z.number().int(),
      /** Covered by active contracts: the most covered at one time from today on (later-starting contracts count). */
      covered: z.number().int(),
    }),
  ),
});
export type TContractOptions = z.infer<typeof ZContractOptions>;

const dashCounts = {
  legacyRegistered: z.number().int(),
  legacyByDeadline: z.number().int(),
  legacyAfterDeadline: z.number().int(),
  legacyDrafts: z.number().int(),
  newRegistered: z.number().int(),
  newRegisteredLate: z.number().int(),
  newDraftsOverdue: z.number().int(),
};

export const ZContractDashboard = z.object({
  today: z.string(),
  legacyBefore: z.string(),
  deadline: z.string(),
  lateAfterDays: z.number().int(),
  daysToDeadline: z.number().int(),
  totals: z.object(dashCounts),
  departments: z.array(z.object({ departmentId: z.number().int(), ...named, ...dashCounts })),
});
export type TContractDashboard = z.infer<typeof ZContractDashboard>;
