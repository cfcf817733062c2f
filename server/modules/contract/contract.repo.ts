import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { TContractListQuery } from '../../../shared/contracts/contract.ts';
import type { DbOrTx } from '../../db/client.ts';
import { likeOf } from '../../db/query.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { budgetLineMap, budgetLines, ddoCodes, ddoOfficeMap, officeAccess, offices, postNames, skillLevels } from '../org/index.ts';
import { agencyIdsNamed, agencyParties } from '../agency/index.ts';
import { minimumAboveSql } from '../rates/index.ts';
import { contractAccess } from './contract.policy.ts';
import { LATE_RULE } from './contract.rules.ts';
import { contractPosts, contracts, contractVersionBudgetLines, contractVersions } from './contract.table.ts';

/** The contracts an actor may see, as a condition on `contracts c` (the access layer's rule). */
function visible(reach: Reach): SQL {
  return sourceCondition(reach, contractAccess);
}

/**
 * A post of the in-force version (`cur`) paid below a minimum wage that applies on some day of
 * the version's period (the rates module's rule). Used as the list flag and filter; the detail
 * lists them (contract.mappers belowMinimumFlags, from the same rule).
 */
const belowMinimum = sql`exists (
  select 1 from contract_posts bp
   where bp.version_id = cur.id
     and ${minimumAboveSql({ skillLevelId: sql`bp.skill_level_id`, wagePaise: sql`bp.basic_paise + bp.vda_paise`, from: sql`cur.start_date`, to: sql`cur.end_date` })})`;

/** A contract's summary as the list shows it: the derived row and the agency's name and status. */
export type SummaryRow = SummaryBase & { agency_name: string; agency_status: string; agency_status_reason: string };

/** The summary the contract tables give (`summarySql`); the agency module names the agency. */
type SummaryBase = {
  id: number;
  contract_no: string;
  contract_date: string;
  department_id: number;
  department_name_en: string;
  department_name_hi: string;
  office_id: number;
  office_name_en: string;
  office_name_hi: string;
  agency_id: number;
  procurement_mode: 'gem' | 'open_tender' | 'other';
  gem_contract_no: string;
  gem_bid_no: string;
  is_legacy: boolean;
  status: 'draft' | 'active' | 'expired' | 'terminated';
  start_date: string | null;
  end_date: string | null;
  current_version_no: number | null;
  draft_version_no: number | null;
  total_positions: number;
  registered_on: string | null;
  registered_late: boolean;
  below_minimum: boolean;
  terminated_on: string | null;
  termination_reason: string;
  created_at: string | Date;
};

/** The IST date version 1 was activated (`v1`): the contract's registration on the portal. */
const registeredOn = sql`(v1.activated_at at time zone 'Asia/Kolkata')::date`;

/** contract.rules.isRegisteredLate in SQL, from the same numbers (LATE_RULE); a test holds them together. */
function registeredLate(today: string) {
  return sql`(c.contract_date >= ${LATE_RULE.from}::date and coalesce(${registeredOn}, ${today}::date) - c.contract_date > ${LATE_RULE.afterDays}::int)`;
}

/** The summary of contracts (derived status, period, registration, flags) as a subquery `s`. */
function summarySql(today: string) {
  return sql`(
    select c.id, c.contract_no, to_char(c.contract_date, 'YYYY-MM-DD') as contract_date,
           c.department_id, d.name_en as department_name_en, d.name_hi as department_name_hi,
           c.office_id, o.name_en as office_name_en, o.name_hi as office_name_hi,
           c.agency_id,
           c.procurement_mode, c.gem_contract_no, c.gem_bid_no, c.is_legacy,
           case when c.status = 'active' and cur.end_date < ${today}::date then 'expired' else c.status end as status,
           to_char(coalesce(cur.start_date, dr.start_date), 'YYYY-MM-DD') as start_date,
           to_char(coalesce(cur.end_date, dr.end_date), 'YYYY-MM-DD') as end_date,
           cur.version_no as current_version_no, dr.version_no as draft_version_no,
           coalesce((select sum(p.positions)::int from contract_posts p where p.version_id = coalesce(cur.id, dr.id)), 0) as total_positions,
           to_char(${registeredOn}, 'YYYY-MM-DD') as registered_on,
           ${registeredLate(today)} as registered_late,
           (cur.id is not null and ${belowMinimum}) as below_minimum,
           to_char(c.terminated_on, 'YYYY-MM-DD') as terminated_on, c.termination_reason, c.created_at,
           lower(c.contract_no) as contract_no_lower, coalesce(cur.end_date, dr.end_date) as sort_end
      from contracts c
      join departments d on d.id = c.department_id
      join offices o on o.id = c.office_id
      left join contract_versions cur on cur.contract_id = c.id and cur.state = 'in_force'
      left join lateral (select x.* from contract_versions x where x.contract_id = c.id and x.state = 'draft' order by x.version_no desc limit 1) dr on true
      left join contract_versions v1 on v1.contract_id = c.id and v1.version_no = 1 and v1.state <> 'draft'
  )`;
}

