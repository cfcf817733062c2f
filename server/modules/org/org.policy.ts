import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

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
