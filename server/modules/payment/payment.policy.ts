import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';
import { billsSql, invoiceFactsSql } from '../invoice/index.ts';

/**
 * A bill for the access layer (`b` is the alias of the invoice module's `billsSql()`), under the
 * contract rule as its invoice: the office tree of the contract's office, the DDO code that pays
 * it, the agency its own; anything else is "not found".
 */
export const billAccess: AccessSource = {
  kind: 'contract',
  from: sql`${billsSql()} b`,
  id: sql`b.id`,
  columns: {
    departmentId: sql`b.department_id`,
    hodId: sql`(select o.hod_id from offices o where o.id = b.office_id)`,
    officeId: sql`b.office_id`,
    agencyId: sql`b.agency_id`,
    paidBy: (ddoId) => sql`b.ddo_code_id = ${ddoId}`,
  },
  payers: sql`array[b.ddo_code_id]`,
};

/** An invoice's workers' credits: the invoice's own reach (alias `i` of the invoice module's relation). */
export const creditInvoiceAccess: AccessSource = {
  kind: 'contract',
  from: sql`${invoiceFactsSql()} i`,
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
