import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { agencies } from '../agency/agency.table.ts';
import { contracts } from '../contract/contract.table.ts';
import { departments, offices, postNames, skillLevels } from '../org/org.table.ts';

import {
  ALT_DOC_TYPES,
  EVENT_KINDS,
  EVENT_STATES,
  CONSENT_LANGUAGES,
  GENDERS,
  KYC_STATUSES,
  MISMATCH_RESOLUTIONS,
  QUALIFICATIONS,
  RELATIONS,
  RELIEVE_REASONS,
  RELIEVING_STATES,
  RESOURCE_STATUSES,
  VERIFICATION_METHODS,
} from '../../../shared/contracts/resource.ts';

/**
 * Resources — outsourced workers (spec 04). One row per deployment of a person: a draft under an
 * agency's active contract, then submitted, approved (working) or rejected, and finally relieved.
 * The Aadhaar number is never here: only the vault's reference key, the last four digits and the
 * keyed hash (`aadhaar_hash`), on which a partial unique index over the resources that are not
 * ended makes "one person, one deployment" hold statewide even for two agencies at one moment.
 * `contract_office_id` is the contracting office (the access layer's office coordinate: its
 * department manager decides); `office_id` is where the resource is deployed, once approved.
 */
export const resources = pgTable(
  'resources',
  {
    id: serial('id').primaryKey(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    contractOfficeId: integer('contract_office_id')
      .notNull()
      .references(() => offices.id),
    officeId: integer('office_id').references(() => offices.id),
    skillLevelId: integer('skill_level_id')
      .notNull()
      .references(() => skillLevels.id),
    postNameId: integer('post_name_id')
      .notNull()
      .references(() => postNames.id),
    nameEn: text('name_en').notNull().default(''),
    nameHi: text('name_hi').notNull().default(''),
    relation: text('relation', { enum: RELATIONS }).notNull(),
    relativeName: text('relative_name').notNull(),
    dob: date('dob', { mode: 'string' }).notNull(),
    gender: text('gender', { enum: GENDERS }).notNull(),
    mobile: text('mobile').notNull(),
    address: text('address').notNull(),
    qualification: text('qualification', { enum: QUALIFICATIONS }).notNull(),
    bankAccount: text('bank_account').notNull(),
    ifsc: text('ifsc').notNull(),
    uan: text('uan').notNull().default(''),
    esicIp: text('esic_ip').notNull().default(''),
    photoFileId: integer('photo_file_id').references(() => storedFiles.id),
    status: text('status', { enum: RESOURCE_STATUSES }).notNull().default('draft'),
    // Aadhaar: the vault's reference, the last four digits, the keyed hash (never the number).
    aadhaarRef: text('aadhaar_ref'),
    aadhaarLast4: text('aadhaar_last4'),
    aadhaarHash: text('aadhaar_hash'),
    kycStatus: text('kyc_status', { enum: KYC_STATUSES }).notNull().default('none'),
    consentGivenBy: text('consent_given_by'),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    consentTextVersion: text('consent_text_version'),
    consentLanguage: text('consent_language', { enum: CONSENT_LANGUAGES }),
    consentBy: integer('consent_by').references(() => users.id),
    otpTxnId: text('otp_txn_id'),
    otpMaskedMobile: text('otp_masked_mobile'),
    /** When the last OTP was sent (migration 0052): another is refused for OTP_RESEND_GAP_MS after it. */
    otpSentAt: timestamp('otp_sent_at', { withTimezone: true }),
    /** When an e-KYC call to the provider (OTP request or verification) claimed the row; null when none is in flight. */
    kycCallAt: timestamp('kyc_call_at', { withTimezone: true }),
    kycName: text('kyc_name'),
    kycDob: date('kyc_dob', { mode: 'string' }),
    kycGender: text('kyc_gender', { enum: GENDERS }),
    kycRefId: text('kyc_ref_id'),
    kycAt: timestamp('kyc_at', { withTimezone: true }),
    kycMismatches: jsonb('kyc_mismatches').$type<{ field: 'name' | 'dob'; entered: string; kyc: string }[]>(),
    kycResolution: text('kyc_resolution', { enum: MISMATCH_RESOLUTIONS }),
    kycResolutionRemark: text('kyc_resolution_remark').notNull().default(''),
    verificationMethod: text('verification_method', { enum: VERIFICATION_METHODS }),
    altDocType: text('alt_doc_type', { enum: ALT_DOC_TYPES }),
    altDocLast4: text('alt_doc_last4'),
    altDocFileId: integer('alt_doc_file_id').references(() => storedFiles.id),
    altRemark: text('alt_remark').notNull().default(''),
    altBy: integer('alt_by').references(() => users.id),
    altAt: timestamp('alt_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    joiningDate: date('joining_date', { mode: 'string' }),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    rejectionReason: text('rejection_reason').notNull().default(''),
    relievedOn: date('relieved_on', { mode: 'string' }),
    relieveReason: text('relieve_reason', { enum: RELIEVE_REASONS }),
    relieveRemark: text('relieve_remark').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('resources_aadhaar_active_uq').on(t.aadhaarHash).where(sql`${t.aadhaarHash} is not null and ${t.status} not in ('rejected', 'relieved')`),
    index('resources_agency_idx').on(t.agencyId, t.createdAt.desc().nullsLast(), t.id.desc()),
    index('resources_department_idx').on(t.departmentId, t.createdAt.desc().nullsLast(), t.id.desc()),
    index('resources_contract_office_idx').on(t.contractOfficeId, t.createdAt.desc().nullsLast(), t.id.desc()),
    // The list's newest-first order and its search (migration 0015; the trigram indexes are there only).
    index('resources_created_idx').on(t.createdAt.desc().nullsLast(), t.id.desc()),
    index('resources_aadhaar_last4_idx').on(t.aadhaarLast4),
    index('resources_contract_idx').on(t.contractId),
    // Every status (the attendance roster reads approved and relieved resources of an office): migration 0043.
    index('resources_office_idx').on(t.officeId).where(sql`${t.officeId} is not null`),
    index('resources_deployed_idx').on(t.officeId, t.skillLevelId, t.postNameId).where(sql`${t.status} = 'approved'`),
    index('resources_bank_idx').on(t.bankAccount).where(sql`${t.status} not in ('rejected', 'relieved')`),
    index('resources_mobile_idx').on(t.mobile).where(sql`${t.status} not in ('rejected', 'relieved')`),
    check('resources_name_present', sql`${t.nameEn} <> '' or ${t.nameHi} <> ''`),
    check('resources_aadhaar_last4', sql`${t.aadhaarLast4} is null or ${t.aadhaarLast4} ~ '^[0-9]{4}$'`),
    check('resources_approved_placed', sql`${t.status} not in ('approved', 'relieved') or (${t.officeId} is not null and ${t.joiningDate} is not null)`),
    check('resources_relieved', sql`(${t.status} = 'relieved') = (${t.relievedOn} is not null)`),
  ],
);

/**
 * The department's decision on a request (relieving, replacement, profile change, event): who,
 * when, and the remark. A function, so each table gets columns of its own (same names, same SQL).
 */
const decisionColumns = () => ({
  decidedBy: integer('decided_by').references(() => users.id),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decisionRemark: text('decision_remark').notNull().default(''),
});

/** A request's remark, who asked and when, and the department's decision on it. */
const requestColumns = () => ({
  remark: text('remark').notNull().default(''),
  requestedBy: integer('requested_by').references(() => users.id),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  ...decisionColumns(),
});

/** Relieving requests: the agency asks, the department approves (it takes effect) or refuses. One open request at a time. */
export const resourceRelievings = pgTable(
  'resource_relievings',
  {
    id: serial('id').primaryKey(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    state: text('state', { enum: RELIEVING_STATES }).notNull().default('requested'),
    relieveOn: date('relieve_on', { mode: 'string' }).notNull(),
    reasonCode: text('reason_code', { enum: RELIEVE_REASONS }).notNull(),
    ...requestColumns(),
  },
  (t) => [
    uniqueIndex('resource_relievings_open_uq').on(t.resourceId).where(sql`${t.state} = 'requested'`),
    index('resource_relievings_resource_idx').on(t.resourceId, t.id),
  ],
);

/**
 * Replacements: relieve `resource_id` (A) and join `replacement_id` (B, same agency and contract)
 * on A's position. The agency requests (state `requested`) and the department approves, or the
 * department replaces at once (a row born `approved`). One open request per outgoing and per
 * incoming resource.
 */
export const resourceReplacements = pgTable(
  'resource_replacements',
  {
    id: serial('id').primaryKey(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    replacementId: integer('replacement_id')
      .notNull()
      .references(() => resources.id),
    state: text('state', { enum: RELIEVING_STATES }).notNull().default('requested'),
    relieveOn: date('relieve_on', { mode: 'string' }).notNull(),
    joinOn: date('join_on', { mode: 'string' }).notNull(),
    reasonCode: text('reason_code', { enum: RELIEVE_REASONS }).notNull(),
    ...requestColumns(),
  },
  (t) => [
    uniqueIndex('resource_replacements_open_uq').on(t.resourceId).where(sql`${t.state} = 'requested'`),
    uniqueIndex('resource_replacements_incoming_uq').on(t.replacementId).where(sql`${t.state} = 'requested'`),
    index('resource_replacements_replacement_idx').on(t.replacementId),
    check('resource_replacements_dates', sql`${t.joinOn} >= ${t.relieveOn}`),
    check('resource_replacements_two', sql`${t.resourceId} <> ${t.replacementId}`),
  ],
);

/**
 * Profile-change requests (agency → department). A null column is "no change". Nothing on the
 * resource changes until the department approves — the bank account in force (exports, the ghost
 * check, invoices) stays the old one meanwhile. One open request per resource.
 */
export const resourceProfileChanges = pgTable(
  'resource_profile_changes',
  {
    id: serial('id').primaryKey(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    state: text('state', { enum: RELIEVING_STATES }).notNull().default('requested'),
    mobile: text('mobile'),
    address: text('address'),
    qualification: text('qualification', { enum: QUALIFICATIONS }),
    bankAccount: text('bank_account'),
    ifsc: text('ifsc'),
    photoFileId: integer('photo_file_id').references(() => storedFiles.id),
    ...requestColumns(),
  },
  (t) => [
    uniqueIndex('resource_profile_changes_open_uq').on(t.resourceId).where(sql`${t.state} = 'requested'`),
    index('resource_profile_changes_resource_idx').on(t.resourceId, t.id),
    check('resource_profile_changes_bank_pair', sql`(${t.bankAccount} is null) = (${t.ifsc} is null)`),
  ],
);

/**
 * Events: an accident (its time, and when it was reported to ESIC — due within ESIC_REPORT_HOURS),
 * maternity leave (from `occurred_on` to `to_date`), death (the worker is relieved, reason
 * `deceased`, when the department approves). A document (PDF / JPEG / PNG) may be attached.
 */
export const resourceEvents = pgTable(
  'resource_events',
  {
    id: serial('id').primaryKey(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    state: text('state', { enum: EVENT_STATES }).notNull().default('recorded'),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    toDate: date('to_date', { mode: 'string' }),
    esicReportedAt: timestamp('esic_reported_at', { withTimezone: true }),
    documentFileId: integer('document_file_id').references(() => storedFiles.id),
    remark: text('remark').notNull().default(''),
    recordedBy: integer('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    ...decisionColumns(),
  },
  (t) => [
    uniqueIndex('resource_events_death_uq').on(t.resourceId).where(sql`${t.kind} = 'death' and ${t.state} in ('requested', 'approved')`),
    index('resource_events_resource_idx').on(t.resourceId, t.id),
    index('resource_events_esic_open_idx').on(t.occurredAt).where(sql`${t.kind} = 'accident' and ${t.esicReportedAt} is null`),
    check('resource_events_accident_time', sql`${t.kind} <> 'accident' or ${t.occurredAt} is not null`),
    check('resource_events_maternity_period', sql`${t.kind} <> 'maternity' or (${t.toDate} is not null and ${t.toDate} >= ${t.occurredOn})`),
  ],
);

/**
 * Bulk onboarding batches (issue 14 item 1): one row per imported file under a contract. The
 * file's SHA-256 is unique per contract, so the same file uploaded twice (a double click, a retry
 * after a lost response) creates its resources once; the second upload is told so.
 */
export const resourceBulkBatches = pgTable(
  'resource_bulk_batches',
  {
    id: serial('id').primaryKey(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    fileSha256: text('file_sha256').notNull(),
    rows: integer('rows').notNull(),
    created: integer('created').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('resource_bulk_batches_file_uq').on(t.contractId, t.fileSha256)],
);
