import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/**
 * Resources for the access layer (`r` is the alias of `resources`): the contracting office's
 * place in the tree (department, HOD, office) and the agency. An agency reads only its own
 * resources; a department manager those of its office's contracts; Finance (state) all.
 */
export const resourceAccess: AccessSource = {
  kind: 'resource',
  from: sql`resources r`,
  id: sql`r.id`,
  columns: {
    departmentId: sql`r.department_id`,
    hodId: sql`(select o.hod_id from offices o where o.id = r.contract_office_id)`,
    officeId: sql`r.contract_office_id`,
    agencyId: sql`r.agency_id`,
  },
};
