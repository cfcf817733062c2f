/**
 * Attendance for the access layer. An office-month sheet sits in the office tree at its office,
 * so government users reach it through the organisation's office source (`officeAccess`, kind
 * `office`): the department manager of the office, the office's office admins and DDO, its HOD,
 * its department, the state. Another department's office is "not found".
 *
 * An agency is not in the office tree: it reads a sheet only once finalised, and then only its
 * own resources' rows (attendance.service `getSheet`) — the record rule is the agency column of
 * the rows, applied in the roster query.
 */
export { officeAccess as attendanceSheetAccess } from '../org/index.ts';
