import { expect } from 'vitest';
import type { Client, TestApp } from '../../test/harness.ts';
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

/** Moves a login to its assignment of `role` at office `officeId`. */
export async function switchTo(c: Client, officeId: number, role: string) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null; role: string }[] };
  const a = me.assignments.find((x) => x.officeId === officeId && x.role === role);
  expect(a, `assignment ${role} at ${officeId}`).toBeDefined();
  expect((await c.post('/api/v1/auth/switch', { assignmentId: a!.id })).statusCode).toBe(200);
}

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
