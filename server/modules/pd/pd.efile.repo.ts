import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { treasuries } from '../org/index.ts';
import { pdAccountAccess } from './pd.policy.ts';
import { pdEfileAccess } from './pd.efile.policy.ts';
import { pdBankersCheques, pdEfileItems, pdEfiles, pdScrollRows, pdScrolls } from './pd.efile.table.ts';
import { type EchequeRow, echequeSelect, flat } from './pd.repo.ts';
import { pdAccounts, pdEcheques, pdLines } from './pd.table.ts';

/** Queries of the e-file, the bank scroll and the banker's cheques (docs/PD-EFILE.md). */

export type EfileRow = typeof pdEfiles.$inferSelect;

export type EfileSummaryRow = {
  id: number;
  file_no: string;
  created_at: Date | string;
  treasury_en: string;
  treasury_hi: string;
  scrolls: number;
  sent_count: number;
  sent_paise: number;
  discharged_count: number;
  discharged_paise: number;
  failed_count: number;
  failed_paise: number;
  outstanding_count: number;
  outstanding_paise: number;
  bankers_count: number;
};

const summarySql = (where: ReturnType<typeof sql>) => sql`
  select pef.id, pef.file_no, pef.created_at, t.name_en as treasury_en, t.name_hi as treasury_hi,
         (select count(*) from pd_scrolls s where s.efile_id = pef.id)::int as scrolls,
         count(i.seq)::int as sent_count, coalesce(sum(i.amount_paise), 0)::bigint as sent_paise,
         (count(*) filter (where e.state = 'discharged'))::int as discharged_count,
         coalesce(sum(i.amount_paise) filter (where e.state = 'discharged'), 0)::bigint as discharged_paise,
         (count(*) filter (where e.state = 'failed'))::int as failed_count,
         coalesce(sum(i.amount_paise) filter (where e.state = 'failed'), 0)::bigint as failed_paise,
         (count(*) filter (where e.state = 'in_efile'))::int as outstanding_count,
         coalesce(sum(i.amount_paise) filter (where e.state = 'in_efile'), 0)::bigint as outstanding_paise,
         count(b.id)::int as bankers_count
    from pd_efiles pef
    join treasuries t on t.id = pef.treasury_id
    join pd_efile_items i on i.efile_id = pef.id
    join pd_echeques e on e.id = i.echeque_id
    left join pd_bankers_cheques b on b.echeque_id = e.id
   where ${where}
   group by pef.id, t.id
   order by pef.id desc
   limit 200`;

const numeric = (r: EfileSummaryRow): EfileSummaryRow => ({
  ...r,
  id: Number(r.id),
  scrolls: Number(r.scrolls),
  sent_count: Number(r.sent_count),
  sent_paise: Number(r.sent_paise),
  discharged_count: Number(r.discharged_count),
  discharged_paise: Number(r.discharged_paise),
  failed_count: Number(r.failed_count),
  failed_paise: Number(r.failed_paise),
  outstanding_count: Number(r.outstanding_count),
  outstanding_paise: Number(r.outstanding_paise),
  bankers_count: Number(r.bankers_count),
});

/** The e-files an actor may see, newest first, each with its reconciliation totals. */
export async function listEfiles(db: DbOrTx, reach: Reach): Promise<EfileSummaryRow[]> {
  const r = await db.execute<EfileSummaryRow>(summarySql(sourceCondition(reach, pdEfileAccess)));
  return r.rows.map(numeric);
}

export async function efileSummary(db: DbOrTx, id: number): Promise<EfileSummaryRow | undefined> {
  const r = await db.execute<EfileSummaryRow>(summarySql(sql`pef.id = ${id}`));
  return r.rows[0] ? numeric(r.rows[0]) : undefined;
}

export async function getEfile(db: DbOrTx, id: number): Promise<EfileRow | undefined> {
  const [row] = await db.select().from(pdEfiles).where(eq(pdEfiles.id, id));
  return row;
}

