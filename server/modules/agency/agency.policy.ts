import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/** Agencies for the access layer (`a` is the alias of `agencies`): an agency is its own party. */
export const agencyAccess: AccessSource = {
  kind: 'agency',
  from: sql`agencies a`,
  id: sql`a.id`,
  columns: { agencyId: sql`a.id` },
};
