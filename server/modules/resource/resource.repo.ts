import { and, desc, eq, isNull, lt, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { TGhostQuery, TResourceListQuery } from '../../../shared/contracts/resource.ts';
import type { DbOrTx } from '../../db/client.ts';
import { executeNamed } from '../../db/named.ts';
import { likeOf } from '../../db/query.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { agencyLicence, agencyNamesSql } from '../agency/index.ts';
import { activeContractsWhere, type ContractPlace, contractFactsSql, contractPlace, inForcePostsSql } from '../contract/index.ts';
import { resourceAccess } from './resource.policy.ts';
import { resourceRelievings, resources } from './resource.table.ts';

/**
 * Resources: every query. Contracts and agencies are read (never written) through what their
 * modules export: functions, or relations joined in these queries for names and the in-force
 * posts (one query stays one). The organisation masters are joined directly (reference data).
 */

export type ResourceRow = typeof resources.$inferSelect;
export type RelievingRow = typeof resourceRelievings.$inferSelect;

/** Statuses that hold a person (the one-deployment index and the ghost check count these). */
export const ACTIVE_STATUSES = ['draft', 'submitted', 'approved'] as const;

export async function getResource(db: DbOrTx, id: number, forUpdate = false) {
  const q = db.select().from(resources).where(eq(resources.id, id)).limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertResource(db: DbOrTx, v: typeof resources.$inferInsert) {
  const [row] = await db.insert(resources).values(v).returning();
  return row!;
}

export async function updateResource(db: DbOrTx, id: number, v: Partial<typeof resources.$inferInsert>) {
  const [row] = await db.update(resources).set(v).where(eq(resources.id, id)).returning();
  return row!;
}

/**
 * Moves a resource from one status to another only if it is still in the first (a conditional
 * update: of two approvals at once, the second finds nothing to change). Null when it was not.
 */
export async function moveStatus(db: DbOrTx, id: number, from: ResourceRow['status'], v: Partial<typeof resources.$inferInsert>) {
  const [row] = await db
    .update(resources)
    .set(v)
    .where(and(eq(resources.id, id), eq(resources.status, from)))
    .returning();
  return row ?? null;
}

/** How long an e-KYC claim holds before another call may take it over (a crash between claim and answer). */
export const KYC_CALL_TTL_MS = 2 * 60_000;

/**
 * How long after an OTP another may be asked for the same draft (a resend): 30 seconds, as
 * UIDAI's pages make a resident wait. Each OTP makes the one before it useless, so a second click
 * that reaches the server after the first OTP went out would only cost an SMS and the first code.
 */
export const OTP_RESEND_GAP_MS = 30_000;

/**
 * Claims a draft for one e-KYC call to the provider: a conditional update (no call in flight, or
 * one older than `KYC_CALL_TTL_MS`), so of twenty clicks at once one calls and the others find
 * nothing to claim. The row as claimed, or null.
 */
export async function claimKycCall(db: DbOrTx, id: number, now: Date, opts: { otpSentBefore?: Date } = {}) {
  const stale = new Date(now.getTime() - KYC_CALL_TTL_MS);
  const [row] = await db
    .update(resources)
    .set({ kycCallAt: now })
    .where(
      and(
        eq(resources.id, id),
        eq(resources.status, 'draft'),
        notInArray(resources.kycStatus, ['verified', 'alternative']),
        or(isNull(resources.kycCallAt), lt(resources.kycCallAt, stale)),
        // An OTP request: none sent since this moment (the resend gap), decided in the same update.
        opts.otpSentBefore ? or(isNull(resources.otpSentAt), lte(resources.otpSentAt, opts.otpSentBefore)) : undefined,
      ),
    )
    .returning();
  return row ?? null;
}

/** Ends the e-KYC call in flight (the provider refused; its answer is written with `updateResource`). */
export async function releaseKycCall(db: DbOrTx, id: number) {
  await db.update(resources).set({ kycCallAt: null }).where(eq(resources.id, id));
}

/** Names shown with a resource: agency, contract, offices, skill level, post. */
export type Names = {
  agencyName: string;
  contractNo: string;
  officeNameEn: string;
  officeNameHi: string;
  skillLevelNameEn: string;
  skillLevelNameHi: string;
  postNameEn: string;
  postNameHi: string;
};

/** The office's, skill level's and post's names: joined wherever a resource's names are read. */
const placeNamesSql = sql`
  coalesce(o.name_en, '') as "officeNameEn", coalesce(o.name_hi, '') as "officeNameHi",
  s.name_en as "skillLevelNameEn", s.name_hi as "skillLevelNameHi", p.name_en as "postNameEn", p.name_hi as "postNameHi"`;
const placeNamesJoin = sql`
  left join offices o on o.id = coalesce(r.office_id, r.contract_office_id)
  join skill_levels s on s.id = r.skill_level_id
  join post_names p on p.id = r.post_name_id`;
const namesSql = sql`a.legal_name as "agencyName", c.contract_no as "contractNo", ${placeNamesSql}`;
const namesJoin = sql`
  join ${agencyNamesSql()} a on a.id = r.agency_id
  join ${contractFactsSql()} c on c.id = r.contract_id ${placeNamesJoin}`;

/**
 * The names as a list page reads them: the agency's and the contract's by a look-up per row
 * instead of a join. Joined, a page's 25 rows were hash-joined against all 2,000 agencies (a
 * sequential scan and a hash built on every request: the planner prices 25 index look-ups above
 * it); looked up, each is an index probe. A department's first page at 200,000 resources: 2,292–2,424
 * → 2,879–2,904 statements a second (pgbench, bench/RESULTS.md). Not for the export, which reads
 * up to 100,000 rows and is better joined.
 */
const pageNamesSql = sql`
  (select a.legal_name from ${agencyNamesSql()} a where a.id = r.agency_id) as "agencyName",
  (select c.contract_no from ${contractFactsSql()} c where c.id = r.contract_id) as "contractNo", ${placeNamesSql}`;

export async function namesOf(db: DbOrTx, id: number): Promise<Names> {
  const r = await db.execute<Names>(sql`select ${namesSql} from resources r ${namesJoin} where r.id = ${id}`);
  return r.rows[0]!;
}

type Filters = Omit<TResourceListQuery, 'page' | 'pageSize'>;

function listWhere(reach: Reach, q: Filters): SQL {
  const conds: SQL[] = [sourceCondition(reach, resourceAccess)];
  if (q.status) conds.push(sql`r.status = ${q.status}`);
  if (q.kycStatus) conds.push(sql`r.kyc_status = ${q.kycStatus}`);
  if (q.contractId) conds.push(sql`r.contract_id = ${q.contractId}`);
  if (q.agencyId) conds.push(sql`r.agency_id = ${q.agencyId}`);
  if (q.officeId) conds.push(sql`(r.office_id = ${q.officeId} or r.contract_office_id = ${q.officeId})`);
  if (q.departmentId) conds.push(sql`r.department_id = ${q.departmentId}`);
  if (q.q) {
    const like = likeOf(q.q);
    if (reach.scopeKind === 'agency' || reach.scopeKind === 'office' || [...q.q].length < 3) {
      // A small scope (an agency or an office: a few hundred resources at most) is read by its own
      // index and the search filters those rows. Written on the columns directly, the planner
      // ANDs the scope with the trigram indexes' OR, which for a common surname reads thousands
      // of entries statewide (12 ms against 0.6 ms at 200,000 resources, bench/RESULTS.md):
      // coalesce() makes the same test without offering it the trigram indexes.
      // So does a search of one or two characters in any scope: it has no trigram, and pg_trgm
      // answers such a pattern by reading each trigram index whole — a department's "ab" took
      // 345 ms, "a" 170 ms; filtering the department's rows takes a few (bench/RESULTS.md
      // "Searches shorter than a trigram"). A department's search of two characters or more
      // first reads its own keys (listSql, migration 0049); these conditions then decide.
      conds.push(
        sql`(coalesce(r.name_en, '') ilike ${like} or coalesce(r.name_hi, '') ilike ${like} or coalesce(r.mobile, '') like ${like} or r.aadhaar_last4 = ${q.q})`,
      );
    } else {
      conds.push(sql`(r.name_en ilike ${like} or r.name_hi ilike ${like} or r.mobile like ${like} or r.aadhaar_last4 = ${q.q})`);
    }
  }
  return sql.join(conds, sql` and `);
}

function listOrder(q: Filters): SQL {
  const dir = q.dir === 'asc' ? sql`asc` : sql`desc`;
  const col = q.sort === 'name' ? sql`coalesce(nullif(r.name_en, ''), r.name_hi)` : q.sort === 'joiningDate' ? sql`r.joining_date` : sql`r.created_at`;
  return sql`${col} ${dir} nulls last, r.id ${dir}`;
}

export type ListRow = ResourceRow & Names;

const rowSql = sql`r.id, r.agency_id as "agencyId", r.contract_id as "contractId", r.department_id as "departmentId",
  r.contract_office_id as "contractOfficeId", r.office_id as "officeId", r.skill_level_id as "skillLevelId", r.post_name_id as "postNameId",
  r.name_en as "nameEn", r.name_hi as "nameHi", r.gender, r.dob::text as dob, r.mobile, r.status, r.kyc_status as "kycStatus",
  r.aadhaar_last4 as "aadhaarLast4", r.verification_method as "verificationMethod", r.joining_date::text as "joiningDate",
  r.relieved_on::text as "relievedOn", r.relieve_reason as "relieveReason",
  to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"`;

export type SummaryRow = {
  id: number;
  agencyId: number;
  contractId: number;
  departmentId: number;
  contractOfficeId: number;
  officeId: number | null;
  skillLevelId: number;
  postNameId: number;
  nameEn: string;
  nameHi: string;
  gender: 'M' | 'F' | 'T';
  dob: string;
  mobile: string;
  status: ResourceRow['status'];
  kycStatus: ResourceRow['kycStatus'];
  aadhaarLast4: string | null;
  verificationMethod: ResourceRow['verificationMethod'];
  joiningDate: string | null;
  relievedOn: string | null;
  relieveReason: ResourceRow['relieveReason'];
  /** ISO 8601 in UTC with milliseconds, as `Date.toISOString` writes it (made by the statement: parsing PostgreSQL's text and writing it again cost 2 % of a list request's CPU). */
  createdAt: string;
} & Names;

/**
 * The department whose search keys a search may read (migration 0049): the department a
 * department-scope user sees, or the one a list is filtered to; null when the search has no
 * two-character run or the list spans departments (statewide: the trigram indexes of 0045) or is
 * an agency's or an office's (a few hundred rows, filtered: listWhere).
 */
function keyedDepartment(reach: Reach, q: Filters): number | null {
  if (!q.q || [...q.q].length < 2 || reach.scopeKind === 'agency' || reach.scopeKind === 'office') return null;
  return q.departmentId ?? (reach.scopeKind === 'department' ? reach.departmentId : null);
}

/**
 * The list's statements: the page (with the total matching, as an uncorrelated sub-query that
 * runs once, so a page is one round trip) and the count alone (only needed when the page is
 * empty, e.g. past the last page). Exported for bench/resources-explain.ts, which EXPLAINs
 * exactly what the list runs.
 */
export function listSql(reach: Reach, q: TResourceListQuery, countCap = RESOURCE_COUNT_CAP): { page: SQL; count: SQL; named: boolean } {
  const where = listWhere(reach, q);
  const capRows = sql.raw(String(Math.trunc(countCap) + 1));
  // A department's search starts from the rows that have the search's keys (resource_search_rows,
  // migration 0049: a surname 1.4 → 0.9 ms, two letters 15 → 0.8 ms at 200,000 resources,
  // bench/RESULTS.md "Department search by keys"); the list's conditions still decide every row.
  const dept = keyedDepartment(reach, q);
  const from = dept === null ? sql`resources r` : sql`resource_search_rows(${dept}::int, ${q.q}::text) r`;
  // Counted up to the cap + 1 (RESOURCE_COUNT_CAP): reading past it would only say "more".
  const count = sql`select count(*)::int as n from (select 1 from ${from} where ${where} limit ${capRows}) x`;
  // The first page (what every list opens on) is a named prepared statement (server/db/named.ts),
  // with its limit written into the text: a generic plan cannot see a limit sent as a parameter,
  // assumes a tenth of the scope's rows and hash-joins whole name tables instead of looking up 25
  // rows' names (3.6 ms against 1.7 ms for a department, bench/RESULTS.md). The page size is a
  // validated integer of 1–200, so the texts stay few. Later pages go unnamed, planned per call.
  const named = q.page === 1;
  const window = named ? sql.raw(`limit ${Number(q.pageSize)}`) : sql`limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`;
  if (q.q) {
    // A search finds its rows once: the matches are materialised, then counted and the page cut
    // from them. Written as the page below, the count and the page each ran the same bitmap scan
    // (a scope's index ANDed with the trigram indexes' OR): a department's surname search took
    // 4.5 ms of execution, 2.3 ms this way (200,000 resources, bench/RESULTS.md "Department
    // search"). Not for unsearched pages: a department's first page is read by its index in order
    // and stops after 25 rows, where materialising would read the whole department.
    return {
      page: sql`with m as materialized (select r.id, r.created_at, r.joining_date, r.name_en, r.name_hi from ${from} where ${where})
        select ${rowSql}, ${pageNamesSql}, (select count(*)::int from (select 1 from m limit ${capRows}) x) as "total"
        from (select r.* from resources r join (select r.id from m r order by ${listOrder(q)} ${window}) k on k.id = r.id) r ${placeNamesJoin}
        order by ${listOrder(q)}`,
      count,
      named,
    };
  }
  return {
    // The page's rows first (by an index on the scope and the order where there is one), then
    // the names for those rows only: joining before the limit named every matching resource.
    page: sql`select ${rowSql}, ${pageNamesSql}, (${count}) as "total"
      from (select * from resources r where ${where} order by ${listOrder(q)} ${window}) r ${placeNamesJoin}
      order by ${listOrder(q)}`,
    count,
    named,
  };
}

/**
 * The most a list counts exactly (`totalCapped` beyond it, the pager then says "more than
 * 10,000 — narrow the search"). A department has a few thousand workers and an agency fewer, so
 * their lists are always exact; the state's first page (200,000 workers) had counted every one
 * on each request — 15 ms of execution, p99 ≈ 1 s at 50 connections (bench/RESULTS.md) — and now
 * reads at most 10,001 index entries, as the audit trail's search does (AUDIT_COUNT_CAP).
 */
export const RESOURCE_COUNT_CAP = 10_000;

export async function listResources(db: DbOrTx, reach: Reach, q: TResourceListQuery, countCap = RESOURCE_COUNT_CAP) {
  const s = listSql(reach, q, countCap);
  const run = <T extends Record<string, unknown>>(x: SQL) => (s.named ? executeNamed<T>(db, x) : db.execute<T>(x));
  const page = await run<SummaryRow & { total: number }>(s.page);
  const first = page.rows[0];
  const n = first ? Number(first.total) : Number((await run<{ n: number }>(s.count)).rows[0]?.n ?? 0);
  // The rows as they came (their extra `total` is not read: summaryOut picks each field); a
  // copy without it cost 30 kB and 3 % of a list request's CPU (bench/RESULTS.md).
  const items: SummaryRow[] = page.rows;
  return { items, total: Math.min(n, countCap), totalCapped: n > countCap };
}

/** A list row with what the export adds: the relative, the bank and insurance numbers, the department's names. */
export type ExportRow = SummaryRow & {
  relation: ResourceRow['relation'];
  relativeName: string;
  bankAccount: string;
  ifsc: string;
  uan: string;
  esicIp: string;
  departmentNameEn: string;
  departmentNameHi: string;
};

/** The export's rows: the list's filters and order, with the export's extra columns (one query). */
export async function listResourcesForExport(db: DbOrTx, reach: Reach, q: Filters, limit = 100_000) {
  const r = await db.execute<ExportRow>(
    sql`select ${rowSql}, ${namesSql}, r.relation, r.relative_name as "relativeName", r.bank_account as "bankAccount", r.ifsc, r.uan,
      r.esic_ip as "esicIp", d.name_en as "departmentNameEn", d.name_hi as "departmentNameHi"
      from resources r ${namesJoin} join departments d on d.id = r.department_id
      where ${listWhere(reach, q)} order by ${listOrder(q)} limit ${limit}`,
  );
  return r.rows;
}

export async function getSummary(db: DbOrTx, id: number) {
  const r = await db.execute<SummaryRow>(sql`select ${rowSql}, ${namesSql} from resources r ${namesJoin} where r.id = ${id}`);
  return r.rows[0] ?? null;
}

// --- Contracts (read-only) ----------------------------------------------------------------------

export type { ContractPlace };
/** A contract with the period of its in-force version (null when none is in force): the contract module's. */
export { contractPlace };

export type ContractPost = {
  officeId: number;
  officeNameEn: string;
  officeNameHi: string;
  skillLevelId: number;
  skillLevelNameEn: string;
  skillLevelNameHi: string;
  postNameId: number;
  postNameEn: string;
  postNameHi: string;
  positions: number;
  deployed: number;
};

/** The posts of the contract's in-force version, with the resources approved on each (not relieved). */
export async function contractPosts(db: DbOrTx, contractId: number): Promise<ContractPost[]> {
  const r = await db.execute<ContractPost>(sql`
    select cp.office_id as "officeId", o.name_en as "officeNameEn", o.name_hi as "officeNameHi",
           cp.skill_level_id as "skillLevelId", s.name_en as "skillLevelNameEn", s.name_hi as "skillLevelNameHi",
           cp.post_name_id as "postNameId", p.name_en as "postNameEn", p.name_hi as "postNameHi", cp.positions,
           (select count(*)::int from resources r where r.contract_id = ${contractId} and r.status = 'approved'
               and r.office_id = cp.office_id and r.skill_level_id = cp.skill_level_id and r.post_name_id = cp.post_name_id) as deployed
      from ${inForcePostsSql()} cp
      join offices o on o.id = cp.office_id
      join skill_levels s on s.id = cp.skill_level_id
      join post_names p on p.id = cp.post_name_id
     where cp.contract_id = ${contractId}
     order by o.name_en, s.id, p.name_en`);
  return r.rows;
}

/** Active contracts of an agency, or of the contracting offices the reach covers (the add / approve forms); `cond` over `c`. */
export async function activeContractsFor(db: DbOrTx, cond: SQL): Promise<ContractPlace[]> {
  return activeContractsWhere(db, cond);
}

/** Serialises approvals on one (office, skill level, post) key for the rest of the transaction. */
export async function lockKey(db: DbOrTx, k: { officeId: number; skillLevelId: number; postNameId: number }) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('resource-key'), hashtext(${`${k.officeId}:${k.skillLevelId}:${k.postNameId}`}))`);
}

/** Approved, not relieved resources per (office, skill level, post name) key (the sanction's "deployed"). */
export async function deployedByKey(db: DbOrTx, keys: { officeId: number; skillLevelId: number; postNameId: number }[]) {
  const out = new Map<string, number>();
  const officeIds = [...new Set(keys.map((k) => k.officeId))];
  if (officeIds.length === 0) return out;
  const r = await db.execute<{ o: number; s: number; p: number; n: number }>(sql`
    select office_id as o, skill_level_id as s, post_name_id as p, count(*)::int as n from resources
     where status = 'approved' and office_id in (${sql.join(
       officeIds.map((x) => sql`${x}`),
       sql`, `,
     )})
     group by office_id, skill_level_id, post_name_id`);
  for (const x of r.rows) out.set(`${x.o}:${x.s}:${x.p}`, Number(x.n));
  return out;
}

/** Resources of an agency approved and not relieved (the licence's workmen limit). */
export async function workingForAgency(db: DbOrTx, agencyId: number): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from resources where agency_id = ${agencyId} and status = 'approved'`);
  return Number(r.rows[0]?.n ?? 0);
}

