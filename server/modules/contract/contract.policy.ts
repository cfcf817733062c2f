import { type SQL, sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/**
 * Contracts for the access layer (`c` is the alias of `contracts`): the contracting office's
 * place in the tree, the DDO codes that pay any of its versions, and the agency.
 */
export const contractAccess: AccessSource = {
  kind: 'contract',
  from: sql`contracts c`,
  id: sql`c.id`,
  columns: {
    departmentId: sql`c.department_id`,
    hodId: sql`(select o.hod_id from offices o where o.id = c.office_id)`,
    officeId: sql`c.office_id`,
    agencyId: sql`c.agency_id`,
    paidBy: (ddoId) => sql`exists (select 1 from contract_versions sv where sv.contract_id = c.id and sv.ddo_code_id = ${ddoId})`,
  },
  payers: sql`array(select distinct sv.ddo_code_id from contract_versions sv where sv.contract_id = c.id and sv.ddo_code_id is not null)`,
};

/** How a contract holds its versions' documents, for the duplicate-file notice (files.earlierUploadInReach). */
export const contractFileHolder = {
  source: contractAccess,
  holds: (f: SQL) => sql`exists (select 1 from contract_versions fv where fv.contract_id = c.id and fv.file_id = ${f})`,
};
