import type { DbOrTx } from '../../db/client.ts';
import { sentAlerts } from './outbox.table.ts';

/**
 * Records that an alert went out, once per (kind, entity, entity id, date it is about); false
 * when it already had (a concurrent or repeated daily run sends nothing twice). The ledger
 * `sent_alerts` serves every module's once-only alerts (contract endings, agency licence
 * expiry), so it lives in the platform beside the outbox.
 */
export async function claimAlert(db: DbOrTx, a: { kind: string; entity: string; entityId: number; aboutDate: string; at: Date }): Promise<boolean> {
  const rows = await db.insert(sentAlerts).values(a).onConflictDoNothing().returning({ id: sentAlerts.id });
  return rows.length > 0;
}