/** The agency's licence (workmen limit, last valid day): the agency module's. */
export { agencyLicence };

// --- Relieving ------------------------------------------------------------------------------------

export async function listRelievings(db: DbOrTx, resourceId: number) {
  return db.select().from(resourceRelievings).where(eq(resourceRelievings.resourceId, resourceId)).orderBy(desc(resourceRelievings.id));
}

export async function openRelieving(db: DbOrTx, resourceId: number, forUpdate = false) {
  const q = db
    .select()
    .from(resourceRelievings)
    .where(and(eq(resourceRelievings.resourceId, resourceId), eq(resourceRelievings.state, 'requested')))
    .limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertRelieving(db: DbOrTx, v: typeof resourceRelievings.$inferInsert) {
  const [row] = await db.insert(resourceRelievings).values(v).returning();
  return row!;
}

export async function decideRelieving(db: DbOrTx, id: number, v: Partial<typeof resourceRelievings.$inferInsert>) {
  const [row] = await db
    .update(resourceRelievings)
    .set(v)
    .where(and(eq(resourceRelievings.id, id), eq(resourceRelievings.state, 'requested')))
    .returning();
  return row ?? null;
}

// --- Timeline and ghosts --------------------------------------------------------------------------

export async function timeline(db: DbOrTx, id: number) {
  return db
    .select({ at: auditLog.at, action: auditLog.action, actorName: auditLog.actorName, role: auditLog.role, details: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'resource'), eq(auditLog.entityId, String(id))))
    .orderBy(auditLog.seq);
}

