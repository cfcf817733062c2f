import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { agencyNamesSql } from '../agency/index.ts';
import { contractFactsSql } from '../contract/index.ts';
import { deploymentsSql } from '../resource/index.ts';
import { approvedRevisionsSinceSql, effectiveAttendanceSql } from '../attendance/index.ts';
import { rateRowsSql } from '../rates/index.ts';
import { type invoiceDetails, type invoiceLines, invoices } from './invoice.table.ts';
import { readAll } from '../../db/read-all.ts';
import { intArray } from '../../db/query.ts';

/** The resources deployed under a contract who were on the rolls on some day of [first, last]. */
export type ContractResource = {
  id: number;
  nameEn: string;
  nameHi: string;
  officeId: number;
  skillLevelId: number;
  postNameId: number;
  aadhaarLast4: string | null;
};

export async function contractResources(db: DbOrTx, contractId: number, first: string, last: string): Promise<ContractResource[]> {
  return resourcesOfContracts(db, [contractId], first, last);
}

/** An int[] parameter: one parameter for any number of ids (no `in (…)` list near the protocol's limit). */

/** The same for many contracts in one query, each row naming its contract; by contract, then id. */
export async function resourcesOfContracts(
  db: DbOrTx,
  contractIds: readonly number[],
  first: string,
  last: string,
): Promise<(ContractResource & { contractId: number })[]> {
  if (contractIds.length === 0) return [];
  const r = await db.execute<ContractResource & { contractId: number }>(sql`
    select r.id, r.contract_id as "contractId", r.name_en as "nameEn", r.name_hi as "nameHi", r.office_id as "officeId", r.skill_level_id as "skillLevelId",
           r.post_name_id as "postNameId", r.aadhaar_last4 as "aadhaarLast4"
      from ${deploymentsSql()} r
     where r.contract_id = any(${intArray(contractIds)}) and r.status in ('approved', 'relieved') and r.office_id is not null
       and r.joining_date <= ${last} and (r.relieved_on is null or r.relieved_on >= ${first})
     order by r.contract_id, r.id`);
  return r.rows;
}

/**
 * The effective finalised rows of the month (`finalisedDays`' figures) of every resource deployed
 * under the given contracts, in one query, by resource.
 */
export async function finalisedDaysOfContracts(db: DbOrTx, contractIds: readonly number[], first: string): Promise<{ resourceId: number; paidDays: number }[]> {
  if (contractIds.length === 0) return [];
  const r = await db.execute<{ resourceId: number; paidDays: number }>(sql`
    select ea.resource_id as "resourceId", ea.paid_days as "paidDays"
      from ${effectiveAttendanceSql()} ea join ${deploymentsSql()} r on r.id = ea.resource_id
     where ea.month = ${first} and r.contract_id = any(${intArray(contractIds)})
     order by ea.resource_id`);
  return r.rows.map((x) => ({ resourceId: x.resourceId, paidDays: Number(x.paidDays) }));
}

/** The agency's active contracts, by id. */
export async function activeContractIdsOf(db: DbOrTx, agencyId: number): Promise<number[]> {
  const r = await db.execute<{ id: number }>(
    sql`select c.id from ${contractFactsSql()} c where c.agency_id = ${agencyId} and c.status = 'active' order by c.id`,
  );
  return r.rows.map((x) => x.id);
}

/** Which of the contracts exist and whose they are. */
export async function contractAgencies(db: DbOrTx, contractIds: readonly number[]): Promise<Map<number, number>> {
  if (contractIds.length === 0) return new Map();
  const r = await db.execute<{ id: number; agencyId: number }>(
    sql`select c.id, c.agency_id as "agencyId" from ${contractFactsSql()} c where c.id = any(${intArray(contractIds)})`,
  );
  return new Map(r.rows.map((c) => [c.id, c.agencyId]));
}

/** The active invoices of the month of the given contracts: `contractId:ddoCodeId` keys. */
export async function activeInvoicesOf(db: DbOrTx, contractIds: readonly number[], first: string): Promise<Set<string>> {
  if (contractIds.length === 0) return new Set();
  const r = await db.execute<{ contractId: number; ddoCodeId: number }>(sql`
    select contract_id as "contractId", ddo_code_id as "ddoCodeId" from invoices
     where contract_id = any(${intArray(contractIds)}) and month = ${first} and status = 'active'`);
  return new Set(r.rows.map((x) => `${x.contractId}:${x.ddoCodeId}`));
}

