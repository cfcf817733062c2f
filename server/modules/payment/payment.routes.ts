import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  ZBill,
  ZBillList,
  ZCreditCreate,
  ZCreditFlagList,
  ZCreditFlagQuery,
  ZCreditImport,
  ZIfmisQueue,
  ZIfmisQueueQuery,
  ZImportResult,
  ZInvoiceCredits,
  ZPayDateList,
  ZPayDateQuery,
  ZPaymentCreate,
  ZPaymentImport,
  ZSendBill,
} from '../../../shared/contracts/payment.ts';
import { contentDisposition, localFileStore } from '../../platform/files/files.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import type { ModuleOptions } from '../../platform/module.ts';
import { billWorkbook } from './payment.export.ts';
import { billPayload, billPdfAttachment, getBill, getBillOfInvoice, ifmisQueue, listBills } from './payment.bill-read.ts';
import { sendBill } from './payment.bill-send.ts';
import { creditFlags, importCredits, invoiceCredits, recordCreditsForm } from './payment.credits.ts';
import { importPayments } from './payment.import.ts';
import { payDates } from './payment.pay-dates.ts';
import { recordPayment } from './payment.record.ts';
import { ifmisFor } from './payment.ifmis.ts';

const keyOf = (raw: string | string[] | undefined) => (Array.isArray(raw) ? undefined : raw);
const ZExportQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') });

/**
 * Bills to IFMIS, payments, worker credits and pay dates (issue 17; docs/PAYMENTS.md). Reads
 * `payment.read` (each caller within its scope, the service checks the record); sending a bill
 * `payment.send` and recording payments `payment.record` (the DDO, with the second factor and an
 * Idempotency-Key); the agency's worker credits `payment.credit` (Idempotency-Key); pay dates
 * `payment.paydates`; the treasury's queue `ifmis.queue` (Finance, treasury officer).
 */
export const paymentRoutes =
  (deps: HttpDeps, opts: ModuleOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const store = localFileStore(opts.filesDir);
    const tags = ['payment'];
    const base = '/api/v1/payments';
    const read = { permission: 'payment.read' as const };

    app.get(`${base}/bills`, { config: read, schema: { tags, response: { 200: ZBillList } } }, async (req) => listBills(deps.db, ctxOf(req, deps)));

    app.get(`${base}/bills/:id`, { config: read, schema: { tags, params: ZIdParam, response: { 200: ZBill } } }, async (req) =>
      getBill(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.get(`${base}/invoices/:id/bill`, { config: read, schema: { tags, params: ZIdParam, response: { 200: ZBill } } }, async (req) =>
      getBillOfInvoice(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.get(`${base}/bills/:id/export`, { config: read, schema: { tags, params: ZIdParam, querystring: ZExportQuery } }, async (req, reply) => {
      const ctx = ctxOf(req, deps);
      const bill = await billPayload(deps.db, ctx, req.params.id);
      const name = `bill-${bill.billNo.replace(/[^A-Za-z0-9-]/g, '-')}`;
      if (req.query.format === 'xlsx') return sendExport(reply, 'xlsx', { body: await billWorkbook(bill), filename: name });
      // The JSON is the bill as IFMIS takes it, with the invoice PDF attached (issue 17 item 3):
      // the stored PDF, whose SHA-256 the bill fixed at approval.
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', name, '.json'))
        .send(JSON.stringify({ ...bill, invoicePdf: await billPdfAttachment(deps.db, store, ctx, req.params.id) }, null, 2));
    });

    app.post(
      `${base}/bills/:id/send`,
      { config: { permission: 'payment.send' }, schema: { tags, params: ZIdParam, body: ZSendBill, response: { 200: ZBill } } },
      async (req, reply) => {
        const { bill, replayed } = await sendBill(
          deps.db,
          ctxOf(req, deps),
          ifmisFor(deps),
          req.params.id,
          keyOf(req.headers['idempotency-key']),
          req.body.code,
        );
        if (replayed) reply.header('idempotent-replayed', 'true');
        return bill;
      },
    );

    app.post(
      base,
      { config: { permission: 'payment.record' }, schema: { tags, body: ZPaymentCreate, response: { 201: ZBill.extend({ paymentId: z.number().int() }) } } },
      async (req, reply) => {
        const { bill, paymentId, replayed } = await recordPayment(deps.db, ctxOf(req, deps), keyOf(req.headers['idempotency-key']), req.body);
        if (replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(201).send({ ...bill, paymentId });
      },
    );

    app.post(
      `${base}/import`,
      { config: { permission: 'payment.record' }, bodyLimit: 3_000_000, schema: { tags, body: ZPaymentImport, response: { 200: ZImportResult } } },
      async (req) => importPayments(deps.db, ctxOf(req, deps), keyOf(req.headers['idempotency-key']), req.body),
    );

    app.get(`${base}/invoices/:id/credits`, { config: read, schema: { tags, params: ZIdParam, response: { 200: ZInvoiceCredits } } }, async (req) =>
      invoiceCredits(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      `${base}/invoices/:id/credits`,
      { config: { permission: 'payment.credit' }, schema: { tags, params: ZIdParam, body: ZCreditCreate, response: { 200: ZImportResult } } },
      async (req) => recordCreditsForm(deps.db, ctxOf(req, deps), req.params.id, keyOf(req.headers['idempotency-key']), req.body),
    );

    app.post(
      `${base}/invoices/:id/credits/import`,
      {
        config: { permission: 'payment.credit' },
        bodyLimit: 3_000_000,
        schema: { tags, params: ZIdParam, body: ZCreditImport, response: { 200: ZImportResult } },
      },
      async (req) => importCredits(deps.db, ctxOf(req, deps), req.params.id, keyOf(req.headers['idempotency-key']), req.body),
    );

    app.get(`${base}/credit-flags`, { config: read, schema: { tags, querystring: ZCreditFlagQuery, response: { 200: ZCreditFlagList } } }, async (req) =>
      creditFlags(deps.db, ctxOf(req, deps), req.query.agencyId),
    );

    app.get(
      `${base}/pay-dates`,
      { config: { permission: 'payment.paydates' }, schema: { tags, querystring: ZPayDateQuery, response: { 200: ZPayDateList } } },
      async (req) => payDates(deps.db, ctxOf(req, deps), req.query.breachedOnly),
    );

    app.get(
      '/api/v1/integration/ifmis/bills',
      { config: { permission: 'ifmis.queue' }, schema: { tags, querystring: ZIfmisQueueQuery, response: { 200: ZIfmisQueue } } },
      async (req) => ifmisQueue(deps.db, ctxOf(req, deps), req.query.since),
    );
  };
