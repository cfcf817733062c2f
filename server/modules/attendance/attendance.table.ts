import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { ATTENDANCE_STATES, HOLIDAY_KINDS, REVISION_STATES } from '../../../shared/contracts/attendance.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { districts, offices } from '../org/org.table.ts';
import { resources } from '../resource/resource.table.ts';

/**
 * One sheet per office and month (spec 05): open while the department enters attendance, then
 * finalised — the basis of invoices. Migration 0017 makes a finalised sheet and its rows
 * read-only in the database itself (a trigger refuses UPDATE and DELETE of a finalised sheet and
 * any INSERT, UPDATE or DELETE of its rows), so no route and no SQL from the application can
 * change finalised attendance.
 */
export const attendanceSheets = pgTable(
  'attendance_sheets',
  {
    id: serial('id').primaryKey(),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    /** The first day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    state: text('state', { enum: ATTENDANCE_STATES }).notNull().default('open'),
    finalisedBy: integer('finalised_by').references(() => users.id),
    finalisedAt: timestamp('finalised_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('attendance_sheets_office_month_uq').on(t.officeId, t.month),
    check('attendance_sheets_month_first', sql`extract(day from ${t.month}) = 1`),
    check('attendance_sheets_finalised', sql`(${t.state} = 'finalised') = (${t.finalisedAt} is not null)`),
  ],
);

/**
 * A resource's attendance in an office-month: whole days, their sum the days on the rolls
 * (checked here too). `version` counts saves: a save quotes the version it read.
 */
export const attendanceRows = pgTable(
  'attendance_rows',
  {
    id: serial('id').primaryKey(),
    sheetId: integer('sheet_id')
      .notNull()
      .references(() => attendanceSheets.id),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    daysOnRolls: integer('days_on_rolls').notNull(),
    present: integer('present').notNull(),
    paidLeave: integer('paid_leave').notNull(),
    offs: integer('offs').notNull(),
    absence: integer('absence').notNull(),
    version: integer('version').notNull().default(1),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('attendance_rows_sheet_resource_uq').on(t.sheetId, t.resourceId),
    index('attendance_rows_resource_idx').on(t.resourceId),
    check('attendance_rows_days_nonnegative', sql`${t.present} >= 0 and ${t.paidLeave} >= 0 and ${t.offs} >= 0 and ${t.absence} >= 0`),
    check('attendance_rows_days_on_rolls', sql`${t.daysOnRolls} between 1 and 31`),
    check('attendance_rows_balance', sql`${t.present} + ${t.paidLeave} + ${t.offs} + ${t.absence} = ${t.daysOnRolls}`),
  ],
);

/**
 * A revision request (migration 0021): rows of a finalised sheet to correct, with a reason, raised
 * by the department manager and decided once by the office's DDO (maker ≠ checker, also a CHECK).
 * Append-only: a trigger refuses DELETE and any UPDATE but the one decision of a pending request.
 */
export const attendanceRevisionRequests = pgTable(
  'attendance_revision_requests',
  {
    id: serial('id').primaryKey(),
    sheetId: integer('sheet_id')
      .notNull()
      .references(() => attendanceSheets.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    month: date('month', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    state: text('state', { enum: REVISION_STATES }).notNull().default('pending'),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    remarks: text('remarks').notNull().default(''),
    /** The optional supporting document (PDF / JPEG / PNG by content; migration 0029), fixed with the request. */
    documentFileId: integer('document_file_id').references(() => storedFiles.id),
  },
  (t) => [
    index('attendance_revision_requests_office_idx').on(t.officeId, t.state, t.id),
    index('attendance_revision_requests_sheet_idx').on(t.sheetId),
    check('attendance_revision_requests_maker_checker', sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requestedBy}`),
  ],
);

/**
 * Supporting documents added to a pending request after it was made (migration 0042), e.g. when
 * the DDO asks for one: by its requester only, while it is pending (a trigger checks both under a
 * share lock on the request, so a decision and an addition serialise), append-only. The document
 * attached when the request was made stays in `attendance_revision_requests.document_file_id`.
 */
export const attendanceRevisionDocuments = pgTable(
  'attendance_revision_documents',
  {
    id: serial('id').primaryKey(),
    requestId: integer('request_id')
      .notNull()
      .references(() => attendanceRevisionRequests.id),
    fileId: integer('file_id')
      .notNull()
      .references(() => storedFiles.id),
    addedBy: integer('added_by')
      .notNull()
      .references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('attendance_revision_documents_request_idx').on(t.requestId, t.id)],
);

/**
 * One row's revised figures within a request. On approval it gets the row's next revision number;
 * the latest approved revision is the row's effective attendance (`effectiveAttendanceSql`). At most
 * one pending revision per row (partial unique index `attendance_revision_items_open_uq`).
 */
export const attendanceRevisionItems = pgTable(
  'attendance_revision_items',
  {
    id: serial('id').primaryKey(),
    requestId: integer('request_id')
      .notNull()
      .references(() => attendanceRevisionRequests.id),
    rowId: integer('row_id')
      .notNull()
      .references(() => attendanceRows.id),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    daysOnRolls: integer('days_on_rolls').notNull(),
    present: integer('present').notNull(),
    paidLeave: integer('paid_leave').notNull(),
    offs: integer('offs').notNull(),
    absence: integer('absence').notNull(),
    state: text('state', { enum: REVISION_STATES }).notNull().default('pending'),
    revisionNo: integer('revision_no'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('attendance_revision_items_open_uq').on(t.rowId).where(sql`${t.state} = 'pending'`),
    uniqueIndex('attendance_revision_items_no_uq').on(t.rowId, t.revisionNo).where(sql`${t.revisionNo} is not null`),
    index('attendance_revision_items_request_idx').on(t.requestId),
    check('attendance_revision_items_balance', sql`${t.present} + ${t.paidLeave} + ${t.offs} + ${t.absence} = ${t.daysOnRolls}`),
  ],
);

/**
 * The holiday calendar: statewide (office and district null, kept by Finance), a district's
 * (district_id; kept by Finance — no role is scoped to a district) or an office's own (its
 * department manager). Migration 0030 added the district and the `local` kind.
 */
export const holidays = pgTable(
  'holidays',
  {
    id: serial('id').primaryKey(),
    date: date('date', { mode: 'string' }).notNull(),
    officeId: integer('office_id').references(() => offices.id),
    districtId: integer('district_id').references(() => districts.id),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    kind: text('kind', { enum: HOLIDAY_KINDS }).notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('holidays_state_date_uq').on(t.date).where(sql`${t.officeId} is null and ${t.districtId} is null`),
    uniqueIndex('holidays_office_date_uq').on(t.officeId, t.date).where(sql`${t.officeId} is not null`),
    uniqueIndex('holidays_district_date_uq').on(t.districtId, t.date).where(sql`${t.districtId} is not null`),
    check('holidays_one_scope', sql`${t.officeId} is null or ${t.districtId} is null`),
    check('holidays_local_scoped', sql`${t.kind} <> 'local' or ${t.officeId} is not null or ${t.districtId} is not null`),
  ],
);

/**
 * The attendance overview's deadline (issue 15 item 7): an office-month not finalised by this day
 * of the next month is overdue, and its department managers are reminded. One statewide row kept
 * by Finance (no row: the default, the 5th); every change is audited (`attendance_settings`).
 * A day from 1 to 28, so that every month has it.
 */
export const attendanceSettings = pgTable(
  'attendance_settings',
  {
    id: integer('id').primaryKey().default(1),
    deadlineDay: integer('deadline_day').notNull().default(5),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('attendance_settings_one_row', sql`${t.id} = 1`), check('attendance_settings_deadline_day', sql`${t.deadlineDay} between 1 and 28`)],
);

/**
 * Maintained totals of each finalised sheet (migration 0033, bar S4): its rows and the sums of
 * their effective figures. Written by the database only — a trigger when the sheet is finalised,
 * another moving it by the difference when a revision of one of its rows is approved — so the
 * state dashboard sums ≤ 12,000 rows a month instead of every attendance row.
 */
export const attendanceSheetTotals = pgTable(
  'attendance_sheet_totals',
  {
    sheetId: integer('sheet_id')
      .primaryKey()
      .references(() => attendanceSheets.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    month: date('month', { mode: 'string' }).notNull(),
    rows: integer('rows').notNull(),
    daysOnRolls: integer('days_on_rolls').notNull(),
    present: integer('present').notNull(),
    paidLeave: integer('paid_leave').notNull(),
    offs: integer('offs').notNull(),
    absence: integer('absence').notNull(),
  },
  (t) => [
    index('attendance_sheet_totals_month_idx').on(t.month, t.officeId),
    check('attendance_sheet_totals_balance', sql`${t.present} + ${t.paidLeave} + ${t.offs} + ${t.absence} = ${t.daysOnRolls}`),
    check('attendance_sheet_totals_nonnegative', sql`${t.rows} >= 0 and ${t.present} >= 0 and ${t.paidLeave} >= 0 and ${t.offs} >= 0 and ${t.absence} >= 0`),
  ],
);
