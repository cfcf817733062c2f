import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { intArray } from '../../db/query.ts';

/**
 * What other modules read of contracts (modules own their data: nobody else names `contracts`,
 * `contract_versions` or `contract_posts`). Whole reads are functions; where a caller needs
 * contract columns inside its own query (a list with the contract number, a count per post),
 * it joins a relation published here. The planner folds these simple subqueries into the
 * caller's query as plain joins, so the caller's one query stays one query with the same plan.
 */

/** Contracts' identity and parties: `id, agency_id, department_id, office_id, contract_no, status`. */
export function contractFactsSql(): SQL {
  return sql`(select id, agency_id, department_id, office_id, contract_no, status from contracts)`;
}

/** The posts of in-force versions: `contract_id, office_id, skill_level_id, post_name_id, positions`. */
export function inForcePostsSql(): SQL {
  return sql`(select v.contract_id, cp.office_id, cp.skill_level_id, cp.post_name_id, cp.positions
      from contract_versions v join contract_posts cp on cp.version_id = v.id where v.state = 'in_force')`;
}

export type ContractPlace = {
  id: number;
  agencyId: number;
  departmentId: number;
  officeId: number;
  contractNo: string;
  status: string;
  startDate: string | null;
  endDate: string | null;
};

/** A contract with the period of its in-force version (null dates when none is in force), or null. */
export async function contractPlace(db: DbOrTx, contractId: number): Promise<ContractPlace | null> {
  const r = await db.execute<ContractPlace>(sql`
    select c.id, c.agency_id as "agencyId", c.department_id as "departmentId", c.office_id as "officeId", c.contract_no as "contractNo", c.status,
           v.start_date::text as "startDate", v.end_date::text as "endDate"
      from contracts c left join contract_versions v on v.contract_id = c.id and v.state = 'in_force'
     where c.id = ${contractId}`);
  return r.rows[0] ?? null;
}

/**
 * Active contracts with an in-force version that meet `cond`, by number (at most 200: a form's
 * choices). `cond` reads the columns of `contractFactsSql()` under the alias `c`.
 */
export async function activeContractsWhere(db: DbOrTx, cond: SQL): Promise<ContractPlace[]> {
  const r = await db.execute<ContractPlace>(sql`
    select c.id, c.agency_id as "agencyId", c.department_id as "departmentId", c.office_id as "officeId", c.contract_no as "contractNo", c.status,
           v.start_date::text as "startDate", v.end_date::text as "endDate"
      from contracts c join contract_versions v on v.contract_id = c.id and v.state = 'in_force'
     where c.status = 'active' and ${cond}
     order by c.contract_no limit 200`);
  return r.rows;
}

export type ContractInvoiceTerms = ContractPlace & {
  gemContractNo: string;
  versionId: number;
  ddoCodeId: number;
  ddoCode: string;
  wageBasis: 'monthly' | 'daily';
  epfMode: 'none' | 'capped' | 'uncapped';
  esicApplies: boolean;
  serviceChargeBp: number;
  bonusBp: number;
  paymentMode: string;
  posts: { officeId: number; skillLevelId: number; postNameId: number; positions: number; basicPaise: number; vdaPaise: number }[];
};

/**
 * What an invoice reads of a contract (spec 06): its parties, the in-force version's terms and
 * DDO code, and the wage of each post (null when the contract has no in-force version).
 */
export async function contractInvoiceTerms(db: DbOrTx, contractId: number): Promise<ContractInvoiceTerms | null> {
  return (await contractsInvoiceTerms(db, [contractId])).get(contractId) ?? null;
}

