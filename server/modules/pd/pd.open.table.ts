import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { budgetLines, departments, treasuries } from '../org/org.table.ts';
import { pdAccounts } from './pd.table.ts';
import { PD_PROPOSAL_STATES } from '../../../shared/contracts/pd-open.ts';

/**
 * The opening of a PD account (issue 18 item 1; form "प्रपत्र-अ" of seed 004). Migration 0037 is
 * the authority: it also holds the CHECKs (maker ≠ HOD, a sanction's number and date, a refusal's
 * reason) and the trigger that freezes a proposal's rows once it leaves the draft.
 */

export const pdProposals = pgTable(
  'pd_proposals',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    hodDesignation: text('hod_designation').notNull(),
    source: text('source', { enum: ['consolidated', 'other'] }).notNull(),
    state: text('state', { enum: PD_PROPOSAL_STATES }).notNull().default('draft'),
    sanctionNo: text('sanction_no').notNull().default(''),
    sanctionDate: date('sanction_date', { mode: 'string' }),
    refusalReason: text('refusal_reason').notNull().default(''),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    submittedBy: integer('submitted_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    recommendedBy: integer('recommended_by').references(() => users.id),
    recommendedAt: timestamp('recommended_at', { withTimezone: true }),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    appliedBy: integer('applied_by').references(() => users.id),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [
    index('pd_proposals_department_idx').on(t.departmentId, t.state),
    check('pd_proposals_maker_checker', sql`${t.recommendedBy} IS NULL OR ${t.recommendedBy} <> ${t.createdBy}`),
  ],
);

export const pdProposalRows = pgTable(
  'pd_proposal_rows',
  {
    id: serial('id').primaryKey(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => pdProposals.id),
    position: integer('position').notNull(),
    institution: text('institution', { enum: ['government', 'non_government'] })
      .notNull()
      .default('government'),
    administratorDesignation: text('administrator_designation').notNull(),
    administratorOffice: text('administrator_office').notNull(),
    administratorMobile: text('administrator_mobile').notNull().default(''),
    treasuryId: integer('treasury_id')
      .notNull()
      .references(() => treasuries.id),
    purpose: text('purpose').notNull(),
    items: text('items').notNull(),
    validityDate: date('validity_date', { mode: 'string' }),
    remark: text('remark').notNull().default(''),
    accountId: integer('account_id').references(() => pdAccounts.id),
    loginUserId: integer('login_user_id').references(() => users.id),
    passwordIssuedAt: timestamp('password_issued_at', { withTimezone: true }),
    issuedPasswordDigest: text('issued_password_digest'),
    registeredBy: integer('registered_by').references(() => users.id),
    registeredAt: timestamp('registered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('pd_proposal_rows_position_uq').on(t.proposalId, t.position),
    uniqueIndex('pd_proposal_rows_account_uq').on(t.accountId).where(sql`account_id is not null`),
    index('pd_proposal_rows_treasury_idx').on(t.treasuryId),
  ],
);

export const pdProposalLines = pgTable(
  'pd_proposal_lines',
  {
    id: serial('id').primaryKey(),
    rowId: integer('row_id')
      .notNull()
      .references(() => pdProposalRows.id),
    budgetLineId: integer('budget_line_id').references(() => budgetLines.id),
    purpose: text('purpose').notNull(),
  },
  (t) => [index('pd_proposal_lines_row_idx').on(t.rowId)],
);
