import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { agencies } from '../agency/agency.table.ts';
import { contracts, contractVersions } from '../contract/contract.table.ts';
import { budgetLines, ddoCodes, departments, offices, postNames, skillLevels } from '../org/org.table.ts';
import { resources } from '../resource/resource.table.ts';

/**
 * Invoices (spec 06, issue 16). The SQL of migration 0020 is the authority: it also holds the
 * triggers that keep details and lines unchangeable and let an invoice change only by its
 * cancellation (once) and its stored PDF (once).
 */

/** The agency's invoice-number counter per financial year ('2026-27'), taken FOR UPDATE by each generation. */
export const invoiceSeries = pgTable(
  'invoice_series',
  {
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    fy: text('fy').notNull(),
    lastNo: integer('last_no').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'invoice_series_pk', columns: [t.agencyId, t.fy] })],
);

/** The agency's own prefix of its invoice numbers (default 'INV'). */
export const invoicePrefixes = pgTable('invoice_prefixes', {
  agencyId: integer('agency_id')
    .primaryKey()
    .references(() => agencies.id),
  prefix: text('prefix').notNull(),
});

export const invoices = pgTable(
  'invoices',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    contractVersionId: integer('contract_version_id')
      .notNull()
      .references(() => contractVersions.id),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    ddoCodeId: integer('ddo_code_id')
      .notNull()
      .references(() => ddoCodes.id),
    ddoCode: text('ddo_code').notNull(),
    /** The first day of the wage month. */
    month: date('month', { mode: 'string' }).notNull(),
    invoiceNo: text('invoice_no').notNull(),
    invoiceDate: date('invoice_date', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['active', 'cancelled'] })
      .notNull()
      .default('active'),
    intraState: boolean('intra_state').notNull(),
    wageBasis: text('wage_basis').notNull(),
    epfMode: text('epf_mode').notNull(),
    esicApplies: boolean('esic_applies').notNull(),
    serviceChargeBp: integer('service_charge_bp').notNull(),
    bonusBp: integer('bonus_bp').notNull(),
    subtotalPaise: bigint('subtotal_paise', { mode: 'number' }).notNull(),
    reimbursedPaise: bigint('reimbursed_paise', { mode: 'number' }).notNull(),
    serviceChargePaise: bigint('service_charge_paise', { mode: 'number' }).notNull(),
    taxablePaise: bigint('taxable_paise', { mode: 'number' }).notNull(),
    gstPaise: bigint('gst_paise', { mode: 'number' }).notNull(),
    grossTotalPaise: bigint('gross_total_paise', { mode: 'number' }).notNull(),
    roundOffPaise: bigint('round_off_paise', { mode: 'number' }).notNull(),
    totalPaise: bigint('total_paise', { mode: 'number' }).notNull(),
    arrearsPaise: bigint('arrears_paise', { mode: 'number' }).notNull().default(0),
    /** SHA-256 of the invoice document's content (invoice.document.ts `documentHash`). */
    contentHash: text('content_hash').notNull(),
    pdfFileId: integer('pdf_file_id').references(() => storedFiles.id),
    pdfSha256: text('pdf_sha256'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    generatedBy: integer('generated_by').references(() => users.id),
    generatedAt: timestamp('generated_at', { withTimezone: true }).notNull(),
    cancelledBy: integer('cancelled_by').references(() => users.id),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason').notNull().default(''),
    creditNoteNo: text('credit_note_no'),
    creditNoteDate: date('credit_note_date', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('invoices_active_month_uq').on(t.contractId, t.month, t.ddoCodeId).where(sql`status = 'active'`),
    uniqueIndex('invoices_no_uq').on(t.agencyId, t.invoiceNo),
    uniqueIndex('invoices_credit_note_uq').on(t.agencyId, t.creditNoteNo).where(sql`credit_note_no is not null`),
    uniqueIndex('invoices_idem_uq').on(t.agencyId, t.idempotencyKey).where(sql`idempotency_key is not null`),
    index('invoices_contract_idx').on(t.contractId, t.month),
    index('invoices_agency_idx').on(t.agencyId, t.month, t.id),
    index('invoices_office_idx').on(t.officeId, t.month, t.id),
    check('invoices_month_first', sql`extract(day from ${t.month}) = 1`),
    check('invoices_status', sql`${t.status} in ('active', 'cancelled')`),
  ],
);

