import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import * as pdRepo from './pd.repo.ts';
import { pdAccounts, pdAdviceItems, pdAdvices, pdEcheques, pdVendors } from './pd.table.ts';

/** Vendor master and advices of PD accounts (issue 18 item 4): the queries. */

export type VendorRow = typeof pdVendors.$inferSelect & { proofMime: string };

const vendorSelect = () => ({ v: pdVendors, proofMime: storedFiles.mime });

export async function vendorsOf(db: DbOrTx, accountId: number): Promise<VendorRow[]> {
  const rows = await db
    .select(vendorSelect())
    .from(pdVendors)
    .innerJoin(storedFiles, eq(storedFiles.id, pdVendors.proofFileId))
    .where(eq(pdVendors.accountId, accountId))
    .orderBy(asc(pdVendors.name), asc(pdVendors.id))
    .limit(1000);
  return rows.map((r) => ({ ...r.v, proofMime: r.proofMime }));
}

export async function getVendor(db: DbOrTx, id: number): Promise<VendorRow | undefined> {
  const [r] = await db.select(vendorSelect()).from(pdVendors).innerJoin(storedFiles, eq(storedFiles.id, pdVendors.proofFileId)).where(eq(pdVendors.id, id));
  return r ? { ...r.v, proofMime: r.proofMime } : undefined;
}

export async function vendorByBank(db: DbOrTx, accountId: number, bankAccountNo: string, ifsc: string) {
  const [r] = await db
    .select({ id: pdVendors.id })
    .from(pdVendors)
    .where(and(eq(pdVendors.accountId, accountId), eq(pdVendors.bankAccountNo, bankAccountNo), eq(pdVendors.ifsc, ifsc)));
  return r;
}

export async function insertVendor(tx: DbOrTx, values: typeof pdVendors.$inferInsert) {
  const [row] = await tx.insert(pdVendors).values(values).returning();
  return row!;
}

export type AdviceRow = typeof pdAdvices.$inferSelect & { accountNo: string; totalPaise: number; count: number };

const adviceSelect = () => ({
  a: pdAdvices,
  accountNo: pdAccounts.accountNo,
  totalPaise:
    sql<number>`coalesce((select sum(e.amount_paise) from pd_advice_items i join pd_echeques e on e.id = i.echeque_id where i.advice_id = ${pdAdvices.id}), 0)::bigint`.mapWith(
      Number,
    ),
  count: sql<number>`(select count(*) from pd_advice_items i where i.advice_id = ${pdAdvices.id})::int`.mapWith(Number),
});
const flatAdvice = (r: { a: typeof pdAdvices.$inferSelect; accountNo: string; totalPaise: number; count: number }): AdviceRow => ({
  ...r.a,
  accountNo: r.accountNo,
  totalPaise: r.totalPaise,
  count: r.count,
});

export async function advicesOf(db: DbOrTx, accountId: number, limit = 100): Promise<AdviceRow[]> {
  const rows = await db
    .select(adviceSelect())
    .from(pdAdvices)
    .innerJoin(pdAccounts, eq(pdAccounts.id, pdAdvices.accountId))
    .where(eq(pdAdvices.accountId, accountId))
    .orderBy(desc(pdAdvices.id))
    .limit(limit);
  return rows.map(flatAdvice);
}

export async function getAdvice(db: DbOrTx, id: number): Promise<AdviceRow | undefined> {
  const [r] = await db.select(adviceSelect()).from(pdAdvices).innerJoin(pdAccounts, eq(pdAccounts.id, pdAdvices.accountId)).where(eq(pdAdvices.id, id));
  return r ? flatAdvice(r) : undefined;
}

export async function adviceByKey(db: DbOrTx, accountId: number, key: string) {
  const [r] = await db
    .select({ id: pdAdvices.id })
    .from(pdAdvices)
    .where(and(eq(pdAdvices.accountId, accountId), eq(pdAdvices.idempotencyKey, key)));
  return r ? getAdvice(db, r.id) : undefined;
}

