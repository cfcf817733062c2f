// Monthly attendance (spec 05): what other modules may use.
export { attendanceRoutes } from './attendance.routes.ts';
// The published relation for invoices: effective finalised figures per resource and office-month
// (latest approved revision, else as finalised), and the revisions approved after a time (arrears /
// recoveries). SQL subqueries; columns in attendance.effective.ts and docs/ATTENDANCE.md.
export { approvedRevisionsSinceSql, effectiveAttendanceSql } from './attendance.effective.ts';
