import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { budgetLines, departments, treasuries } from '../org/index.ts';
import { pdProposalAccess, pdProposalRowAccess } from './pd.open.policy.ts';
import { pdProposalLines, pdProposalRows, pdProposals } from './pd.open.table.ts';
import { pdAccounts, pdLines } from './pd.table.ts';
import type { TPdProposalState } from '../../../shared/contracts/pd-open.ts';

/** Queries of the PD opening (issue 18 item 1); the only place its service reaches the database. */

export type ProposalRow = typeof pdProposals.$inferSelect & { departmentEn: string; departmentHi: string; rowCount: number };
export type RowRow = typeof pdProposalRows.$inferSelect & { treasuryEn: string; treasuryHi: string; accountNo: string | null; loginId: string | null };
export type LineRow = typeof pdProposalLines.$inferSelect & { head: string };

const headSql = sql<string>`coalesce(${budgetLines.demandNo} || '-' || ${budgetLines.majorHead} || '-' || ${budgetLines.subMajorHead} || '-' || ${budgetLines.minorHead} || '-' || ${budgetLines.subHead} || '-' || ${budgetLines.detailedHead} || '-' || ${budgetLines.objectHead}, '')`;

function proposalSelect(db: DbOrTx) {
  return db
    .select({
      p: pdProposals,
      departmentEn: departments.nameEn,
      departmentHi: departments.nameHi,
      rowCount: sql<number>`(select count(*)::int from pd_proposal_rows r where r.proposal_id = ${pdProposals.id})`,
    })
    .from(pdProposals)
    .innerJoin(departments, eq(departments.id, pdProposals.departmentId));
}
const flat = (r: { p: typeof pdProposals.$inferSelect; departmentEn: string; departmentHi: string; rowCount: number }): ProposalRow => ({
  ...r.p,
  departmentEn: r.departmentEn,
  departmentHi: r.departmentHi,
  rowCount: Number(r.rowCount),
});

export async function listProposals(db: DbOrTx, reach: Reach, state?: TPdProposalState): Promise<ProposalRow[]> {
  const scope = sql`exists (select 1 from ${pdProposalAccess.from} where pp.id = ${pdProposals.id} and ${sourceCondition(reach, pdProposalAccess)})`;
  const rows = await proposalSelect(db)
    .where(state ? and(scope, eq(pdProposals.state, state)) : scope)
    .orderBy(asc(pdProposals.id))
    .limit(500);
  return rows.map(flat);
}

export async function getProposal(db: DbOrTx, id: number, forUpdate = false): Promise<ProposalRow | null> {
  if (forUpdate) await db.execute(sql`select id from pd_proposals where id = ${id} for update`);
  const [r] = await proposalSelect(db).where(eq(pdProposals.id, id));
  return r ? flat(r) : null;
}

function rowSelect(db: DbOrTx) {
  return db
    .select({
      r: pdProposalRows,
      treasuryEn: treasuries.nameEn,
      treasuryHi: treasuries.nameHi,
      accountNo: pdAccounts.accountNo,
    })
    .from(pdProposalRows)
    .innerJoin(treasuries, eq(treasuries.id, pdProposalRows.treasuryId))
    .leftJoin(pdAccounts, eq(pdAccounts.id, pdProposalRows.accountId));
}
const flatRow = (x: { r: typeof pdProposalRows.$inferSelect; treasuryEn: string; treasuryHi: string; accountNo: string | null }): RowRow => ({
  ...x.r,
  treasuryEn: x.treasuryEn,
  treasuryHi: x.treasuryHi,
  accountNo: x.accountNo,
  // The login id is the account number (seed 004 para 1(a)(6)); a non-government account has none.
  loginId: x.r.loginUserId !== null ? x.accountNo : null,
});

export async function rowsOf(db: DbOrTx, proposalIds: number[]): Promise<RowRow[]> {
  if (proposalIds.length === 0) return [];
  const rows = await rowSelect(db).where(inArray(pdProposalRows.proposalId, proposalIds)).orderBy(asc(pdProposalRows.proposalId), asc(pdProposalRows.position));
  return rows.map(flatRow);
}

export async function getRow(db: DbOrTx, id: number): Promise<RowRow | null> {
  const [r] = await rowSelect(db).where(eq(pdProposalRows.id, id));
  return r ? flatRow(r) : null;
}

