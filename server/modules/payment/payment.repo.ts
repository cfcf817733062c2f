import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { agencyNamesSql } from '../agency/index.ts';
import { billPayeesSql, billsSql, invoiceDetailsSql, invoiceFactsSql, invoiceWorkflowSql } from '../invoice/index.ts';
import { deploymentsSql } from '../resource/index.ts';

/**
 * Queries of the payment module. Bills, payees, invoices and the workflow belong to the invoice
 * module: read here through the relations its index publishes (`billsSql()`, …), joined in these
 * queries; the workflow's steps and the bill's status are written by its functions. Agencies'
 * names and workers on rolls likewise come from the agency and resource modules' relations. Sums
 * are over the append-only rows; nothing stored can drift.
 */

const rowsOf = async <T>(db: DbOrTx, q: SQL) => (await db.execute<T & Record<string, unknown>>(q)).rows as T[];

export type BillRow = {
  id: number;
  invoice_id: number;
  invoice_no: string;
  bill_no: string;
  agency_id: number;
  department_id: number;
  ddo_code: string;
  budget_line: string;
  payment_mode: 'through_agency' | 'direct';
  gross_paise: string;
  deductions_paise: string;
  net_payable_paise: string;
  invoice_pdf_sha256: string;
  status: 'prepared' | 'sent' | 'acknowledged' | 'rejected' | 'not_payable';
  ifmis_ref: string | null;
  ifmis_reason: string;
  sent_at: string | null;
  answered_at: string | null;
  created_at: string;
  stage: string | null;
  paid_paise: string;
};

const BILL_SELECT = sql`
  select b.id, b.invoice_id, i.invoice_no, b.bill_no, b.agency_id, b.department_id, b.ddo_code,
         concat_ws('-', bl.major_head, bl.sub_major_head, bl.minor_head, bl.sub_head, bl.detailed_head, bl.object_head) as budget_line,
         b.payment_mode, b.gross_paise::text, b.deductions_paise::text, b.net_payable_paise::text, b.invoice_pdf_sha256,
         b.status, b.ifmis_ref, b.ifmis_reason, b.sent_at::text, b.answered_at::text, b.created_at::text, w.stage,
         (select coalesce(sum(case when p.status = 'credited' then p.amount_paise else -p.amount_paise end), 0) from payments p where p.bill_id = b.id)::text as paid_paise
    from ${billsSql()} b join ${invoiceFactsSql()} i on i.id = b.invoice_id join budget_lines bl on bl.id = b.budget_line_id
    left join ${invoiceWorkflowSql()} w on w.invoice_id = b.invoice_id`;

export async function getBill(db: DbOrTx, id: number): Promise<BillRow | null> {
  return (await rowsOf<BillRow>(db, sql`${BILL_SELECT} where b.id = ${id}`))[0] ?? null;
}

export async function billIdOfInvoice(db: DbOrTx, invoiceId: number): Promise<number | null> {
  return (await rowsOf<{ id: number }>(db, sql`select id from ${billsSql()} b where invoice_id = ${invoiceId}`))[0]?.id ?? null;
}

export async function listBills(db: DbOrTx, where: SQL, limit = 200): Promise<BillRow[]> {
  return rowsOf<BillRow>(db, sql`${BILL_SELECT} where ${where} order by b.id desc limit ${limit}`);
}

export async function billsByNo(db: DbOrTx, where: SQL, billNos: string[]): Promise<BillRow[]> {
  if (billNos.length === 0) return [];
  return rowsOf<BillRow>(
    db,
    sql`${BILL_SELECT} where ${where} and b.bill_no in (${sql.join(
      billNos.map((n) => sql`${n}`),
      sql`, `,
    )})`,
  );
}

/** Bills made since `since` (or all), oldest first: the treasury's queue to key. */
export async function billsSince(db: DbOrTx, since: string | null, limit: number): Promise<BillRow[]> {
  // A bill with nothing payable is never keyed by the treasury (docs/PAYMENTS.md "A bill of ₹0").
  const cond = since ? sql`b.status <> 'not_payable' and b.created_at > ${since}::timestamptz` : sql`b.status <> 'not_payable'`;
  return rowsOf<BillRow>(db, sql`${BILL_SELECT} where ${cond} order by b.created_at, b.id limit ${limit}`);
}

