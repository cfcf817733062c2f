// Monthly attendance (spec 05): what other modules may use.
export { attendanceRoutes } from './attendance.routes.ts';
// Read by invoices: sheetStates(db, officeIds, first) — each office's sheet state for a month;
// finalisedDays(db, resourceIds, first) — the resources' finalised rows with their paid days.
export { type FinalisedDays, finalisedDays, type MonthSheetState, sheetStates } from './attendance.published.ts';