/**
 * The contracts among these with something to settle on the month's invoice: an approved
 * attendance revision or a rate row recorded after an earlier active invoice of theirs was
 * generated and not settled yet (the conditions of `pendingRevisions` and `pendingRateRevisions`,
 * asked once for all — a superset: a pending item whose difference is nil still counts), or an open
 * recovery balance carried forward by one of its invoices (`openBalances`).
 */
export async function contractsWithPendingArrears(db: DbOrTx, contractIds: readonly number[], first: string): Promise<Set<number>> {
  if (contractIds.length === 0) return new Set();
  const r = await db.execute<{ contractId: number }>(sql`
    select distinct i.contract_id as "contractId"
      from invoices i join invoice_details x on x.invoice_id = i.id
     where i.contract_id = any(${intArray(contractIds)}) and i.status = 'active' and i.month < ${first}
       and (exists (select 1 from ${approvedRevisionsSinceSql(new Date(0))} rv
                     where rv.resource_id = x.resource_id and rv.month = i.month and rv.revised_at > i.generated_at
                       and not exists (select 1 from invoice_arrears_sources s where s.revision_id = rv.revision_id and s.released_at is null))
         or exists (select 1 from ${rateRowsSql()} rr
                     where rr.effective_from <= i.month and rr.created_at > i.generated_at
                       and (rr.skill_level_id is null or rr.skill_level_id = x.skill_level_id)
                       and not exists (select 1 from invoice_rate_arrears_sources s
                                        where s.earlier_invoice_id = i.id and s.resource_id = x.resource_id
                                          and s.rate_table = rr.rate_table and s.rate_row_id = rr.rate_row_id and s.released_at is null)))
    union
    select b.contract_id from invoice_recovery_balances b join invoices i on i.id = b.invoice_id
     where b.contract_id = any(${intArray(contractIds)}) and b.agency_id = i.agency_id and b.released_at is null and i.status = 'active'
       and not exists (select 1 from invoice_recovery_settlements s where s.balance_id = b.id and s.released_at is null)`);
  return new Set(r.rows.map((x) => x.contractId));
}

/** The agencies' prefixes (those that set one). */
export async function prefixesOf(db: DbOrTx, agencyIds: readonly number[]): Promise<Map<number, string>> {
  if (agencyIds.length === 0) return new Map();
  const r = await db.execute<{ agencyId: number; prefix: string }>(
    sql`select agency_id as "agencyId", prefix from invoice_prefixes where agency_id = any(${intArray(agencyIds)})`,
  );
  return new Map(r.rows.map((x) => [x.agencyId, x.prefix]));
}

/**
 * A block of numbers per agency for a financial year in one statement: each counter row goes up by
 * the agency's count and stays locked to the end of the transaction (agencies in id order, so two
 * batches never wait on each other crosswise). Returns each agency's first number of its block.
 */
export async function takeNumberBlocks(tx: DbOrTx, fy: string, counts: ReadonlyMap<number, number>): Promise<Map<number, number>> {
  if (counts.size === 0) return new Map();
  const agencies = [...counts.keys()].sort((a, b) => a - b);
  const r = await tx.execute<{ agencyId: number; last: number }>(sql`
    insert into invoice_series (agency_id, fy, last_no)
    select a, ${fy}, n from unnest(${intArray(agencies)}, ${`{${agencies.map((a) => counts.get(a)!).join(',')}}`}::int[]) with ordinality as t(a, n, o) order by o
    on conflict (agency_id, fy) do update set last_no = invoice_series.last_no + excluded.last_no
    returning agency_id as "agencyId", last_no as last`);
  return new Map(r.rows.map((x) => [x.agencyId, Number(x.last) - counts.get(x.agencyId)! + 1]));
}

/** Many headers in one statement; their ids by contract (one invoice per contract in a month's batch). */
export async function insertInvoices(tx: DbOrTx, rows: (typeof invoices.$inferInsert)[]): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map();
  const got = await tx.insert(invoices).values(rows).returning({ id: invoices.id, contractId: invoices.contractId });
  return new Map(got.map((g) => [g.contractId, g.id]));
}

