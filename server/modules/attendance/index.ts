// Monthly attendance (spec 05): what other modules may use.
export { attendanceRoutes } from './attendance.routes.ts';
