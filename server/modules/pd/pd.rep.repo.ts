import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { pdAccountAccess } from './pd.policy.ts';

/**
 * The PD reports' reads (issue 18 items 5–6), straight from the append-only ledger (migration
 * 0018): every figure is a sum of entries by ledger account, so the report reconciles with the
 * stored balances by construction of double entry (a posting's entries sum to zero). Periods are
 * of value dates (IST calendar days), both ends inclusive.
 */

/** Raw sums of one line (or account) up to `to`: the flows are those dated `from`…`to`. */
export type RawFigures = {
  opening: number;
  deposits: number;
  reversed: number;
  echeques: number;
  lapsed: number;
  unclaimed: number;
  closing: number;
  reserved: number;
};

const sums = (from: string) => sql`
  coalesce(sum(e.amount_paise) filter (where p.value_date < ${from} and e.ledger_account in ('line_available', 'line_reserved')), 0) as opening,
  coalesce(-sum(e.amount_paise) filter (where p.value_date >= ${from} and e.ledger_account = 'deposit_source' and p.kind <> 'reversal'), 0) as deposits,
  coalesce(sum(e.amount_paise) filter (where p.value_date >= ${from} and e.ledger_account = 'deposit_source' and p.kind = 'reversal'), 0) as reversed,
  coalesce(sum(e.amount_paise) filter (where p.value_date >= ${from} and e.ledger_account = 'payment_out'), 0) as echeques,
  coalesce(sum(e.amount_paise) filter (where p.value_date >= ${from} and e.ledger_account = 'service_head'), 0) as lapsed,
  coalesce(sum(e.amount_paise) filter (where p.value_date >= ${from} and e.ledger_account = 'government'), 0) as unclaimed,
  coalesce(sum(e.amount_paise) filter (where e.ledger_account in ('line_available', 'line_reserved')), 0) as closing,
  coalesce(sum(e.amount_paise) filter (where e.ledger_account = 'line_reserved'), 0) as reserved`;

type RawRow = Record<keyof RawFigures, string | number>;
const toFigures = (r: RawRow): RawFigures => ({
  opening: Number(r.opening),
  deposits: Number(r.deposits),
  reversed: Number(r.reversed),
  echeques: Number(r.echeques),
  lapsed: Number(r.lapsed),
  unclaimed: Number(r.unclaimed),
  closing: Number(r.closing),
  reserved: Number(r.reserved),
});

/** An account's figures by line (lines with no entry up to `to` are absent: all zero). */
export async function figuresByLine(db: DbOrTx, accountId: number, from: string, to: string): Promise<Map<number, RawFigures>> {
  const r = await db.execute<RawRow & { line_id: number }>(sql`
    select p.line_id, ${sums(from)}
      from pd_postings p join pd_entries e on e.posting_id = p.id
     where p.line_id in (select id from pd_lines where account_id = ${accountId}) and p.value_date <= ${to}
     group by p.line_id`);
  return new Map(r.rows.map((x) => [Number(x.line_id), toFigures(x)]));
}

export type TreasuryAccountRow = RawFigures & { accountId: number; accountNo: string; nameEn: string; nameHi: string; echequeCount: number };

