import { sql, type SQL } from 'drizzle-orm';
import type { TContractListQuery } from '../../../shared/contracts/contract.ts';
import type { DbOrTx } from '../../db/client.ts';
import { intArray, likeOf } from '../../db/query.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { agencyIdsNamed, agencyParties } from '../agency/index.ts';
import { minimumAboveSql } from '../rates/index.ts';
import { contractAccess } from './contract.policy.ts';
import { LATE_RULE } from './contract.rules.ts';
import { executeNamed } from '../../db/named.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * Contracts: the list, search, one summary and the registration dashboard — the derived
 * summary (status, period, registration, flags) in SQL, scoped by the access layer.
 */

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
  // The agency's three fields are added to each row in place: a copy of the row's 28 fields cost
  // ≈ 75 kB a list page and the largest share of its garbage (bench/RESULTS.md "A list request's own cost").
  return rows.map((r) => {
    const a = byId.get(Number(r.agency_id));
    return Object.assign(r, { agency_name: a?.legalName ?? '', agency_status: a?.status ?? '', agency_status_reason: a?.statusReason ?? '' });
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
  // Without a search, both are named statements (server/db/named.ts), the first page's with its
  // limit in the text as the resource list does (a generic plan cannot see a limit sent as a
  // parameter). A search stays unnamed: its trigram look-ups are planned for the text searched.
  const named = !q.q;
  const run = <T extends Record<string, unknown>>(x: SQL) => (named ? executeNamed<T>(db, x) : db.execute<T>(x));
  const window = named && q.page === 1 ? sql.raw(`limit ${Number(q.pageSize)}`) : sql`limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`;
  const [page, count] = await readAll(db, [
    () => run<{ id: number }>(sql`select c.id from ${from} where ${where} order by ${col} ${dir} nulls last, c.id ${dir} ${window}`),
    () => run<{ n: number }>(sql`select count(*)::int as n from ${from} where ${where}`),
  ]);
  const ids = page.rows.map((r) => Number(r.id));
  const total = Number(count.rows[0]?.n ?? 0);
  if (!ids.length) return { items: [] as SummaryRow[], total };
  // The page's ids as one array parameter, not 25 for drizzle to build; a named statement
  // (server/db/named.ts), its text the same for every page: the summary's sub-queries cost ≈ 1 ms
  // to plan, more than running them for 25 contracts, on every request (bench/RESULTS.md).
  const rows = await executeNamed<SummaryBase>(db, sql`select s.* from ${summarySql(today)} s where s.id = any(${intArray(ids)})`);
  const byId = new Map((await withAgencies(db, rows.rows)).map((r) => [Number(r.id), r]));
  return { items: ids.map((i) => byId.get(i)).filter((r): r is SummaryRow => r !== undefined), total };
}

export async function listContracts(db: DbOrTx, reach: Reach, q: TContractListQuery, today: string) {
  if (!needsDerived(q)) return listContractsFast(db, reach, q, today);
  const where = listWhere(reach, q, today, await namedAgencies(db, q.q));
  const [items, count] = await readAll(db, [
    () =>
      db.execute<SummaryBase>(
        sql`select s.* from ${summarySql(today)} s where ${where} order by ${listOrder(q)} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
      ),
    () => db.execute<{ n: number }>(sql`select count(*)::int as n from ${summarySql(today)} s where ${where}`),
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
  const r = await executeNamed<SummaryBase>(db, sql`select s.* from ${summarySql(today)} s where s.id = ${id}`);
  return (await withAgencies(db, r.rows))[0] ?? null;
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
