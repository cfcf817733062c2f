import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { selectNamed } from '../../db/named.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { budgetLines, ddoCodes, offices, postNames, skillLevels } from '../org/index.ts';
import { headOf } from './contract.masters.repo.ts';
import { contractPosts, contracts, contractVersionBudgetLines, contractVersions } from './contract.table.ts';

/** Contracts: the rows — contracts, their versions, a version's posts, budget lines and files. */

// --- Rows -----------------------------------------------------------------------------------------

export async function getContract(db: DbOrTx, id: number, forUpdate = false) {
  const q = db.select().from(contracts).where(eq(contracts.id, id)).limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function contractNoTaken(db: DbOrTx, departmentId: number, contractNo: string, exceptId?: number) {
  const conds = [eq(contracts.departmentId, departmentId), sql`lower(${contracts.contractNo}) = lower(${contractNo})`];
  if (exceptId !== undefined) conds.push(ne(contracts.id, exceptId));
  const [row] = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(...conds))
    .limit(1);
  return Boolean(row);
}

export async function insertContract(db: DbOrTx, v: typeof contracts.$inferInsert) {
  const [row] = await db.insert(contracts).values(v).returning();
  return row!;
}

export async function updateContract(db: DbOrTx, id: number, v: Partial<typeof contracts.$inferInsert>) {
  const [row] = await db.update(contracts).set(v).where(eq(contracts.id, id)).returning();
  return row!;
}

export async function deleteContract(db: DbOrTx, id: number) {
  await db.delete(contracts).where(eq(contracts.id, id));
}

export async function listVersions(db: DbOrTx, contractId: number) {
  return db.select().from(contractVersions).where(eq(contractVersions.contractId, contractId)).orderBy(asc(contractVersions.versionNo));
}

export async function getVersion(db: DbOrTx, contractId: number, versionNo: number) {
  const [row] = await db
    .select()
    .from(contractVersions)
    .where(and(eq(contractVersions.contractId, contractId), eq(contractVersions.versionNo, versionNo)))
    .limit(1);
  return row ?? null;
}

export async function insertVersion(
  db: DbOrTx,
  v: typeof contractVersions.$inferInsert,
  budgetLineIds: number[],
  posts: Omit<typeof contractPosts.$inferInsert, 'versionId'>[],
) {
  const [row] = await db.insert(contractVersions).values(v).returning();
  await replaceChildren(db, row!.id, budgetLineIds, posts);
  return row!;
}

/** Replaces a draft version's budget lines and posts (the database refuses this once it is in force). */
export async function replaceChildren(db: DbOrTx, versionId: number, budgetLineIds: number[], posts: Omit<typeof contractPosts.$inferInsert, 'versionId'>[]) {
  await db.delete(contractVersionBudgetLines).where(eq(contractVersionBudgetLines.versionId, versionId));
  await db.delete(contractPosts).where(eq(contractPosts.versionId, versionId));
  if (budgetLineIds.length) await db.insert(contractVersionBudgetLines).values(budgetLineIds.map((budgetLineId) => ({ versionId, budgetLineId })));
  if (posts.length) await db.insert(contractPosts).values(posts.map((p) => ({ ...p, versionId })));
}

export async function updateVersion(db: DbOrTx, id: number, v: Partial<typeof contractVersions.$inferInsert>) {
  const [row] = await db.update(contractVersions).set(v).where(eq(contractVersions.id, id)).returning();
  return row!;
}

export async function deleteVersion(db: DbOrTx, id: number) {
  await db.delete(contractVersionBudgetLines).where(eq(contractVersionBudgetLines.versionId, id));
  await db.delete(contractPosts).where(eq(contractPosts.versionId, id));
  await db.delete(contractVersions).where(eq(contractVersions.id, id));
}

/** Draft → in force only if still a draft: of two concurrent activations exactly one gets a row. */
export async function bringInForce(db: DbOrTx, id: number, userId: number, now: Date) {
  const [row] = await db
    .update(contractVersions)
    .set({ state: 'in_force', activatedBy: userId, activatedAt: now })
    .where(and(eq(contractVersions.id, id), eq(contractVersions.state, 'draft')))
    .returning();
  return row ?? null;
}