/** Every account the treasury keeps (within the caller's reach), with its figures for the period and the e-cheques debited in it. */
export async function figuresByAccount(db: DbOrTx, reach: Reach, treasuryId: number, from: string, to: string): Promise<TreasuryAccountRow[]> {
  const r = await db.execute<RawRow & { account_id: number; account_no: string; name_en: string; name_hi: string; echeque_count: string | number }>(sql`
    with f as (
      select p.account_id, ${sums(from)},
             count(*) filter (where p.value_date >= ${from} and p.kind = 'echeque_passed' and e.ledger_account = 'payment_out') as echeque_count
        from pd_postings p join pd_entries e on e.posting_id = p.id
       where p.account_id in (select pa.id from pd_accounts pa where pa.treasury_id = ${treasuryId}) and p.value_date <= ${to}
       group by p.account_id)
    select pa.id as account_id, pa.account_no, pa.name_en, pa.name_hi,
           coalesce(f.opening, 0) as opening, coalesce(f.deposits, 0) as deposits, coalesce(f.reversed, 0) as reversed,
           coalesce(f.echeques, 0) as echeques, coalesce(f.lapsed, 0) as lapsed, coalesce(f.unclaimed, 0) as unclaimed,
           coalesce(f.closing, 0) as closing, coalesce(f.reserved, 0) as reserved, coalesce(f.echeque_count, 0) as echeque_count
      from pd_accounts pa left join f on f.account_id = pa.id
     where pa.treasury_id = ${treasuryId} and ${sourceCondition(reach, pdAccountAccess)}
     order by pa.account_no`);
  return r.rows.map((x) => ({
    ...toFigures(x),
    accountId: Number(x.account_id),
    accountNo: x.account_no,
    nameEn: x.name_en,
    nameHi: x.name_hi,
    echequeCount: Number(x.echeque_count),
  }));
}

export type AgEchequeRow = {
  echeque_id: number;
  debited_on: string;
  account_no: string;
  purpose_en: string;
  purpose_hi: string;
  payee_kind: 'vendor' | 'book_transfer';
  payee_name: string;
  payee_account_no: string;
  payee_ifsc: string;
  head_of_account: string;
  amount_paise: string | number;
  state: 'prepared' | 'passed' | 'returned' | 'in_efile' | 'discharged' | 'failed';
};

/** The e-cheques whose `passed` posting is dated in the period, at the treasury (within reach), by date. */
export async function echequesDebited(db: DbOrTx, reach: Reach, treasuryId: number, from: string, to: string): Promise<AgEchequeRow[]> {
  const r = await db.execute<AgEchequeRow>(sql`
    select c.id as echeque_id, to_char(p.value_date, 'YYYY-MM-DD') as debited_on, pa.account_no, l.purpose_en, l.purpose_hi,
           c.payee_kind, c.payee_name, c.payee_account_no, c.payee_ifsc, c.head_of_account, c.amount_paise, c.state
      from pd_postings p
      join pd_echeques c on c.id = p.echeque_id
      join pd_lines l on l.id = c.line_id
      join pd_accounts pa on pa.id = p.account_id
     where p.kind = 'echeque_passed' and p.value_date between ${from} and ${to}
       and pa.treasury_id = ${treasuryId} and ${sourceCondition(reach, pdAccountAccess)}
     order by p.value_date, c.id`);
  return r.rows.map((x) => ({ ...x, echeque_id: Number(x.echeque_id) }));
}

/** The treasuries the caller may report on: a treasury officer's own; the state every treasury that keeps a PD account. */
export async function reportTreasuries(db: DbOrTx, reach: Reach): Promise<{ id: number; nameEn: string; nameHi: string }[]> {
  const own = reach.scopeKind === 'treasury' ? sql`t.id = ${reach.scopeId}` : sql`t.id in (select pa.treasury_id from pd_accounts pa)`;
  const allowed = reach.scopeKind === 'treasury' || reach.scopeKind === 'state' ? own : sql`false`;
  const r = await db.execute<{ id: number; name_en: string; name_hi: string }>(sql`
    select t.id, t.name_en, t.name_hi from treasuries t where ${allowed} order by t.name_en`);
  return r.rows.map((x) => ({ id: Number(x.id), nameEn: x.name_en, nameHi: x.name_hi }));
}

export async function getTreasury(db: DbOrTx, id: number): Promise<{ id: number; nameEn: string; nameHi: string } | undefined> {
  const r = await db.execute<{ id: number; name_en: string; name_hi: string }>(sql`select id, name_en, name_hi from treasuries where id = ${id}`);
  const x = r.rows[0];
  return x ? { id: Number(x.id), nameEn: x.name_en, nameHi: x.name_hi } : undefined;
}
