import { z } from 'zod';
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
