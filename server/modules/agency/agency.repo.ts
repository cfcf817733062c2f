import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { TAgencyListQuery, TAgencyStatus } from '../../../shared/contracts/agency.ts';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.ts';
import { intArray, likeOf } from '../../db/query.ts';
import { readAll } from '../../db/read-all.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { userNameOf } from '../users/index.ts';
import { districts } from '../org/index.ts';
import { agencies, agencyDocuments, agencyStatusEvents, signupOtps } from './agency.table.ts';

export type AgencyRow = typeof agencies.$inferSelect;

// --- Agencies -----------------------------------------------------------------------------------

/** `agencies` under the alias its access policy names it by (agency.policy.ts). */
const a = alias(agencies, 'a');

const summaryCols = {
  id: a.id,
  legalName: a.legalName,
  type: a.type,
  pan: a.pan,
  gstin: a.gstin,
  districtId: a.districtId,
  districtNameEn: districts.nameEn,
  districtNameHi: districts.nameHi,
  status: a.status,
  statusDepartmentId: a.statusDepartmentId,
  licenceValidTo: a.licenceValidTo,
  licenceWorkmen: a.licenceWorkmen,
  registeredVia: a.registeredVia,
  createdAt: a.createdAt,
};

/**
 * A page of agencies. `scope` is the actor's list condition from the access layer
 * (`sourceCondition(reach, agencyAccess)`, written over the alias `a` of `agencies`: the query
 * below reads `agencies` under that alias); `alertBefore` (today + 30 days, IST) selects licences
 * expired or expiring by then.
 */
export async function listAgencies(db: DbOrTx, p: TAgencyListQuery & { scope: SQL; alertBefore: string; viewerDepartmentId: number | 'all' }) {
  const conds: (SQL | undefined)[] = [p.scope];
  // The status as this viewer sees it (agency.policy.statusSeenBy): another department's suspension reads as verified.
  const seen =
    p.viewerDepartmentId === 'all'
      ? sql`${a.status}`
      : sql`(case when ${a.status} = 'suspended' and ${a.statusDepartmentId} is distinct from ${p.viewerDepartmentId}::int and ${a.statusDepartmentId} is not null then 'verified' else ${a.status} end)`;
  if (p.status) conds.push(sql`${seen} = ${p.status}`);
  if (p.districtId) conds.push(eq(a.districtId, p.districtId));
  if (p.licence === 'alert') conds.push(lte(a.licenceValidTo, p.alertBefore));
  if (p.q) conds.push(or(ilike(a.legalName, likeOf(p.q)), ilike(a.pan, likeOf(p.q.toUpperCase()))));
  const where = and(...conds);
  const col = { legalName: a.legalName, createdAt: a.createdAt, licenceValidTo: a.licenceValidTo, status: a.status }[p.sort];
  // The page and the count as two statements side by side, not one with count(*) over (): the
  // window joined, numbered and sorted all 2,000 agencies to return 25 (≈ 4 ms of execution at
  // state scale); now the default order (legal name) is read from its index (migration 0055) and
  // stops at the page, and the count is an index-only scan (bench/RESULTS.md).
  const [rows, [c]] = await readAll(db, [
    () =>
      db
        .select(summaryCols)
        .from(a)
        .innerJoin(districts, eq(districts.id, a.districtId))
        .where(where)
        .orderBy(p.dir === 'asc' ? asc(col) : desc(col), asc(a.id))
        .limit(p.pageSize)
        .offset((p.page - 1) * p.pageSize),
    () => db.select({ n: count() }).from(a).where(where),
  ]);
  return { items: rows, total: c?.n ?? 0 };
}

export async function getAgency(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ a: agencies, districtNameEn: districts.nameEn, districtNameHi: districts.nameHi })
    .from(agencies)
    .innerJoin(districts, eq(districts.id, agencies.districtId))
    .where(eq(agencies.id, id))
    .limit(1);
  return row ?? null;
}

export async function getAgencyRow(db: DbOrTx, id: number) {
  const [row] = await db.select().from(agencies).where(eq(agencies.id, id)).limit(1);
  return row ?? null;
}

export async function panTaken(db: DbOrTx, pan: string) {
  const [row] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.pan, pan)).limit(1);
  return Boolean(row);
}

export async function insertAgency(db: DbOrTx, a: typeof agencies.$inferInsert) {
  const [row] = await db.insert(agencies).values(a).returning();
  return row!;
}

/**
 * Moves the status only if it is still one of `from` (a conditional UPDATE … RETURNING): a
 * double click or two officers at once change it once; the loser gets null.
 */
