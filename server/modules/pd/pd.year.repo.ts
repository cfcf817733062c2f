import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { pdAccountAccess } from './pd.policy.ts';

/**
 * Queries of the PD year-end (issue 18 item 5; migration 0038). Lists take the actor's reach and
 * filter through the one access layer (`pd_accounts pa`).
 */
const visible = (reach: Reach) => sql`a.id in (select pa.id from pd_accounts pa where ${sourceCondition(reach, pdAccountAccess)})`;
const num = (v: unknown) => Number(v ?? 0);

export async function dormantYears(db: DbOrTx): Promise<{ dormantYears: number; updatedAt: Date }> {
  const r = await db.execute<{ dormant_years: number; updated_at: Date | string }>(sql`select dormant_years, updated_at from pd_year_settings where id = 1`);
  const row = r.rows[0];
  return { dormantYears: row ? num(row.dormant_years) : 3, updatedAt: row ? new Date(row.updated_at) : new Date(0) };
}

export async function setDormantYears(tx: DbOrTx, years: number, userId: number, at: Date): Promise<number> {
  // The row as it stands until Finance first sets it (3 years, never updated), so that there is a row
  // to lock: twenty first settings at once each see the one before (without it, each saw none and
  // each wrote an audit entry "from 3").
  await tx.execute(sql`insert into pd_year_settings (id, dormant_years, updated_at) values (1, 3, to_timestamp(0)) on conflict (id) do nothing`);
  const before = await tx.execute<{ dormant_years: number }>(sql`select dormant_years from pd_year_settings where id = 1 for update`);
  // The value in force already (a double click, a retry): nothing to write.
  if (before.rows[0] && num(before.rows[0].dormant_years) === years) return years;
  await tx.execute(sql`
    insert into pd_year_settings (id, dormant_years, updated_by, updated_at) values (1, ${years}, ${userId}, ${at})
    on conflict (id) do update set dormant_years = excluded.dormant_years, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
  return num(before.rows[0]!.dormant_years);
}

/** The last day anything moved on the account (a posting's value date), or the day it was opened when nothing has. */
const lastTransaction = sql`coalesce((select max(p.value_date) from pd_postings p where p.account_id = a.id), (a.created_at at time zone 'Asia/Kolkata')::date)`;

/** Open consolidated-fund accounts opened by `fyEnd` without a continuation for `fy`: those that lapse. */
export async function lapseCandidates(db: DbOrTx, fy: number, fyEnd: string): Promise<number[]> {
  const r = await db.execute<{ id: number }>(sql`
    select a.id from pd_accounts a
     where a.source = 'consolidated' and a.closed_on is null
       and (a.created_at at time zone 'Asia/Kolkata')::date <= ${fyEnd}
       and not exists (select 1 from pd_continuations c where c.account_id = a.id and c.fy = ${fy})
     order by a.id`);
  return r.rows.map((x) => num(x.id));
}

/** Open other-than-consolidated accounts whose last transaction is on or before `cutoff`. */
export async function dormantCandidates(db: DbOrTx, cutoff: string): Promise<number[]> {
  const r = await db.execute<{ id: number }>(sql`
    select a.id from pd_accounts a
     where a.source = 'other' and a.closed_on is null and ${lastTransaction} <= ${cutoff}
     order by a.id`);
  return r.rows.map((x) => num(x.id));
}

export type LockedAccount = {
  id: number;
  source: 'consolidated' | 'other';
  closedOn: string | null;
  departmentId: number;
  continued: boolean;
  lastTransactionOn: string;
};

/** The account under its row lock (FOR UPDATE): every posting on it waits for this transaction (migration 0038's trigger reads it FOR SHARE). */
export async function lockAccount(tx: DbOrTx, id: number, fy: number): Promise<LockedAccount | undefined> {
  const r = await tx.execute<{ id: number; source: 'consolidated' | 'other'; closed_on: string | null; department_id: number }>(
    sql`select id, source, to_char(closed_on, 'YYYY-MM-DD') as closed_on, department_id from pd_accounts where id = ${id} for update`,
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const extra = await tx.execute<{ continued: boolean; last: string }>(sql`
    select exists (select 1 from pd_continuations c where c.account_id = a.id and c.fy = ${fy}) as continued,
           to_char(${lastTransaction}, 'YYYY-MM-DD') as last
      from pd_accounts a where a.id = ${id}`);
  return {
    id: num(row.id),
    source: row.source,
    closedOn: row.closed_on,
    departmentId: num(row.department_id),
    continued: Boolean(extra.rows[0]?.continued),
    lastTransactionOn: String(extra.rows[0]?.last),
  };
}

export async function linesForClosing(tx: DbOrTx, accountId: number) {
  const r = await tx.execute<{ id: number; available_paise: string; reserved_paise: string; prepared: string }>(sql`
    select l.id, l.available_paise, l.reserved_paise,
           (select count(*) from pd_echeques e where e.line_id = l.id and e.state = 'prepared') as prepared
      from pd_lines l where l.account_id = ${accountId} order by l.id for update`);
  return r.rows.map((l) => ({ id: num(l.id), available: num(l.available_paise), reserved: num(l.reserved_paise), prepared: num(l.prepared) }));
}

export async function insertRun(tx: DbOrTx, v: { fy: number; startedBy: 'job' | 'finance'; runBy: number | null; dormantYears: number; at: Date }) {
  const r = await tx.execute<{ id: number }>(sql`
    insert into pd_year_runs (fy, started_by, run_by, dormant_years, started_at)
    values (${v.fy}, ${v.startedBy}, ${v.runBy}, ${v.dormantYears}, ${v.at}) returning id`);
  return num(r.rows[0]!.id);
}

export async function finishRun(db: DbOrTx, id: number, at: Date) {
  await db.execute(sql`update pd_year_runs set status = 'done', finished_at = ${at} where id = ${id}`);
}

export async function insertClosing(
  tx: DbOrTx,
  v: {
    runId: number;
    fy: number;
    accountId: number;
    lineId: number;
    outcome: 'lapse' | 'unclaimed' | 'held';
    amountPaise: number;
    postingId: number | null;
    heldEcheques?: number;
  },
) {
  await tx.execute(sql`
    insert into pd_year_closings (run_id, fy, account_id, line_id, outcome, amount_paise, posting_id, held_echeques)
    values (${v.runId}, ${v.fy}, ${v.accountId}, ${v.lineId}, ${v.outcome}, ${v.amountPaise}, ${v.postingId}, ${v.heldEcheques ?? 0})`);
}

export async function closeAccount(tx: DbOrTx, id: number, on: string, reason: 'lapse' | 'dormant') {
  await tx.execute(sql`update pd_accounts set closed_on = ${on}, closed_reason = ${reason}, active = false where id = ${id}`);
}

export type RunRow = {
  id: number;
  fy: number;
  started_by: 'job' | 'finance';
  run_by_name: string | null;
  dormant_years: number;
  status: 'running' | 'done';
  started_at: Date | string;
  finished_at: Date | string | null;
};
export type ClosingRow = {
  run_id: number;
  account_id: number;
  account_no: string;
  name_en: string;
  name_hi: string;
  line_id: number;
  purpose_en: string;
  purpose_hi: string;
  outcome: 'lapse' | 'unclaimed' | 'held';
  amount_paise: string | number;
  held_echeques: number;
};

/** The latest runs (optionally of one year), and what each did to the accounts the actor may see. */
export async function runs(db: DbOrTx, reach: Reach, fy?: number, runId?: number) {
  const r = await db.execute<RunRow>(sql`
    select r.id, r.fy, r.started_by, u.name as run_by_name, r.dormant_years, r.status, r.started_at, r.finished_at
      from pd_year_runs r left join users u on u.id = r.run_by
     where ${fy === undefined ? sql`true` : sql`r.fy = ${fy}`} and ${runId === undefined ? sql`true` : sql`r.id = ${runId}`}
     order by r.id desc limit 50`);
  const ids = r.rows.map((x) => num(x.id));
  const closings =
    ids.length === 0
      ? { rows: [] as ClosingRow[] }
      : await db.execute<ClosingRow>(sql`
    select c.run_id, c.account_id, a.account_no, a.name_en, a.name_hi, c.line_id, l.purpose_en, l.purpose_hi, c.outcome, c.amount_paise, c.held_echeques
      from pd_year_closings c join pd_accounts a on a.id = c.account_id join pd_lines l on l.id = c.line_id
     where c.run_id in (${sql.join(
       ids.map((i) => sql`${i}`),
       sql`, `,
     )}) and ${visible(reach)}
     order by c.run_id, a.account_no, c.line_id`);
  return { runs: r.rows, closings: closings.rows };
}

export async function continuationExists(db: DbOrTx, accountId: number, fy: number) {
  const r = await db.execute(sql`select 1 from pd_continuations where account_id = ${accountId} and fy = ${fy}`);
  return r.rows.length > 0;
}

export async function insertContinuation(
  tx: DbOrTx,
  v: { accountId: number; fy: number; orderNo: string; orderDate: string; recordedBy: number; recordedAt: Date },
): Promise<number> {
  const r = await tx.execute<{ id: number }>(sql`
    insert into pd_continuations (account_id, fy, order_no, order_date, recorded_by, recorded_at)
    values (${v.accountId}, ${v.fy}, ${v.orderNo}, ${v.orderDate}, ${v.recordedBy}, ${v.recordedAt}) returning id`);
  return num(r.rows[0]!.id);
}

export type ContinuationRow = {
  id: number;
  account_id: number;
  account_no: string;
  name_en: string;
  name_hi: string;
  fy: number;
  order_no: string;
  order_date: string;
  recorded_at: Date | string;
};

export async function continuations(db: DbOrTx, reach: Reach, fy?: number, id?: number) {
  const r = await db.execute<ContinuationRow>(sql`
    select c.id, c.account_id, a.account_no, a.name_en, a.name_hi, c.fy, c.order_no, to_char(c.order_date, 'YYYY-MM-DD') as order_date, c.recorded_at
      from pd_continuations c join pd_accounts a on a.id = c.account_id
     where ${visible(reach)} and ${fy === undefined ? sql`true` : sql`c.fy = ${fy}`} and ${id === undefined ? sql`true` : sql`c.id = ${id}`}
     order by c.fy desc, a.account_no limit 500`);
  return r.rows;
}

export type UnspentRow = {
  department_id: number;
  dept_en: string;
  dept_hi: string;
  account_id: number;
  account_no: string;
  name_en: string;
  name_hi: string;
  source: 'consolidated' | 'other';
  treasury_en: string;
  treasury_hi: string;
  available: string | number;
  reserved: string | number;
  continued: boolean;
};

/** Open accounts the actor may see with their lines' stored balances (the ledger's derived balances; bar M3), by department. */
export async function unspent(db: DbOrTx, reach: Reach, fy: number) {
  const r = await db.execute<UnspentRow>(sql`
    select d.id as department_id, d.name_en as dept_en, d.name_hi as dept_hi, a.id as account_id, a.account_no, a.name_en, a.name_hi, a.source,
           t.name_en as treasury_en, t.name_hi as treasury_hi,
           coalesce((select sum(l.available_paise) from pd_lines l where l.account_id = a.id), 0) as available,
           coalesce((select sum(l.reserved_paise) from pd_lines l where l.account_id = a.id), 0) as reserved,
           exists (select 1 from pd_continuations c where c.account_id = a.id and c.fy = ${fy}) as continued
      from pd_accounts a join departments d on d.id = a.department_id join treasuries t on t.id = a.treasury_id
     where a.closed_on is null and ${visible(reach)}
     order by d.name_en, a.account_no limit 5000`);
  return r.rows;
}

export type DormantRow = {
  account_id: number;
  account_no: string;
  name_en: string;
  name_hi: string;
  treasury_en: string;
  treasury_hi: string;
  last: string;
  balance: string | number;
  closed_on: string | null;
};

/** Other-than-consolidated accounts: open ones idle since `cutoff` or before, and those closed as dormant (with what was credited to government). */
export async function dormant(db: DbOrTx, reach: Reach, cutoff: string) {
  const r = await db.execute<DormantRow>(sql`
    select a.id as account_id, a.account_no, a.name_en, a.name_hi, t.name_en as treasury_en, t.name_hi as treasury_hi,
           to_char(${lastTransaction}, 'YYYY-MM-DD') as last,
           case when a.closed_on is null
                then coalesce((select sum(l.available_paise + l.reserved_paise) from pd_lines l where l.account_id = a.id), 0)
                else coalesce((select sum(c.amount_paise) from pd_year_closings c where c.account_id = a.id and c.outcome = 'unclaimed'), 0) end as balance,
           to_char(a.closed_on, 'YYYY-MM-DD') as closed_on
      from pd_accounts a join treasuries t on t.id = a.treasury_id
     where a.source = 'other' and ${visible(reach)}
       and ((a.closed_on is null and ${lastTransaction} <= ${cutoff}) or a.closed_reason = 'dormant')
     order by a.account_no limit 5000`);
  return r.rows;
}

export type TransferBackRow = {
  account_id: number;
  account_no: string;
  name_en: string;
  name_hi: string;
  line_id: number;
  purpose_en: string;
  purpose_hi: string;
  reason: 'budget_line_on_other_account' | 'no_budget_line' | 'budget_line_of_other_department';
  balance: string | number;
};

/**
 * Lines of open accounts holding money from a source the sanction does not allow (seed 004
 * annexure 1(b)(5) and the form's note 2): a budget line on an other-than-consolidated account
 * (budget money parked by challan), a consolidated-fund line with no budget line, or a budget
 * line of another department than the account's.
 */
export async function transferBack(db: DbOrTx, reach: Reach) {
  const r = await db.execute<TransferBackRow>(sql`
    select a.id as account_id, a.account_no, a.name_en, a.name_hi, l.id as line_id, l.purpose_en, l.purpose_hi,
           case when a.source = 'other' then 'budget_line_on_other_account'
                when l.budget_line_id is null then 'no_budget_line'
                else 'budget_line_of_other_department' end as reason,
           l.available_paise + l.reserved_paise as balance
      from pd_lines l join pd_accounts a on a.id = l.account_id left join budget_lines b on b.id = l.budget_line_id
     where a.closed_on is null and ${visible(reach)} and l.available_paise + l.reserved_paise > 0
       and ((a.source = 'other' and l.budget_line_id is not null)
         or (a.source = 'consolidated' and (l.budget_line_id is null or b.department_id <> a.department_id)))
     order by a.account_no, l.id limit 5000`);
  return r.rows;
}
