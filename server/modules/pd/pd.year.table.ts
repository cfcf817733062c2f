import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { pdAccounts, pdLines, pdPostings } from './pd.table.ts';

/**
 * Year-end and closing of PD accounts (issue 18 item 5). Migration 0038 is the authority: it also
 * adds `closed_on` / `closed_reason` to pd_accounts and the triggers that make a closed account
 * refuse new postings and e-cheques (see its comment).
 */

/** Finance's settings for the year-end: the idle period after which an other-than-consolidated account is dormant. One row. */
export const pdYearSettings = pgTable(
  'pd_year_settings',
  {
    id: integer('id').primaryKey().default(1),
    dormantYears: integer('dormant_years').notNull().default(3),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('pd_year_settings_id_check', sql`${t.id} = 1`), check('pd_year_settings_dormant_years_check', sql`${t.dormantYears} between 1 and 10`)],
);

/** Finance's permission for a consolidated-fund account to continue past 31 March of a financial year (`fy` = its starting year). */
export const pdContinuations = pgTable(
  'pd_continuations',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    fy: integer('fy').notNull(),
    orderNo: text('order_no').notNull(),
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    recordedBy: integer('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pd_continuations_uq').on(t.accountId, t.fy), check('pd_continuations_fy_check', sql`${t.fy} between 2000 and 2200`)],
);

/** One year-end run (the scheduled job or Finance on demand) for a financial year. */
export const pdYearRuns = pgTable(
  'pd_year_runs',
  {
    id: serial('id').primaryKey(),
    fy: integer('fy').notNull(),
    startedBy: text('started_by', { enum: ['job', 'finance'] }).notNull(),
    runBy: integer('run_by').references(() => users.id),
    dormantYears: integer('dormant_years').notNull(),
    status: text('status', { enum: ['running', 'done'] })
      .notNull()
      .default('running'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('pd_year_runs_fy_idx').on(t.fy, t.id),
    check('pd_year_runs_fy_check', sql`${t.fy} between 2000 and 2200`),
    check('pd_year_runs_started_by_check', sql`${t.startedBy} in ('job', 'finance')`),
    check('pd_year_runs_status_check', sql`${t.status} in ('running', 'done')`),
  ],
);

/** What a run did to one line: lapsed to the service head, credited to government as unclaimed, or held (prepared e-cheques on it). */
export const pdYearClosings = pgTable(
  'pd_year_closings',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => pdYearRuns.id),
    fy: integer('fy').notNull(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    lineId: integer('line_id')
      .notNull()
      .references(() => pdLines.id),
    outcome: text('outcome', { enum: ['lapse', 'unclaimed', 'held'] }).notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    postingId: integer('posting_id').references(() => pdPostings.id),
    heldEcheques: integer('held_echeques').notNull().default(0),
  },
  (t) => [
    index('pd_year_closings_run_idx').on(t.runId),
    index('pd_year_closings_account_idx').on(t.accountId),
    uniqueIndex('pd_year_closings_lapse_uq').on(t.lineId, t.fy).where(sql`outcome = 'lapse'`),
    uniqueIndex('pd_year_closings_unclaimed_uq').on(t.lineId).where(sql`outcome = 'unclaimed'`),
    check('pd_year_closings_outcome_check', sql`${t.outcome} in ('lapse', 'unclaimed', 'held')`),
    check('pd_year_closings_amount_paise_check', sql`${t.amountPaise} >= 0`),
  ],
);