export async function moveStatus(
  db: DbOrTx,
  id: number,
  from: readonly TAgencyStatus[],
  patch: Pick<typeof agencies.$inferInsert, 'status' | 'statusReason' | 'statusOrderRef' | 'statusFrom' | 'statusTo' | 'statusDepartmentId' | 'updatedAt'> & {
    verifiedBy?: number;
    verifiedAt?: Date;
  },
) {
  const [row] = await db
    .update(agencies)
    .set(patch)
    .where(and(eq(agencies.id, id), inArray(agencies.status, [...from])))
    .returning();
  return row ?? null;
}

export async function insertStatusEvent(db: DbOrTx, e: typeof agencyStatusEvents.$inferInsert) {
  await db.insert(agencyStatusEvents).values(e);
}

export async function listStatusEvents(db: DbOrTx, agencyId: number) {
  return db
    .select({
      id: agencyStatusEvents.id,
      fromStatus: agencyStatusEvents.fromStatus,
      toStatus: agencyStatusEvents.toStatus,
      reason: agencyStatusEvents.reason,
      orderRef: agencyStatusEvents.orderRef,
      periodFrom: agencyStatusEvents.periodFrom,
      periodTo: agencyStatusEvents.periodTo,
      byName: userNameOf(agencyStatusEvents.byUser),
      at: agencyStatusEvents.at,
    })
    .from(agencyStatusEvents)
    .where(eq(agencyStatusEvents.agencyId, agencyId))
    .orderBy(asc(agencyStatusEvents.at), asc(agencyStatusEvents.id));
}

/** Agencies whose licence has expired or expires by `before` (for the daily alert job). */
export async function agenciesWithLicenceBy(db: DbOrTx, before: string) {
  return db
    .select({
      id: agencies.id,
      legalName: agencies.legalName,
      licenceNo: agencies.licenceNo,
      licenceValidTo: agencies.licenceValidTo,
      mobile: agencies.mobile,
      email: agencies.email,
      status: agencies.status,
    })
    .from(agencies)
    .where(and(lte(agencies.licenceValidTo, before), inArray(agencies.status, ['pending', 'verified', 'suspended'])))
    .orderBy(asc(agencies.id));
}

// --- Documents ----------------------------------------------------------------------------------

export async function insertDocument(db: DbOrTx, d: typeof agencyDocuments.$inferInsert) {
  const [row] = await db.insert(agencyDocuments).values(d).returning();
  return row!;
}

export async function listDocuments(db: DbOrTx, agencyId: number) {
  return db
    .select({
      id: agencyDocuments.id,
      kind: agencyDocuments.kind,
      name: storedFiles.originalName,
      sizeBytes: storedFiles.sizeBytes,
      sha256: storedFiles.sha256,
      uploadedAt: agencyDocuments.createdAt,
    })
    .from(agencyDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, agencyDocuments.fileId))
    .where(eq(agencyDocuments.agencyId, agencyId))
    .orderBy(asc(agencyDocuments.kind), desc(agencyDocuments.id));
}

export async function getDocument(db: DbOrTx, agencyId: number, docId: number) {
  const [row] = await db
    .select({ id: agencyDocuments.id, kind: agencyDocuments.kind, fileId: agencyDocuments.fileId })
    .from(agencyDocuments)
    .where(and(eq(agencyDocuments.id, docId), eq(agencyDocuments.agencyId, agencyId)))
    .limit(1);
  return row ?? null;
}

// --- Sign-up one-time codes ---------------------------------------------------------------------

export async function countSignupOtpsSince(db: DbOrTx, by: { mobile?: string; ip?: string }, since: Date) {
  const conds: SQL[] = [gte(signupOtps.createdAt, since)];
  if (by.mobile !== undefined) conds.push(eq(signupOtps.mobile, by.mobile));
  if (by.ip !== undefined) conds.push(eq(signupOtps.ip, by.ip));
  const [r] = await db
    .select({ n: count() })
    .from(signupOtps)
    .where(and(...conds));
  return r?.n ?? 0;
}

export async function insertSignupOtp(db: DbOrTx, o: typeof signupOtps.$inferInsert) {
  await db.insert(signupOtps).values(o);
}

export async function lockSignupOtp(db: DbOrTx, requestHash: string) {
  const [row] = await db.select().from(signupOtps).where(eq(signupOtps.requestHash, requestHash)).limit(1).for('update');
  return row ?? null;
}

export async function markSignupOtp(db: DbOrTx, id: number, patch: { attempts?: number; usedAt?: Date }) {
  await db.update(signupOtps).set(patch).where(eq(signupOtps.id, id));
}