/** Names a document prints: departments and post names by id. */
export async function documentNames(
  db: DbOrTx,
  departmentIds: readonly number[],
  postNameIds: readonly number[],
): Promise<{ departments: Map<number, { nameEn: string; nameHi: string }>; posts: Map<number, { nameEn: string; nameHi: string }> }> {
  const [d, p] = await readAll(db, [
    () =>
      db.execute<{ id: number; nameEn: string; nameHi: string }>(
        sql`select id, name_en as "nameEn", name_hi as "nameHi" from departments where id = any(${intArray(departmentIds)})`,
      ),
    () =>
      db.execute<{ id: number; nameEn: string; nameHi: string }>(
        sql`select id, name_en as "nameEn", name_hi as "nameHi" from post_names where id = any(${intArray(postNameIds)})`,
      ),
  ]);
  return { departments: new Map(d.rows.map((x) => [x.id, x])), posts: new Map(p.rows.map((x) => [x.id, x])) };
}

export async function officeNames(db: DbOrTx, ids: number[]): Promise<Map<number, { nameEn: string; nameHi: string }>> {
  if (ids.length === 0) return new Map();
  const r = await db.execute<{ id: number; nameEn: string; nameHi: string }>(sql`
    select id, name_en as "nameEn", name_hi as "nameHi" from offices where id = any(${intArray(ids)})`);
  return new Map(r.rows.map((o) => [o.id, { nameEn: o.nameEn, nameHi: o.nameHi }]));
}

/** The agency's prefix (default when it set none). */
export async function prefixOf(db: DbOrTx, agencyId: number): Promise<string | null> {
  const r = await db.execute<{ prefix: string }>(sql`select prefix from invoice_prefixes where agency_id = ${agencyId}`);
  return r.rows[0]?.prefix ?? null;
}

/**
 * The next number of the agency's series for a financial year. The upsert takes the counter
 * row's lock until the transaction ends: a concurrent generation waits, and a rolled-back one
 * gives its number back (gapless).
 */
export async function takeNumber(tx: DbOrTx, agencyId: number, fy: string): Promise<number> {
  const r = await tx.execute<{ n: number }>(sql`
    insert into invoice_series (agency_id, fy, last_no) values (${agencyId}, ${fy}, 1)
    on conflict (agency_id, fy) do update set last_no = invoice_series.last_no + 1
    returning last_no as n`);
  return Number(r.rows[0]!.n);
}

export async function activeInvoiceFor(db: DbOrTx, contractId: number, first: string, ddoCodeId: number): Promise<number | null> {
  const r = await db.execute<{ id: number }>(
    sql`select id from invoices where contract_id = ${contractId} and month = ${first} and ddo_code_id = ${ddoCodeId} and status = 'active'`,
  );
  return r.rows[0]?.id ?? null;
}

export async function invoiceByKey(db: DbOrTx, agencyId: number, key: string): Promise<{ id: number; requestHash: string | null } | null> {
  const r = await db.execute<{ id: number; requestHash: string | null }>(
    sql`select id, request_hash as "requestHash" from invoices where agency_id = ${agencyId} and idempotency_key = ${key}`,
  );
  return r.rows[0] ?? null;
}

export async function insertInvoice(tx: DbOrTx, v: typeof invoices.$inferInsert): Promise<number> {
  const [row] = await tx.insert(invoices).values(v).returning({ id: invoices.id });
  return row!.id;
}

/** A column written from a JSON recordset: the row object's key, the table's column, its SQL type, the default when absent. */
type JsonColumn = readonly [key: string, column: string, type: string, absent?: string];

/** Rows per statement: one JSON parameter each, so no parameter limit; the size keeps each message a few MB. */
export const WRITE_CHUNK = 5000;

/**
 * Inserts many rows with one statement per chunk: the rows travel as one JSON parameter and
 * `jsonb_to_recordset` turns them into a relation (no per-row parameters, no per-row round trip).
 * Rows are inserted in the array's order (`ord`), so serial ids follow it.
 */