export async function efileByKey(db: DbOrTx, treasuryId: number, key: string): Promise<EfileRow | undefined> {
  const [row] = await db
    .select()
    .from(pdEfiles)
    .where(and(eq(pdEfiles.treasuryId, treasuryId), eq(pdEfiles.idempotencyKey, key)));
  return row;
}

export async function treasuryCode(db: DbOrTx, treasuryId: number): Promise<string> {
  const [row] = await db.select({ code: treasuries.code }).from(treasuries).where(eq(treasuries.id, treasuryId));
  return row?.code ?? String(treasuryId);
}

/** The e-cheques asked for, with their account's treasury and the full payee account number (the bank needs it). */
export async function echequesForEfile(db: DbOrTx, ids: readonly number[]) {
  return db
    .select({
      id: pdEcheques.id,
      accountId: pdEcheques.accountId,
      accountNo: pdAccounts.accountNo,
      treasuryId: pdAccounts.treasuryId,
      departmentId: pdAccounts.departmentId,
      payeeKind: pdEcheques.payeeKind,
      payeeName: pdEcheques.payeeName,
      payeeAccountNo: pdEcheques.payeeAccountNo,
      payeeIfsc: pdEcheques.payeeIfsc,
      amountPaise: pdEcheques.amountPaise,
      state: pdEcheques.state,
      preparedBy: pdEcheques.preparedBy,
    })
    .from(pdEcheques)
    .innerJoin(pdAccounts, eq(pdAccounts.id, pdEcheques.accountId))
    .where(inArray(pdEcheques.id, [...ids]))
    .orderBy(asc(pdEcheques.id));
}

/**
 * Moves passed vendor e-cheques to in_efile; returns the ids that moved. Concurrent generations
 * queue on the rows' locks and re-read the state, so an e-cheque moves once.
 */
export async function markInEfile(tx: DbOrTx, ids: readonly number[]): Promise<number[]> {
  const rows = await tx
    .update(pdEcheques)
    .set({ state: 'in_efile' })
    .where(and(inArray(pdEcheques.id, [...ids]), eq(pdEcheques.state, 'passed'), eq(pdEcheques.payeeKind, 'vendor')))
    .returning({ id: pdEcheques.id });
  return rows.map((r) => r.id);
}

export async function nextEfileId(tx: DbOrTx): Promise<number> {
  const r = await tx.execute<{ id: string | number }>(sql`select nextval(pg_get_serial_sequence('pd_efiles', 'id')) as id`);
  return Number(r.rows[0]!.id);
}

export async function insertEfile(tx: DbOrTx, values: typeof pdEfiles.$inferInsert, items: (typeof pdEfileItems.$inferInsert)[]) {
  await tx.insert(pdEfiles).values(values);
  await tx.insert(pdEfileItems).values(items);
}

export type EfileItemRow = {
  seq: number;
  echequeId: number;
  amountPaise: number;
  state: string;
  outcome: 'paid' | 'failed' | null;
  bankRef: string | null;
  valueDate: string | null;
  reason: string | null;
};

/** An e-file's e-cheques in file order, with what the scroll said of each. */
export async function itemsOf(db: DbOrTx, efileId: number): Promise<EfileItemRow[]> {
  const rows = await db
    .select({
      seq: pdEfileItems.seq,
      echequeId: pdEfileItems.echequeId,
      amountPaise: pdEfileItems.amountPaise,
      state: pdEcheques.state,
      outcome: pdScrollRows.outcome,
      bankRef: pdScrollRows.bankRef,
      valueDate: pdScrollRows.valueDate,
      reason: pdScrollRows.reason,
    })
    .from(pdEfileItems)
    .innerJoin(pdEcheques, eq(pdEcheques.id, pdEfileItems.echequeId))
    .leftJoin(pdScrollRows, eq(pdScrollRows.echequeId, pdEfileItems.echequeId))
    .where(eq(pdEfileItems.efileId, efileId))
    .orderBy(asc(pdEfileItems.seq));
  return rows.map((r) => ({ ...r, amountPaise: Number(r.amountPaise) }));
}