type ListFilters = Omit<TContractListQuery, 'page' | 'pageSize'>;

/** The ids as one int[] parameter (`= any(...)`): a search may name many agencies. */
function idArray(ids: number[]): SQL {
  return sql`${`{${ids.map((i) => Math.trunc(i)).join(',')}}`}::int[]`;
}

/** The agencies a search names (by legal name; the agency module answers), for the list's search. */
async function namedAgencies(db: DbOrTx, q: string | undefined): Promise<SQL> {
  return idArray(q ? await agencyIdsNamed(db, q) : []);
}

/** The agency's name and status beside each summary row (the agency module owns them). */
async function withAgencies(db: DbOrTx, rows: SummaryBase[]): Promise<SummaryRow[]> {
  const byId = new Map(
    (
      await agencyParties(
        db,
        rows.map((r) => Number(r.agency_id)),
      )
    ).map((a) => [a.id, a]),
  );
  return rows.map((r) => {
    const a = byId.get(Number(r.agency_id));
    return { ...r, agency_name: a?.legalName ?? '', agency_status: a?.status ?? '', agency_status_reason: a?.statusReason ?? '' };
  });
}

/**
 * The contracts a search names: number, GeM contract number or GeM bid number containing the
 * text, or an agency whose name does. One leg per column, so each uses its trigram index
 * (migration 0012): written as one `or`, the planner costs `ilike` as cheap and scans every
 * contract (≈ 20 ms at state scale against ≈ 0.5 ms; bench/RESULTS.md).
 */
function searchIds(like: string, agencyIds: SQL): SQL {
  return sql`select id from contracts where contract_no ilike ${like}
             union all select id from contracts where gem_contract_no ilike ${like}
             union all select id from contracts where gem_bid_no ilike ${like}
             union all select id from contracts where agency_id = any(${agencyIds})`;
}

function listWhere(reach: Reach, q: ListFilters, today: string, agencyIds: SQL): SQL {
  // The scope condition is written on `c`; inside the summary we expose the same columns as `s`.
  const conds: SQL[] = [sql`s.id in (select c.id from contracts c where ${visible(reach)})`];
  if (q.q) {
    const like = likeOf(q.q);
    conds.push(sql`s.id in (${searchIds(like, agencyIds)})`);
  }
  if (q.status) conds.push(sql`s.status = ${q.status}`);
  if (q.agencyId !== undefined) conds.push(sql`s.agency_id = ${q.agencyId}`);
  if (q.officeId !== undefined) conds.push(sql`s.office_id = ${q.officeId}`);
  if (q.departmentId !== undefined) conds.push(sql`s.department_id = ${q.departmentId}`);
  if (q.legacy === 'true') conds.push(sql`s.is_legacy`);
  if (q.legacy === 'false') conds.push(sql`not s.is_legacy`);
  if (q.late === 'true') conds.push(sql`s.registered_late`);
  if (q.belowMinimumWage === 'true') conds.push(sql`s.below_minimum`);
  if (q.endingWithinDays !== undefined)
    conds.push(
      sql`s.status = 'active' and s.current_version_no is not null and s.sort_end between ${today}::date and ${today}::date + ${q.endingWithinDays}::int`,
    );
  return sql.join(conds, sql` and `);
}

