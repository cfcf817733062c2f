import { z } from 'zod';
import { ZId, ZIdNumber } from './common.ts';

/**
 * Monthly attendance (spec 05). An office-month has one sheet; each resource deployed at the
 * office on some day of the month has one row: days present, paid leave, weekly offs and
 * holidays, unpaid absence — whole days whose sum is the days the resource was on the rolls
 * (joining to relieving, both inclusive, clipped to the month; IST calendar dates).
 */

export const ATTENDANCE_STATES = ['open', 'finalised'] as const;
export type TAttendanceState = (typeof ATTENDANCE_STATES)[number];

/** The four kinds of day, in grid order. */
export const DAY_FIELDS = ['present', 'paidLeave', 'offs', 'absence'] as const;
export type TDayField = (typeof DAY_FIELDS)[number];

/** A calendar month, `YYYY-MM` (2020–2099). */
export const ZMonth = z.string().regex(/^20[2-9][0-9]-(0[1-9]|1[0-2])$/);

export const ZSheetParams = z.object({ officeId: ZId, month: ZMonth });
export type TSheetParams = z.infer<typeof ZSheetParams>;

export const ZAttendanceRow = z.object({
  resourceId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  agencyId: z.number().int(),
  postNameEn: z.string(),
  postNameHi: z.string(),
  joiningDate: z.string(),
  relievedOn: z.string().nullable(),
  /** First and last day on the rolls within the month. */
  fromDate: z.string(),
  toDate: z.string(),
  daysOnRolls: z.number().int(),
  /** Null while the row has never been saved. */
  present: z.number().int().nullable(),
  paidLeave: z.number().int().nullable(),
  offs: z.number().int().nullable(),
  absence: z.number().int().nullable(),
  /** 0 while never saved; a save must quote the version it read (optimistic concurrency). */
  version: z.number().int(),
  balanced: z.boolean(),
  /** Saved, but the resource is no longer on the rolls in this month (relieved before it since): the row is dropped on finalisation. */
  offRolls: z.boolean(),
});
export type TAttendanceRow = z.infer<typeof ZAttendanceRow>;

export const ZAttendanceSheet = z.object({
  officeId: z.number().int(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  month: z.string(),
  firstDay: z.string(),
  lastDay: z.string(),
  state: z.enum(ATTENDANCE_STATES),
  finalisedAt: z.string().nullable(),
  /** The actor may save rows (the month is open and the actor enters attendance). */
  editable: z.boolean(),
  /** The actor may finalise now (open, every row saved and balanced). */
  canFinalise: z.boolean(),
  rows: z.array(ZAttendanceRow),
});
export type TAttendanceSheet = z.infer<typeof ZAttendanceSheet>;

/** Days are checked by the service (whole, 0 or more, within the days on the rolls), so that the message names the row. */
const days = z.number().finite();

export const ZAttendanceEntry = z.strictObject({
  resourceId: ZIdNumber,
  version: z.number().int().min(0).max(1_000_000),
  present: days,
  paidLeave: days,
  offs: days,
  absence: days,
});
export type TAttendanceEntry = z.infer<typeof ZAttendanceEntry>;

export const ZAttendanceSave = z.strictObject({ rows: z.array(ZAttendanceEntry).min(1).max(2000) });
export type TAttendanceSave = z.infer<typeof ZAttendanceSave>;

export const ZAttendanceOffice = z.object({
  officeId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
});
export const ZAttendanceOffices = z.object({ items: z.array(ZAttendanceOffice) });
export type TAttendanceOffice = z.infer<typeof ZAttendanceOffice>;

/** The spreadsheet template of an office-month (pre-filled with what is saved), in the user's language. */
export const ZTemplateQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

/** An upload: `saveGood=true` saves the good rows of a file that has bad ones (otherwise nothing is saved). */
export const ZUploadQuery = z.strictObject({ saveGood: z.enum(['true', 'false']).optional() });

export const ZUploadRowError = z.object({ row: z.number().int(), field: z.string(), code: z.string(), message: z.string() });
export const ZUploadReport = z.object({
  /** Data rows in the file. */
  rows: z.number().int(),
  /** Rows saved (0 when the file had errors and the good rows were not asked for). */
  saved: z.number().int(),
  /** Every bad row, with its spreadsheet row number (the header is row 1) and column. */
  errors: z.array(ZUploadRowError),
});
export type TUploadReport = z.infer<typeof ZUploadReport>;

/** The template's columns, in order (the headers are their labels in either language). */
export const TEMPLATE_COLUMNS = ['officeId', 'month', 'resourceId', 'name', 'post', 'fromDate', 'toDate', 'daysOnRolls', ...DAY_FIELDS] as const;