async function insertJson<R>(tx: DbOrTx, table: string, cols: readonly JsonColumn[], rows: readonly object[], returning = ''): Promise<R[]> {
  const out: R[] = [];
  const names = cols.map(([, c]) => c).join(', ');
  const values = cols.map(([k, , , absent]) => (absent === undefined ? `t."${k}"` : `coalesce(t."${k}", ${absent})`)).join(', ');
  const shape = cols.map(([k, , type]) => `"${k}" ${type}`).join(', ');
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const part = rows.slice(i, i + WRITE_CHUNK).map((r, k) => ({ ...r, ord: k }));
    const r = await tx.execute<R & Record<string, unknown>>(
      sql`insert into ${sql.raw(table)} (${sql.raw(names)})
          select ${sql.raw(values)} from json_to_recordset(${JSON.stringify(part)}::json) as t(${sql.raw(shape)}, ord int)
           order by t.ord${sql.raw(returning ? ` returning ${returning}` : '')}`,
    );
    if (returning) out.push(...(r.rows as R[]));
  }
  return out;
}

const DETAIL_COLUMNS: readonly JsonColumn[] = [
  ['invoiceId', 'invoice_id', 'int'],
  ['resourceId', 'resource_id', 'int'],
  ['officeId', 'office_id', 'int'],
  ['skillLevelId', 'skill_level_id', 'int'],
  ['postNameId', 'post_name_id', 'int'],
  ['nameEn', 'name_en', 'text'],
  ['nameHi', 'name_hi', 'text'],
  ['aadhaarLast4', 'aadhaar_last4', 'text', "''"],
  ['basicPaise', 'basic_paise', 'bigint'],
  ['vdaPaise', 'vda_paise', 'bigint'],
  ['minimumWagePaise', 'minimum_wage_paise', 'bigint'],
  ['paidDays', 'paid_days', 'int'],
  ['daysInMonth', 'days_in_month', 'int'],
  ['dayRatePaise', 'day_rate_paise', 'bigint'],
  ['earnedWagePaise', 'earned_wage_paise', 'bigint'],
  ['pfWagePaise', 'pf_wage_paise', 'bigint'],
  ['esicWagePaise', 'esic_wage_paise', 'bigint'],
  ['bonusWagePaise', 'bonus_wage_paise', 'bigint'],
  ['esicCovered', 'esic_covered', 'boolean'],
  ['costPaise', 'cost_paise', 'bigint'],
  ['reimbursedPaise', 'reimbursed_paise', 'bigint'],
  ['employeeDeductionPaise', 'employee_deduction_paise', 'bigint'],
  ['netWagePaise', 'net_wage_paise', 'bigint'],
];

const LINE_COLUMNS: readonly JsonColumn[] = [
  ['invoiceId', 'invoice_id', 'int'],
  ['detailId', 'detail_id', 'int'],
  ['code', 'code', 'text'],
  ['kind', 'kind', 'text'],
  ['stage', 'stage', 'text'],
  ['basePaise', 'base_paise', 'bigint'],
  ['ratePpm', 'rate_ppm', 'int'],
  ['amountPaise', 'amount_paise', 'bigint'],
  ['arrearsMonth', 'arrears_month', 'date'],
  ['labelEn', 'label_en', 'text', "''"],
  ['labelHi', 'label_hi', 'text', "''"],
  ['sortOrder', 'sort_order', 'int'],
];

/**
 * Every detail of one or many invoices in one statement (per chunk); their ids in the rows' order
 * (matched on the unique (invoice, resource), not on the order RETURNING happens to give).
 */
export async function insertDetails(tx: DbOrTx, rows: readonly (typeof invoiceDetails.$inferInsert)[]): Promise<number[]> {
  const got = await insertJson<{ id: number; invoiceId: number; resourceId: number }>(
    tx,
    'invoice_details',
    DETAIL_COLUMNS,
    rows,
    'id, invoice_id as "invoiceId", resource_id as "resourceId"',
  );
  const ids = new Map(got.map((g) => [`${g.invoiceId}:${g.resourceId}`, Number(g.id)]));
  return rows.map((r) => ids.get(`${r.invoiceId}:${r.resourceId}`)!);
}

/** Lines of one or many invoices in one statement (per chunk). */
export async function insertLines(tx: DbOrTx, rows: readonly (typeof invoiceLines.$inferInsert)[]): Promise<void> {
  await insertJson(tx, 'invoice_lines', LINE_COLUMNS, rows);
}

