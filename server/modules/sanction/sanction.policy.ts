import { type SQL, sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/** Sanction orders belong to a department (`so` is the alias of `sanction_orders`). */
export const sanctionOrderAccess: AccessSource = {
  kind: 'department_record',
  from: sql`sanction_orders so`,
  id: sql`so.id`,
  columns: { departmentId: sql`so.department_id` },
};

/** How an order holds its letter, for the duplicate-file notice (files.earlierUploadInReach). */
export const sanctionFileHolder = { source: sanctionOrderAccess, holds: (f: SQL) => sql`so.file_id = ${f}` };
