import { z } from 'zod';
import {
  HEAD_BASES,
  HEAD_CEILING_WHEN,
  HEAD_CONDITIONS,
  HEAD_KINDS,
  HEAD_RATE_SOURCES,
  HEAD_STAGES,
  ROUNDINGS,
  WAGE_DEFINITIONS,
} from '../domain/invoice-engine.ts';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/**
 * Minimum wages (spec 06 "Rates and heads are data, not code"; API note: notes/contract-api.md).
 * Money is integer paise per month; basic and VDA separately. A row applies from its
 * `effectiveFrom` until the next row of the same skill level (the last row applies onwards).
 */

const id = ZId;
/** Paise per month, whole numbers; at most ₹10,00,000 a month. */
const paise = z.number().int().min(0).max(100_000_000);

export const ZMinimumWage = z.object({
  id: z.number().int(),
  skillLevelId: z.number().int(),
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  effectiveFrom: z.string(),
  /** The day before the next row of the skill level; null for the latest row. */
  effectiveTo: z.string().nullable(),
  basicPaise: z.number().int(),
  vdaPaise: z.number().int(),
  /** basic + VDA: what a contract's monthly wage is compared with. */
  totalPaise: z.number().int(),
  notificationRef: z.string(),
  /** The row that applies today (IST). */
  inForceToday: z.boolean(),
  /** effectiveFrom is after today: may still be deleted. */
  future: z.boolean(),
  createdAt: z.string(),
});
export type TMinimumWage = z.infer<typeof ZMinimumWage>;
export const ZMinimumWagePage = ZPage(ZMinimumWage);

export const ZMinimumWageListQuery = ZPageQuery.extend({
  skillLevelId: id.optional(),
  /** Only rows in force on this date (one per skill level). */
  on: zDate('search').optional(),
  sort: z.enum(['effectiveFrom', 'skillLevel', 'totalPaise']).default('skillLevel'),
  dir: z.enum(['asc', 'desc']).default('asc'),
});
export type TMinimumWageListQuery = z.infer<typeof ZMinimumWageListQuery>;

export const ZMinimumWageExportQuery = ZMinimumWageListQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type TMinimumWageExportQuery = z.infer<typeof ZMinimumWageExportQuery>;

/**
 * Per skill level: the row in force today, the latest row, and a warning when the latest row
 * is older than the latest 1 April / 1 October revision date on or before today (MP revises VDA
 * on those dates; the notification may not have been entered yet).
 */
export const ZMinimumWageSkillSummary = z.object({
  skillLevelId: z.number().int(),
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  inForce: ZMinimumWage.nullable(),
  latest: ZMinimumWage.nullable(),
  stale: z.boolean(),
  rows: z.number().int(),
});
export type TMinimumWageSkillSummary = z.infer<typeof ZMinimumWageSkillSummary>;

export const ZMinimumWageSummary = z.object({
  today: z.string(),
  /** The latest 1 April or 1 October on or before today. */
  expectedRevisionDate: z.string(),
  anyStale: z.boolean(),
  skills: z.array(ZMinimumWageSkillSummary),
});
export type TMinimumWageSummary = z.infer<typeof ZMinimumWageSummary>;

export const ZMinimumWageCreate = z.strictObject({
  skillLevelId: id,
  effectiveFrom: zDate('record'),
  basicPaise: paise.min(1),
  vdaPaise: paise,
  notificationRef: zText({ min: 1, max: 300 }),
});
export type TMinimumWageCreate = z.infer<typeof ZMinimumWageCreate>;

// --- Statutory heads and the wage definition (spec 06 "Rates and heads are data, not code") ----

/**
 * One row of a statutory head: the head's figures from `effectiveFrom` until the next row of the
 * same code (a `withdrawn` row ends the head). Rates are parts per million (12 % = 120000).
 */
export const ZStatutoryHead = z.object({
  id: z.number().int(),
  code: z.string(),
  effectiveFrom: z.string(),
  withdrawn: z.boolean(),
  nameEn: z.string(),
  nameHi: z.string(),
  kind: z.enum(HEAD_KINDS),
  stage: z.enum(HEAD_STAGES),
  base: z.enum(HEAD_BASES),
  rateFrom: z.enum(HEAD_RATE_SOURCES),
  ratePpm: z.number().int(),
  lumpSumPaise: z.number().int().nullable(),
  ceilingPaise: z.number().int().nullable(),
  ceilingWhen: z.enum(HEAD_CEILING_WHEN).nullable(),
  condition: z.enum(HEAD_CONDITIONS).nullable(),
  thresholdPaise: z.number().int().nullable(),
  rounding: z.enum(ROUNDINGS),
  sortOrder: z.number().int(),
  notificationRef: z.string(),
  /** effectiveFrom is after today (IST): may still be deleted. */
  future: z.boolean(),
  createdAt: z.string(),
});
export type TStatutoryHead = z.infer<typeof ZStatutoryHead>;

