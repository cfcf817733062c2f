import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/** Sanction orders belong to a department (`so` is the alias of `sanction_orders`). */
export const sanctionOrderAccess: AccessSource = {
  kind: 'department_record',
  from: sql`sanction_orders so`,
  id: sql`so.id`,
  columns: { departmentId: sql`so.department_id` },
};