function listOrder(q: Pick<ListFilters, 'sort' | 'dir'>): SQL {
  const dir = q.dir === 'asc' ? sql`asc` : sql`desc`;
  const col =
    q.sort === 'contractDate'
      ? sql`s.contract_date`
      : q.sort === 'contractNo'
        ? sql`s.contract_no_lower`
        : q.sort === 'endDate'
          ? sql`s.sort_end`
          : sql`s.created_at`;
  return sql`${col} ${dir} nulls last, s.id ${dir}`;
}

/**
 * The list's usual shape — filters and sort on the contract's own columns (scope, number /
 * agency search, agency, office, department, legacy; sort by date, number, creation or end
 * date) — pages on `contracts` first and derives the summary (status, flags, positions) for
 * the page's rows only: at state scale (5,000 contracts) deriving it for every row to sort and
 * count cost ~90 ms a request (bench/RESULTS.md). Filters on derived values (status, late,
 * below minimum wage, ending within N days) take the general path below.
 */
function needsDerived(q: ListFilters): boolean {
  return q.status !== undefined || q.late !== undefined || q.belowMinimumWage !== undefined || q.endingWithinDays !== undefined;
}

async function listContractsFast(db: DbOrTx, reach: Reach, q: TContractListQuery, today: string) {
  const conds: SQL[] = [visible(reach)];
  if (q.q) {
    const like = likeOf(q.q);
    conds.push(sql`c.id in (${searchIds(like, await namedAgencies(db, q.q))})`);
  }
  if (q.agencyId !== undefined) conds.push(sql`c.agency_id = ${q.agencyId}`);
  if (q.officeId !== undefined) conds.push(sql`c.office_id = ${q.officeId}`);
  if (q.departmentId !== undefined) conds.push(sql`c.department_id = ${q.departmentId}`);
  if (q.legacy === 'true') conds.push(sql`c.is_legacy`);
  if (q.legacy === 'false') conds.push(sql`not c.is_legacy`);
  const where = sql.join(conds, sql` and `);
  const from = sql`contracts c`;
  const dir = q.dir === 'asc' ? sql`asc` : sql`desc`;
  // Same order as listOrder: the end date of the in-force version, else of the latest draft.
  const endOf = sql`coalesce((select v.end_date from contract_versions v where v.contract_id = c.id and v.state = 'in_force'),
                             (select v.end_date from contract_versions v where v.contract_id = c.id and v.state = 'draft' order by v.version_no desc limit 1))`;
  const col =
    q.sort === 'contractDate' ? sql`c.contract_date` : q.sort === 'contractNo' ? sql`lower(c.contract_no)` : q.sort === 'endDate' ? endOf : sql`c.created_at`;
  // Page and total as two queries in parallel, not one with count(*) over(): the window walks
  // every matching row before the limit (1.8 ms for all 5,000 contracts against 0.07 + 0.7 ms
  // for an index-only top 25 and an index-only count; EXPLAIN ANALYZE in bench/RESULTS.md), and
  // on a CPU-bound server that costs more than the round trip it saves.
  const [page, count] = await Promise.all([
    db.execute<{ id: number }>(
      sql`select c.id from ${from} where ${where} order by ${col} ${dir} nulls last, c.id ${dir} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from ${from} where ${where}`),
  ]);
  const ids = page.rows.map((r) => Number(r.id));
  const total = Number(count.rows[0]?.n ?? 0);
  if (!ids.length) return { items: [] as SummaryRow[], total };
  const rows = await db.execute<SummaryBase>(
    sql`select s.* from ${summarySql(today)} s where s.id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  const byId = new Map((await withAgencies(db, rows.rows)).map((r) => [Number(r.id), r]));
  return { items: ids.map((i) => byId.get(i)).filter((r): r is SummaryRow => r !== undefined), total };
}

export async function listContracts(db: DbOrTx, reach: Reach, q: TContractListQuery, today: string) {
  if (!needsDerived(q)) return listContractsFast(db, reach, q, today);
  const where = listWhere(reach, q, today, await namedAgencies(db, q.q));
  const [items, count] = await Promise.all([
    db.execute<SummaryBase>(
      sql`select s.* from ${summarySql(today)} s where ${where} order by ${listOrder(q)} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from ${summarySql(today)} s where ${where}`),
  ]);
  return { items: await withAgencies(db, items.rows), total: Number(count.rows[0]?.n ?? 0) };
}

export async function listContractsAll(db: DbOrTx, reach: Reach, q: ListFilters, today: string, limit = 100_000) {
  const r = await db.execute<SummaryBase>(
    sql`select s.* from ${summarySql(today)} s where ${listWhere(reach, q, today, await namedAgencies(db, q.q))} order by ${listOrder(q)} limit ${limit}`,
  );
  return withAgencies(db, r.rows);
}

export async function getSummary(db: DbOrTx, id: number, today: string) {
  const r = await db.execute<SummaryBase>(sql`select s.* from ${summarySql(today)} s where s.id = ${id}`);
  return (await withAgencies(db, r.rows))[0] ?? null;
}

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

export async function versionPosts(db: DbOrTx, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  return db
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
    .orderBy(asc(contractPosts.id));
}

function headOf() {
  return sql<string>`${budgetLines.demandNo} || '-' || ${budgetLines.majorHead} || '-' || ${budgetLines.subMajorHead} || '-' || ${budgetLines.minorHead} || '-' || ${budgetLines.subHead} || '-' || ${budgetLines.detailedHead} || '-' || ${budgetLines.objectHead}`;
}

export async function versionBudgetLines(db: DbOrTx, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  return db
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
    .orderBy(asc(budgetLines.id));
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

// --- Masters for the checks ---------------------------------------------------------------------

/** DDO codes that pay for an office: the DDO sits there, or the DDO-office map says so. Active only. */
export async function ddoCodesForOffice(db: DbOrTx, officeId: number) {
  return db
    .select({ id: ddoCodes.id, code: ddoCodes.code, designationEn: ddoCodes.designationEn, designationHi: ddoCodes.designationHi })
    .from(ddoCodes)
    .where(
      and(
        eq(ddoCodes.active, true),
        sql`(${ddoCodes.officeId} = ${officeId} or exists (select 1 from ${ddoOfficeMap} m where m.ddo_code_id = ${ddoCodes.id} and m.office_id = ${officeId}))`,
      ),
    )
    .orderBy(asc(ddoCodes.code));
}

/** Budget lines mapped to an office (active only). */
export async function budgetLinesForOffice(db: DbOrTx, officeId: number) {
  return db
    .select({ id: budgetLines.id, head: headOf(), schemeNameEn: budgetLines.schemeNameEn, schemeNameHi: budgetLines.schemeNameHi })
    .from(budgetLines)
    .innerJoin(budgetLineMap, and(eq(budgetLineMap.budgetLineId, budgetLines.id), eq(budgetLineMap.officeId, officeId)))
    .where(eq(budgetLines.active, true))
    .orderBy(asc(budgetLines.id));
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

// --- Capacity -----------------------------------------------------------------------------------

/** Serialises activations touching one (office, skill level, post name): call in key order. */
export async function lockCapacityKey(db: DbOrTx, key: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`roams-contract-capacity:${key}`}, 0))`);
}

