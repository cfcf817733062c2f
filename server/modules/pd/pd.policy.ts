import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/**
 * PD accounts for the access layer (`pa` is the alias of `pd_accounts`): the treasury that keeps
 * the account, its department, and the account itself (a PD administrator's scope). Lines,
 * e-cheques and the ledger are reached through their account.
 */
export const pdAccountAccess: AccessSource = {
  kind: 'pd_account',
  from: sql`pd_accounts pa`,
  id: sql`pa.id`,
  columns: {
    departmentId: sql`pa.department_id`,
    treasuryId: sql`pa.treasury_id`,
    pdAccountId: sql`pa.id`,
  },
};