export const ZWageDefinitionRow = z.object({
  id: z.number().int(),
  effectiveFrom: z.string(),
  kind: z.enum(WAGE_DEFINITIONS),
  allowanceSharePpm: z.number().int(),
  notificationRef: z.string(),
  future: z.boolean(),
  createdAt: z.string(),
});
export type TWageDefinitionRow = z.infer<typeof ZWageDefinitionRow>;

export const ZHeadsQuery = z.strictObject({ on: zDate('search').optional() });
export type THeadsQuery = z.infer<typeof ZHeadsQuery>;

/** The heads and the wage definition in force on a date. */
export const ZHeadsInForce = z.object({ on: z.string(), today: z.string(), heads: z.array(ZStatutoryHead), wageDefinition: ZWageDefinitionRow.nullable() });
export type THeadsInForce = z.infer<typeof ZHeadsInForce>;

/** A head code: capitals, digits and underscores (EPF_ER, GST_TDS_CGST). */
export const HEAD_CODE_RE = /^[A-Z][A-Z0-9_]{1,31}$/;

export const ZHeadHistoryQuery = z.strictObject({ code: z.string().regex(HEAD_CODE_RE).optional() });
export type THeadHistoryQuery = z.infer<typeof ZHeadHistoryQuery>;

/** Every row, oldest first per code; and every wage-definition row. */
export const ZHeadHistory = z.object({ today: z.string(), rows: z.array(ZStatutoryHead), wageDefinitions: z.array(ZWageDefinitionRow) });
export type THeadHistory = z.infer<typeof ZHeadHistory>;

const optPaise = paise.nullable().default(null);

/**
 * A revision of a head (Finance): a new row from today or a later date, never an edit. The code
 * of an existing head revises it; a new code adds a head.
 */
export const ZHeadCreate = z
  .strictObject({
    code: z.string().regex(HEAD_CODE_RE),
    effectiveFrom: zDate('record'),
    withdrawn: z.boolean().default(false),
    nameEn: zText({ min: 1, max: 120 }),
    nameHi: zText({ min: 1, max: 120 }),
    kind: z.enum(HEAD_KINDS),
    stage: z.enum(HEAD_STAGES),
    base: z.enum(HEAD_BASES),
    rateFrom: z.enum(HEAD_RATE_SOURCES).default('head'),
    /** 0 … 100 % in parts per million. */
    ratePpm: z.number().int().min(0).max(1_000_000),
    lumpSumPaise: optPaise,
    ceilingPaise: optPaise,
    ceilingWhen: z.enum(HEAD_CEILING_WHEN).nullable().default(null),
    condition: z.enum(HEAD_CONDITIONS).nullable().default(null),
    thresholdPaise: optPaise,
    rounding: z.enum(ROUNDINGS),
    sortOrder: z.number().int().min(0).max(10_000),
    notificationRef: zText({ min: 1, max: 300 }),
  })
  .superRefine((b, ctx) => {
    if (b.ceilingPaise != null && b.ceilingWhen == null) ctx.addIssue({ code: 'custom', path: ['ceilingWhen'], message: 'when', params: { code: 'required' } });
    if (b.ceilingPaise == null && b.ceilingWhen != null)
      ctx.addIssue({ code: 'custom', path: ['ceilingPaise'], message: 'ceiling', params: { code: 'required' } });
  });
export type THeadCreate = z.infer<typeof ZHeadCreate>;

export const ZWageDefinitionCreate = z.strictObject({
  effectiveFrom: zDate('record'),
  kind: z.enum(WAGE_DEFINITIONS),
  /** labour_code: allowances beyond this share of the remuneration count as wages (500000 = half). */
  allowanceSharePpm: z.number().int().min(0).max(1_000_000).default(500_000),
  notificationRef: zText({ min: 1, max: 300 }),
});
export type TWageDefinitionCreate = z.infer<typeof ZWageDefinitionCreate>;
