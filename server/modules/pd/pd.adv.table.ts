import { index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { pdAccounts, pdEcheques } from './pd.table.ts';

/**
 * The vendor master and advices of PD accounts (issue 18 item 4). The SQL of migration 0035 is
 * the authority: it also holds the triggers that keep an advice to one account's prepared
 * e-cheques and let the treasury decide only e-cheques of an approved advice.
 */
export const pdVendors = pgTable(
  'pd_vendors',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    name: text('name').notNull(),
    bankAccountNo: text('bank_account_no').notNull(),
    bankName: text('bank_name').notNull(),
    ifsc: text('ifsc').notNull(),
    proofKind: text('proof_kind', { enum: ['cancelled_cheque', 'bank_statement', 'passbook'] }).notNull(),
    proofFileId: integer('proof_file_id')
      .notNull()
      .references(() => storedFiles.id),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pd_vendors_bank_uq').on(t.accountId, t.bankAccountNo, t.ifsc), index('pd_vendors_account_idx').on(t.accountId, t.id)],
);

export const pdAdvices = pgTable(
  'pd_advices',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => pdAccounts.id),
    state: text('state', { enum: ['draft', 'approved'] })
      .notNull()
      .default('draft'),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    approveKey: text('approve_key'),
    approveHash: text('approve_hash'),
    approvedBy: integer('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('pd_advices_idem_uq').on(t.accountId, t.idempotencyKey), index('pd_advices_account_idx').on(t.accountId, t.id)],
);

export const pdAdviceItems = pgTable(
  'pd_advice_items',
  {
    adviceId: integer('advice_id')
      .notNull()
      .references(() => pdAdvices.id),
    echequeId: integer('echeque_id')
      .notNull()
      .references(() => pdEcheques.id),
  },
  (t) => [primaryKey({ columns: [t.adviceId, t.echequeId] }), uniqueIndex('pd_advice_items_echeque_uq').on(t.echequeId)],
);
