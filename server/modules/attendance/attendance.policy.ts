import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

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

/**
 * Who keeps a holiday (kind `holiday`, issue 15 item 4): its office (the department manager), and
 * — only for a local holiday of a district — its district (the district admin). Finance (state)
 * keeps every holiday of no office. Reading the calendar is not decided here: it is open.
 */
export const holidayAccess: AccessSource = {
  kind: 'holiday',
  from: sql`holidays h`,
  id: sql`h.id`,
  columns: { officeId: sql`h.office_id`, districtId: sql`(case when h.kind = 'local' and h.office_id is null then h.district_id end)` },
};

/** A holiday's coordinates for the `holiday` rule before it is written (a new one, or one about to change). */
export function holidayCoords(h: { officeId: number | null; districtId: number | null; kind: string }) {
  return { officeId: h.officeId, districtId: h.kind === 'local' && h.officeId === null ? h.districtId : null };
}
