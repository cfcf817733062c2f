import { sql } from 'drizzle-orm';
import type { AccessSource } from '../../platform/access/access.ts';

/**
 * E-files for the access layer (`pef` is the alias of `pd_efiles`), under the PD account rule.
 * An e-file is a treasury's document to its bank and holds e-cheques of many accounts and
 * departments, so it has only a treasury: the state and that treasury's officer reach it; a
 * department or a PD administrator does not (they follow their own e-cheques' states on their
 * account page). Its e-cheques and banker's cheques are reached through their accounts.
 */
export const pdEfileAccess: AccessSource = {
  kind: 'pd_account',
  from: sql`pd_efiles pef`,
  id: sql`pef.id`,
  columns: {
    treasuryId: sql`pef.treasury_id`,
    departmentId: sql`null::int`,
    pdAccountId: sql`null::int`,
  },
};