/**
 * Coverage rows: one per (in-force version of an active contract, post) for the given
 * (office, skill level, post name) keys, with the version's period and positions, whose period
 * meets [from, to] (`to` null: no end). `exceptContractId` leaves one contract out (the one being
 * checked). contract.coverage.ts turns them into the peak per key.
 */
export async function coverageRows(
  db: DbOrTx,
  keys: { officeId: number; skillLevelId: number; postNameId: number }[],
  from: string,
  to: string | null,
  exceptContractId: number | null,
) {
  if (keys.length === 0) return [];
  const tuples = sql.join(
    keys.map((k) => sql`(${k.officeId}::int, ${k.skillLevelId}::int, ${k.postNameId}::int)`),
    sql`, `,
  );
  const r = await db.execute<{ office_id: number; skill_level_id: number; post_name_id: number; start_date: string; end_date: string; positions: number }>(sql`
    select cp.office_id, cp.skill_level_id, cp.post_name_id, to_char(cv.start_date, 'YYYY-MM-DD') as start_date, to_char(cv.end_date, 'YYYY-MM-DD') as end_date, cp.positions
      from contract_posts cp
      join contract_versions cv on cv.id = cp.version_id and cv.state = 'in_force'
      join contracts c on c.id = cv.contract_id and c.status = 'active'
     where (cp.office_id, cp.skill_level_id, cp.post_name_id) in (${tuples})
       ${exceptContractId === null ? sql`` : sql`and c.id <> ${exceptContractId}`}
       ${to === null ? sql`` : sql`and cv.start_date <= ${to}::date`} and cv.end_date >= ${from}::date`);
  return r.rows.map((x) => ({
    officeId: Number(x.office_id),
    skillLevelId: Number(x.skill_level_id),
    postNameId: Number(x.post_name_id),
    startDate: x.start_date,
    endDate: x.end_date,
    positions: Number(x.positions),
  }));
}

