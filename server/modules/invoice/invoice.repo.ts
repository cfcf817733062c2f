import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { agencyNamesSql } from '../agency/index.ts';
import { contractFactsSql } from '../contract/index.ts';
import { deploymentsSql } from '../resource/index.ts';
import { invoiceDetails, invoiceLines, invoices } from './invoice.table.ts';

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
  const r = await db.execute<ContractResource>(sql`
    select r.id, r.name_en as "nameEn", r.name_hi as "nameHi", r.office_id as "officeId", r.skill_level_id as "skillLevelId",
           r.post_name_id as "postNameId", r.aadhaar_last4 as "aadhaarLast4"
      from ${deploymentsSql()} r
     where r.contract_id = ${contractId} and r.status in ('approved', 'relieved') and r.office_id is not null
       and r.joining_date <= ${last} and (r.relieved_on is null or r.relieved_on >= ${first})
     order by r.id`);
  return r.rows;
}

export async function officeNames(db: DbOrTx, ids: number[]): Promise<Map<number, { nameEn: string; nameHi: string }>> {
  if (ids.length === 0) return new Map();
  const r = await db.execute<{ id: number; nameEn: string; nameHi: string }>(sql`
    select id, name_en as "nameEn", name_hi as "nameHi" from offices where id in (${sql.join(
      [...new Set(ids)].map((i) => sql`${i}`),
      sql`, `,
    )})`);
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

export async function insertDetail(tx: DbOrTx, v: typeof invoiceDetails.$inferInsert): Promise<number> {
  const [row] = await tx.insert(invoiceDetails).values(v).returning({ id: invoiceDetails.id });
  return row!.id;
}

export async function insertLines(tx: DbOrTx, v: (typeof invoiceLines.$inferInsert)[]): Promise<void> {
  if (v.length > 0) await tx.insert(invoiceLines).values(v);
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
  const [rows, count] = await Promise.all([
    db.execute<HeaderRow>(sql`${HEADER} where ${where} order by i.month desc, i.id desc limit ${limit} offset ${offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from invoices i where ${where}`),
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
