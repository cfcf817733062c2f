import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { budgetLines, treasuries } from '../org/index.ts';
import { pdAccountAccess } from './pd.policy.ts';
import type { TEntry, TPostingKind } from './pd.rules.ts';
import { pdAccounts, pdEcheques, pdEntries, pdLines, pdPostings } from './pd.table.ts';

export type AccountRow = typeof pdAccounts.$inferSelect & { treasuryEn: string; treasuryHi: string; availablePaise: number; reservedPaise: number };
export type EchequeRow = typeof pdEcheques.$inferSelect & { accountNo: string; linePurposeEn: string; linePurposeHi: string; adviceNo: string | null };

const totals = {
  availablePaise: sql<number>`coalesce((select sum(l.available_paise) from pd_lines l where l.account_id = ${pdAccounts.id}), 0)::bigint`.mapWith(Number),
  reservedPaise: sql<number>`coalesce((select sum(l.reserved_paise) from pd_lines l where l.account_id = ${pdAccounts.id}), 0)::bigint`.mapWith(Number),
};

/** The PD accounts an actor may see (the access layer's rule on `pd_accounts pa`), by number. */
export async function listAccounts(db: DbOrTx, reach: Reach): Promise<AccountRow[]> {
  const visible = sql`${pdAccounts.id} in (select pa.id from pd_accounts pa where ${sourceCondition(reach, pdAccountAccess)})`;
  return db
    .select({ ...accountFields(), treasuryEn: treasuries.nameEn, treasuryHi: treasuries.nameHi, ...totals })
    .from(pdAccounts)
    .innerJoin(treasuries, eq(treasuries.id, pdAccounts.treasuryId))
    .where(visible)
    .orderBy(asc(pdAccounts.accountNo))
    .limit(500);
}

function accountFields() {
  const { id, accountNo, source, treasuryId, departmentId, nameEn, nameHi, administratorEn, administratorHi, active, createdAt } = pdAccounts;
  const { closedOn, closedReason } = pdAccounts;
  return { id, accountNo, source, treasuryId, departmentId, nameEn, nameHi, administratorEn, administratorHi, active, createdAt, closedOn, closedReason };
}

export async function getAccount(db: DbOrTx, id: number): Promise<AccountRow | undefined> {
  const [row] = await db
    .select({ ...accountFields(), treasuryEn: treasuries.nameEn, treasuryHi: treasuries.nameHi, ...totals })
    .from(pdAccounts)
    .innerJoin(treasuries, eq(treasuries.id, pdAccounts.treasuryId))
    .where(eq(pdAccounts.id, id));
  return row;
}

export type LineRow = typeof pdLines.$inferSelect & { head: string };

export async function linesOf(db: DbOrTx, accountId: number): Promise<LineRow[]> {
  const rows = await db
    .select({
      line: pdLines,
      head: sql<string>`coalesce(${budgetLines.demandNo} || '-' || ${budgetLines.majorHead} || '-' || ${budgetLines.subMajorHead} || '-' || ${budgetLines.minorHead} || '-' || ${budgetLines.subHead} || '-' || ${budgetLines.detailedHead} || '-' || ${budgetLines.objectHead}, '')`,
    })
    .from(pdLines)
    .leftJoin(budgetLines, eq(budgetLines.id, pdLines.budgetLineId))
    .where(eq(pdLines.accountId, accountId))
    .orderBy(asc(pdLines.id));
  return rows.map((r) => ({ ...r.line, head: r.head }));
}

export async function getLine(db: DbOrTx, lineId: number) {
  const [row] = await db.select().from(pdLines).where(eq(pdLines.id, lineId));
  return row;
}

/** The advice holding an e-cheque, as the treasury sees it (ADV-<account no.>-<id>; migration 0035). */
const adviceNoOf = sql<
  string | null
