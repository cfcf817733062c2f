import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the invoice routes (see server/test/matrix-fixtures.ts). The
 * demo seed (invoice.demo.ts) gives invoices to the demo agency only, whose contracts sit in the
 * demo users' own offices; the foreign id is an invoice no demo user below the state may reach
 * (none at all: the answer must still be a refusal, never the record).
 */
const FOREIGN_INVOICE_ID = 900_000;

const invoice = { params: () => ({ id: FOREIGN_INVOICE_ID }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/invoices/:id': invoice,
  'GET /api/v1/invoices/:id/pdf': invoice,
  'POST /api/v1/invoices/:id/cancel': { ...invoice, body: () => ({ reason: 'Matrix probe' }) },
};
