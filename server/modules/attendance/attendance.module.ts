import type { ServerModule } from '../../platform/module.ts';
import { seedAttendanceDemo } from './attendance.demo.ts';
import { overdueRemindersJob } from './attendance.overview.ts';
import { holidayAccess } from './attendance.policy.ts';
import { attendanceRoutes } from './attendance.routes.ts';
import * as tables from './attendance.table.ts';

/** The attendance module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const attendanceModule: ServerModule = {
  name: 'attendance',
  routes: attendanceRoutes,
  tables,
  // Who keeps which holiday (the access layer's `holiday` rule).
  access: [holidayAccess],
  seedDemo: (tx, { now }) => seedAttendanceDemo(tx, now),
  // Reminders of office-months overdue past the deadline (attendance.overview.ts).
  jobs: [overdueRemindersJob],
};