export type PayeeRow = {
  id: number;
  bill_id: number;
  seq: number;
  kind: 'agency' | 'worker';
  resource_id: number | null;
  invoice_detail_id: number | null;
  name: string;
  bank_account: string;
  ifsc: string;
  amount_paise: string;
  paid_paise: string;
};

export async function payeesOf(db: DbOrTx, billIds: number[]): Promise<PayeeRow[]> {
  if (billIds.length === 0) return [];
  return rowsOf<PayeeRow>(
    db,
    sql`select bp.id, bp.bill_id, bp.seq, bp.kind, bp.resource_id, bp.invoice_detail_id, bp.name, bp.bank_account, bp.ifsc, bp.amount_paise::text,
               (select coalesce(sum(case when p.status = 'credited' then p.amount_paise else -p.amount_paise end), 0) from payments p where p.payee_id = bp.id)::text as paid_paise
          from ${billPayeesSql()} bp where bp.bill_id in (${sql.join(
            billIds.map((id) => sql`${id}`),
            sql`, `,
          )}) order by bp.bill_id, bp.seq`,
  );
}

export type PaymentRow = {
  id: number;
  bill_id: number;
  payee_id: number;
  seq: number;
  pay_date: string;
  utr: string;
  amount_paise: string;
  status: 'credited' | 'returned';
  source: 'import' | 'hand';
  reverses_id: number | null;
  returned: boolean;
  request_hash: string | null;
};

export async function paymentsOf(db: DbOrTx, billIds: number[]): Promise<PaymentRow[]> {
  if (billIds.length === 0) return [];
  return rowsOf<PaymentRow>(
    db,
    sql`select p.id, p.bill_id, p.payee_id, bp.seq, p.pay_date::text, p.utr, p.amount_paise::text, p.status, p.source, p.reverses_id, p.request_hash,
               exists (select 1 from payments r where r.reverses_id = p.id) as returned
          from payments p join ${billPayeesSql()} bp on bp.id = p.payee_id
         where p.bill_id in (${sql.join(
           billIds.map((id) => sql`${id}`),
           sql`, `,
         )}) order by p.id`,
  );
}

export async function paymentByKey(db: DbOrTx, userId: number, key: string): Promise<PaymentRow | null> {
  return (
    (
      await rowsOf<PaymentRow>(
        db,
        sql`select p.id, p.bill_id, p.payee_id, 0 as seq, p.pay_date::text, p.utr, p.amount_paise::text, p.status, p.source, p.reverses_id, p.request_hash, false as returned
              from payments p where p.created_by = ${userId} and p.idempotency_key = ${key}`,
      )
    )[0] ?? null
  );
}

export type BatchRow = {
  id: number;
  kind: string;
  request_hash: string;
  rows_total: number;
  rows_saved: number;
  rows_refused: number;
  invoice_id: number | null;
  /** The rows the save answered with (null: saved before migration 0046). */
  result_rows: unknown[] | null;
};
export async function batchByKey(db: DbOrTx, userId: number, key: string): Promise<BatchRow | null> {
  return (
    (
      await rowsOf<BatchRow>(
        db,
        sql`select id, kind, request_hash, rows_total, rows_saved, rows_refused, invoice_id, result_rows from payment_batches where created_by = ${userId} and idempotency_key = ${key}`,
      )
    )[0] ?? null
  );
}

export type NewPayment = {
  billId: number;
  payeeId: number;
  payDate: string;
  utr: string;
  amountPaise: number;
  status: 'credited' | 'returned';
  reversesId: number | null;
  reason: string;
  source: 'import' | 'hand';
  batchId: number | null;
  key: string | null;
  hash: string | null;
  userId: number;
  at: string;
};

