import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { TMinimumWageListQuery } from '../../../shared/contracts/rates.ts';
import type { DbOrTx } from '../../db/client.ts';
import { executeNamed } from '../../db/named.ts';
import { skillLevels } from '../org/index.ts';
import { minimumWages } from './rates.table.ts';
import { readAll } from '../../db/read-all.ts';

/** A minimum-wage row with the day before the next row of its skill level (null = latest). */
export type WageRow = {
  id: number;
  skillLevelId: number;
  skillLevelNameEn: string;
  skillLevelNameHi: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  basicPaise: number;
  vdaPaise: number;
  notificationRef: string;
  createdAt: Date;
};

type RawWageRow = {
  id: number;
  skill_level_id: number;
  name_en: string;
  name_hi: string;
  effective_from: string;
  effective_to: string | null;
  basic_paise: string | number;
  vda_paise: string | number;
  notification_ref: string;
  created_at: string | Date;
  sort_order: number;
};

function toRow(r: RawWageRow): WageRow {
  return {
    id: Number(r.id),
    skillLevelId: Number(r.skill_level_id),
    skillLevelNameEn: r.name_en,
    skillLevelNameHi: r.name_hi,
    effectiveFrom: String(r.effective_from).slice(0, 10),
    effectiveTo: r.effective_to === null ? null : String(r.effective_to).slice(0, 10),
    basicPaise: Number(r.basic_paise),
    vdaPaise: Number(r.vda_paise),
    notificationRef: r.notification_ref,
    createdAt: new Date(r.created_at),
  };
}

/**
 * Every row with its validity: `effective_to` = the next row's effective_from − 1 day (window
 * over the skill level), so "the row in force on D" is effective_from ≤ D ≤ coalesce(effective_to, ∞).
 */
const withValidity = sql`(
  select mw.id, mw.skill_level_id, sl.name_en, sl.name_hi, sl.sort_order,
         to_char(mw.effective_from, 'YYYY-MM-DD') as effective_from,
         to_char(lead(mw.effective_from) over (partition by mw.skill_level_id order by mw.effective_from) - 1, 'YYYY-MM-DD') as effective_to,
         mw.basic_paise, mw.vda_paise, mw.notification_ref, mw.created_at
    from minimum_wages mw
    join skill_levels sl on sl.id = mw.skill_level_id
)`;

function listWhere(q: Pick<TMinimumWageListQuery, 'skillLevelId' | 'on'>): SQL {
  const conds: SQL[] = [sql`true`];
  if (q.skillLevelId !== undefined) conds.push(sql`w.skill_level_id = ${q.skillLevelId}`);
  if (q.on !== undefined) conds.push(sql`w.effective_from <= ${q.on} and (w.effective_to is null or w.effective_to >= ${q.on})`);
  return sql.join(conds, sql` and `);
}

function listOrder(q: Pick<TMinimumWageListQuery, 'sort' | 'dir'>): SQL {
  const dir = q.dir === 'desc' ? sql`desc` : sql`asc`;
  if (q.sort === 'effectiveFrom') return sql`w.effective_from ${dir}, w.sort_order, w.id`;
  if (q.sort === 'totalPaise') return sql`(w.basic_paise + w.vda_paise) ${dir}, w.id`;
  // By skill level (their sort order), newest revision first within a skill.
  return sql`w.sort_order ${dir}, w.skill_level_id ${dir}, w.effective_from desc`;
}

