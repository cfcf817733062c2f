import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { INVOICE_EVENT_ACTIONS } from './invoice.table.ts';
import { insertEvent } from './invoice.workflow.repo.ts';

/**
 * What the payment module (issue 17 part 3, docs/PAYMENTS.md) may read and change of invoices,
 * bills and the workflow, so that it never names this module's tables.
 *
 * Reads are relations to join in the payment module's own queries (sums over its payments and
 * worker credits stay one query): plain sub-selects, which PostgreSQL pulls up into the caller's
 * plan (same indexes, same plan as naming the table). Writes are the workflow's payment steps and
 * the bill's IFMIS status, each in the caller's transaction (bar M5).
 */

const rowsOf = async <T>(db: DbOrTx, q: SQL) => (await db.execute<T & Record<string, unknown>>(q)).rows as T[];

/** Bills: the columns the payment module reads (and the access layer's coordinates). */
export function billsSql(): SQL {
  return sql`(select id, invoice_id, bill_no, agency_id, department_id, office_id, ddo_code_id, ddo_code, budget_line_id, payment_mode,
    gross_paise, deductions_paise, net_payable_paise, invoice_pdf_sha256, status, ifmis_ref, ifmis_reason, sent_at, answered_at, created_at from bills)`;
}

/** Each bill's payees: who receives what of the net payable. */
export function billPayeesSql(): SQL {
  return sql`(select id, bill_id, seq, kind, resource_id, invoice_detail_id, name, bank_account, ifsc, amount_paise from bill_payees)`;
}

/** Invoices: number, month, parties, the access layer's coordinates and status. */
export function invoiceFactsSql(): SQL {
  return sql`(select id, invoice_no, month, invoice_date, agency_id, department_id, office_id, ddo_code_id, status from invoices)`;
}

/** An invoice's workers: the resource, names and the net wage the worker is owed. */
export function invoiceDetailsSql(): SQL {
  return sql`(select id, invoice_id, resource_id, name_en, name_hi, net_wage_paise from invoice_details)`;
}

/** The invoice's way to payment: stage and the dates of its steps. */
export function invoiceWorkflowSql(): SQL {
  return sql`(select invoice_id, stage, submitted_at, approved_at, billed_at, paid_at, credited_at from invoice_workflow)`;
}

/** A bill's deductions (TDS, GST TDS), by code. */
export async function billDeductionsOf(db: DbOrTx, billId: number) {
  return rowsOf<{ code: string; base_paise: string; rate_ppm: number; amount_paise: string }>(
    db,
    sql`select code, base_paise::text, rate_ppm, amount_paise::text from bill_deductions where bill_id = ${billId} order by code`,
  );
}

/** Locks the bill (its payments are then decided one transaction at a time). */
export async function lockBill(tx: DbOrTx, id: number): Promise<{ status: string } | null> {
  return (await rowsOf<{ status: string }>(tx, sql`select status from bills where id = ${id} for update`))[0] ?? null;
}

/** Moves a bill's IFMIS status from one of `from` (the only columns of a bill that may change); false when it was elsewhere. */
export async function setBillStatus(
  tx: DbOrTx,
  id: number,
  from: readonly string[],
  to: { status: string; ifmisRef?: string; reason?: string; sentAt?: string; answeredAt?: string },
): Promise<boolean> {
  const r = await rowsOf<{ id: number }>(
    tx,
    sql`update bills set status = ${to.status},
          ifmis_ref = coalesce(${to.ifmisRef ?? null}, ifmis_ref),
          ifmis_reason = coalesce(${to.reason ?? null}, ifmis_reason),
          sent_at = coalesce(${to.sentAt ?? null}::timestamptz, sent_at),
          answered_at = coalesce(${to.answeredAt ?? null}::timestamptz, answered_at)
        where id = ${id} and status in (${sql.join(
          from.map((s) => sql`${s}`),
          sql`, `,
        )}) returning id`,
  );
  return r.length > 0;
}

/** An invoice event of the bill's way (sent, acknowledged, rejected, paid, reopened, credited), with the idempotency key that made it. */
export async function insertBillEvent(
  tx: DbOrTx,
  e: {
    invoiceId: number;
    action: (typeof INVOICE_EVENT_ACTIONS)[number];
    userId: number;
    role: string;
    at: string;
    remarks?: string;
    key?: string | null;
    hash?: string | null;
  },
): Promise<void> {
  await insertEvent(tx, {
    invoiceId: e.invoiceId,
    action: e.action,
    actorUserId: e.userId,
    actorRole: e.role,
    at: new Date(e.at),
    remarks: e.remarks ?? '',
    idempotencyKey: e.key ?? null,
    requestHash: e.hash ?? null,
  });
}

/** Moves the workflow one step (approved → billed, billed → paid) and stamps it; false when it was not there. */
export async function advanceWorkflow(tx: DbOrTx, invoiceId: number, from: 'approved' | 'billed', at: string): Promise<boolean> {
  const r =
    from === 'approved'
      ? await rowsOf<{ id: number }>(
          tx,
          sql`update invoice_workflow set stage = 'billed', billed_at = ${at}::timestamptz, updated_at = ${at}::timestamptz where invoice_id = ${invoiceId} and stage = 'approved' returning invoice_id as id`,
        )
      : await rowsOf<{ id: number }>(
          tx,
          sql`update invoice_workflow set stage = 'paid', paid_at = ${at}::timestamptz, updated_at = ${at}::timestamptz where invoice_id = ${invoiceId} and stage = 'billed' returning invoice_id as id`,
        );
  return r.length > 0;
}

/**
 * A bank return left a paid bill short of its net payable: the workflow goes back paid → billed and
 * `paid_at` is cleared (it is written again when payments cover the bill again); false when it was not paid.
 */
export async function reopenWorkflow(tx: DbOrTx, invoiceId: number, at: string): Promise<boolean> {
  const r = await rowsOf<{ id: number }>(
    tx,
    sql`update invoice_workflow set stage = 'billed', paid_at = null, updated_at = ${at}::timestamptz where invoice_id = ${invoiceId} and stage = 'paid' returning invoice_id as id`,
  );
  return r.length > 0;
}

/** Stamps the workflow's credited_at when every worker is whole; false when it was already stamped. */
export async function stampCredited(tx: DbOrTx, invoiceId: number, at: string): Promise<boolean> {
  const r = await rowsOf<{ id: number }>(
    tx,
    sql`update invoice_workflow set credited_at = ${at}::timestamptz, updated_at = ${at}::timestamptz where invoice_id = ${invoiceId} and credited_at is null returning invoice_id as id`,
  );
  return r.length > 0;
}

/** A bank return left a worker short: clears the workflow's credited_at; false when it was not stamped. */
export async function clearCredited(tx: DbOrTx, invoiceId: number, at: string): Promise<boolean> {
  const r = await rowsOf<{ id: number }>(
    tx,
    sql`update invoice_workflow set credited_at = null, updated_at = ${at}::timestamptz where invoice_id = ${invoiceId} and credited_at is not null returning invoice_id as id`,
  );
  return r.length > 0;
}