export async function insertPayment(tx: DbOrTx, p: NewPayment): Promise<number> {
  const [r] = await rowsOf<{ id: number }>(
    tx,
    sql`insert into payments (bill_id, payee_id, pay_date, utr, amount_paise, status, reverses_id, reason, source, batch_id, idempotency_key, request_hash, created_by, created_at)
        values (${p.billId}, ${p.payeeId}, ${p.payDate}, ${p.utr}, ${p.amountPaise}, ${p.status}, ${p.reversesId}, ${p.reason}, ${p.source}, ${p.batchId}, ${p.key}, ${p.hash}, ${p.userId}, ${p.at}::timestamptz)
        returning id`,
  );
  return r!.id;
}

export async function insertBatch(
  tx: DbOrTx,
  b: {
    kind: 'treasury_payments' | 'agency_credits';
    fileName: string;
    sha: string;
    invoiceId: number | null;
    total: number;
    saved: number;
    key: string;
    hash: string;
    userId: number;
    at: string;
    /** The rows the save answers with (kept for its replay). */
    rows?: readonly unknown[];
  },
): Promise<number> {
  const [r] = await rowsOf<{ id: number }>(
    tx,
    sql`insert into payment_batches (kind, file_name, file_sha256, invoice_id, rows_total, rows_saved, rows_refused, idempotency_key, request_hash, created_by, created_at, result_rows)
        values (${b.kind}, ${b.fileName}, ${b.sha}, ${b.invoiceId}, ${b.total}, ${b.saved}, ${b.total - b.saved}, ${b.key}, ${b.hash}, ${b.userId}, ${b.at}::timestamptz,
                ${b.rows ? JSON.stringify(b.rows) : null}::jsonb) returning id`,
  );
  return r!.id;
}

export type NewCredit = {
  invoiceId: number;
  detailId: number;
  resourceId: number;
  agencyId: number;
  utr: string;
  amountPaise: number;
  creditDate: string;
  kind: 'credit' | 'reversal';
  reversesId: number | null;
  source: 'agency' | 'bill_payment';
  paymentId: number | null;
  batchId: number | null;
  userId: number;
  at: string;
};

export async function insertCredits(tx: DbOrTx, cs: readonly NewCredit[]): Promise<void> {
  for (const c of cs) {
    await tx.execute(sql`insert into worker_credits (invoice_id, invoice_detail_id, resource_id, agency_id, utr, amount_paise, credit_date, kind, reverses_id, source, payment_id, batch_id, created_by, created_at)
      values (${c.invoiceId}, ${c.detailId}, ${c.resourceId}, ${c.agencyId}, ${c.utr}, ${c.amountPaise}, ${c.creditDate}, ${c.kind}, ${c.reversesId}, ${c.source}, ${c.paymentId}, ${c.batchId}, ${c.userId}, ${c.at}::timestamptz)`);
  }
}

export async function creditOfPayment(db: DbOrTx, paymentId: number) {
  return (await rowsOf<{ id: number }>(db, sql`select id from worker_credits where payment_id = ${paymentId}`))[0] ?? null;
}

export type InvoiceRow = {
  id: number;
  invoice_no: string;
  month: string;
  agency_id: number;
  department_id: number;
  status: string;
  payment_mode: 'through_agency' | 'direct' | null;
};
export async function getInvoice(db: DbOrTx, id: number): Promise<InvoiceRow | null> {
  return (
    (
      await rowsOf<InvoiceRow>(
        db,
        sql`select i.id, i.invoice_no, i.month::text, i.agency_id, i.department_id, i.status, b.payment_mode
            from ${invoiceFactsSql()} i left join ${billsSql()} b on b.invoice_id = i.id where i.id = ${id}`,
      )
    )[0] ?? null
  );
}

export type DetailCreditRow = {
  detail_id: number;
  resource_id: number;
  name_en: string;
  name_hi: string;
  net_wage_paise: string;
  credited_paise: string;
  last_credit_date: string | null;
  utrs: string[] | null;
};

export async function detailCredits(db: DbOrTx, invoiceId: number): Promise<DetailCreditRow[]> {
  return rowsOf<DetailCreditRow>(
    db,
    sql`select d.id as detail_id, d.resource_id, d.name_en, d.name_hi, d.net_wage_paise::text,
               coalesce(sum(case when c.kind = 'credit' then c.amount_paise else -c.amount_paise end), 0)::text as credited_paise,
               max(c.credit_date)::text as last_credit_date,
               array_remove(array_agg(distinct c.utr) filter (where c.kind = 'credit' and not exists (select 1 from worker_credits r where r.reverses_id = c.id)), null) as utrs
          from ${invoiceDetailsSql()} d left join worker_credits c on c.invoice_detail_id = d.id
         where d.invoice_id = ${invoiceId}
         group by d.id, d.resource_id, d.name_en, d.name_hi, d.net_wage_paise order by d.id`,
  );
}

