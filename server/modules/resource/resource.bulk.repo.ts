import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { resourceBulkBatches, resources } from './resource.table.ts';

/** Bulk onboarding: the queries of resource.bulk.ts (batches, duplicate look-ups, many-row inserts). */

const ENDED: ('rejected' | 'relieved')[] = ['rejected', 'relieved'];

/** The batch that imported this file under this contract, if any. */
export async function findBatch(db: DbOrTx, contractId: number, fileSha256: string) {
  const [row] = await db
    .select()
    .from(resourceBulkBatches)
    .where(and(eq(resourceBulkBatches.contractId, contractId), eq(resourceBulkBatches.fileSha256, fileSha256)));
  return row ?? null;
}

/** A new batch, or null when the same file was imported under the contract already (also at the same moment). */
export async function insertBatch(db: DbOrTx, v: typeof resourceBulkBatches.$inferInsert) {
  const [row] = await db.insert(resourceBulkBatches).values(v).onConflictDoNothing().returning({ id: resourceBulkBatches.id });
  return row?.id ?? null;
}

export async function setBatchCreated(db: DbOrTx, id: number, created: number) {
  await db.update(resourceBulkBatches).set({ created }).where(eq(resourceBulkBatches.id, id));
}

/** Which of these Aadhaar hashes belong to a resource that has not ended (anywhere in the state). */
export async function activeAadhaarHashes(db: DbOrTx, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .select({ h: resources.aadhaarHash })
    .from(resources)
    .where(and(inArray(resources.aadhaarHash, hashes), notInArray(resources.status, ENDED)));
  return new Set(rows.map((r) => r.h!));
}

/** `mobile|bankAccount` of the agency's resources that have not ended (a row already added before). */
export async function agencyPeople(db: DbOrTx, agencyId: number): Promise<Set<string>> {
  const rows = await db
    .select({ k: sql<string>`${resources.mobile} || '|' || ${resources.bankAccount}` })
    .from(resources)
    .where(and(eq(resources.agencyId, agencyId), notInArray(resources.status, ENDED)));
  return new Set(rows.map((r) => r.k));
}

/** Inserts drafts in multi-row statements of 1,000; their ids in the order given. */
export async function insertResources(db: DbOrTx, rows: (typeof resources.$inferInsert)[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const out = await db
      .insert(resources)
      .values(rows.slice(i, i + 1000))
      .returning({ id: resources.id });
    ids.push(...out.map((r) => r.id));
  }
  return ids;
}
