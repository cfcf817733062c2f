import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { resourceBulkBatches, resources } from './resource.table.ts';

/** Bulk onboarding: the queries of resource.bulk.ts (batches, duplicate look-ups, many-row inserts). */

const ENDED: ('rejected' | 'relieved')[] = ['rejected', 'relieved'];

/** The batch that imported this file under this contract, if any. */
export async function findBatch(db: DbOrTx, contractId: number, fileSha256: string) {
  const [row] = await db
    .select()
    .from(resourceBulkBatches)
    .where(and(eq(resourceBulkBatches.contractId, contractId), eq(resourceBulkBatches.fileSha256, fileSha256)));
  return row ?? null;
}

/** A new batch, or null when the same file was imported under the contract already (also at the same moment). */
export async function insertBatch(db: DbOrTx, v: typeof resourceBulkBatches.$inferInsert) {
  const [row] = await db.insert(resourceBulkBatches).values(v).onConflictDoNothing().returning({ id: resourceBulkBatches.id });
  return row?.id ?? null;
}

export async function setBatchCreated(db: DbOrTx, id: number, created: number) {
  await db.update(resourceBulkBatches).set({ created }).where(eq(resourceBulkBatches.id, id));
}

/** Which of these Aadhaar hashes belong to a resource that has not ended (anywhere in the state). */
export async function activeAadhaarHashes(db: DbOrTx, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  // The hashes as one JSON parameter: 5,000 bound parameters were slower than the look-up itself.
  const rows = await db.execute<{ h: string }>(sql`
    select aadhaar_hash as h from resources
     where aadhaar_hash in (select json_array_elements_text(${JSON.stringify(hashes)}::json)) and status not in ('rejected', 'relieved')`);
  return new Set(rows.rows.map((r) => r.h));
}

/** `mobile|bankAccount` of the agency's resources that have not ended (a row already added before). */
export async function agencyPeople(db: DbOrTx, agencyId: number): Promise<Set<string>> {
  const rows = await db
    .select({ k: sql<string>`${resources.mobile} || '|' || ${resources.bankAccount}` })
    .from(resources)
    .where(and(eq(resources.agencyId, agencyId), notInArray(resources.status, ENDED)));
  return new Set(rows.map((r) => r.k));
}

/** A draft as the bulk import inserts it (the columns it sets; the rest take their defaults). */
export type BulkDraft = {
  agencyId: number;
  contractId: number;
  departmentId: number;
  contractOfficeId: number;
  skillLevelId: number;
  postNameId: number;
  nameEn: string;
  nameHi: string;
  relation: string;
  relativeName: string;
  dob: string;
  gender: string;
  mobile: string;
  address: string;
  qualification: string;
  bankAccount: string;
  ifsc: string;
  uan: string;
  esicIp: string;
  aadhaarRef: string | null;
  aadhaarLast4: string | null;
  aadhaarHash: string | null;
  createdBy: number | null;
};

/**
 * Inserts the drafts in one statement: INSERT … SELECT from a JSON recordset sent as one parameter.
 * Measured (bench/resource-bulk.ts, 5,000 rows, PGlite): drizzle's multi-row VALUES (20 parameters
 * a row, 1,000 rows a statement) took 4.7× the same rows by INSERT … SELECT; this is that floor.
 * Returns the new ids by mobile number (unique within a file: a repeated one is a bad row).
 */
export async function insertResources(db: DbOrTx, rows: BulkDraft[], now: Date): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const out = await db.execute<{ id: number; mobile: string }>(sql`
    insert into resources (agency_id, contract_id, department_id, contract_office_id, skill_level_id, post_name_id, name_en, name_hi, relation,
                           relative_name, dob, gender, mobile, address, qualification, bank_account, ifsc, uan, esic_ip, status,
                           aadhaar_ref, aadhaar_last4, aadhaar_hash, created_by, created_at, updated_at)
    select x."agencyId", x."contractId", x."departmentId", x."contractOfficeId", x."skillLevelId", x."postNameId", x."nameEn", x."nameHi", x.relation,
           x."relativeName", x.dob::date, x.gender, x.mobile, x.address, x.qualification, x."bankAccount", x.ifsc, x.uan, x."esicIp", 'draft',
           x."aadhaarRef", x."aadhaarLast4", x."aadhaarHash", x."createdBy", ${now}, ${now}
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(
           "agencyId" int, "contractId" int, "departmentId" int, "contractOfficeId" int, "skillLevelId" int, "postNameId" int, "nameEn" text, "nameHi" text,
           relation text, "relativeName" text, dob text, gender text, mobile text, address text, qualification text, "bankAccount" text, ifsc text,
           uan text, "esicIp" text, "aadhaarRef" text, "aadhaarLast4" text, "aadhaarHash" text, "createdBy" int)
    returning id, mobile`);
  return new Map(out.rows.map((r) => [r.mobile, r.id]));
}