>`(select 'ADV-' || ${pdAccounts.accountNo} || '-' || i.advice_id from pd_advice_items i where i.echeque_id = ${pdEcheques.id})`;
export const echequeSelect = () => ({
  e: pdEcheques,
  accountNo: pdAccounts.accountNo,
  linePurposeEn: pdLines.purposeEn,
  linePurposeHi: pdLines.purposeHi,
  adviceNo: adviceNoOf,
});
export const flat = (r: {
  e: typeof pdEcheques.$inferSelect;
  accountNo: string;
  linePurposeEn: string;
  linePurposeHi: string;
  adviceNo: string | null;
}): EchequeRow => ({
  ...r.e,
  accountNo: r.accountNo,
  linePurposeEn: r.linePurposeEn,
  linePurposeHi: r.linePurposeHi,
  adviceNo: r.adviceNo,
});

export async function echequesOf(db: DbOrTx, accountId: number, limit = 200): Promise<EchequeRow[]> {
  const rows = await db
    .select(echequeSelect())
    .from(pdEcheques)
    .innerJoin(pdAccounts, eq(pdAccounts.id, pdEcheques.accountId))
    .innerJoin(pdLines, eq(pdLines.id, pdEcheques.lineId))
    .where(eq(pdEcheques.accountId, accountId))
    .orderBy(desc(pdEcheques.id))
    .limit(limit);
  return rows.map(flat);
}

export async function getEcheque(db: DbOrTx, id: number): Promise<EchequeRow | undefined> {
  const [row] = await db
    .select(echequeSelect())
    .from(pdEcheques)
    .innerJoin(pdAccounts, eq(pdAccounts.id, pdEcheques.accountId))
    .innerJoin(pdLines, eq(pdLines.id, pdEcheques.lineId))
    .where(eq(pdEcheques.id, id));
  return row ? flat(row) : undefined;
}

export async function echequeByKey(db: DbOrTx, accountId: number, key: string): Promise<EchequeRow | undefined> {
  const [row] = await db
    .select({ id: pdEcheques.id })
    .from(pdEcheques)
    .where(and(eq(pdEcheques.accountId, accountId), eq(pdEcheques.idempotencyKey, key)));
  return row ? getEcheque(db, row.id) : undefined;
}

/** The e-cheques in a state on the accounts an actor may see (the treasury officer's worklist), oldest first. */
export async function worklist(
  db: DbOrTx,
  reach: Reach,
  state: (typeof pdEcheques.$inferSelect)['state'],
  payeeKind?: 'vendor' | 'book_transfer',
): Promise<EchequeRow[]> {
  const visible = sql`${pdEcheques.accountId} in (select pa.id from pd_accounts pa where ${sourceCondition(reach, pdAccountAccess)})`;
  // Prepared e-cheques reach the treasury only through an approved advice (seed 004, para 3(6); migration 0035).
  const advised = sql`exists (select 1 from pd_advice_items i join pd_advices ad on ad.id = i.advice_id where i.echeque_id = ${pdEcheques.id} and ad.state = 'approved')`;
  const rows = await db
    .select(echequeSelect())
    .from(pdEcheques)
    .innerJoin(pdAccounts, eq(pdAccounts.id, pdEcheques.accountId))
    .innerJoin(pdLines, eq(pdLines.id, pdEcheques.lineId))
    .where(and(eq(pdEcheques.state, state), visible, payeeKind ? eq(pdEcheques.payeeKind, payeeKind) : undefined, state === 'prepared' ? advised : undefined))
    .orderBy(state === 'prepared' ? asc(pdEcheques.id) : desc(pdEcheques.id))
    .limit(500);
  return rows.map(flat);
}

export async function insertEcheque(tx: DbOrTx, values: typeof pdEcheques.$inferInsert) {
  const [row] = await tx.insert(pdEcheques).values(values).returning();
  return row!;
}

/** Moves a prepared e-cheque to passed / returned; undefined when it is no longer prepared (the state check is the row's lock). */
export async function decideEcheque(
  tx: DbOrTx,
  id: number,
  change: { state: 'passed' | 'returned'; decidedBy: number; decidedAt: Date; returnReason?: string },
) {
  const [row] = await tx
    .update(pdEcheques)
    .set(change)
    .where(and(eq(pdEcheques.id, id), eq(pdEcheques.state, 'prepared')))
    .returning();
  return row;
}

