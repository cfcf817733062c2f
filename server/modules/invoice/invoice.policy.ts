import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/**
 * Invoices for the access layer (`i` is the alias of `invoices`), under the contract rule: the
 * office tree at the contract's office (department roles within their tree, Finance statewide),
 * the DDO code that pays it, and the agency its own. Anything else is "not found".
 */
export const invoiceAccess: AccessSource = {
  kind: 'contract',
  from: sql`invoices i`,
  id: sql`i.id`,
  columns: {
    departmentId: sql`i.department_id`,
    hodId: sql`(select o.hod_id from offices o where o.id = i.office_id)`,
    officeId: sql`i.office_id`,
    agencyId: sql`i.agency_id`,
    paidBy: (ddoId) => sql`i.ddo_code_id = ${ddoId}`,
  },
  payers: sql`array[i.ddo_code_id]`,
};