/** One per resource billed: the inputs and the engine's per-resource results. */
export const invoiceDetails = pgTable(
  'invoice_details',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    skillLevelId: integer('skill_level_id')
      .notNull()
      .references(() => skillLevels.id),
    postNameId: integer('post_name_id')
      .notNull()
      .references(() => postNames.id),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    aadhaarLast4: text('aadhaar_last4').notNull().default(''),
    basicPaise: bigint('basic_paise', { mode: 'number' }).notNull(),
    vdaPaise: bigint('vda_paise', { mode: 'number' }).notNull(),
    minimumWagePaise: bigint('minimum_wage_paise', { mode: 'number' }).notNull(),
    paidDays: integer('paid_days').notNull(),
    daysInMonth: integer('days_in_month').notNull(),
    dayRatePaise: bigint('day_rate_paise', { mode: 'number' }),
    earnedWagePaise: bigint('earned_wage_paise', { mode: 'number' }).notNull(),
    pfWagePaise: bigint('pf_wage_paise', { mode: 'number' }).notNull(),
    esicWagePaise: bigint('esic_wage_paise', { mode: 'number' }).notNull(),
    bonusWagePaise: bigint('bonus_wage_paise', { mode: 'number' }).notNull(),
    esicCovered: boolean('esic_covered').notNull(),
    costPaise: bigint('cost_paise', { mode: 'number' }).notNull(),
    reimbursedPaise: bigint('reimbursed_paise', { mode: 'number' }).notNull(),
    employeeDeductionPaise: bigint('employee_deduction_paise', { mode: 'number' }).notNull(),
    netWagePaise: bigint('net_wage_paise', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('invoice_details_resource_uq').on(t.invoiceId, t.resourceId), index('invoice_details_resource_idx').on(t.resourceId)],
);

/**
 * Typed lines: per detail (the resource's heads) or per invoice (service charge, taxes, and
 * arrears / recoveries, which carry the month they belong to).
 */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    detailId: integer('detail_id').references(() => invoiceDetails.id),
    code: text('code').notNull(),
    kind: text('kind', { enum: ['payable', 'deduction'] }).notNull(),
    stage: text('stage').notNull(),
    basePaise: bigint('base_paise', { mode: 'number' }).notNull(),
    ratePpm: integer('rate_ppm').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    arrearsMonth: date('arrears_month', { mode: 'string' }),
    labelEn: text('label_en').notNull().default(''),
    labelHi: text('label_hi').notNull().default(''),
    sortOrder: integer('sort_order').notNull(),
  },
  (t) => [index('invoice_lines_invoice_idx').on(t.invoiceId, t.detailId, t.sortOrder)],
);

/**
 * Which attendance revision an invoice settled as an arrear / recovery (migration 0022): one live
 * row per revision (`released_at` null — unique); cancelling the settling invoice releases it.
 * `revision_id` references `attendance_revision_items` in the SQL.
 */
