import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import { type Client, switchTo, type TestApp } from '../../test/harness.ts';
import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the invoice routes (see server/test/matrix-fixtures.ts). The
 * demo seed (invoice.demo.ts) makes invoice 4 agency 3's invoice of its School Education
 * contract 4 — outside the department, office, DDO and agency of every below-state demo user
 * (checked in invoice.test.ts).
 */
const FOREIGN_INVOICE_ID = 4;

const invoice = { params: () => ({ id: FOREIGN_INVOICE_ID }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/invoices/:id': invoice,
  'GET /api/v1/invoices/:id/pdf': invoice,
  'POST /api/v1/invoices/:id/cancel': { ...invoice, body: () => ({ reason: 'Matrix probe' }) },
  'POST /api/v1/invoices/:id/submit': { ...invoice, body: () => ({}) },
  'POST /api/v1/invoices/:id/verify': { ...invoice, body: () => ({}) },
  'POST /api/v1/invoices/:id/return': { ...invoice, body: () => ({ remarks: 'Matrix probe' }) },
  'POST /api/v1/invoices/:id/approve': { ...invoice, body: () => ({ otp: '123456' }) },
};

/**
 * The workflow's three logins on the demo's contract 2: agency 1's admin, office 79's department
 * manager, the Bhopal DDO. Tests log in again after moving the clock: the money roles' sessions
 * idle out in 15 minutes.
 */
export async function workflowLogins(t: TestApp): Promise<{ agency: Client; dm: Client; ddo: Client }> {
  const agency = await t.login('agency_admin');
  const dm = await t.login('dm_bhopal');
  await switchTo(dm, 79, 'department_manager');
  return { agency, dm, ddo: await t.login('ddo_bhopal') };
}

/**
 * A draft invoice of `contractId` for `month` ('YYYY-MM'): the active one if still a draft, else it
 * is withdrawn (by SQL, past the trigger that keeps cancellations inside the workflow) and the
 * agency generates it again. For tests that walk the workflow from its start many times.
 */
export async function draftInvoice(t: TestApp, agency: Client, month: string, contractId = 2): Promise<number> {
  const cur = await activeInvoice(t, contractId, month);
  if (cur && cur.stage === null) return cur.id;
  await withdrawInvoice(t, contractId, month);
  const r = await agency.post('/api/v1/invoices', { contractId, month });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as TInvoice).id;
}

/** The contract-month's active invoice, with its workflow stage (null: a draft). */
async function activeInvoice(t: TestApp, contractId: number, month: string) {
  return (
    await t.database.db.execute<{ id: number; stage: string | null }>(
      sql`select i.id, w.stage from invoices i left join invoice_workflow w on w.invoice_id = i.id where i.contract_id = ${contractId} and i.month = ${`${month}-01`} and i.status = 'active'`,
    )
  ).rows[0];
}

/** Withdraws the contract-month's active invoice, if any (by SQL, past the trigger), so that it can be generated again. */
export async function withdrawInvoice(t: TestApp, contractId: number, month: string): Promise<void> {
  const cur = await activeInvoice(t, contractId, month);
  if (!cur) return;
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table invoices disable trigger invoices_cancel_outside_workflow`);
    await tx.execute(
      sql`update invoices set status = 'cancelled', cancelled_at = now(), cancel_reason = 'test', credit_note_no = ${`T${cur.id}`}, credit_note_date = current_date where id = ${cur.id}`,
    );
    await tx.execute(sql`alter table invoices enable trigger invoices_cancel_outside_workflow`);
  });
}
