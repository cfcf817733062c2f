import { z } from 'zod';
import { ZId, ZIdNumber, zDate, zText } from './common.ts';

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
  /** Never saved: pre-filled from the calendar (Sundays and the office's holidays on the rolls; docs/ATTENDANCE.md). */
  offs: z.number().int().nullable(),
  absence: z.number().int().nullable(),
  /** 0 while never saved; a save must quote the version it read (optimistic concurrency). */
  version: z.number().int(),
  balanced: z.boolean(),
  /** Saved, but the resource is no longer on the rolls in this month (relieved before it since): the row is dropped on finalisation. */
  offRolls: z.boolean(),
  /**
   * A finalised row corrected by approved revisions: the figures of the latest (the row's
   * effective attendance; the fields above stay what was finalised). Null when never revised.
   */
  revised: z
    .object({ revisionNo: z.number().int(), present: z.number().int(), paidLeave: z.number().int(), offs: z.number().int(), absence: z.number().int() })
    .nullable(),
  /** A revision of this row awaits the DDO. */
  revisionPending: z.boolean(),
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
  /** The actor may request revisions of this finalised month (the department manager of the office). */
  canRequestRevision: z.boolean(),
  /** Holidays of the month for this office (statewide and the office's own), by date. */
  holidays: z.array(z.lazy(() => ZHoliday)),
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

/** A department's office-months (the department-wide template, issue 15 item 3). */
export const ZDepartmentMonthParams = z.object({ departmentId: ZId, month: ZMonth });
export type TDepartmentMonthParams = z.infer<typeof ZDepartmentMonthParams>;

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

// ── Revisions after finalisation (migration 0021) ─────────────────────────────────────────────

export const REVISION_STATES = ['pending', 'approved', 'refused'] as const;
export type TRevisionState = (typeof REVISION_STATES)[number];

/** New figures for one row of a finalised month (checked against its days on the rolls by the service). */
export const ZRevisionEntry = z.strictObject({ resourceId: ZIdNumber, present: days, paidLeave: days, offs: days, absence: days });
export const ZRevisionCreate = z.strictObject({
  reason: zText({ min: 5, max: 1000, multiLine: true }),
  rows: z.array(ZRevisionEntry).min(1).max(500),
});
export type TRevisionCreate = z.infer<typeof ZRevisionCreate>;

/** Largest supporting document of a revision request (PDF, JPEG or PNG by content). */
export const MAX_REVISION_DOC_BYTES = 5 * 1024 * 1024;
/**
 * The multipart form of a request with a supporting document (part `document`): the reason, and
 * the rows as JSON text (the same entries as the JSON request; problems are named `rows.<i>.<field>`).
 */
export const ZRevisionForm = z.strictObject({
  reason: ZRevisionCreate.shape.reason,
  rows: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'invalid' });
        return z.NEVER;
      }
    })
    .pipe(ZRevisionCreate.shape.rows),
});

/** The DDO's decision; a refusal must say why. */
export const ZRevisionDecision = z.strictObject({
  decision: z.enum(['approve', 'refuse']),
  remarks: zText({ min: 0, max: 1000, multiLine: true }).default(''),
});
export type TRevisionDecision = z.infer<typeof ZRevisionDecision>;

export const ZRevisionListQuery = z.strictObject({ state: z.enum(REVISION_STATES).optional() });