export async function setContentHash(tx: DbOrTx, id: number, hash: string): Promise<void> {
  await tx.execute(sql`update invoices set content_hash = ${hash} where id = ${id}`);
}

export type HeaderRow = {
  id: number;
  contractId: number;
  contractNo: string;
  agencyId: number;
  agencyName: string;
  departmentId: number;
  departmentNameEn: string;
  departmentNameHi: string;
  officeId: number;
  officeNameEn: string;
  officeNameHi: string;
  ddoCodeId: number;
  ddoCode: string;
  month: string;
  invoiceNo: string;
  invoiceDate: string;
  status: 'active' | 'cancelled';
  intraState: boolean;
  wageBasis: 'monthly' | 'daily';
  serviceChargeBp: number;
  bonusBp: number;
  subtotalPaise: number;
  reimbursedPaise: number;
  serviceChargePaise: number;
  taxablePaise: number;
  gstPaise: number;
  roundOffPaise: number;
  totalPaise: number;
  contentHash: string;
  pdfFileId: number | null;
  pdfSha256: string | null;
  generatedAt: Date | string;
  cancelledAt: Date | string | null;
  cancelReason: string;
  creditNoteNo: string | null;
  creditNoteDate: string | null;
  resources: number;
  /** Where it is on its way to payment ('draft' before its submission). */
  stage: 'draft' | 'submitted' | 'returned' | 'verified' | 'approved' | 'billed' | 'paid';
};

const HEADER = sql`
  select i.id, i.contract_id as "contractId", c.contract_no as "contractNo", i.agency_id as "agencyId", a.legal_name as "agencyName",
         i.department_id as "departmentId", d.name_en as "departmentNameEn", d.name_hi as "departmentNameHi",
         i.office_id as "officeId", o.name_en as "officeNameEn", o.name_hi as "officeNameHi", i.ddo_code_id as "ddoCodeId", i.ddo_code as "ddoCode",
         to_char(i.month, 'YYYY-MM') as month, i.invoice_no as "invoiceNo", i.invoice_date::text as "invoiceDate", i.status,
         i.intra_state as "intraState", i.wage_basis as "wageBasis", i.service_charge_bp as "serviceChargeBp", i.bonus_bp as "bonusBp",
         i.subtotal_paise::float8 as "subtotalPaise", i.reimbursed_paise::float8 as "reimbursedPaise", i.service_charge_paise::float8 as "serviceChargePaise",
         i.taxable_paise::float8 as "taxablePaise", i.gst_paise::float8 as "gstPaise", i.round_off_paise::float8 as "roundOffPaise",
         i.total_paise::float8 as "totalPaise", i.content_hash as "contentHash", i.pdf_file_id as "pdfFileId", i.pdf_sha256 as "pdfSha256",
         i.generated_at as "generatedAt", i.cancelled_at as "cancelledAt", i.cancel_reason as "cancelReason",
         i.credit_note_no as "creditNoteNo", i.credit_note_date::text as "creditNoteDate",
         (select count(*)::int from invoice_details x where x.invoice_id = i.id) as resources,
         coalesce((select w.stage from invoice_workflow w where w.invoice_id = i.id), 'draft') as stage
    from invoices i
    join ${contractFactsSql()} c on c.id = i.contract_id
    join ${agencyNamesSql()} a on a.id = i.agency_id
    join departments d on d.id = i.department_id
    join offices o on o.id = i.office_id`;

export async function getHeader(db: DbOrTx, id: number, lock = false): Promise<HeaderRow | null> {
  const r = await db.execute<HeaderRow>(sql`${HEADER} where i.id = ${id}${lock ? sql` for update of i` : sql``}`);
  return r.rows[0] ?? null;
}

export async function listHeaders(db: DbOrTx, where: SQL, limit: number, offset: number): Promise<{ rows: HeaderRow[]; total: number }> {
  const [rows, count] = await readAll(db, [
    () => db.execute<HeaderRow>(sql`${HEADER} where ${where} order by i.month desc, i.id desc limit ${limit} offset ${offset}`),
    () => db.execute<{ n: number }>(sql`select count(*)::int as n from invoices i where ${where}`),
  ]);
  return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}

