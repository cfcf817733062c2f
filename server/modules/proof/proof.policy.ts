import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';
import { contractFactsSql } from '../contract/index.ts';

/**
 * Statutory proofs for the access layer (`p` is the alias of `statutory_proofs`), under the
 * `statutory_proof` rule: Finance and the state all, the agency its own, and department roles
 * (department, HOD, office, DDO) the proofs of agencies their department holds a contract with.
 * Anything else is "not found".
 */
export const proofAccess: AccessSource = {
  kind: 'statutory_proof',
  from: sql`statutory_proofs p`,
  id: sql`p.id`,
  columns: {
    agencyId: sql`p.agency_id`,
    tiedTo: (d) => sql`exists (select 1 from ${contractFactsSql()} pc where pc.agency_id = p.agency_id and pc.department_id = ${d})`,
  },
  get ties() {
    return sql`array(select distinct pc.department_id from ${contractFactsSql()} pc where pc.agency_id = p.agency_id)`;
  },
};
