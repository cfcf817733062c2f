import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { billDeductions, billPayees, bills, invoiceEvents, invoiceWorkflow } from './invoice.table.ts';
import { readAll } from '../../db/read-all.ts';

/** Queries of the invoice workflow and its bill (migration 0024, issue 17). */

export type WorkflowRow = typeof invoiceWorkflow.$inferSelect;
export type EventRow = { id: number; action: string; actorUserId: number; actorName: string; actorRole: string; at: Date | string; remarks: string };

export async function workflowOf(db: DbOrTx, invoiceId: number): Promise<WorkflowRow | null> {
  const r = await db.select().from(invoiceWorkflow).where(sql`${invoiceWorkflow.invoiceId} = ${invoiceId}`);
  return r[0] ?? null;
}

export async function insertWorkflow(tx: DbOrTx, v: typeof invoiceWorkflow.$inferInsert): Promise<void> {
  await tx.insert(invoiceWorkflow).values(v);
}

export async function updateWorkflow(tx: DbOrTx, invoiceId: number, v: Partial<typeof invoiceWorkflow.$inferInsert>): Promise<void> {
  await tx.update(invoiceWorkflow).set(v).where(sql`${invoiceWorkflow.invoiceId} = ${invoiceId}`);
}

export async function insertEvent(tx: DbOrTx, v: typeof invoiceEvents.$inferInsert): Promise<void> {
  await tx.insert(invoiceEvents).values(v);
}

/** The event a user made with an idempotency key (the key is the user's own: unique per user). */
export async function eventByKey(db: DbOrTx, userId: number, key: string): Promise<{ invoiceId: number; requestHash: string | null } | null> {
  const r = await db.execute<{ invoiceId: number; requestHash: string | null }>(
    sql`select invoice_id as "invoiceId", request_hash as "requestHash" from invoice_events where actor_user_id = ${userId} and idempotency_key = ${key}`,
  );
  return r.rows[0] ?? null;
}

export async function eventsOf(db: DbOrTx, invoiceId: number): Promise<EventRow[]> {
  const r = await db.execute<EventRow>(sql`
    select e.id, e.action, e.actor_user_id as "actorUserId", u.name as "actorName", e.actor_role as "actorRole", e.at, e.remarks
      from invoice_events e join users u on u.id = e.actor_user_id
     where e.invoice_id = ${invoiceId} order by e.id`);
  return r.rows;
}

/** Everyone who submitted the invoice at some point (maker ≠ checker looks at all of them). */
export async function submittersOf(db: DbOrTx, invoiceId: number): Promise<number[]> {
  const r = await db.execute<{ id: number }>(
    sql`select distinct actor_user_id as id from invoice_events where invoice_id = ${invoiceId} and action = 'submit'`,
  );
  return r.rows.map((x) => Number(x.id));
}

/** The cumulative taxable value (total − GST) of the contract's active invoices: the supply billed so far. */
export async function billedValueOf(db: DbOrTx, contractId: number): Promise<number> {
  const r = await db.execute<{ v: number }>(
    sql`select coalesce(sum(total_paise - gst_paise), 0)::float8 as v from invoices where contract_id = ${contractId} and status = 'active'`,
  );
  return Number(r.rows[0]?.v ?? 0);
}

export async function insertBill(tx: DbOrTx, v: typeof bills.$inferInsert): Promise<number> {
  const [row] = await tx.insert(bills).values(v).returning({ id: bills.id });
  return row!.id;
}

export async function insertBillDeductions(tx: DbOrTx, v: (typeof billDeductions.$inferInsert)[]): Promise<void> {
  if (v.length > 0) await tx.insert(billDeductions).values(v);
}

export async function insertBillPayees(tx: DbOrTx, v: (typeof billPayees.$inferInsert)[]): Promise<void> {
  if (v.length > 0) await tx.insert(billPayees).values(v);
}

export type BillRow = typeof bills.$inferSelect & { budgetLine: string };

export async function billOf(db: DbOrTx, invoiceId: number): Promise<BillRow | null> {
  const r = await db.select().from(bills).where(sql`${bills.invoiceId} = ${invoiceId}`);
  const b = r[0];
  if (!b) return null;
  const line = await db.execute<{ s: string }>(
    sql`select concat_ws('-', demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, object_head) as s from budget_lines where id = ${b.budgetLineId}`,
  );
  return { ...b, budgetLine: line.rows[0]?.s ?? '' };
}

export async function billPartsOf(db: DbOrTx, billId: number) {
  const [deductions, payees] = await readAll(db, [
    () => db.select().from(billDeductions).where(sql`${billDeductions.billId} = ${billId}`).orderBy(billDeductions.id),
    () => db.select().from(billPayees).where(sql`${billPayees.billId} = ${billId}`).orderBy(billPayees.seq),
  ]);
  return { deductions, payees };
}
