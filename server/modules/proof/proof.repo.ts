import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { activeInvoiceCount, billedEpf, billedEsic } from '../invoice/index.ts';
import { deploymentsSql } from '../resource/index.ts';
import { agencyNamesSql } from '../agency/index.ts';
import type { BilledMember } from './proof.rules.ts';
import { proofGateSettings, statutoryProofDifferences, statutoryProofRows, statutoryProofs } from './proof.table.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * Queries of the proof module. What was billed comes from the invoice module (its index), UANs
 * from the resource module's relation, agency names from the agency module's.
 */

/** Active invoices of the agency for the month (any department): the proof is then due. */
export const billedInvoices = activeInvoiceCount;

export type BilledRow = BilledMember;

/** Who must be in the ECR: resources whose active invoice of the month billed EPF, with their UAN as ROAMS knows it. */
export async function billedMembers(db: DbOrTx, agencyId: number, month: string): Promise<BilledMember[]> {
  const billed = await billedEpf(db, agencyId, month);
  if (billed.length === 0) return [];
  const r = await db.execute<{ id: number; uan: string }>(sql`
    select r.id, r.uan from ${deploymentsSql()} r where r.id in (${sql.join(
      billed.map((b) => sql`${b.resourceId}`),
      sql`, `,
    )})`);
  const uans = new Map(r.rows.map((x) => [Number(x.id), x.uan ?? '']));
  return billed.map((b) => ({ ...b, uan: uans.get(b.resourceId) ?? '' }));
}

export { billedEsic };

/** The version in force of an agency's proof for a month. */
/** The current version of an agency's proof for a month, with what an identical re-upload would repeat (its ECR's hash, the challan, the billed totals). */
export async function latestProof(db: DbOrTx, agencyId: number, month: string) {
  const r = await db.execute<{
    id: number;
    version: number;
    status: 'reconciled' | 'differences';
    sha256: string;
    trrn: string;
    payment_date: string;
    esic_challan_no: string;
    esic_challan_date: string;
    esic_amount_paise: number | string;
    billed_esic_paise: number | string;
    billed_resources: number;
    differences: number;
  }>(sql`
    select p.id, p.version, p.status, f.sha256, p.trrn, to_char(p.payment_date, 'YYYY-MM-DD') as payment_date, p.esic_challan_no,
           to_char(p.esic_challan_date, 'YYYY-MM-DD') as esic_challan_date, p.esic_amount_paise, p.billed_esic_paise, p.billed_resources,
           (select count(*)::int from statutory_proof_differences d where d.proof_id = p.id) as differences
      from statutory_proofs p join stored_files f on f.id = p.ecr_file_id
     where p.agency_id = ${agencyId} and p.month = ${month} order by p.version desc limit 1`);
  return r.rows[0] ?? null;
}

