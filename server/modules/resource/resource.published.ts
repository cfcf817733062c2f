import { type SQL, sql } from 'drizzle-orm';

/**
 * Resources as a relation other modules may join in their own queries (attendance's roster):
 * `id, name_en, name_hi, agency_id, office_id, post_name_id, joining_date, relieved_on, status`, and for
 * invoices `contract_id, skill_level_id, aadhaar_last4` (the last four digits only, for the masked number),
 * and for the statutory proof `uan` ('' when not known).
 * A plain sub-select, so PostgreSQL pulls it up into the caller's plan (same indexes, same plan
 * as naming the table). The table itself stays this module's (server/test/boundaries.test.ts).
 */
export function deploymentsSql(): SQL {
  return sql`(select id, name_en, name_hi, agency_id, office_id, post_name_id, joining_date, relieved_on, status,
    contract_id, skill_level_id, aadhaar_last4, uan from resources)`;
}