export const invoiceArrearsSources = pgTable(
  'invoice_arrears_sources',
  {
    id: serial('id').primaryKey(),
    revisionId: integer('revision_id').notNull(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    earlierInvoiceId: integer('earlier_invoice_id')
      .notNull()
      .references(() => invoices.id),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    month: date('month', { mode: 'string' }).notNull(),
    billedPaidDays: integer('billed_paid_days').notNull(),
    paidDays: integer('paid_days').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invoice_arrears_sources_live_uq').on(t.revisionId).where(sql`released_at is null`),
    index('invoice_arrears_sources_invoice_idx').on(t.invoiceId),
    index('invoice_arrears_sources_resource_idx').on(t.resourceId, t.month),
  ],
);

/**
 * Which late rate revision an invoice caught up with (migration 0031, issue 16): per earlier
 * invoice, resource and rate row (`rate_table` minimum_wages | statutory_heads | wage_definitions,
 * `rate_row_id`) one live row (`released_at` null — unique); cancelling the settling invoice
 * releases it. `paid_days` is what the difference was computed on.
 */
export const invoiceRateArrearsSources = pgTable(
  'invoice_rate_arrears_sources',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    earlierInvoiceId: integer('earlier_invoice_id')
      .notNull()
      .references(() => invoices.id),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    month: date('month', { mode: 'string' }).notNull(),
    rateTable: text('rate_table', { enum: ['minimum_wages', 'statutory_heads', 'wage_definitions'] }).notNull(),
    rateRowId: integer('rate_row_id').notNull(),
    paidDays: integer('paid_days').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invoice_rate_arrears_sources_live_uq').on(t.earlierInvoiceId, t.resourceId, t.rateTable, t.rateRowId).where(sql`released_at is null`),
    index('invoice_rate_arrears_sources_invoice_idx').on(t.invoiceId),
  ],
);

/**
 * Recoveries carried forward (migration 0041, the authority — with the guards and the settlement
 * check): what an invoice could not recover, per month the recovery belongs to and part (`cost` —
 * the sub-total — or `reimbursed` — the bonus), amount > 0; released once when that invoice is
 * cancelled. See invoice.recovery-carry.ts.
 */
export const invoiceRecoveryBalances = pgTable(
  'invoice_recovery_balances',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    month: date('month', { mode: 'string' }).notNull(),
    part: text('part', { enum: ['cost', 'reimbursed'] }).notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invoice_recovery_balances_uq').on(t.invoiceId, t.month, t.part),
    index('invoice_recovery_balances_contract_idx').on(t.contractId, t.agencyId).where(sql`released_at is null`),
  ],
);

/**
 * An invoice taking over an open recovery balance (migration 0041): it recovers `recovered_paise`
 * and carries the rest in its own balance; one live settlement per balance (unique), released once
 * when the settling invoice is cancelled (the balance is then open again).
 */
export const invoiceRecoverySettlements = pgTable(
  'invoice_recovery_settlements',
  {
    id: serial('id').primaryKey(),
    balanceId: integer('balance_id')
      .notNull()
      .references(() => invoiceRecoveryBalances.id),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    recoveredPaise: bigint('recovered_paise', { mode: 'number' }).notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invoice_recovery_settlements_live_uq').on(t.balanceId).where(sql`released_at is null`),
    index('invoice_recovery_settlements_invoice_idx').on(t.invoiceId),
  ],
);

/**
 * The invoice's workflow (migration 0024, issue 17): one row from its submission; the stage moves
 * only along submitted → verified | returned, returned → submitted, verified → approved | returned,
 * approved → billed → paid (trigger). No row = a draft the agency may still cancel.
 */