/** The same for many contracts in two queries (the month's invoices of every contract): those with an in-force version, by id. */
export async function contractsInvoiceTerms(db: DbOrTx, contractIds: readonly number[]): Promise<Map<number, ContractInvoiceTerms>> {
  const out = new Map<number, ContractInvoiceTerms>();
  if (contractIds.length === 0) return out;
  const ids = `{${[...new Set(contractIds)].join(',')}}`;
  const r = await db.execute<Omit<ContractInvoiceTerms, 'posts'>>(sql`
    select c.id, c.agency_id as "agencyId", c.department_id as "departmentId", c.office_id as "officeId", c.contract_no as "contractNo", c.status,
           c.gem_contract_no as "gemContractNo", v.id as "versionId", v.start_date::text as "startDate", v.end_date::text as "endDate",
           v.ddo_code_id as "ddoCodeId", d.code as "ddoCode", v.wage_basis as "wageBasis", v.epf_mode as "epfMode", v.esic_applies as "esicApplies",
           v.service_charge_bp as "serviceChargeBp", v.bonus_bp as "bonusBp", v.payment_mode as "paymentMode"
      from contracts c join contract_versions v on v.contract_id = c.id and v.state = 'in_force'
      join ddo_codes d on d.id = v.ddo_code_id
     where c.id = any(${ids}::int[])`);
  if (r.rows.length === 0) return out;
  const posts = await db.execute<ContractInvoiceTerms['posts'][number] & { versionId: number }>(sql`
    select version_id as "versionId", office_id as "officeId", skill_level_id as "skillLevelId", post_name_id as "postNameId", positions,
           basic_paise::float8 as "basicPaise", vda_paise::float8 as "vdaPaise"
      from contract_posts where version_id = any(${intArray(r.rows.map((h) => h.versionId))}) order by id`);
  for (const head of r.rows) out.set(head.id, { ...head, posts: [] });
  const byVersion = new Map(r.rows.map((h) => [h.versionId, out.get(h.id)!]));
  for (const { versionId, ...p } of posts.rows) byVersion.get(versionId)?.posts.push({ ...p, basicPaise: Number(p.basicPaise), vdaPaise: Number(p.vdaPaise) });
  return out;
}

export type ContractBillTerms = {
  versionId: number;
  paymentMode: 'through_agency' | 'direct';
  /** The budget line the bill charges (see below), with its head of account in words. */
  budgetLineId: number | null;
  budgetLine: string;
  /** The version's value estimated from its posts (see below), in paise. */
  estimatedValuePaise: number;
};

/**
 * What a bill reads of the contract version an invoice was made under (issue 17): payment mode,
 * the budget line it charges and the version's value for the GST-TDS threshold.
 * Our choice — budget line: a version may name several; the bill charges the first in the order
 * they were recorded (lowest id), so the same version always charges the same line; splitting one
 * invoice across lines is left to IFMIS. Our choice — value: contracts carry no value of their
 * own, so the version's value is estimated as Σ posts (positions × monthly basic + VDA) × the
 * months its period touches (a floor: without contributions, service charge or GST).
 */
export async function contractBillTerms(db: DbOrTx, versionId: number): Promise<ContractBillTerms | null> {
  const r = await db.execute<ContractBillTerms>(sql`
    select v.id as "versionId", v.payment_mode as "paymentMode",
           (select bl.budget_line_id from contract_version_budget_lines bl where bl.version_id = v.id order by bl.budget_line_id limit 1) as "budgetLineId",
           coalesce((select concat_ws('-', b.demand_no, b.major_head, b.sub_major_head, b.minor_head, b.sub_head, b.detailed_head, b.object_head)
                       from contract_version_budget_lines bl join budget_lines b on b.id = bl.budget_line_id
                      where bl.version_id = v.id order by bl.budget_line_id limit 1), '') as "budgetLine",
           coalesce((select sum(cp.positions * (cp.basic_paise + cp.vda_paise)) from contract_posts cp where cp.version_id = v.id), 0)::float8
             * ((extract(year from v.end_date) * 12 + extract(month from v.end_date)) - (extract(year from v.start_date) * 12 + extract(month from v.start_date)) + 1)
             as "estimatedValuePaise"
      from contract_versions v where v.id = ${versionId}`);
  const row = r.rows[0];
  return row ? { ...row, estimatedValuePaise: Number(row.estimatedValuePaise) } : null;
}