export async function listRows(db: DbOrTx, q: TMinimumWageListQuery) {
  const where = listWhere(q);
  const [items, count] = await readAll(db, [
    () =>
      db.execute<RawWageRow>(
        sql`select * from ${withValidity} w where ${where} order by ${listOrder(q)} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
      ),
    () => db.execute<{ n: number }>(sql`select count(*)::int as n from ${withValidity} w where ${where}`),
  ]);
  return { items: items.rows.map(toRow), total: Number(count.rows[0]?.n ?? 0) };
}

export async function listAllRows(db: DbOrTx, q: Pick<TMinimumWageListQuery, 'skillLevelId' | 'on' | 'sort' | 'dir'>, limit = 100_000) {
  const r = await db.execute<RawWageRow>(sql`select * from ${withValidity} w where ${listWhere(q)} order by ${listOrder(q)} limit ${limit}`);
  return r.rows.map(toRow);
}

export async function getRow(db: DbOrTx, id: number) {
  const r = await db.execute<RawWageRow>(sql`select * from ${withValidity} w where w.id = ${id}`);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

/** The row of each skill level in force on a date (none for a skill level with no row by then). */
export async function rowsOn(db: DbOrTx, isoDate: string, skillLevelIds?: number[]) {
  if (skillLevelIds && skillLevelIds.length === 0) return [];
  const only = skillLevelIds
    ? sql` and w.skill_level_id in (${sql.join(
        skillLevelIds.map((i) => sql`${i}`),
        sql`, `,
      )})`
    : sql``;
  const r = await db.execute<RawWageRow>(
    sql`select * from ${withValidity} w where w.effective_from <= ${isoDate} and (w.effective_to is null or w.effective_to >= ${isoDate})${only}`,
  );
  return r.rows.map(toRow);
}

/**
 * The one rule of "a minimum-wage row applies on some day of [from, to]": the row `mw`
 * (of `minimum_wages`) starts by `to`, and no later row of its skill level starts by `from`
 * (a row applies until the next one starts). `from` / `to` are dates or ISO strings.
 */
function appliesWithin(from: SQL, to: SQL): SQL {
  return sql`mw.effective_from <= ${to}::date and not exists (select 1 from minimum_wages nx where nx.skill_level_id = mw.skill_level_id and nx.effective_from > mw.effective_from and nx.effective_from <= ${from}::date)`;
}

/**
 * For other modules' list flags (contracts' "below minimum wage"): SQL that is true when a
 * minimum wage of `skillLevelId` applying on some day of [from, to] is above `wagePaise` (basic +
 * VDA against basic + VDA). The same rule as `minimumWagesOverlapping`, so the flag and the
 * detail's list of rows agree.
 */
export function minimumAboveSql(p: { skillLevelId: SQL; wagePaise: SQL; from: SQL; to: SQL }): SQL {
  return sql`exists (select 1 from minimum_wages mw where mw.skill_level_id = ${p.skillLevelId} and mw.basic_paise + mw.vda_paise > ${p.wagePaise} and ${appliesWithin(p.from, p.to)})`;
}

/**
 * Rows of the given skill levels that apply on at least one day of [from, to]: the row in force
 * on `from` and every row that starts inside the period. Ordered by skill level, then date.
 */
export async function rowsOverlapping(db: DbOrTx, skillLevelIds: number[], from: string, to: string) {
  if (skillLevelIds.length === 0) return [];
  // Named (one text per number of skill levels): planned once per connection, not on every
  // contract registration and minimum-wage check.
  const r = await executeNamed<RawWageRow>(
    db,
    sql`
    select * from ${withValidity} w
     where w.skill_level_id in (${sql.join(
       skillLevelIds.map((i) => sql`${i}`),
       sql`, `,
     )})
       and exists (select 1 from minimum_wages mw where mw.id = w.id and ${appliesWithin(sql`${from}`, sql`${to}`)})
     order by w.skill_level_id, w.effective_from`,
  );
  return r.rows.map(toRow);
}

export async function activeSkillLevels(db: DbOrTx) {
  return db
    .select({ id: skillLevels.id, nameEn: skillLevels.nameEn, nameHi: skillLevels.nameHi })
    .from(skillLevels)
    .where(eq(skillLevels.active, true))
    .orderBy(asc(skillLevels.sortOrder), asc(skillLevels.id));
}

export async function skillLevelActive(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ id: skillLevels.id })
    .from(skillLevels)
    .where(and(eq(skillLevels.id, id), eq(skillLevels.active, true)))
    .limit(1);
  return Boolean(row);
}

export async function rowExists(db: DbOrTx, skillLevelId: number, effectiveFrom: string) {
  const [row] = await db
    .select({ id: minimumWages.id })
    .from(minimumWages)
    .where(and(eq(minimumWages.skillLevelId, skillLevelId), eq(minimumWages.effectiveFrom, effectiveFrom)))
    .limit(1);
  return Boolean(row);
}

export async function insertRow(db: DbOrTx, v: typeof minimumWages.$inferInsert) {
  const [row] = await db.insert(minimumWages).values(v).returning({ id: minimumWages.id });
  return row!;
}

/**
 * Locks a row for its delete (FOR UPDATE): of twin deletes, the second waits, then finds no row
 * (404) — it neither deletes nor audits a second time.
 */
export async function lockRow(db: DbOrTx, id: number) {
  const r = await db.execute<{ id: number }>(sql`select id from minimum_wages where id = ${id} for update`);
  return r.rows.length > 0;
}

export async function deleteRow(db: DbOrTx, id: number) {
  await db.delete(minimumWages).where(eq(minimumWages.id, id));
}

/** Serialises revisions of one skill level (the "row for that date exists" check, then insert). */
export async function lockSkillLevel(db: DbOrTx, skillLevelId: number) {
  await db.execute(sql`select pg_advisory_xact_lock(7242006, ${skillLevelId}::int)`);
}