// --- Dashboard ----------------------------------------------------------------------------------

export async function dashboardRows(db: DbOrTx, reach: Reach, today: string, deadline: string) {
  const r = await db.execute<{
    department_id: number;
    name_en: string;
    name_hi: string;
    legacy_registered: number;
    legacy_by_deadline: number;
    legacy_after_deadline: number;
    legacy_drafts: number;
    new_registered: number;
    new_registered_late: number;
    new_drafts_overdue: number;
  }>(sql`
    select s.department_id, s.department_name_en as name_en, s.department_name_hi as name_hi,
           count(*) filter (where s.is_legacy and s.registered_on is not null)::int as legacy_registered,
           count(*) filter (where s.is_legacy and s.registered_on <= ${deadline})::int as legacy_by_deadline,
           count(*) filter (where s.is_legacy and s.registered_on > ${deadline})::int as legacy_after_deadline,
           count(*) filter (where s.is_legacy and s.registered_on is null)::int as legacy_drafts,
           count(*) filter (where not s.is_legacy and s.registered_on is not null)::int as new_registered,
           count(*) filter (where not s.is_legacy and s.registered_on is not null and s.registered_late)::int as new_registered_late,
           count(*) filter (where not s.is_legacy and s.registered_on is null and s.registered_late)::int as new_drafts_overdue
      from ${summarySql(today)} s
     where s.id in (select c.id from contracts c where ${visible(reach)})
     group by s.department_id, s.department_name_en, s.department_name_hi
     order by s.department_name_en`);
  return r.rows;
}

// --- Alerts -------------------------------------------------------------------------------------

/** Active contracts whose in-force version ends within [today, today + days]. */
export async function endingContracts(db: DbOrTx, today: string, days: number) {
  const r = await db.execute<{
    id: number;
    contract_no: string;
    end_date: string;
    office_id: number;
    office_name_en: string;
    office_name_hi: string;
    department_id: number;
    agency_id: number;
  }>(sql`
    select c.id, c.contract_no, to_char(cv.end_date, 'YYYY-MM-DD') as end_date, c.office_id, o.name_en as office_name_en, o.name_hi as office_name_hi,
           c.department_id, c.agency_id
      from contracts c
      join contract_versions cv on cv.contract_id = c.id and cv.state = 'in_force'
      join offices o on o.id = c.office_id
     where c.status = 'active' and cv.end_date between ${today}::date and ${today}::date + ${days}::int
     order by c.id`);
  return r.rows;
}

/** Active contracts whose in-force version ended before today. */
export async function contractsPastEnd(db: DbOrTx, today: string) {
  const r = await db.execute<{ id: number; department_id: number; end_date: string }>(sql`
    select c.id, c.department_id, to_char(cv.end_date, 'YYYY-MM-DD') as end_date from contracts c
      join contract_versions cv on cv.contract_id = c.id and cv.state = 'in_force'
     where c.status = 'active' and cv.end_date < ${today}::date
     order by c.id`);
  return r.rows;
}

export async function markExpired(db: DbOrTx, id: number, now: Date) {
  const rows = await db
    .update(contracts)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(contracts.id, id), eq(contracts.status, 'active')))
    .returning({ id: contracts.id });
  return rows.length > 0;
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
