import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/**
 * Records that an alert went out, once per (kind, entity, entity id, date it is about); false
 * when it already had (a concurrent or repeated daily run sends nothing twice).
 *
 * The ledger `sent_alerts` serves every module's once-only alerts (contract endings, agency
 * licence expiry), so the claim lives in the platform beside the outbox, as one named query on
 * the table's unique index `sent_alerts_uq`. The Drizzle table object is still declared in
 * modules/contract/contract.table.ts (migrations are generated from it); the platform does not
 * import modules, hence raw SQL here. It should move to platform/outbox when contract's owner
 * next touches it.
 */
export async function claimAlert(db: DbOrTx, a: { kind: string; entity: string; entityId: number; aboutDate: string; at: Date }): Promise<boolean> {
  const r = await db.execute<{ id: number }>(sql`
    insert into sent_alerts (kind, entity, entity_id, about_date, at)
    values (${a.kind}, ${a.entity}, ${a.entityId}, ${a.aboutDate}, ${a.at})
    on conflict do nothing
    returning id`);
  return r.rows.length > 0;
}
