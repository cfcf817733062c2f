import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { ATTENDANCE_STATES } from '../../../shared/contracts/attendance.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { offices } from '../org/org.table.ts';
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