/** Serialises uploads of one agency's proofs (the version number is taken inside). */
export async function lockAgencyProofs(tx: DbOrTx, agencyId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(2025, ${agencyId})`);
}

export type NewProof = typeof statutoryProofs.$inferInsert;
export type NewRow = typeof statutoryProofRows.$inferInsert;
export type NewDifference = typeof statutoryProofDifferences.$inferInsert;

export async function insertProof(tx: DbOrTx, p: NewProof): Promise<number> {
  const [row] = await tx.insert(statutoryProofs).values(p).returning({ id: statutoryProofs.id });
  return row!.id;
}

/** The parsed lines, in batches (14 parameters a row; PostgreSQL takes 65,535 a statement). */
export async function insertRows(tx: DbOrTx, rows: NewRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await tx.insert(statutoryProofRows).values(rows.slice(i, i + 2000));
}

export async function insertDifferences(tx: DbOrTx, rows: NewDifference[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await tx.insert(statutoryProofDifferences).values(rows.slice(i, i + 2000));
}

export type ProofRow = {
  id: number;
  agencyId: number;
  agencyName: string;
  month: string;
  version: number;
  current: boolean;
  status: 'reconciled' | 'differences';
  trrn: string;
  paymentDate: string;
  esicChallanNo: string;
  esicChallanDate: string;
  esicAmountPaise: string | number;
  billedEsicPaise: string | number;
  members: number;
  billedResources: number;
  epfWagesPaise: string | number;
  differences: number;
  uploadedAt: Date | string;
  ecrFileName: string;
};

const SELECT = sql`
  select p.id, p.agency_id as "agencyId", a.legal_name as "agencyName", p.month::text as month, p.version,
         not exists (select 1 from statutory_proofs q where q.agency_id = p.agency_id and q.month = p.month and q.version > p.version) as current,
         p.status, p.trrn, p.payment_date::text as "paymentDate", p.esic_challan_no as "esicChallanNo", p.esic_challan_date::text as "esicChallanDate",
         p.esic_amount_paise as "esicAmountPaise", p.billed_esic_paise as "billedEsicPaise", p.members, p.billed_resources as "billedResources",
         p.epf_wages_paise as "epfWagesPaise",
         (select count(*)::int from statutory_proof_differences x where x.proof_id = p.id) as differences,
         p.uploaded_at as "uploadedAt", f.original_name as "ecrFileName"
    from statutory_proofs p join ${agencyNamesSql()} a on a.id = p.agency_id join stored_files f on f.id = p.ecr_file_id`;

export async function getProof(db: DbOrTx, id: number): Promise<ProofRow | null> {
  const r = await db.execute<ProofRow>(sql`${SELECT} where p.id = ${id}`);
  return r.rows[0] ?? null;
}

export async function listProofs(db: DbOrTx, where: SQL, limit: number, offset: number): Promise<{ rows: ProofRow[]; total: number }> {
  const [rows, count] = await readAll(db, [
    () => db.execute<ProofRow>(sql`${SELECT} where ${where} order by p.month desc, a.legal_name, p.version desc limit ${limit} offset ${offset}`),
    () => db.execute<{ n: number }>(sql`select count(*)::int as n from statutory_proofs p where ${where}`),
  ]);
  return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}

export async function ecrFileOf(db: DbOrTx, proofId: number): Promise<number | null> {
  const r = await db.execute<{ f: number }>(sql`select ecr_file_id as f from statutory_proofs where id = ${proofId}`);
  return r.rows[0] ? Number(r.rows[0].f) : null;
}

export async function differencesOf(db: DbOrTx, proofId: number) {
  const r = await db.execute<{
    kind: 'missing' | 'wage_short' | 'no_uan' | 'esic_short';
    resourceId: number | null;
    uan: string;
    nameEn: string;
    nameHi: string;
    billedPaise: string | number;
    foundPaise: string | number | null;
  }>(sql`
    select kind, resource_id as "resourceId", uan, name_en as "nameEn", name_hi as "nameHi", billed_paise as "billedPaise", found_paise as "foundPaise"
      from statutory_proof_differences where proof_id = ${proofId} order by id`);
  return r.rows;
}

/** The gate switch in force per department (departments never switched: on). */
export async function gateSettings(db: DbOrTx) {
  const r = await db.execute<{
    departmentId: number;
    departmentNameEn: string;
    departmentNameHi: string;
    enabled: boolean | null;
    reason: string | null;
    changedAt: Date | string | null;
  }>(sql`
    select d.id as "departmentId", d.name_en as "departmentNameEn", d.name_hi as "departmentNameHi", s.enabled, s.reason, s.changed_at as "changedAt"
      from departments d
      left join lateral (select g.enabled, g.reason, g.changed_at from proof_gate_settings g where g.department_id = d.id order by g.id desc limit 1) s on true
     order by d.name_en`);
  return r.rows;
}

export async function gateOf(db: DbOrTx, departmentId: number): Promise<{ enabled: boolean; reason: string } | null> {
  const r = await db.execute<{ enabled: boolean; reason: string }>(sql`
    select enabled, reason from proof_gate_settings where department_id = ${departmentId} order by id desc limit 1`);
  return r.rows[0] ?? null;
}

export async function departmentExists(db: DbOrTx, id: number): Promise<boolean> {
  const r = await db.execute(sql`select 1 from departments where id = ${id}`);
  return r.rows.length > 0;
}

/** Serialises switches of one department's gate (the "already in this position" check, then the new row). */
export async function lockGate(tx: DbOrTx, departmentId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('proof-gate'), ${departmentId}::int)`);
}

export async function insertGate(tx: DbOrTx, v: typeof proofGateSettings.$inferInsert): Promise<void> {
  await tx.insert(proofGateSettings).values(v);
}