export async function linesOf(db: DbOrTx, rowIds: number[]): Promise<LineRow[]> {
  if (rowIds.length === 0) return [];
  const rows = await db
    .select({ l: pdProposalLines, head: headSql })
    .from(pdProposalLines)
    .leftJoin(budgetLines, eq(budgetLines.id, pdProposalLines.budgetLineId))
    .where(inArray(pdProposalLines.rowId, rowIds))
    .orderBy(asc(pdProposalLines.id));
  return rows.map((x) => ({ ...x.l, head: x.head }));
}

/** The applications (rows of applied or registered proposals) the actor's reach holds. */
export async function listApplications(db: DbOrTx, reach: Reach, registered: boolean): Promise<(RowRow & { proposal: ProposalRow })[]> {
  const scope = sql`exists (select 1 from ${pdProposalRowAccess.from} where pr.id = ${pdProposalRows.id} and ${sourceCondition(reach, pdProposalRowAccess)})`;
  const rows = await rowSelect(db)
    .where(and(scope, registered ? sql`${pdProposalRows.accountId} is not null` : isNull(pdProposalRows.accountId)))
    .orderBy(asc(pdProposalRows.id))
    .limit(500);
  const flatRows = rows.map(flatRow);
  const proposals = new Map<number, ProposalRow>();
  const ids = [...new Set(flatRows.map((r) => r.proposalId))];
  if (ids.length) for (const p of (await proposalSelect(db).where(inArray(pdProposals.id, ids))).map(flat)) proposals.set(p.id, p);
  return flatRows
    .filter((r) => {
      const p = proposals.get(r.proposalId);
      return p !== undefined && (p.state === 'applied' || p.state === 'registered');
    })
    .map((r) => ({ ...r, proposal: proposals.get(r.proposalId)! }));
}

export type NewRow = Omit<typeof pdProposalRows.$inferInsert, 'proposalId' | 'position'> & { lines: { budgetLineId: number | null; purpose: string }[] };

export async function insertProposal(tx: DbOrTx, p: typeof pdProposals.$inferInsert): Promise<number> {
  const [r] = await tx.insert(pdProposals).values(p).returning({ id: pdProposals.id });
  return r!.id;
}

/** Replaces a draft's rows and lines (the database refuses it once the proposal has left the draft). */
export async function replaceRows(tx: DbOrTx, proposalId: number, rows: NewRow[]): Promise<void> {
  const old = await tx.select({ id: pdProposalRows.id }).from(pdProposalRows).where(eq(pdProposalRows.proposalId, proposalId));
  if (old.length) {
    await tx.delete(pdProposalLines).where(
      inArray(
        pdProposalLines.rowId,
        old.map((o) => o.id),
      ),
    );
    await tx.delete(pdProposalRows).where(eq(pdProposalRows.proposalId, proposalId));
  }
  for (const [i, { lines, ...row }] of rows.entries()) {
    const [r] = await tx
      .insert(pdProposalRows)
      .values({ ...row, proposalId, position: i + 1 })
      .returning({ id: pdProposalRows.id });
    if (lines.length) await tx.insert(pdProposalLines).values(lines.map((l) => ({ ...l, rowId: r!.id })));
  }
}

/** Moves a proposal from one state to the next; false when it was not (any longer) in `from`. */
export async function transition(
  tx: DbOrTx,
  id: number,
  from: TPdProposalState,
  set: Partial<typeof pdProposals.$inferInsert> & { state: TPdProposalState },
): Promise<boolean> {
  const r = await tx
    .update(pdProposals)
    .set(set)
    .where(and(eq(pdProposals.id, id), eq(pdProposals.state, from)))
    .returning({ id: pdProposals.id });
  return r.length === 1;
}

export async function touch(tx: DbOrTx, id: number, now: Date): Promise<void> {
  await tx.update(pdProposals).set({ updatedAt: now }).where(eq(pdProposals.id, id));
}

/** The budget lines of a department (the org masters'), active ones only, for the picker and the check. */
export async function budgetLinesOf(db: DbOrTx, departmentId: number) {
  return db
    .select({
      id: budgetLines.id,
      head: headSql,
      schemeNameEn: budgetLines.schemeNameEn,
      schemeNameHi: budgetLines.schemeNameHi,
      departmentId: budgetLines.departmentId,
    })
    .from(budgetLines)
    .where(and(eq(budgetLines.departmentId, departmentId), eq(budgetLines.active, true)))
    .orderBy(asc(budgetLines.id));
}

