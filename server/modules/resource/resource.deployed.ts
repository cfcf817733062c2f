import type { DbOrTx } from '../../db/client.ts';
import { deployedByKey } from './resource.repo.ts';

/** Approved, not relieved resources per (office, skill level, post name) key `office:skill:post` — the sanction's "deployed". */
export async function deployedCounts(db: DbOrTx, keys: { officeId: number; skillLevelId: number; postNameId: number }[]): Promise<Map<string, number>> {
  return deployedByKey(db, keys);
}
