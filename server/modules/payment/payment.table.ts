import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { agencies } from '../agency/agency.table.ts';
import { billPayees, bills, invoiceDetails, invoices } from '../invoice/invoice.table.ts';
import { resources } from '../resource/resource.table.ts';

/**
 * Payments of bills, the workers' credits and the IFMIS sandbox's memory (issue 17, migration
 * 0026 — its SQL is the authority: the triggers that keep these rows append-only, refuse paying a
 * payee line more than its amount, and let a return or reversal undo one earlier row once).
 */

/** One treasury payment file, or one agency credits request (form or bank file), with its idempotency key. */
export const paymentBatches = pgTable(
  'payment_batches',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['treasury_payments', 'agency_credits'] }).notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    invoiceId: integer('invoice_id').references(() => invoices.id),
    rowsTotal: integer('rows_total').notNull(),
    rowsSaved: integer('rows_saved').notNull(),
    rowsRefused: integer('rows_refused').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The rows the save answered with, so a replay of its key answers them too (migration 0046). */
    resultRows: jsonb('result_rows'),
  },
  (t) => [
    uniqueIndex('payment_batches_idem_uq').on(t.createdBy, t.idempotencyKey),
    check('payment_batches_kind', sql`${t.kind} in ('treasury_payments', 'agency_credits')`),
  ],
);

/** A credit to a bill payee line (by UTR), or a bank return reversing one. */
export const payments = pgTable(
  'payments',
  {
    id: serial('id').primaryKey(),
    billId: integer('bill_id')
      .notNull()
      .references(() => bills.id),
    payeeId: integer('payee_id')
      .notNull()
      .references(() => billPayees.id),
    payDate: date('pay_date', { mode: 'string' }).notNull(),
    utr: text('utr').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['credited', 'returned'] }).notNull(),
    reversesId: integer('reverses_id'),
    reason: text('reason').notNull().default(''),
    source: text('source', { enum: ['import', 'hand'] }).notNull(),
    batchId: integer('batch_id').references(() => paymentBatches.id),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('payments_utr_uq').on(t.payeeId, t.utr).where(sql`status = 'credited'`),
    uniqueIndex('payments_reverses_uq').on(t.reversesId).where(sql`reverses_id is not null`),
    uniqueIndex('payments_idem_uq').on(t.createdBy, t.idempotencyKey).where(sql`idempotency_key is not null`),
    index('payments_bill_idx').on(t.billId, t.payeeId),
  ],
);

/** What a worker received for an invoice: from the agency, or from the worker's own payee line (direct). */
export const workerCredits = pgTable(
  'worker_credits',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    invoiceDetailId: integer('invoice_detail_id')
      .notNull()
      .references(() => invoiceDetails.id),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    utr: text('utr').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    creditDate: date('credit_date', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: ['credit', 'reversal'] }).notNull(),
    reversesId: integer('reverses_id'),
    source: text('source', { enum: ['agency', 'bill_payment'] }).notNull(),
    paymentId: integer('payment_id').references(() => payments.id),
    batchId: integer('batch_id').references(() => paymentBatches.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('worker_credits_utr_uq').on(t.invoiceDetailId, t.utr).where(sql`kind = 'credit'`),
    uniqueIndex('worker_credits_reverses_uq').on(t.reversesId).where(sql`reverses_id is not null`),
    uniqueIndex('worker_credits_payment_uq').on(t.paymentId).where(sql`payment_id is not null`),
    index('worker_credits_invoice_idx').on(t.invoiceId, t.invoiceDetailId),
    index('worker_credits_agency_idx').on(t.agencyId, t.invoiceId),
  ],
);
