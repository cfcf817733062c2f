import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { departments, districts } from '../org/org.table.ts';

import { AGENCY_DOC_KINDS, AGENCY_STATUSES, AGENCY_TYPES } from '../../../shared/contracts/agency.ts';

/**
 * Manpower agencies (spec 03, seed 000 para 2(i)). One agency per PAN in the state (unique index);
 * identifiers are stored upper-cased after the checks in shared/domain/identifiers.ts, and the
 * database re-checks their shape. `status` moves pending → verified / rejected → suspended /
 * blacklisted (with the order reference and period) — every move is a row in
 * `agency_status_events` and an audit entry.
 */
export const agencies = pgTable(
  'agencies',
  {
    id: serial('id').primaryKey(),
    legalName: text('legal_name').notNull(),
    type: text('type', { enum: AGENCY_TYPES }).notNull(),
    pan: text('pan').notNull(),
    gstin: text('gstin').notNull(),
    epfoCode: text('epfo_code').notNull(),
    esicCode: text('esic_code').notNull(),
    /** Contract Labour (R&A) Act 1970 licence: number, workmen covered, valid until. */
    licenceNo: text('licence_no').notNull(),
    licenceWorkmen: integer('licence_workmen').notNull(),
    licenceValidTo: date('licence_valid_to', { mode: 'string' }).notNull(),
    address: text('address').notNull(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    contactName: text('contact_name').notNull(),
    mobile: text('mobile').notNull(),
    email: text('email').notNull(),
    bankAccount: text('bank_account').notNull(),
    ifsc: text('ifsc').notNull(),
    status: text('status', { enum: AGENCY_STATUSES }).notNull().default('pending'),
    /** Reason of the last rejection / suspension / blacklisting; order reference and period for the last two. */
    statusReason: text('status_reason').notNull().default(''),
    statusOrderRef: text('status_order_ref').notNull().default(''),
    statusFrom: date('status_from', { mode: 'string' }),
    statusTo: date('status_to', { mode: 'string' }),
    /** 'self': public sign-up with mobile OTP; 'department': registered by a department user. */
    registeredVia: text('registered_via', { enum: ['self', 'department'] }).notNull(),
    registeredBy: integer('registered_by').references(() => users.id),
    /** The department that registered the agency (it may verify it); null for a public sign-up. */
    registeredDepartmentId: integer('registered_department_id').references(() => departments.id),
    /**
     * The department whose suspension is in force (a department's suspension applies to its own
     * contracts only, issue 11 finding 7); null for Finance's statewide suspension or no suspension.
     */
    statusDepartmentId: integer('status_department_id').references(() => departments.id),
    verifiedBy: integer('verified_by').references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('agencies_pan_uq').on(t.pan),
    index('agencies_status_idx').on(t.status, t.id),
    index('agencies_licence_valid_to_idx').on(t.licenceValidTo),
    index('agencies_legal_name_idx').on(t.legalName, t.id),
    check('agencies_pan_format', sql`${t.pan} ~ '^[A-Z]{5}[0-9]{4}[A-Z]$'`),
    check('agencies_gstin_format', sql`${t.gstin} ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'`),
    check('agencies_gstin_pan', sql`substr(${t.gstin}, 3, 10) = ${t.pan}`),
    check('agencies_ifsc_format', sql`${t.ifsc} ~ '^[A-Z]{4}0[A-Z0-9]{6}$'`),
    check('agencies_mobile_format', sql`${t.mobile} ~ '^[6-9][0-9]{9}$'`),
    check('agencies_licence_workmen_positive', sql`${t.licenceWorkmen} > 0`),
  ],
);

/** Documents of an agency (PDF, in stored_files). Never changed; a newer upload of a kind supersedes the older. */
export const agencyDocuments = pgTable(
  'agency_documents',
  {
    id: serial('id').primaryKey(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    kind: text('kind', { enum: AGENCY_DOC_KINDS }).notNull(),
    fileId: integer('file_id')
      .notNull()
      .references(() => storedFiles.id),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agency_documents_agency_idx').on(t.agencyId, t.kind)],
);

/** Status history of an agency, shown on its page and on its contracts. Append-only. */
export const agencyStatusEvents = pgTable(
  'agency_status_events',
  {
    id: serial('id').primaryKey(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    fromStatus: text('from_status', { enum: AGENCY_STATUSES }),
    toStatus: text('to_status', { enum: AGENCY_STATUSES }).notNull(),
    reason: text('reason').notNull().default(''),
    orderRef: text('order_ref').notNull().default(''),
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    byUser: integer('by_user').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agency_status_events_agency_idx').on(t.agencyId, t.at)],
);

/**
 * One-time codes for the public agency sign-up, bound to a mobile number and a sign-up request
 * token (the caller has no user yet, so these cannot live in `otps`). Only hashes are kept;
 * 10 minutes, single use, 5 wrong tries burn it, at most 5 per mobile per hour (as `otps`).
 */
export const signupOtps = pgTable(
  'signup_otps',
  {
    id: serial('id').primaryKey(),
    mobile: text('mobile').notNull(),
    requestHash: text('request_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    ip: text('ip').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('signup_otps_mobile_idx').on(t.mobile, t.createdAt), uniqueIndex('signup_otps_request_uq').on(t.requestHash)],
);
