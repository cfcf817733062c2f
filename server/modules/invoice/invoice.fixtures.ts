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