export async function budgetLinesByIds(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: budgetLines.id,
      departmentId: budgetLines.departmentId,
      active: budgetLines.active,
      schemeNameEn: budgetLines.schemeNameEn,
      schemeNameHi: budgetLines.schemeNameHi,
    })
    .from(budgetLines)
    .where(inArray(budgetLines.id, ids));
}

export async function activeTreasuries(db: DbOrTx) {
  return db
    .select({ id: treasuries.id, code: treasuries.code, nameEn: treasuries.nameEn, nameHi: treasuries.nameHi })
    .from(treasuries)
    .where(eq(treasuries.active, true))
    .orderBy(asc(treasuries.nameEn));
}

/**
 * The next PD account number at a treasury: "PD" + the treasury's code + a serial of at least
 * four digits, one more than the highest serial of that treasury's existing numbers. Locks the
 * treasury's row first, so registrations at one treasury take their numbers one after another
 * (bar M4's idea for numbers); `taken` skips a number already used as a login id.
 */
export async function nextAccountNo(tx: DbOrTx, treasuryId: number, taken: (no: string) => Promise<boolean>): Promise<string> {
  const t = await tx.execute<{ code: string }>(sql`select code from treasuries where id = ${treasuryId} for update`);
  const code = t.rows[0]?.code;
  if (code === undefined) throw new Error(`treasury ${treasuryId} not found`);
  const prefix = `PD${code}`;
  const m = await tx.execute<{ max: string | null }>(sql`
    select max(substr(account_no, ${prefix.length + 1}::int)::bigint)::text as max from pd_accounts
     where left(account_no, ${prefix.length}::int) = ${prefix} and substr(account_no, ${prefix.length + 1}::int) ~ '^[0-9]{1,12}$'`);
  let serial = Number(m.rows[0]?.max ?? 0) + 1;
  for (;;) {
    const no = `${prefix}${String(serial).padStart(4, '0')}`;
    const clash = await tx.execute(sql`select 1 from pd_accounts where account_no = ${no}`);
    if (clash.rows.length === 0 && !(await taken(no))) return no;
    serial++;
  }
}

export async function insertAccount(tx: DbOrTx, a: typeof pdAccounts.$inferInsert): Promise<number> {
  const [r] = await tx.insert(pdAccounts).values(a).returning({ id: pdAccounts.id });
  return r!.id;
}

export async function insertLines(tx: DbOrTx, lines: (typeof pdLines.$inferInsert)[]): Promise<void> {
  if (lines.length) await tx.insert(pdLines).values(lines);
}

export async function markRegistered(
  tx: DbOrTx,
  rowId: number,
  set: {
    accountId: number;
    loginUserId: number | null;
    passwordIssuedAt: Date | null;
    issuedPasswordDigest: string | null;
    registeredBy: number;
    registeredAt: Date;
  },
): Promise<boolean> {
  const r = await tx
    .update(pdProposalRows)
    .set(set)
    .where(and(eq(pdProposalRows.id, rowId), isNull(pdProposalRows.accountId)))
    .returning({ id: pdProposalRows.id });
  return r.length === 1;
}

export async function unregisteredRows(tx: DbOrTx, proposalId: number): Promise<number> {
  const r = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(pdProposalRows)
    .where(and(eq(pdProposalRows.proposalId, proposalId), isNull(pdProposalRows.accountId)));
  return Number(r[0]?.n ?? 0);
}

/** SHA-256 (hex) of a login's password hash, as the database computes it. */
const digestSql = sql.raw(`encode(sha256(convert_to(u.password_hash, 'UTF8')), 'hex')`);

/**
 * Has this user (a PD administrator's login issued by registration) still the password it was
 * issued? True while the platform's first-login flag is set, or while the login's password hash
 * is still the one issued (seed 004 para 3(2): changed before the first withdrawal). Any other
 * password (a reset by SMS code included) counts as changed.
 */
export async function passwordStillIssued(db: DbOrTx, userId: number): Promise<boolean> {
  const r = await db.execute<{ issued: boolean }>(sql`
    select (u.must_change_password or exists (
              select 1 from pd_proposal_rows r where r.login_user_id = u.id and r.issued_password_digest = ${digestSql})) as issued
      from users u where u.id = ${userId}`);
  return r.rows[0]?.issued === true;
}