export type DetailRow = {
  id: number;
  resourceId: number;
  nameEn: string;
  nameHi: string;
  aadhaarLast4: string;
  postEn: string;
  postHi: string;
  skillLevelEn: string;
  skillLevelHi: string;
  basicPaise: number;
  vdaPaise: number;
  paidDays: number;
  daysInMonth: number;
  earnedWagePaise: number;
  esicCovered: boolean;
  costPaise: number;
  reimbursedPaise: number;
  employeeDeductionPaise: number;
  netWagePaise: number;
};

export async function detailsOf(db: DbOrTx, invoiceId: number): Promise<DetailRow[]> {
  const r = await db.execute<DetailRow>(sql`
    select x.id, x.resource_id as "resourceId", x.name_en as "nameEn", x.name_hi as "nameHi", x.aadhaar_last4 as "aadhaarLast4",
           p.name_en as "postEn", p.name_hi as "postHi", s.name_en as "skillLevelEn", s.name_hi as "skillLevelHi",
           x.basic_paise::float8 as "basicPaise", x.vda_paise::float8 as "vdaPaise", x.paid_days as "paidDays", x.days_in_month as "daysInMonth",
           x.earned_wage_paise::float8 as "earnedWagePaise", x.esic_covered as "esicCovered", x.cost_paise::float8 as "costPaise",
           x.reimbursed_paise::float8 as "reimbursedPaise", x.employee_deduction_paise::float8 as "employeeDeductionPaise",
           x.net_wage_paise::float8 as "netWagePaise"
      from invoice_details x join post_names p on p.id = x.post_name_id join skill_levels s on s.id = x.skill_level_id
     where x.invoice_id = ${invoiceId} order by x.id`);
  return r.rows;
}

export type LineRow = {
  detailId: number | null;
  code: string;
  kind: 'payable' | 'deduction';
  stage: string;
  basePaise: number;
  ratePpm: number;
  amountPaise: number;
  arrearsMonth: string | null;
  labelEn: string;
  labelHi: string;
};

export async function linesOf(db: DbOrTx, invoiceId: number): Promise<LineRow[]> {
  const r = await db.execute<LineRow>(sql`
    select detail_id as "detailId", code, kind, stage, base_paise::float8 as "basePaise", rate_ppm as "ratePpm", amount_paise::float8 as "amountPaise",
           to_char(arrears_month, 'YYYY-MM') as "arrearsMonth", label_en as "labelEn", label_hi as "labelHi"
      from invoice_lines where invoice_id = ${invoiceId} order by detail_id nulls last, sort_order, id`);
  return r.rows;
}

export async function cancel(tx: DbOrTx, id: number, v: { by: number; at: Date; reason: string; creditNoteNo: string; creditNoteDate: string }): Promise<void> {
  await tx.execute(sql`
    update invoices set status = 'cancelled', cancelled_by = ${v.by}, cancelled_at = ${v.at.toISOString()}, cancel_reason = ${v.reason},
           credit_note_no = ${v.creditNoteNo}, credit_note_date = ${v.creditNoteDate}
     where id = ${id}`);
}

export async function setPdf(tx: DbOrTx, id: number, fileId: number, sha256: string): Promise<void> {
  await tx.execute(sql`update invoices set pdf_file_id = ${fileId}, pdf_sha256 = ${sha256} where id = ${id} and pdf_file_id is null`);
}

export async function byNumber(db: DbOrTx, agencyId: number, invoiceNo: string): Promise<number | null> {
  const r = await db.execute<{ id: number }>(sql`select id from invoices where agency_id = ${agencyId} and invoice_no = ${invoiceNo}`);
  return r.rows[0]?.id ?? null;
}

export async function contractVersionOf(db: DbOrTx, id: number): Promise<number> {
  const r = await db.execute<{ v: number }>(sql`select contract_version_id as v from invoices where id = ${id}`);
  return Number(r.rows[0]!.v);
}

export async function generatedByOf(db: DbOrTx, id: number): Promise<number | null> {
  const r = await db.execute<{ by: number | null }>(sql`select generated_by as by from invoices where id = ${id}`);
  return r.rows[0]?.by ?? null;
}
