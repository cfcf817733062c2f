import { bigint, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { treasuries } from '../org/org.table.ts';
import { pdAccounts, pdEcheques } from './pd.table.ts';

/**
 * The e-file to the bank, the bank's payment scroll and the banker's cheques (issue 18 items 4–5,
 * docs/PD-EFILE.md). Migration 0036 is the authority: it also holds the triggers that keep these
 * rows unchangeable and guard the e-cheque's states after pass.
 */
export const pdEfiles = pgTable(
  'pd_efiles',
  {
    id: serial('id').primaryKey(),
    fileNo: text('file_no').notNull(),
    treasuryId: integer('treasury_id')
      .notNull()
      .references(() => treasuries.id),
    echequeCount: integer('echeque_count').notNull(),
    totalPaise: bigint('total_paise', { mode: 'number' }).notNull(),
    content: text('content').notNull(),
    sha256: text('sha256').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('pd_efiles_no_uq').on(t.fileNo),
    uniqueIndex('pd_efiles_idem_uq').on(t.treasuryId, t.idempotencyKey),
    index('pd_efiles_treasury_idx').on(t.treasuryId, t.id),
  ],
);

export const pdEfileItems = pgTable(
  'pd_efile_items',
  {
    efileId: integer('efile_id')
      .notNull()
      .references(() => pdEfiles.id),
    seq: integer('seq').notNull(),
    echequeId: integer('echeque_id')
      .notNull()
      .references(() => pdEcheques.id),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.efileId, t.seq] }), uniqueIndex('pd_efile_items_echeque_uq').on(t.echequeId)],
);

export const pdScrolls = pgTable(
  'pd_scrolls',
  {
    id: serial('id').primaryKey(),
    efileId: integer('efile_id')
      .notNull()
      .references(() => pdEfiles.id),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    rowsTotal: integer('rows_total').notNull(),
    paid: integer('paid').notNull(),
    failed: integer('failed').notNull(),
    importedBy: integer('imported_by')
      .notNull()
      .references(() => users.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pd_scrolls_file_uq').on(t.efileId, t.sha256)],
);

export const pdScrollRows = pgTable(
  'pd_scroll_rows',
  {
    scrollId: integer('scroll_id')
      .notNull()
      .references(() => pdScrolls.id),
    rowNo: integer('row_no').notNull(),
    echequeId: integer('echeque_id')
      .notNull()
      .references(() => pdEcheques.id),
    outcome: text('outcome', { enum: ['paid', 'failed'] }).notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    bankRef: text('bank_ref').notNull().default(''),
    valueDate: date('value_date', { mode: 'string' }),
    reason: text('reason').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.scrollId, t.rowNo] }), uniqueIndex('pd_scroll_rows_echeque_uq').on(t.echequeId)],
);

export const pdBankersCheques = pgTable(
  'pd_bankers_cheques',
  {
    id: serial('id').primaryKey(),
    echequeId: integer('echeque_id')
      .notNull()
      .references(() => pdEcheques.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    chequeNo: text('cheque_no').notNull(),
    chequeDate: date('cheque_date', { mode: 'string' }).notNull(),
    bankName: text('bank_name').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pd_bankers_cheques_echeque_uq').on(t.echequeId), index('pd_bankers_cheques_account_idx').on(t.accountId)],
);
