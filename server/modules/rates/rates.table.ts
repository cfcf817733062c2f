import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  HEAD_BASES,
  HEAD_CEILING_WHEN,
  HEAD_CONDITIONS,
  HEAD_KINDS,
  HEAD_RATE_SOURCES,
  HEAD_STAGES,
  ROUNDINGS,
  WAGE_DEFINITIONS,
} from '../../../shared/domain/invoice-engine.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { skillLevels } from '../org/org.table.ts';

/**
 * Minimum wages per skill level, effective-dated (spec 06 "Rates and heads are data, not code").
 * Basic and VDA are stored separately, in integer paise per month. A revision applies from its
 * `effective_from` until the next row of the same skill level. Rows are never updated or deleted
 * once in force (a correction is a new row); Finance maintains them.
 */
export const minimumWages = pgTable(
  'minimum_wages',
  {
    id: serial('id').primaryKey(),
    skillLevelId: integer('skill_level_id')
      .notNull()
      .references(() => skillLevels.id),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    basicPaise: bigint('basic_paise', { mode: 'number' }).notNull(),
    vdaPaise: bigint('vda_paise', { mode: 'number' }).notNull(),
    /** The Labour Department notification this row comes from. */
    notificationRef: text('notification_ref').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('minimum_wages_skill_from_uq').on(t.skillLevelId, t.effectiveFrom),
    check('minimum_wages_basic_positive', sql`${t.basicPaise} > 0`),
    check('minimum_wages_vda_nonnegative', sql`${t.vdaPaise} >= 0`),
  ],
);

/**
 * Statutory heads (spec 06 "Heads"): effective-dated rows per head code; the row in force on a
 * date is the latest with effective_from ≤ date (a `withdrawn` row ends the head from its date).
 * Rows are never updated or deleted once in force: a revision is a new row, so periods already
 * invoiced keep the figures they were computed with. Rates are integer parts per million.
 */
export const statutoryHeads = pgTable(
  'statutory_heads',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    withdrawn: boolean('withdrawn').notNull().default(false),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    kind: text('kind', { enum: HEAD_KINDS }).notNull(),
    stage: text('stage', { enum: HEAD_STAGES }).notNull(),
    base: text('base', { enum: HEAD_BASES }).notNull(),
    rateFrom: text('rate_from', { enum: HEAD_RATE_SOURCES }).notNull().default('head'),
    ratePpm: integer('rate_ppm').notNull().default(0),
    lumpSumPaise: bigint('lump_sum_paise', { mode: 'number' }),
    ceilingPaise: bigint('ceiling_paise', { mode: 'number' }),
    ceilingWhen: text('ceiling_when', { enum: HEAD_CEILING_WHEN }),
    condition: text('condition', { enum: HEAD_CONDITIONS }),
    thresholdPaise: bigint('threshold_paise', { mode: 'number' }),
    rounding: text('rounding', { enum: ROUNDINGS }).notNull(),
    sortOrder: integer('sort_order').notNull(),
    notificationRef: text('notification_ref').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('statutory_heads_code_from_uq').on(t.code, t.effectiveFrom),
    check('statutory_heads_rate', sql`${t.ratePpm} between 0 and 1000000`),
    check(
      'statutory_heads_amounts',
      sql`coalesce(${t.lumpSumPaise}, 0) >= 0 and coalesce(${t.ceilingPaise}, 0) >= 0 and coalesce(${t.thresholdPaise}, 0) >= 0`,
    ),
  ],
);

/** What counts as wages for EPF / ESIC, effective-dated (today basic + DA; the labour codes' 50 % rule). */
export const wageDefinitions = pgTable(
  'wage_definitions',
  {
    id: serial('id').primaryKey(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: WAGE_DEFINITIONS }).notNull(),
    allowanceSharePpm: integer('allowance_share_ppm').notNull().default(500000),
    notificationRef: text('notification_ref').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('wage_definitions_from_uq').on(t.effectiveFrom), check('wage_definitions_share', sql`${t.allowanceSharePpm} between 0 and 1000000`)],
);
