import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  ZInvoice,
  ZInvoiceCancel,
  ZInvoiceCreate,
  ZInvoiceList,
  ZInvoiceListQuery,
  ZInvoiceMonthCreate,
  ZInvoiceMonthResult,
  ZInvoiceOptions,
  ZVerifyQuery,
  ZVerifyResult,
  ZWorkflowApprove,
  ZWorkflowRemarks,
  ZWorkflowReturn,
} from '../../../shared/contracts/invoice.ts';
import { ZRecoveryBalances, ZRecoveryBalancesQuery } from '../../../shared/contracts/invoice-recovery.ts';
import { contentDisposition, localFileStore } from '../../platform/files/files.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import type { ModuleOptions } from '../../platform/module.ts';
import { invoicePrefixRoutes } from './invoice.prefix.ts';
import { recoveryBalances } from './invoice.recovery-report.ts';
import { generate } from './invoice.generate.ts';
import { generateMonth } from './invoice.generate-batch.ts';
import * as service from './invoice.service.ts';
import { takeStep } from './invoice.workflow.ts';

/**
 * Invoices (spec 06, issue 16). Reading needs `invoice.read` (the service keeps each caller to
 * its reach: the agency its own, department roles their office tree, Finance all — anything else
 * is "not found"); generating and cancelling `invoice.generate` (the agency's admin and
 * operators); verification is public.
 */
export const invoiceRoutes =
  (deps: HttpDeps, opts: ModuleOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['invoice'];
    const base = '/api/v1/invoices';
    const store = localFileStore(opts.filesDir);
    await app.register(invoicePrefixRoutes(deps));

    app.get(base, { config: { permission: 'invoice.read' }, schema: { tags, querystring: ZInvoiceListQuery, response: { 200: ZInvoiceList } } }, async (req) =>
      service.listInvoices(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(`${base}/options`, { config: { permission: 'invoice.generate' }, schema: { tags, response: { 200: ZInvoiceOptions } } }, async (req) =>
      service.options(deps.db, ctxOf(req, deps)),
    );

    app.post(base, { config: { permission: 'invoice.generate' }, schema: { tags, body: ZInvoiceCreate, response: { 201: ZInvoice } } }, async (req, reply) => {
      const raw = req.headers['idempotency-key'];
      const key = Array.isArray(raw) ? undefined : raw;
      const { invoice, replayed } = await generate(deps.db, ctxOf(req, deps), key, req.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(invoice);
    });

    // The month's invoices of all the agency's contracts at once (bar S2's batch): a result per contract.
    app.post(
      `${base}/month`,
      { config: { permission: 'invoice.generate' }, schema: { tags, body: ZInvoiceMonthCreate, response: { 200: ZInvoiceMonthResult } } },
      async (req) => generateMonth(deps.db, ctxOf(req, deps), req.body),
    );

    // Open recovery balances per contract and agency (invoice.recovery-report.ts): Finance and the department, each within its reach.
    app.get(
      `${base}/recovery-balances`,
      { config: { permission: 'invoice.recoveries' }, schema: { tags, querystring: ZRecoveryBalancesQuery, response: { 200: ZRecoveryBalances } } },
      async (req) => recoveryBalances(deps.db, ctxOf(req, deps), req.query.endedOnly),
    );

    app.get(`${base}/:id`, { config: { permission: 'invoice.read' }, schema: { tags, params: ZIdParam, response: { 200: ZInvoice } } }, async (req) =>
      service.getInvoice(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      `${base}/:id/cancel`,
      { config: { permission: 'invoice.generate' }, schema: { tags, params: ZIdParam, body: ZInvoiceCancel, response: { 200: ZInvoice } } },
      async (req) => service.cancelInvoice(deps.db, ctxOf(req, deps), req.params.id, req.body.reason),
    );

    app.get(`${base}/:id/pdf`, { config: { permission: 'invoice.read' }, schema: { tags, params: ZIdParam } }, async (req, reply) => {
      const { bytes, invoiceNo } = await service.invoicePdf(deps.db, store, ctxOf(req, deps), req.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition('attachment', invoiceNo.replace(/\//g, '-'), '.pdf'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(bytes);
    });

    // The workflow (issue 17, invoice.workflow.ts): each step takes an Idempotency-Key header.
    const keyOf = (raw: string | string[] | undefined) => (Array.isArray(raw) ? undefined : raw);
    const steps = [
      { path: 'submit', permission: 'invoice.submit', body: ZWorkflowRemarks },
      { path: 'verify', permission: 'invoice.verify', body: ZWorkflowRemarks },
      { path: 'return', permission: 'invoice.return', body: ZWorkflowReturn },
    ] as const;
    for (const st of steps)
      app.post(
        `${base}/:id/${st.path}`,
        { config: { permission: st.permission }, schema: { tags, params: ZIdParam, body: st.body, response: { 200: ZInvoice } } },
        async (req, reply) => {
          const { invoice, replayed } = await takeStep(deps.db, store, ctxOf(req, deps), req.params.id, keyOf(req.headers['idempotency-key']), {
            action: st.path,
            remarks: req.body?.remarks ?? '',
          });
          if (replayed) reply.header('idempotent-replayed', 'true');
          return invoice;
        },
      );
    app.post(
      `${base}/:id/approve`,
      { config: { permission: 'invoice.approve' }, schema: { tags, params: ZIdParam, body: ZWorkflowApprove, response: { 200: ZInvoice } } },
      async (req, reply) => {
        const { invoice, replayed } = await takeStep(deps.db, store, ctxOf(req, deps), req.params.id, keyOf(req.headers['idempotency-key']), {
          action: 'approve',
          remarks: req.body.remarks ?? '',
          otp: req.body.otp,
        });
        if (replayed) reply.header('idempotent-replayed', 'true');
        return invoice;
      },
    );

    app.get(
      '/api/v1/public/invoices/verify',
      { config: { permission: 'public' }, schema: { tags, querystring: ZVerifyQuery, response: { 200: ZVerifyResult } } },
      async (req) => service.verify(deps.db, req.query),
    );
  };