export async function adviceByApproveKey(db: DbOrTx, accountId: number, key: string) {
  const [r] = await db
    .select({ id: pdAdvices.id })
    .from(pdAdvices)
    .where(and(eq(pdAdvices.accountId, accountId), eq(pdAdvices.approveKey, key)));
  return r ? getAdvice(db, r.id) : undefined;
}

/** The e-cheques of an account's advices given, by advice, oldest first. */
export async function echequesOfAdvices(db: DbOrTx, accountId: number, adviceIds: number[]): Promise<Map<number, pdRepo.EchequeRow[]>> {
  const out = new Map<number, pdRepo.EchequeRow[]>();
  if (adviceIds.length === 0) return out;
  const items = await db
    .select({ adviceId: pdAdviceItems.adviceId, echequeId: pdAdviceItems.echequeId })
    .from(pdAdviceItems)
    .where(inArray(pdAdviceItems.adviceId, adviceIds))
    .orderBy(asc(pdAdviceItems.echequeId));
  const recent = new Map((await pdRepo.echequesOf(db, accountId, 2000)).map((e) => [e.id, e]));
  for (const i of items) {
    const e = recent.get(i.echequeId) ?? (await pdRepo.getEcheque(db, i.echequeId));
    if (e) out.set(i.adviceId, [...(out.get(i.adviceId) ?? []), e]);
  }
  return out;
}

/** The e-cheques named, with the advice each is already in (if any). */
export async function echequesForAdvice(db: DbOrTx, ids: number[]) {
  return db
    .select({ id: pdEcheques.id, accountId: pdEcheques.accountId, state: pdEcheques.state, inAdvice: pdAdviceItems.adviceId })
    .from(pdEcheques)
    .leftJoin(pdAdviceItems, eq(pdAdviceItems.echequeId, pdEcheques.id))
    .where(inArray(pdEcheques.id, ids));
}

export async function insertAdvice(tx: DbOrTx, values: typeof pdAdvices.$inferInsert, echequeIds: number[]) {
  const [row] = await tx.insert(pdAdvices).values(values).returning({ id: pdAdvices.id });
  await tx.insert(pdAdviceItems).values(echequeIds.map((echequeId) => ({ adviceId: row!.id, echequeId })));
  return row!.id;
}

/** Draft → approved; undefined when it is no longer a draft (the state check is the row's lock). */
export async function approveAdvice(tx: DbOrTx, id: number, change: { approveKey: string; approveHash: string; approvedBy: number; approvedAt: Date }) {
  const [row] = await tx
    .update(pdAdvices)
    .set({ ...change, state: 'approved' })
    .where(and(eq(pdAdvices.id, id), eq(pdAdvices.state, 'draft')))
    .returning({ id: pdAdvices.id });
  return row;
}

/** Whether an e-cheque is in an approved advice (what the treasury may decide; migration 0035 enforces it too). */
export async function isAdvised(db: DbOrTx, echequeId: number): Promise<boolean> {
  const r = await db.execute(
    sql`select 1 from pd_advice_items i join pd_advices a on a.id = i.advice_id where i.echeque_id = ${echequeId} and a.state = 'approved'`,
  );
  return r.rows.length > 0;
}

/**
 * An approved advice of the e-cheques given, written directly (the demo seed, and tests through
 * pd.adv.fixtures.ts `approveInAdvice`): a draft with its items, then approved — the same rows
 * the administrator's two steps make, without the second factor (no login to bind a code to).
 */
export async function insertApprovedAdvice(tx: DbOrTx, p: { accountId: number; echequeIds: number[]; by: number; now: Date; key: string }): Promise<number> {
  const id = await insertAdvice(tx, { accountId: p.accountId, idempotencyKey: p.key, requestHash: 'direct', createdBy: p.by, createdAt: p.now }, p.echequeIds);
  await approveAdvice(tx, id, { approveKey: p.key, approveHash: 'direct', approvedBy: p.by, approvedAt: p.now });
  return id;
}