/** One more wrong try, counted outside the sign-up's transaction (which rolls back). */
export async function countWrongSignupTry(db: DbOrTx, id: number) {
  await db
    .update(signupOtps)
    .set({ attempts: sql`${signupOtps.attempts} + 1` })
    .where(and(eq(signupOtps.id, id), isNull(signupOtps.usedAt)));
}

// --- Districts (sign-up) ---------------------------------------------------------------------

export async function districtActive(db: DbOrTx, id: number) {
  const [d] = await db.select({ active: districts.active }).from(districts).where(eq(districts.id, id)).limit(1);
  return Boolean(d?.active);
}

export async function activeDistricts(db: DbOrTx) {
  return db
    .select({ id: districts.id, nameEn: districts.nameEn, nameHi: districts.nameHi })
    .from(districts)
    .where(eq(districts.active, true))
    .orderBy(asc(districts.nameEn));
}

// --- Read by the contract module through index.ts ----------------------------------------------

export type AgencyParty = { id: number; legalName: string; status: string; statusReason: string; mobile: string; email: string };

/** Name, status and contacts of the given agencies (unknown ids are left out). */
export async function agencyParties(db: DbOrTx, ids: number[]): Promise<AgencyParty[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: agencies.id,
      legalName: agencies.legalName,
      status: agencies.status,
      statusReason: agencies.statusReason,
      mobile: agencies.mobile,
      email: agencies.email,
    })
    .from(agencies)
    .where(inArray(agencies.id, [...new Set(ids)]));
}

/** Agencies whose legal name or PAN contains `q` (all when q is empty), verified first, by name. */
export async function searchAgencies(db: DbOrTx, q: string | undefined, limit = 50) {
  const where = q ? or(ilike(agencies.legalName, likeOf(q)), ilike(agencies.pan, likeOf(q))) : undefined;
  return db
    .select({ id: agencies.id, legalName: agencies.legalName, status: agencies.status, licenceValidTo: agencies.licenceValidTo })
    .from(agencies)
    .where(where)
    .orderBy(desc(sql`${agencies.status} = 'verified'`), asc(agencies.legalName), asc(agencies.id))
    .limit(limit);
}

/** Ids of the agencies whose legal name contains `q`. */
export async function agencyIdsNamed(db: DbOrTx, q: string): Promise<number[]> {
  const rows = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(ilike(agencies.legalName, likeOf(q)));
  return rows.map((r) => r.id);
}

// --- Read by other modules (issue: modules own their data) ---------------------------------------

/**
 * Agencies' names as a relation (`id`, `legal_name`) for another module's own query to join
 * (`join ${agencyNamesSql()} a on a.id = …`): the planner folds it into a plain join, so the
 * caller keeps one query without naming this module's tables.
 */
export function agencyNamesSql(): SQL {
  return sql`(select id, legal_name from agencies)`;
}

/** The licence's workmen limit and last valid day (resource approval), or null when no such agency. */
export async function agencyLicence(db: DbOrTx, agencyId: number) {
  const r = await db.execute<{ workmen: number; validTo: string }>(
    sql`select licence_workmen as workmen, licence_valid_to::text as "validTo" from agencies where id = ${agencyId}`,
  );
  return r.rows[0] ?? null;
}

export type AgencyInvoiceParty = { id: number; legalName: string; gstin: string; pan: string; address: string };

/** What an invoice prints of its agency (spec 06 "The invoice document"), or null. */
export async function agencyInvoiceParty(db: DbOrTx, agencyId: number): Promise<AgencyInvoiceParty | null> {
  return (await agencyInvoiceParties(db, [agencyId])).get(agencyId) ?? null;
}

/** The same for many agencies in one query (the month's invoices of every contract), by id. */
export async function agencyInvoiceParties(db: DbOrTx, agencyIds: readonly number[]): Promise<Map<number, AgencyInvoiceParty>> {
  if (agencyIds.length === 0) return new Map();
  const r = await db.execute<AgencyInvoiceParty>(
    sql`select id, legal_name as "legalName", gstin, pan, address from agencies where id = any(${intArray(agencyIds)})`,
  );
  return new Map(r.rows.map((a) => [a.id, a]));
}

/** The agency's bank account as a payee of a bill (issue 17): legal name, account, IFSC, PAN. */
export async function agencyPayee(db: DbOrTx, agencyId: number): Promise<{ legalName: string; bankAccount: string; ifsc: string; pan: string } | null> {
  const r = await db.execute<{ legalName: string; bankAccount: string; ifsc: string; pan: string }>(
    sql`select legal_name as "legalName", bank_account as "bankAccount", ifsc, pan from agencies where id = ${agencyId}`,
  );
  return r.rows[0] ?? null;
}
