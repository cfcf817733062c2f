// Monthly attendance (spec 05): what other modules may use.
export { attendanceRoutes } from './attendance.routes.ts';
// The published relation for invoices: effective finalised figures per resource and office-month
// (latest approved revision, else as finalised), and the revisions approved after a time (arrears /
// recoveries). SQL subqueries; columns in attendance.effective.ts and docs/ATTENDANCE.md.
export { approvedRevisionsSinceSql, effectiveAttendanceSql } from './attendance.effective.ts';
// Read by invoices: sheetStates(db, officeIds, first) — each office's sheet state for a month;
// finalisedDays(db, resourceIds, first) — the resources' finalised rows with their paid days.
export { type FinalisedDays, finalisedDays, type MonthSheetState, sheetStates } from './attendance.published.ts';
