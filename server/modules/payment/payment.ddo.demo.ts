import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/** The in-charge DDO's login (password DEMO_PASSWORD, as every demo login). */
const INCHARGE_DDO = { username: 'ddo_incharge_bhopal', name: 'Kavita Joshi', mobile: '9876500011' } as const;

/**
 * A second DDO of office 79's DDO code (the in-charge officer who signs while the DDO is away):
 * the money-chain journey (e2e/money-chain.spec.ts) takes its Hindi test's approval, IFMIS send
 * and payment file through this login, because one login may ask for at most five one-time codes
 * an hour (bar A5) and each language's chain needs three. Not in DEMO_USERS (the README's table,
 * the authorisation matrix): its password hash is ddo_bhopal's, copied.
 */
export async function seedInchargeDdoDemo(tx: DbOrTx): Promise<void> {
  const ddo = await tx.execute<{ scopeId: number; officeId: number | null; passwordHash: string }>(sql`
    select ra.scope_id as "scopeId", ra.office_id as "officeId", u.password_hash as "passwordHash"
      from users u join role_assignments ra on ra.user_id = u.id
     where u.username = 'ddo_bhopal' and ra.role = 'ddo' and ra.active order by ra.id limit 1`);
  const d = ddo.rows[0];
  if (!d) return;
  const made = await tx.execute<{ id: number }>(sql`
    insert into users (username, name, mobile, employee_id, password_hash, must_change_password, locale)
    values (${INCHARGE_DDO.username}, ${INCHARGE_DDO.name}, ${INCHARGE_DDO.mobile}, '2099', ${d.passwordHash}, false, 'hi')
    on conflict do nothing returning id`);
  const userId = made.rows[0]?.id;
  if (userId === undefined) return;
  await tx.execute(sql`
    insert into role_assignments (user_id, role, scope_kind, scope_id, office_id, designation)
    values (${userId}, 'ddo', 'ddo', ${d.scopeId}, ${d.officeId}, 'DDO (in charge)')`);
}
