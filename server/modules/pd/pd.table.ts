import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { budgetLines, departments, treasuries } from '../org/org.table.ts';

/**
 * Treasury personal-deposit accounts (spec 08). The SQL of migration 0018 is the authority: it
 * also holds the triggers that make the ledger append-only and double-entry and move the stored
 * balances (see the comment at its top).
 */
export const pdAccounts = pgTable(
  'pd_accounts',
  {
    id: serial('id').primaryKey(),
    accountNo: text('account_no').notNull(),
    source: text('source', { enum: ['consolidated', 'other'] }).notNull(),
    treasuryId: integer('treasury_id')
      .notNull()
      .references(() => treasuries.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    administratorEn: text('administrator_en').notNull(),
    administratorHi: text('administrator_hi').notNull(),
    active: boolean('active').notNull().default(true),
    /** Set once when the year-end closes the account (migration 0038): lapse (31 March) or dormant. */
    closedOn: date('closed_on', { mode: 'string' }),
    closedReason: text('closed_reason', { enum: ['lapse', 'dormant'] }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('pd_accounts_no_uq').on(t.accountNo), index('pd_accounts_treasury_idx').on(t.treasuryId)],
);

/** A budget line (consolidated fund: down to scheme head) or purpose (other accounts) of an account, with its stored balances. */
export const pdLines = pgTable(
  'pd_lines',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    budgetLineId: integer('budget_line_id').references(() => budgetLines.id),
    purposeEn: text('purpose_en').notNull(),
    purposeHi: text('purpose_hi').notNull(),
    availablePaise: bigint('available_paise', { mode: 'number' }).notNull().default(0),
    reservedPaise: bigint('reserved_paise', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    index('pd_lines_account_idx').on(t.accountId),
    uniqueIndex('pd_lines_budget_line_uq').on(t.accountId, t.budgetLineId).where(sql`budget_line_id is not null`),
    check('pd_lines_available_nonneg', sql`${t.availablePaise} >= 0`),
    check('pd_lines_reserved_nonneg', sql`${t.reservedPaise} >= 0`),
  ],
);

export const pdEcheques = pgTable(
  'pd_echeques',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    lineId: integer('line_id')
      .notNull()
      .references(() => pdLines.id),
    payeeKind: text('payee_kind', { enum: ['vendor', 'book_transfer'] }).notNull(),
    payeeName: text('payee_name').notNull(),
    payeeAccountNo: text('payee_account_no').notNull().default(''),
    payeeIfsc: text('payee_ifsc').notNull().default(''),
    headOfAccount: text('head_of_account').notNull().default(''),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    purpose: text('purpose').notNull().default(''),
    state: text('state', { enum: ['prepared', 'passed', 'returned', 'in_efile', 'discharged', 'failed'] })
      .notNull()
      .default('prepared'),
    returnReason: text('return_reason').notNull().default(''),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    preparedBy: integer('prepared_by')
      .notNull()
      .references(() => users.id),
    preparedAt: timestamp('prepared_at', { withTimezone: true }).notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The vendor-master payee of a vendor e-cheque (migration 0035; null for book transfers and older e-cheques). */
    vendorId: integer('vendor_id'),
  },
  (t) => [
    uniqueIndex('pd_echeques_idem_uq').on(t.accountId, t.idempotencyKey),
    index('pd_echeques_account_idx').on(t.accountId, t.id),
    index('pd_echeques_state_idx').on(t.state, t.id),
  ],
);

export const pdPostings = pgTable(
  'pd_postings',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    lineId: integer('line_id')
      .notNull()
      .references(() => pdLines.id),
    kind: text('kind', { enum: ['deposit', 'echeque_prepared', 'echeque_passed', 'echeque_returned', 'reversal', 'lapse', 'unclaimed'] }).notNull(),
    echequeId: integer('echeque_id').references(() => pdEcheques.id),
    reversesId: integer('reverses_id'),
    reference: text('reference').notNull().default(''),
    valueDate: date('value_date', { mode: 'string' }).notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('pd_postings_line_idx').on(t.lineId, t.valueDate, t.id), index('pd_postings_account_idx').on(t.accountId, t.valueDate, t.id)],
);

export const pdEntries = pgTable(
  'pd_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postingId: integer('posting_id')
      .notNull()
      .references(() => pdPostings.id),
    lineId: integer('line_id')
      .notNull()
      .references(() => pdLines.id),
    ledgerAccount: text('ledger_account', {
      enum: ['line_available', 'line_reserved', 'deposit_source', 'payment_out', 'service_head', 'government'],
    }).notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
  },
  (t) => [index('pd_entries_posting_idx').on(t.postingId), index('pd_entries_line_idx').on(t.lineId, t.ledgerAccount)],
);
export * from './pd.adv.table.ts';
export * from './pd.efile.table.ts';
export * from './pd.open.table.ts';

export * from './pd.year.table.ts';