export async function scrollsOf(db: DbOrTx, efileId: number) {
  return db.select().from(pdScrolls).where(eq(pdScrolls.efileId, efileId)).orderBy(asc(pdScrolls.id));
}

export async function scrollBySha(db: DbOrTx, efileId: number, sha: string) {
  const [row] = await db
    .select()
    .from(pdScrolls)
    .where(and(eq(pdScrolls.efileId, efileId), eq(pdScrolls.sha256, sha)));
  return row;
}

export async function bankersChequesOf(db: DbOrTx, echequeIds: readonly number[]) {
  if (echequeIds.length === 0) return [];
  return db
    .select()
    .from(pdBankersCheques)
    .where(inArray(pdBankersCheques.echequeId, [...echequeIds]));
}

/** Of these e-cheque ids, those that exist on an account the actor may see (the others are "unknown" to it). */
export async function visibleEcheques(db: DbOrTx, reach: Reach, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: pdEcheques.id })
    .from(pdEcheques)
    .where(
      and(
        inArray(pdEcheques.id, [...ids]),
        sql`${pdEcheques.accountId} in (select pa.id from pd_accounts pa where ${sourceCondition(reach, pdAccountAccess)})`,
      ),
    );
  return new Set(rows.map((r) => r.id));
}

export async function insertScroll(
  tx: DbOrTx,
  values: typeof pdScrolls.$inferInsert,
  rows: Omit<typeof pdScrollRows.$inferInsert, 'scrollId'>[],
): Promise<number> {
  const [s] = await tx.insert(pdScrolls).values(values).returning({ id: pdScrolls.id });
  await tx.insert(pdScrollRows).values(rows.map((r) => ({ ...r, scrollId: s!.id })));
  return s!.id;
}

/** Settles in_efile e-cheques of an e-file as the scroll says; returns the ids that moved. */
export async function settle(tx: DbOrTx, efileId: number, ids: readonly number[], state: 'discharged' | 'failed'): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .update(pdEcheques)
    .set({ state })
    .where(
      and(
        inArray(pdEcheques.id, [...ids]),
        eq(pdEcheques.state, 'in_efile'),
        sql`${pdEcheques.id} in (select echeque_id from pd_efile_items where efile_id = ${efileId})`,
      ),
    )
    .returning({ id: pdEcheques.id });
  return rows.map((r) => r.id);
}

export async function insertBankersCheque(tx: DbOrTx, values: typeof pdBankersCheques.$inferInsert) {
  const [row] = await tx.insert(pdBankersCheques).values(values).returning();
  return row!;
}

export async function efileOfEcheque(db: DbOrTx, echequeId: number): Promise<number | undefined> {
  const [row] = await db.select({ id: pdEfileItems.efileId }).from(pdEfileItems).where(eq(pdEfileItems.echequeId, echequeId));
  return row?.id;
}

/** E-cheque rows (as pd.repo's EchequeRow) for many ids at once. */
export async function echequeRows(db: DbOrTx, ids: readonly number[]): Promise<EchequeRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(echequeSelect())
    .from(pdEcheques)
    .innerJoin(pdAccounts, eq(pdAccounts.id, pdEcheques.accountId))
    .innerJoin(pdLines, eq(pdLines.id, pdEcheques.lineId))
    .where(inArray(pdEcheques.id, [...ids]));
  return rows.map(flat);
}

/** An account's banker's cheques, newest first, with the failed e-cheque's payee and the bank's reason. */
export async function bankersChequesOfAccount(db: DbOrTx, accountId: number) {
  return db
    .select({ b: pdBankersCheques, payeeName: pdEcheques.payeeName, reason: pdScrollRows.reason })
    .from(pdBankersCheques)
    .innerJoin(pdEcheques, eq(pdEcheques.id, pdBankersCheques.echequeId))
    .leftJoin(pdScrollRows, eq(pdScrollRows.echequeId, pdBankersCheques.echequeId))
    .where(eq(pdBankersCheques.accountId, accountId))
    .orderBy(sql`${pdBankersCheques.id} desc`)
    .limit(200);
}
