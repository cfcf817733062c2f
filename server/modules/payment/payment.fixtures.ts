import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the payment routes (see server/test/matrix-fixtures.ts): the
 * invoice outside every below-state demo user's scope is invoice 4 (invoice.fixtures.ts); its
 * bill, when the demo has one, is as foreign.
 */
const FOREIGN_INVOICE_ID = 4;
const invoice = { params: () => ({ id: FOREIGN_INVOICE_ID }) };
const bill = { params: () => ({ id: 999_999 }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/payments/bills/:id': bill,
  'GET /api/v1/payments/bills/:id/export': bill,
  'POST /api/v1/payments/bills/:id/send': { ...bill, body: () => ({}) },
  'GET /api/v1/payments/invoices/:id/bill': invoice,
  'GET /api/v1/payments/invoices/:id/credits': invoice,
  'POST /api/v1/payments/invoices/:id/credits': {
    ...invoice,
    body: () => ({ items: [{ resourceId: 1, utr: 'UTR000001', amountPaise: 100, creditDate: '2026-11-01' }] }),
  },
  'POST /api/v1/payments/invoices/:id/credits/import': { ...invoice, body: () => ({ fileName: 'x.csv', contentBase64: 'eA==' }) },
};
