import { sql } from 'drizzle-orm';
import { bigint, check, date, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
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