const ZDays = z.object({ present: z.number().int(), paidLeave: z.number().int(), offs: z.number().int(), absence: z.number().int() });
export const ZRevisionItem = z.object({
  resourceId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  daysOnRolls: z.number().int(),
  /** The row's effective figures when the request was listed (approved: those it replaced). */
  before: ZDays,
  after: ZDays,
  revisionNo: z.number().int().nullable(),
});
/** Documents a request's maker may add after making it (besides the one attached when it was made). */
export const MAX_REVISION_ADDED_DOCS = 10;
export const ZRevisionDocument = z.object({
  id: z.number().int(),
  name: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  addedBy: z.string(),
  addedAt: z.string(),
});
export type TRevisionDocument = z.infer<typeof ZRevisionDocument>;
export const ZRevisionDocumentParams = z.strictObject({ id: ZId, documentId: ZId });
export const ZRevision = z.object({
  id: z.number().int(),
  officeId: z.number().int(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  month: z.string(),
  reason: z.string(),
  state: z.enum(REVISION_STATES),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  remarks: z.string(),
  /** The actor may approve or refuse it now (pending, the office's DDO, not the requester). */
  canDecide: z.boolean(),
  /** The supporting document, if one was attached (download: GET /api/v1/attendance/revisions/:id/document). */
  document: z.object({ name: z.string(), mime: z.string(), sizeBytes: z.number().int() }).nullable(),
  /** Documents its maker added while it was pending, oldest first (download: GET …/revisions/:id/documents/:documentId). */
  documents: z.array(ZRevisionDocument),
  /** The actor may add a document now (pending, and the actor made it). */
  canAddDocument: z.boolean(),
  items: z.array(ZRevisionItem),
});
export type TRevision = z.infer<typeof ZRevision>;
export const ZRevisionList = z.object({ items: z.array(ZRevision) });

// ── Holiday calendar ──────────────────────────────────────────────────────────────────────────

/** Gazetted and optional (restricted) holidays, and local ones — a local holiday belongs to a district or an office, never the state. */
export const HOLIDAY_KINDS = ['gazetted', 'optional', 'local'] as const;
export type THolidayKind = (typeof HOLIDAY_KINDS)[number];
export const ZHoliday = z.object({
  id: z.number().int(),
  date: z.string(),
  /** Null: statewide or a district's; otherwise the office's own (its department manager). */
  officeId: z.number().int().nullable(),
  /** A district's holiday (kept by Finance; a local one also by the district admin); null for statewide and office holidays. */
  districtId: z.number().int().nullable(),
  districtCode: z.string().nullable(),
  districtNameEn: z.string().nullable(),
  districtNameHi: z.string().nullable(),
  nameEn: z.string(),
  nameHi: z.string(),
  kind: z.enum(HOLIDAY_KINDS),
});
export type THoliday = z.infer<typeof ZHoliday>;
export const ZHolidayCreate = z
  .strictObject({
    date: zDate('record'),
    officeId: ZIdNumber.nullable().default(null),
    districtId: ZIdNumber.nullable().default(null),
    nameEn: zText({ min: 1, max: 200 }),
    nameHi: zText({ min: 1, max: 200 }),
    kind: z.enum(HOLIDAY_KINDS),
  })
  .superRefine((v, c) => {
    if (v.officeId !== null && v.districtId !== null) c.addIssue({ code: 'custom', path: ['districtId'], message: 'one scope' });
    else if (v.kind === 'local' && v.officeId === null && v.districtId === null)
      c.addIssue({ code: 'custom', path: ['kind'], message: 'local needs a district or an office' });
  });
export type THolidayCreate = z.infer<typeof ZHolidayCreate>;
/** An edit of a holiday: its date, names and kind; its scope (statewide, district, office) stays. */
export const ZHolidayUpdate = z.strictObject({
  date: zDate('record'),
  nameEn: zText({ min: 1, max: 200 }),
  nameHi: zText({ min: 1, max: 200 }),
  kind: z.enum(HOLIDAY_KINDS),
});
export type THolidayUpdate = z.infer<typeof ZHolidayUpdate>;
/** A month's holidays: statewide, plus a district's (`districtId`) or an office's with its district's (`officeId`). */
export const ZHolidayQuery = z.strictObject({ month: ZMonth, officeId: ZId.optional(), districtId: ZId.optional() });
export const ZHolidayList = z.object({
  items: z.array(ZHoliday),
  /** The district of the calendar shown (asked for, or a district admin's own); absent otherwise. */
  district: z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string() }).optional(),
});
export type THolidayList = z.infer<typeof ZHolidayList>;

/** The columns of a holiday import file (a header row; English or Hindi headers, or these keys). */
export const HOLIDAY_IMPORT_COLUMNS = ['date', 'nameEn', 'nameHi', 'kind', 'districtCode'] as const;
/** Why a row of a holiday import is refused (`holidays.reason.<code>` in the catalogs). */
export const HOLIDAY_IMPORT_REASONS = [
  'missing_column',
  'empty_file',
  'too_many_rows',
  'bad_date',
  'date_out_of_range',
  'name_required',
  'name_too_long',
  'name_bad_chars',
  'name_hi_not_devanagari',
  'bad_kind',
  'local_statewide',
  'unknown_district',
  'duplicate_in_file',
  'already_present',
  // A district admin's file: a row of another district or statewide, or of a kind other than local.
  'not_own_district',
  'not_keeper_kind',
] as const;
export type THolidayImportReason = (typeof HOLIDAY_IMPORT_REASONS)[number];
export const ZHolidayImportQuery = z.strictObject({ save: z.enum(['true', 'false']).default('false') });
export const ZHolidayImportReport = z.object({
  /** Data rows read (the header is row 1). */
  rows: z.number().int(),
  /** Rows without a problem. */
  valid: z.number().int(),
  /** Holidays saved: all the rows, or none (a dry run, or any bad row). */
  saved: z.number().int(),
  /** The earliest and latest date the file may hold. */
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      row: z.number().int(),
      date: z.string().nullable(),
      nameEn: z.string(),
      nameHi: z.string(),
      kind: z.string(),
      districtCode: z.string(),
      ok: z.boolean(),
    }),
  ),
  /** Every problem, with its spreadsheet row (1 = the header) and column, in the user's language. */
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), code: z.enum(HOLIDAY_IMPORT_REASONS), message: z.string() })),
});
export type THolidayImportReport = z.infer<typeof ZHolidayImportReport>;

