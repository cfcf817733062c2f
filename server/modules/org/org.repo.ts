import { and, asc, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { likeOf } from '../../db/query.ts';
import { accessCondition, type Reach, sourceCondition } from '../../platform/access/access.ts';
import type { TMasterListQuery } from '../../../shared/contracts/org.ts';
import type { Actor } from '../../platform/context.ts';
import { officeAccess } from './org.policy.ts';
import { type ListFilter, type MasterDef, type RefDef, refSearch } from './org.masters.ts';
import { departments, districts, hods, offices, stateSettings } from './org.table.ts';
import { readAll } from '../../db/read-all.ts';

export async function listDistricts(db: DbOrTx, q: { q?: string | undefined; sort?: string | undefined; dir: 'asc' | 'desc'; page: number; pageSize: number }) {
  const conds: SQL[] = [];
  if (q.q) {
    const like = likeOf(q.q);
    const c = or(ilike(districts.nameEn, like), ilike(districts.nameHi, like), ilike(districts.code, like));
    if (c) conds.push(c);
  }
  const where = conds.length ? and(...conds) : undefined;
  const col = q.sort === 'nameHi' ? districts.nameHi : q.sort === 'code' ? districts.code : districts.nameEn;
  const [items, [c]] = await readAll(db, [
    () =>
      db
        .select()
        .from(districts)
        .where(where)
        .orderBy(q.dir === 'desc' ? desc(col) : asc(col))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
    () => db.select({ n: sql<number>`count(*)::int` }).from(districts).where(where),
  ]);
  return { items, total: c?.n ?? 0 };
}

/** Where an office sits in the tree (for scope checks), or null. */
export async function getOfficePlace(db: DbOrTx, officeId: number) {
  const [o] = await db
    .select({
      officeId: offices.id,
      hodId: offices.hodId,
      departmentId: offices.departmentId,
      districtId: offices.districtId,
      nameEn: offices.nameEn,
      nameHi: offices.nameHi,
      active: offices.active,
    })
    .from(offices)
    .where(eq(offices.id, officeId))
    .limit(1);
  return o ?? null;
}

/** `offices` under the alias its access policy names it by (org.policy.ts). */
const o = alias(offices, 'o');

/**
 * Offices in scope matching a search (id, Hindi or English name, department), for selectors.
 * `reach` is the actor's place in the office tree (`reachOf`); the scope condition is the access
 * layer's, over the alias `o`.
 *
 * Written so that every branch of the OR can use an index (a BitmapOr): the names through the
 * trigram indexes of the perf_indexes migration (`ilike '%q%'`), the department through
 * `offices_department_idx` (its ids found first among the 60 departments, instead of testing the
 * joined department's names on every office), the id only when `q` is a number. With the OR over
 * the joined department and `id::text`, every search scanned all 12,000 offices (≈ 50 ms at state
 * scale; ≈ 2 ms now — bench/RESULTS.md).
 */
export async function searchOfficesInScope(db: DbOrTx, reach: Reach, q: string, limit = 20) {
  const like = likeOf(q);
  const deptIds = sql`array(select ${departments.id} from ${departments} where ${departments.nameEn} ilike ${like} or ${departments.nameHi} ilike ${like})`;
  const text = q
    ? or(ilike(o.nameEn, like), ilike(o.nameHi, like), sql`${o.departmentId} = any(${deptIds})`, /^[1-9]\d{0,8}$/.test(q) ? eq(o.id, Number(q)) : undefined)
    : undefined;
  return db
    .select({
      id: o.id,
      nameEn: o.nameEn,
      nameHi: o.nameHi,
      departmentId: o.departmentId,
      departmentNameEn: departments.nameEn,
      departmentNameHi: departments.nameHi,
      hodId: o.hodId,
      hodNameEn: hods.nameEn,
      hodNameHi: hods.nameHi,
    })
    .from(o)
    .innerJoin(departments, eq(departments.id, o.departmentId))
    .innerJoin(hods, eq(hods.id, o.hodId))
    .where(and(eq(o.active, true), sourceCondition(reach, officeAccess), text))
    .orderBy(asc(departments.nameEn), asc(o.id))
    .limit(limit);
}

// ---------------------------------------------------------------------------------------------
// Generic master queries, driven by MASTER_DEFS (org.masters.ts).
// ---------------------------------------------------------------------------------------------

export type MasterRow = Record<string, unknown>;
type RefValue = { code: string; nameEn: string; nameHi: string } | null;

/** The item columns plus, for each reference, `{ code, nameEn, nameHi }` of the referenced row. */
function itemFields(d: MasterDef): Record<string, PgColumn | SQL.Aliased> {
  const fields: Record<string, PgColumn | SQL.Aliased> = { ...d.cols };
  for (const r of d.refs) {
    const col = d.cols[r.idField];
    if (!col) continue;
    fields[r.name] =
      sql<RefValue>`(select json_build_object('code', ${r.code}, 'nameEn', ${r.nameEn}, 'nameHi', ${r.nameHi}) from ${r.table} where ${r.id} = ${col})`.as(
        `ref_${r.name}`,
      );
  }
  return fields;
}

function masterWhere(d: MasterDef, q: Omit<TMasterListQuery, 'page' | 'pageSize'>): SQL | undefined {
  const conds: SQL[] = [];
  if (q.q) {
    const like = likeOf(q.q);
    const parts: SQL[] = [...d.search.map((c) => ilike(c, like)), ...(d.search.length ? [] : refSearch(d, like))];
    if (d.idSearch && /^\d{1,9}$/.test(q.q)) parts.push(eq(d.idSearch, Number(q.q)));
    conds.push(parts.length ? (or(...parts) ?? sql`false`) : sql`false`);
  }
  for (const [name, col] of Object.entries(d.filters) as [ListFilter, PgColumn][]) {
    const v = q[name];
    if (v !== undefined) conds.push(eq(col, v));
  }
  const active = d.cols.active;
  if (active && q.active !== 'all') conds.push(eq(active, q.active === 'true'));
  return conds.length ? and(...conds) : undefined;
}

function masterOrder(d: MasterDef, sort: string | undefined, dir: 'asc' | 'desc'): SQL[] {
  const col = d.sorts[sort ?? ''] ?? d.sorts[d.defaultSort]!;
  const by = dir === 'desc' ? desc : asc;
  const tie = d.id ? [asc(d.id)] : d.key.map((k) => asc(d.cols[k]!));
  return [by(col), ...tie];
}

export async function listMaster(db: DbOrTx, d: MasterDef, q: TMasterListQuery) {
  const where = masterWhere(d, q);
  const [items, [c]] = await readAll(db, [
    () =>
      db
        .select(itemFields(d))
        .from(d.table)
        .where(where)
        .orderBy(...masterOrder(d, q.sort, q.dir))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
    () => db.select({ n: sql<number>`count(*)::int` }).from(d.table).where(where),
  ]);
  return { items: items as MasterRow[], total: c?.n ?? 0 };
}

/** Every matching row (for exports), at most `limit`. */
export async function listMasterAll(db: DbOrTx, d: MasterDef, q: Omit<TMasterListQuery, 'page' | 'pageSize'>, limit = 200_000) {
  const rows = await db
    .select(itemFields(d))
    .from(d.table)
    .where(masterWhere(d, q))
    .orderBy(...masterOrder(d, q.sort, q.dir))
    .limit(limit);
  return rows as MasterRow[];
}

/** The row with this id, for update (locked in a transaction). */
export async function getMasterRow(db: DbOrTx, d: MasterDef, id: number): Promise<MasterRow | null> {
  if (!d.id) return null;
  const [row] = await db.select(d.cols).from(d.table).where(eq(d.id, id)).limit(1).for('update');
  return (row as MasterRow | undefined) ?? null;
}

/** Every row's own columns (for an import: masters are small enough to hold, ~12,000 offices). */
export async function allMasterRows(db: DbOrTx, d: MasterDef): Promise<MasterRow[]> {
  return (await db.select(d.cols).from(d.table)) as MasterRow[];
}

export async function insertMasterRow(db: DbOrTx, d: MasterDef, values: MasterRow): Promise<MasterRow> {
  const [row] = await db
    .insert(d.table)
    .values(values as never)
    .returning(d.cols);
  return row as MasterRow;
}

export async function updateMasterRow(db: DbOrTx, d: MasterDef, where: MasterRow, values: MasterRow): Promise<MasterRow | null> {
  const conds = Object.entries(where).map(([k, v]) => eq(d.cols[k]!, v));
  const [row] = await db
    .update(d.table)
    .set(values as never)
    .where(and(...conds))
    .returning(d.cols);
  return (row as MasterRow | undefined) ?? null;
}

export async function deleteMapRow(db: DbOrTx, d: MasterDef, key: MasterRow): Promise<MasterRow | null> {
  const conds = Object.entries(key).map(([k, v]) => eq(d.cols[k]!, v));
  const [row] = await db
    .delete(d.table)
    .where(and(...conds))
    .returning(d.cols);
  return (row as MasterRow | undefined) ?? null;
}

/** code → id of a referenced master (all of them: for imports). */
export async function refCodeMap(db: DbOrTx, r: RefDef): Promise<Map<string, number>> {
  const rows = await db.select({ code: sql<string>`${r.code}`, id: sql<number>`${r.id}` }).from(r.table);
  return new Map(rows.map((x) => [x.code, Number(x.id)]));
}

/** Does a referenced row with this id exist? */
export async function refExists(db: DbOrTx, r: RefDef, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: sql<number>`${r.id}` })
    .from(r.table)
    .where(eq(r.id, id))
    .limit(1);
  return Boolean(row);
}

/** HOD id → its department id (offices take their department from the HOD). */
export async function hodDepartments(db: DbOrTx): Promise<Map<number, number>> {
  const rows = await db.select({ id: hods.id, departmentId: hods.departmentId }).from(hods);
  return new Map(rows.map((r) => [r.id, r.departmentId]));
}

/** Serialises imports of one master (each plans its creates and updates on the rows read under the lock). */
export async function lockMasterImport(db: DbOrTx, d: MasterDef) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`org-import:${d.master}`}))`);
}

/** Serialises saves of the state settings (the one row is read for the audit, then upserted). */
export async function lockStateSettings(db: DbOrTx) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('state-settings'))`);
}

export async function getStateSettings(db: DbOrTx) {
  const [row] = await db.select().from(stateSettings).where(eq(stateSettings.id, 1)).limit(1);
  return row ?? null;
}

export async function saveStateSettings(db: DbOrTx, values: Omit<typeof stateSettings.$inferInsert, 'id' | 'createdAt'>) {
  const [row] = await db
    .insert(stateSettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: stateSettings.id, set: values })
    .returning();
  return row!;
}
