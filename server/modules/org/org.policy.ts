import { sql } from 'drizzle-orm';
import type { AccessColumns, AccessSource } from '../../platform/access/access.ts';
import { offices } from './org.table.ts';

/**
 * Offices, for the access layer: an office sits in the tree at itself. Lists of offices (and of
 * what is shown under an office: users, posts) filter through it; `o` is the alias of `offices`.
 */
export const officeAccess: AccessSource = {
  kind: 'office',
  from: sql`offices o`,
  id: sql`o.id`,
  columns: { departmentId: sql`o.department_id`, hodId: sql`o.hod_id`, officeId: sql`o.id` },
};

/**
 * The same coordinates over the un-aliased `offices` table, only for the deprecated
 * `officeScopeCondition` (queries not yet written over the alias `o`). Remove with it.
 */
export const officeColumnsUnaliased: AccessColumns = {
  departmentId: sql`${offices.departmentId}`,
  hodId: sql`${offices.hodId}`,
  officeId: sql`${offices.id}`,
};