// ── The overview: office-months finalised / pending / overdue (issue 15 item 7) ───────────────

/**
 * An office-month's standing: `finalised`; `pending` — not finalised (sheet open or not begun)
 * and the deadline not yet passed; `overdue` — not finalised and the deadline has passed.
 */
export const OVERVIEW_STATUSES = ['finalised', 'pending', 'overdue'] as const;
export type TOverviewStatus = (typeof OVERVIEW_STATUSES)[number];

/** The deadline: this day of the next month (1–28; default 5). */
export const DEFAULT_DEADLINE_DAY = 5;
export const ZDeadlineDay = z.number().int().min(1).max(28);

export const ZOverviewQuery = z.strictObject({
  /** Default: last month. */
  month: ZMonth.optional(),
  /** Only the overdue office-months in `offices` (the counts are always of every status). */
  overdueOnly: z.enum(['true', 'false']).optional(),
  /** Finance (or a state-wide reader): one department's offices. */
  departmentId: ZId.optional(),
});
export type TOverviewQuery = z.infer<typeof ZOverviewQuery>;

export const ZOverviewCounts = z.object({
  offices: z.number().int(),
  finalised: z.number().int(),
  pending: z.number().int(),
  overdue: z.number().int(),
});
export type TOverviewCounts = z.infer<typeof ZOverviewCounts>;

export const ZOverviewOffice = z.object({
  officeId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  departmentId: z.number().int(),
  /** Resources on the rolls on some day of the month. */
  resources: z.number().int(),
  /** Rows saved in the sheet. */
  saved: z.number().int(),
  /** The sheet: not begun, open, finalised. */
  sheet: z.enum(['none', 'open', 'finalised']),
  status: z.enum(OVERVIEW_STATUSES),
});
export type TOverviewOffice = z.infer<typeof ZOverviewOffice>;

export const ZOverviewDepartment = ZOverviewCounts.extend({ departmentId: z.number().int(), nameEn: z.string(), nameHi: z.string() });
export type TOverviewDepartment = z.infer<typeof ZOverviewDepartment>;

export const ZOverview = z.object({
  month: z.string(),
  /** The date after which the month is overdue (`YYYY-MM-DD`), and the setting it comes from. */
  deadline: z.string(),
  deadlineDay: z.number().int(),
  totals: ZOverviewCounts,
  departments: z.array(ZOverviewDepartment),
  /** The office-months (overdue ones first), at most `OVERVIEW_LIMIT`; `more`: some were left out. */
  offices: z.array(ZOverviewOffice),
  more: z.boolean(),
});
export type TOverview = z.infer<typeof ZOverview>;
export const OVERVIEW_LIMIT = 1000;

export const ZDeadlineSetting = z.object({ deadlineDay: z.number().int(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() });
export type TDeadlineSetting = z.infer<typeof ZDeadlineSetting>;
export const ZDeadlineUpdate = z.strictObject({ deadlineDay: ZDeadlineDay });
export type TDeadlineUpdate = z.infer<typeof ZDeadlineUpdate>;

// ── Monthly totals of finalised attendance: the state dashboard (bar S4) ──────────────────────

/** At most 36 months in one request; default 24 (the bar's dashboard). */
export const TOTALS_MAX_MONTHS = 36;
export const ZTotalsQuery = z.strictObject({
  /** The last month shown (default: last month). */
  to: ZMonth.optional(),
  /** How many months back from `to`, `to` included. */
  months: z.coerce.number().int().min(1).max(TOTALS_MAX_MONTHS).optional(),
  /** Finance (or a state-wide reader): one department's offices. */
  departmentId: ZId.optional(),
});
export type TTotalsQuery = z.infer<typeof ZTotalsQuery>;

/** One month's finalised attendance within the reader's offices: sheets, rows and days by kind. */
export const ZTotalsMonth = z.object({
  month: ZMonth,
  /** Office-months finalised. */
  sheets: z.number().int(),
  /** Resource rows in them. */
  rows: z.number().int(),
  daysOnRolls: z.number().int(),
  present: z.number().int(),
  paidLeave: z.number().int(),
  offs: z.number().int(),
  absence: z.number().int(),
  /** present + paid leave + offs: the days invoices pay (spec 06 step 1). */
  paidDays: z.number().int(),
});
export type TTotalsMonth = z.infer<typeof ZTotalsMonth>;
export const ZTotals = z.object({ from: ZMonth, to: ZMonth, months: z.array(ZTotalsMonth) });
export type TTotals = z.infer<typeof ZTotals>;
