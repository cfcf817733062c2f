import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { executeNamed, selectNamed } from '../../db/named.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { budgetLineMap, budgetLines, ddoCodes, ddoOfficeMap, officeAccess, offices, postNames, skillLevels } from '../org/index.ts';

/** Contracts: the organisation masters the checks and the form read (reference data). */

// --- Masters for the checks ---------------------------------------------------------------------

/**
 * DDO codes that pay for an office: the DDO sits there, or the DDO-office map says so. Active only.
 * Two index look-ups joined by `union` (each by `office_id`), not one `office_id = … or exists (…)`
 * filter: PostgreSQL cannot use an index for that `or`, and read every DDO code of the state
 * (11,000 in the bench: 1.5 ms a contract registration; bench/RESULTS.md). Named: planned once per
 * connection.
 */
export async function ddoCodesForOffice(db: DbOrTx, officeId: number) {
  const r = await executeNamed<{ id: number; code: string; designationEn: string; designationHi: string }>(
    db,
    sql`
    select id, code, designation_en as "designationEn", designation_hi as "designationHi" from (
      select d.id, d.code, d.designation_en, d.designation_hi from ${ddoCodes} d where d.office_id = ${officeId} and d.active
      union
      select d.id, d.code, d.designation_en, d.designation_hi
        from ${ddoOfficeMap} m join ${ddoCodes} d on d.id = m.ddo_code_id and d.active
       where m.office_id = ${officeId}
    ) x order by code`,
  );
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
}

/** A budget line's head of account as one text (demand-major-sub-major-minor-sub-detailed-object). */
export function headOf() {
  return sql<string>`${budgetLines.demandNo} || '-' || ${budgetLines.majorHead} || '-' || ${budgetLines.subMajorHead} || '-' || ${budgetLines.minorHead} || '-' || ${budgetLines.subHead} || '-' || ${budgetLines.detailedHead} || '-' || ${budgetLines.objectHead}`;
}

/** Budget lines mapped to an office (active only). Named: planned once per connection. */
export async function budgetLinesForOffice(db: DbOrTx, officeId: number) {
  return selectNamed(
    db,
    db
      .select({ id: budgetLines.id, head: headOf(), schemeNameEn: budgetLines.schemeNameEn, schemeNameHi: budgetLines.schemeNameHi })
      .from(budgetLines)
      .innerJoin(budgetLineMap, and(eq(budgetLineMap.budgetLineId, budgetLines.id), eq(budgetLineMap.officeId, officeId)))
      .where(eq(budgetLines.active, true))
      .orderBy(asc(budgetLines.id)),
  );
}

export async function activeSkillLevelIds(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .select({ id: skillLevels.id })
    .from(skillLevels)
    .where(and(inArray(skillLevels.id, ids), eq(skillLevels.active, true)));
  return new Set(rows.map((r) => r.id));
}

export async function activePostNameIds(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .select({ id: postNames.id })
    .from(postNames)
    .where(and(inArray(postNames.id, ids), eq(postNames.active, true)));
  return new Set(rows.map((r) => r.id));
}

export async function officesByIds(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: offices.id, departmentId: offices.departmentId, hodId: offices.hodId, active: offices.active })
    .from(offices)
    .where(inArray(offices.id, ids));
}

/** Active offices the actor's scope reaches (the access layer's rule for offices), for selectors. */
export async function officesInScope(db: DbOrTx, reach: Reach, limit = 50) {
  const r = await db.execute<{ id: number; nameEn: string; nameHi: string; departmentId: number }>(sql`
    select o.id, o.name_en as "nameEn", o.name_hi as "nameHi", o.department_id as "departmentId"
      from ${officeAccess.from} where o.active and ${sourceCondition(reach, officeAccess)} order by o.id limit ${limit}`);
  return r.rows;
}

export async function skillLevelOptions(db: DbOrTx) {
  return db
    .select({ id: skillLevels.id, nameEn: skillLevels.nameEn, nameHi: skillLevels.nameHi })
    .from(skillLevels)
    .where(eq(skillLevels.active, true))
    .orderBy(asc(skillLevels.sortOrder), asc(skillLevels.id));
}

export async function postNameOptions(db: DbOrTx) {
  return db
    .select({ id: postNames.id, nameEn: postNames.nameEn, nameHi: postNames.nameHi })
    .from(postNames)
    .where(eq(postNames.active, true))
    .orderBy(asc(postNames.nameEn));
}