export async function existingCreditUtrs(db: DbOrTx, invoiceId: number): Promise<Set<string>> {
  const r = await rowsOf<{ k: string }>(
    db,
    sql`select invoice_detail_id || ':' || utr as k from worker_credits where invoice_id = ${invoiceId} and kind = 'credit'`,
  );
  return new Set(r.map((x) => x.k));
}

export type FlagRow = DetailCreditRow & { invoice_id: number; invoice_no: string; month: string; agency_id: number };
/** Every worker of the reachable, billed invoices whose credits do not match the net wage. */
export async function creditFlags(db: DbOrTx, where: SQL, limit = 1000): Promise<FlagRow[]> {
  return rowsOf<FlagRow>(
    db,
    sql`select * from (
          select i.id as invoice_id, i.invoice_no, i.month::text, i.agency_id, d.id as detail_id, d.resource_id, d.name_en, d.name_hi, d.net_wage_paise::text,
                 coalesce((select sum(case when c.kind = 'credit' then c.amount_paise else -c.amount_paise end) from worker_credits c where c.invoice_detail_id = d.id), 0)::text as credited_paise,
                 null::text as last_credit_date, null::text[] as utrs
            from ${invoiceFactsSql()} i join ${invoiceDetailsSql()} d on d.invoice_id = i.id
           where i.status = 'active' and exists (select 1 from ${billsSql()} b where b.invoice_id = i.id and b.status in ('acknowledged', 'not_payable')) and ${where}) x
         where x.credited_paise::bigint <> x.net_wage_paise::bigint
         order by x.month desc, x.invoice_id, x.detail_id limit ${limit}`,
  );
}

export type PayDateRow = {
  invoice_id: number;
  invoice_no: string;
  agency_id: number;
  agency_name: string;
  month: string;
  workers: number;
  invoice_date: string;
  submitted_at: string | null;
  approved_at: string | null;
  billed_at: string | null;
  paid_at: string | null;
  credited_on: string | null;
  all_credited: boolean;
};

/** Each reachable active invoice with its dates; `credited_on` is the day the last worker's credit made every net wage whole. */
export async function payDates(db: DbOrTx, where: SQL, limit = 500): Promise<PayDateRow[]> {
  return rowsOf<PayDateRow>(
    db,
    sql`select i.id as invoice_id, i.invoice_no, i.agency_id, a.legal_name as agency_name, i.month::text, i.invoice_date::text,
               (select count(*)::int from ${deploymentsSql()} r where r.agency_id = i.agency_id and r.status = 'approved') as workers,
               w.submitted_at::text, w.approved_at::text, w.billed_at::text, w.paid_at::text,
               (select max(c.credit_date)::text from worker_credits c where c.invoice_id = i.id) as credited_on,
               not exists (
                 select 1 from ${invoiceDetailsSql()} d
                  where d.invoice_id = i.id
                    and coalesce((select sum(case when c.kind = 'credit' then c.amount_paise else -c.amount_paise end) from worker_credits c where c.invoice_detail_id = d.id), 0) < d.net_wage_paise
               ) as all_credited
          from ${invoiceFactsSql()} i join ${agencyNamesSql()} a on a.id = i.agency_id left join ${invoiceWorkflowSql()} w on w.invoice_id = i.id
         where i.status = 'active' and ${where}
         order by i.month desc, i.id desc limit ${limit}`,
  );
}

/** The bills paid by DDO codes drawing on a treasury. */
export async function billIdsOfTreasury(db: DbOrTx, treasuryId: number): Promise<number[]> {
  return (
    await rowsOf<{ id: number }>(db, sql`select b.id from ${billsSql()} b join ddo_codes d on d.id = b.ddo_code_id where d.treasury_id = ${treasuryId}`)
  ).map((r) => r.id);
}
