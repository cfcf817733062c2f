import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { agencies } from '../agency/agency.table.ts';
import { departments } from '../org/org.table.ts';
import { resources } from '../resource/resource.table.ts';

/**
 * The statutory proof (spec 06 "Statutory proof and the gate", issue 17 item 2). The SQL of
 * migration 0025 is the authority; its triggers keep every table here append-only: a proof is
 * uploaded again as a new version (the old one kept), a gate switch is a new row.
 */

/** One upload of an agency's proof for a wage month; the highest version is the one in force. */
export const statutoryProofs = pgTable(
  'statutory_proofs',
  {
    id: serial('id').primaryKey(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** The first day of the wage month the proof is for. */
    month: date('month', { mode: 'string' }).notNull(),
    version: integer('version').notNull(),
    ecrFileId: integer('ecr_file_id')
      .notNull()
      .references(() => storedFiles.id),
    trrn: text('trrn').notNull(),
    paymentDate: date('payment_date', { mode: 'string' }).notNull(),
    esicChallanNo: text('esic_challan_no').notNull(),
    esicChallanDate: date('esic_challan_date', { mode: 'string' }).notNull(),
    esicAmountPaise: bigint('esic_amount_paise', { mode: 'number' }).notNull(),
    /** ESIC billed on the month's active invoices (employer + employee lines) when reconciled. */
    billedEsicPaise: bigint('billed_esic_paise', { mode: 'number' }).notNull(),
    members: integer('members').notNull(),
    billedResources: integer('billed_resources').notNull(),
    epfWagesPaise: bigint('epf_wages_paise', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['reconciled', 'differences'] }).notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('statutory_proofs_version_uq').on(t.agencyId, t.month, t.version),
    index('statutory_proofs_month_idx').on(t.month, t.agencyId),
    check('statutory_proofs_month_first', sql`extract(day from ${t.month}) = 1`),
    check('statutory_proofs_status', sql`${t.status} in ('reconciled', 'differences')`),
    check('statutory_proofs_amounts', sql`${t.esicAmountPaise} >= 0 and ${t.billedEsicPaise} >= 0 and ${t.version} >= 1`),
  ],
);

/** The ECR's member lines as parsed (amounts: the ECR's whole rupees × 100). */
export const statutoryProofRows = pgTable(
  'statutory_proof_rows',
  {
    id: serial('id').primaryKey(),
    proofId: integer('proof_id')
      .notNull()
      .references(() => statutoryProofs.id),
    lineNo: integer('line_no').notNull(),
    uan: text('uan').notNull(),
    name: text('name').notNull(),
    grossWagesPaise: bigint('gross_wages_paise', { mode: 'number' }).notNull(),
    epfWagesPaise: bigint('epf_wages_paise', { mode: 'number' }).notNull(),
    epsWagesPaise: bigint('eps_wages_paise', { mode: 'number' }).notNull(),
    edliWagesPaise: bigint('edli_wages_paise', { mode: 'number' }).notNull(),
    eeSharePaise: bigint('ee_share_paise', { mode: 'number' }).notNull(),
    epsSharePaise: bigint('eps_share_paise', { mode: 'number' }).notNull(),
    erSharePaise: bigint('er_share_paise', { mode: 'number' }).notNull(),
    ncpDays: integer('ncp_days').notNull(),
    refundPaise: bigint('refund_paise', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('statutory_proof_rows_uan_uq').on(t.proofId, t.uan), index('statutory_proof_rows_line_idx').on(t.proofId, t.lineNo)],
);

/**
 * What the reconciliation found, per worker (`missing`: billed, not in the ECR; `wage_short`: EPF
 * wages in the ECR below the billed EPF wage; `no_uan`: billed, but ROAMS has no UAN for the
 * worker) and for the ESIC challan (`esic_short`, no resource).
 */
export const statutoryProofDifferences = pgTable(
  'statutory_proof_differences',
  {
    id: serial('id').primaryKey(),
    proofId: integer('proof_id')
      .notNull()
      .references(() => statutoryProofs.id),
    kind: text('kind', { enum: ['missing', 'wage_short', 'no_uan', 'esic_short'] }).notNull(),
    resourceId: integer('resource_id').references(() => resources.id),
    uan: text('uan').notNull().default(''),
    nameEn: text('name_en').notNull().default(''),
    nameHi: text('name_hi').notNull().default(''),
    billedPaise: bigint('billed_paise', { mode: 'number' }).notNull(),
    foundPaise: bigint('found_paise', { mode: 'number' }),
  },
  (t) => [index('statutory_proof_differences_proof_idx').on(t.proofId, t.id)],
);

/** Finance's switch of the proof gate per department; the latest row is in force (none: on). */
export const proofGateSettings = pgTable(
  'proof_gate_settings',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    enabled: boolean('enabled').notNull(),
    reason: text('reason').notNull(),
    changedBy: integer('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('proof_gate_settings_department_idx').on(t.departmentId, t.id)],
);