export async function supersede(db: DbOrTx, contractId: number) {
  const [row] = await db
    .update(contractVersions)
    .set({ state: 'superseded' })
    .where(and(eq(contractVersions.contractId, contractId), eq(contractVersions.state, 'in_force')))
    .returning({ id: contractVersions.id, versionNo: contractVersions.versionNo });
  return row ?? null;
}

/** Named (planned once per connection; one text per number of versions): it was planned on every
 * contract registration and detail read (0.3 ms, longer than it runs). */
export async function versionPosts(db: DbOrTx, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  return selectNamed(
    db,
    db
      .select({
        id: contractPosts.id,
        versionId: contractPosts.versionId,
        officeId: contractPosts.officeId,
        officeNameEn: offices.nameEn,
        officeNameHi: offices.nameHi,
        skillLevelId: contractPosts.skillLevelId,
        skillLevelNameEn: skillLevels.nameEn,
        skillLevelNameHi: skillLevels.nameHi,
        postNameId: contractPosts.postNameId,
        postNameEn: postNames.nameEn,
        postNameHi: postNames.nameHi,
        positions: contractPosts.positions,
        basicPaise: contractPosts.basicPaise,
        vdaPaise: contractPosts.vdaPaise,
      })
      .from(contractPosts)
      .innerJoin(offices, eq(offices.id, contractPosts.officeId))
      .innerJoin(skillLevels, eq(skillLevels.id, contractPosts.skillLevelId))
      .innerJoin(postNames, eq(postNames.id, contractPosts.postNameId))
      .where(inArray(contractPosts.versionId, versionIds))
      .orderBy(asc(contractPosts.id)),
  );
}

/** Named, as `versionPosts`. */
export async function versionBudgetLines(db: DbOrTx, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  return selectNamed(
    db,
    db
      .select({
        versionId: contractVersionBudgetLines.versionId,
        id: budgetLines.id,
        head: headOf(),
        schemeNameEn: budgetLines.schemeNameEn,
        schemeNameHi: budgetLines.schemeNameHi,
      })
      .from(contractVersionBudgetLines)
      .innerJoin(budgetLines, eq(budgetLines.id, contractVersionBudgetLines.budgetLineId))
      .where(inArray(contractVersionBudgetLines.versionId, versionIds))
      .orderBy(asc(budgetLines.id)),
  );
}

export async function ddoCodesById(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: ddoCodes.id, code: ddoCodes.code, designationEn: ddoCodes.designationEn, designationHi: ddoCodes.designationHi })
    .from(ddoCodes)
    .where(inArray(ddoCodes.id, ids));
}

export async function filesById(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: storedFiles.id, name: storedFiles.originalName, sizeBytes: storedFiles.sizeBytes, sha256: storedFiles.sha256 })
    .from(storedFiles)
    .where(inArray(storedFiles.id, ids));
}

/**
 * The money terms of the version a list row shows (in force, else the draft), for the export:
 * the monthly wage bill (positions × (basic + VDA), integer paise) and the service charge (basis points).
 */
export async function versionTerms(db: DbOrTx, keys: { id: number; versionNo: number }[]) {
  const out = new Map<number, { monthlyWagePaise: number; serviceChargeBp: number }>();
  for (let i = 0; i < keys.length; i += 5000) {
    const part = keys.slice(i, i + 5000);
    const ids = `{${part.map((k) => k.id).join(',')}}`;
    const nos = `{${part.map((k) => k.versionNo).join(',')}}`;
    const r = await db.execute<{ contract_id: number; monthly: string | number; service_charge_bp: number }>(sql`
      select v.contract_id, v.service_charge_bp,
             coalesce((select sum(p.positions::bigint * (p.basic_paise + p.vda_paise)) from contract_posts p where p.version_id = v.id), 0) as monthly
        from contract_versions v
        join unnest(${ids}::int[], ${nos}::int[]) as k(contract_id, version_no) on k.contract_id = v.contract_id and k.version_no = v.version_no`);
    for (const row of r.rows) out.set(Number(row.contract_id), { monthlyWagePaise: Number(row.monthly), serviceChargeBp: Number(row.service_charge_bp) });
  }
  return out;
}