export const invoiceWorkflow = pgTable(
  'invoice_workflow',
  {
    invoiceId: integer('invoice_id')
      .primaryKey()
      .references(() => invoices.id),
    stage: text('stage', { enum: ['submitted', 'returned', 'verified', 'approved', 'billed', 'paid'] }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    submittedBy: integer('submitted_by')
      .notNull()
      .references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedBy: integer('verified_by').references(() => users.id),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    returnedBy: integer('returned_by').references(() => users.id),
    returnRemarks: text('return_remarks').notNull().default(''),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: integer('approved_by').references(() => users.id),
    billedAt: timestamp('billed_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    creditedAt: timestamp('credited_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('invoice_workflow_stage_idx').on(t.stage, t.invoiceId)],
);

export const INVOICE_EVENT_ACTIONS = [
  'submit',
  'return',
  'verify',
  'approve',
  'gate_waived',
  'bill_sent',
  'bill_acknowledged',
  'bill_rejected',
  'paid',
  'payment_reopened',
  'credited',
  'credit_reopened',
  'nothing_payable',
] as const;

/** Every step of an invoice's workflow, append-only; an idempotency key is used once per user. */
export const invoiceEvents = pgTable(
  'invoice_events',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    action: text('action', { enum: INVOICE_EVENT_ACTIONS }).notNull(),
    actorUserId: integer('actor_user_id')
      .notNull()
      .references(() => users.id),
    actorRole: text('actor_role').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    remarks: text('remarks').notNull().default(''),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
  },
  (t) => [
    index('invoice_events_invoice_idx').on(t.invoiceId, t.id),
    uniqueIndex('invoice_events_idem_uq').on(t.actorUserId, t.idempotencyKey).where(sql`idempotency_key is not null`),
  ],
);

/**
 * The bill for IFMIS (migration 0024): one per invoice, made in the DDO's approving transaction.
 * Amounts, deductions and payees never change (triggers); payees add up to the net payable and
 * deductions to `deductionsPaise` (checked at COMMIT). Only the IFMIS status moves.
 */
export const bills = pgTable(
  'bills',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    billNo: text('bill_no').notNull(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    ddoCodeId: integer('ddo_code_id')
      .notNull()
      .references(() => ddoCodes.id),
    ddoCode: text('ddo_code').notNull(),
    budgetLineId: integer('budget_line_id')
      .notNull()
      .references(() => budgetLines.id),
    paymentMode: text('payment_mode', { enum: ['through_agency', 'direct'] }).notNull(),
    grossPaise: bigint('gross_paise', { mode: 'number' }).notNull(),
    gstPaise: bigint('gst_paise', { mode: 'number' }).notNull(),
    tdsBasePaise: bigint('tds_base_paise', { mode: 'number' }).notNull(),
    deductionsPaise: bigint('deductions_paise', { mode: 'number' }).notNull(),
    netPayablePaise: bigint('net_payable_paise', { mode: 'number' }).notNull(),
    invoicePdfSha256: text('invoice_pdf_sha256').notNull(),
    status: text('status', { enum: ['prepared', 'sent', 'acknowledged', 'rejected', 'not_payable'] })
      .notNull()
      .default('prepared'),
    ifmisRef: text('ifmis_ref'),
    ifmisReason: text('ifmis_reason').notNull().default(''),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('bills_invoice_uq').on(t.invoiceId),
    uniqueIndex('bills_no_uq').on(t.billNo),
    uniqueIndex('bills_ifmis_ref_uq').on(t.ifmisRef).where(sql`ifmis_ref is not null`),
    index('bills_ddo_idx').on(t.ddoCodeId, t.id),
    index('bills_agency_idx').on(t.agencyId, t.id),
  ],
);

/** TDS 194C and GST TDS at the bill, each with its base and rate (parts per million). */
export const billDeductions = pgTable(
  'bill_deductions',
  {
    id: serial('id').primaryKey(),
    billId: integer('bill_id')
      .notNull()
      .references(() => bills.id),
    code: text('code').notNull(),
    basePaise: bigint('base_paise', { mode: 'number' }).notNull(),
    ratePpm: integer('rate_ppm').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('bill_deductions_code_uq').on(t.billId, t.code)],
);

/** Who receives the net payable: the agency (through the agency) or each worker and the agency (direct). */
export const billPayees = pgTable(
  'bill_payees',
  {
    id: serial('id').primaryKey(),
    billId: integer('bill_id')
      .notNull()
      .references(() => bills.id),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: ['agency', 'worker'] }).notNull(),
    resourceId: integer('resource_id').references(() => resources.id),
    invoiceDetailId: integer('invoice_detail_id').references(() => invoiceDetails.id),
    name: text('name').notNull(),
    bankAccount: text('bank_account').notNull(),
    ifsc: text('ifsc').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('bill_payees_seq_uq').on(t.billId, t.seq), index('bill_payees_resource_idx').on(t.resourceId).where(sql`resource_id is not null`)],
);