/** One posting and its entries. The database moves the line's stored balances and refuses an overdraft (migration 0018). */
/**
 * Deposits on a line are written one at a time (a transaction-level advisory lock): twenty saves of
 * one challan at once take turns, so the second finds the first (liveDeposit).
 */
export async function lockLineDeposits(tx: DbOrTx, lineId: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`pd:deposit:${lineId}`}))`);
}

/** A deposit on the line under this reference that has not been reversed (the same challan or transfer saved again). */
export async function liveDeposit(tx: DbOrTx, lineId: number, reference: string): Promise<boolean> {
  const rows = await tx.execute(
    sql`select 1 from pd_postings d where d.line_id = ${lineId} and d.kind = 'deposit' and d.reference = ${reference}
        and not exists (select 1 from pd_postings r where r.reverses_id = d.id) limit 1`,
  );
  return rows.rows.length > 0;
}

export async function post(
  tx: DbOrTx,
  p: {
    accountId: number;
    lineId: number;
    kind: TPostingKind;
    echequeId?: number | null;
    reversesId?: number | null;
    reference?: string;
    valueDate: string;
    createdBy: number | null;
    createdAt: Date;
  },
  entries: readonly TEntry[],
): Promise<number> {
  const [posting] = await tx
    .insert(pdPostings)
    .values({
      accountId: p.accountId,
      lineId: p.lineId,
      kind: p.kind,
      echequeId: p.echequeId ?? null,
      reversesId: p.reversesId ?? null,
      reference: p.reference ?? '',
      valueDate: p.valueDate,
      createdBy: p.createdBy,
      createdAt: p.createdAt,
    })
    .returning({ id: pdPostings.id });
  await tx
    .insert(pdEntries)
    .values(entries.map((e) => ({ postingId: posting!.id, lineId: p.lineId, ledgerAccount: e.ledgerAccount, amountPaise: e.amountPaise })));
  return posting!.id;
}

export async function entriesOfPosting(db: DbOrTx, postingId: number) {
  const [posting] = await db.select().from(pdPostings).where(eq(pdPostings.id, postingId));
  const entries = await db.select().from(pdEntries).where(eq(pdEntries.postingId, postingId)).orderBy(asc(pdEntries.id));
  return { posting, entries };
}

export type StatementRow = {
  line_id: number;
  posting_id: number;
  value_date: string;
  kind: string;
  reference: string;
  echeque_id: number | null;
  amount: number;
};

/** Per line of an account: its money (available + reserved) before `from`, and each posting from `from` to `to` that changed it. */
export async function statementRows(db: DbOrTx, accountId: number, from: string, to: string) {
  const opening = await db.execute<{ line_id: number; amount: string | number }>(sql`
    select e.line_id, coalesce(sum(e.amount_paise), 0) as amount
      from pd_entries e join pd_postings p on p.id = e.posting_id
     where p.account_id = ${accountId} and p.value_date < ${from} and e.ledger_account in ('line_available', 'line_reserved')
     group by e.line_id`);
  const moves = await db.execute<StatementRow & { amount: string | number }>(sql`
    select p.line_id, p.id as posting_id, to_char(p.value_date, 'YYYY-MM-DD') as value_date, p.kind, p.reference, p.echeque_id, sum(e.amount_paise) as amount
      from pd_postings p join pd_entries e on e.posting_id = p.id
     where p.account_id = ${accountId} and p.value_date between ${from} and ${to} and e.ledger_account in ('line_available', 'line_reserved')
     group by p.id
    having sum(e.amount_paise) <> 0
     order by p.value_date, p.id`);
  return {
    opening: new Map(opening.rows.map((r) => [Number(r.line_id), Number(r.amount)])),
    moves: moves.rows.map((r) => ({ ...r, line_id: Number(r.line_id), posting_id: Number(r.posting_id), amount: Number(r.amount) })),
  };
}