export type GhostRow = {
  kind: 'bank_account' | 'mobile';
  value: string;
  id: number;
  nameEn: string;
  nameHi: string;
  agencyName: string;
  status: ResourceRow['status'];
  departmentId: number;
};

/**
 * Possible ghosts: a bank account or mobile shared by two or more active resources anywhere in
 * the state; a group is listed when at least one of its resources is in the actor's reach.
 */
export async function ghostGroups(db: DbOrTx, reach: Reach, q: TGhostQuery) {
  const visible = sourceCondition(reach, resourceAccess);
  const dept = q.departmentId ? sql`and r.department_id = ${q.departmentId}` : sql``;
  const groups = sql`(
    select 'bank_account' as kind, r.bank_account as value from resources r where r.status in ('draft', 'submitted', 'approved')
      group by r.bank_account having count(*) > 1
    union all
    select 'mobile' as kind, r.mobile as value from resources r where r.status in ('draft', 'submitted', 'approved')
      group by r.mobile having count(*) > 1) g`;
  const inReach = sql`exists (select 1 from resources r where r.status in ('draft', 'submitted', 'approved')
      and (case when g.kind = 'bank_account' then r.bank_account else r.mobile end) = g.value and ${visible} ${dept})`;
  const page = await db.execute<{ kind: GhostRow['kind']; value: string }>(
    sql`select g.kind, g.value from ${groups} where ${inReach} order by g.kind, g.value limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${groups} where ${inReach}`);
  const members: GhostRow[] = [];
  for (const g of page.rows) {
    const col = g.kind === 'bank_account' ? sql`r.bank_account` : sql`r.mobile`;
    const r = await db.execute<GhostRow>(sql`
      select ${g.kind} as kind, ${g.value} as value, r.id, r.name_en as "nameEn", r.name_hi as "nameHi", a.legal_name as "agencyName",
             r.status, r.department_id as "departmentId"
        from resources r join ${agencyNamesSql()} a on a.id = r.agency_id
       where r.status in ('draft', 'submitted', 'approved') and ${col} = ${g.value} and ${visible} order by r.id`);
    members.push(...r.rows);
  }
  return { groups: page.rows, members, total: Number(count.rows[0]?.n ?? 0) };
}
