import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

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

/**
 * The bank account in force of each resource (a profile change counts only once the department
 * approves it, so the row's own account is the one in force): the direct-payment bill's payees.
 */
export async function bankAccountsOf(db: DbOrTx, ids: number[]): Promise<Map<number, { bankAccount: string; ifsc: string }>> {
  if (ids.length === 0) return new Map();
  const r = await db.execute<{ id: number; bankAccount: string; ifsc: string }>(sql`
    select id, bank_account as "bankAccount", ifsc from resources where id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`);
  return new Map(r.rows.map((x) => [x.id, { bankAccount: x.bankAccount, ifsc: x.ifsc }]));
}
