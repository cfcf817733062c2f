import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  MAX_ORDER_FILE_BYTES,
  ZCapacityPage,
  ZCapacityQuery,
  ZCreateOrderFields,
  ZHodParam,
  ZNamed,
  ZOrderExportQuery,
  ZOrderListQuery,
  ZOrderPostParams,
  ZSanctionOptions,
  ZSanctionOrder,
  ZSanctionOrderPage,
  ZSanctionPostInput,
  ZUpdateOrderBody,
} from '../../../shared/contracts/sanction.ts';
import { localFileStore } from '../../platform/files/files.ts';
import { allowEmptyJsonBody, parseMultipartFields, readPdfMultipart, requiredFile } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps, sendStoredPdf, sendExport } from '../../platform/http/http.ts';
import * as service from './sanction.service.ts';

const FILE_FIELD = 'order';

/**
 * Sanction orders and sanctioned posts (spec 02, notes/sanction-api.md). Reads need
 * `sanction.read`, writes `sanction.manage`; the service then checks the order's department
 * against the caller's scope (another department's order is "not found").
 */
export const sanctionRoutes =
  (deps: HttpDeps, opts: { filesDir: string }): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['sanction'];
    const read = { permission: 'sanction.read' as const };
    const manage = { permission: 'sanction.manage' as const };
    const store = localFileStore(opts.filesDir);
    // fileSize one byte over the limit: a file of exactly 2 MiB passes, anything longer is refused whole.
    // preservePath: see the name as sent (busboy would otherwise cut '../../x.pdf' to 'x.pdf'), so that such names are refused.
    await app.register(multipart, {
      preservePath: true,
      limits: { fileSize: MAX_ORDER_FILE_BYTES + 1, files: 2, fields: 12, parts: 16, fieldSize: 8 * 1024 },
      throwFileSizeLimit: false,
    });

    allowEmptyJsonBody(app);

    const base = '/api/v1/sanction-orders';

    app.get(
      base,
      {
        config: read,
        schema: { tags, querystring: ZOrderListQuery, response: { 200: ZSanctionOrderPage } },
      },
      async (req) => service.listOrders(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(
      `${base}/export`,
      {
        config: read,
        schema: { tags, querystring: ZOrderExportQuery },
      },
      async (req, reply) => {
        const { body, filename } = await service.exportOrders(deps.db, ctxOf(req, deps), req.query);
        return sendExport(reply, req.query.format, { body, filename });
      },
    );

    app.post(
      base,
      {
        config: manage,
        schema: { tags, consumes: ['multipart/form-data'], response: { 201: ZSanctionOrder } },
      },
      async (req, reply) => {
        const { fields, files } = await readPdfMultipart(req, { fileFields: [FILE_FIELD], maxBytes: MAX_ORDER_FILE_BYTES });
        const file = requiredFile(files, FILE_FIELD, MAX_ORDER_FILE_BYTES);
        const parsed = parseMultipartFields(ZCreateOrderFields, fields, ['refOrderId', 'departmentId']);
        const { order, duplicateOfFileId } = await service.createOrder(deps.db, ctxOf(req, deps), store, parsed, file!);
        if (duplicateOfFileId !== null) reply.header('x-roams-duplicate-file', String(duplicateOfFileId));
        return reply.code(201).send(order);
      },
    );

    app.get(
      `${base}/:id`,
      {
        config: read,
        schema: { tags, params: ZIdParam, response: { 200: ZSanctionOrder } },
      },
      async (req) => service.getOrder(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.put(
      `${base}/:id`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, body: ZUpdateOrderBody, response: { 200: ZSanctionOrder } },
      },
      async (req) => service.updateOrder(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    app.delete(
      `${base}/:id`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await service.deleteOrder(deps.db, ctxOf(req, deps), req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      `${base}/:id/file`,
      {
        config: read,
        schema: { tags, params: ZIdParam },
      },
      async (req, reply) => {
        const f = await service.getOrderFile(deps.db, ctxOf(req, deps), store, req.params.id);
        return sendStoredPdf(reply, f);
      },
    );

    app.put(
      `${base}/:id/file`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, consumes: ['multipart/form-data'], response: { 200: ZSanctionOrder } },
      },
      async (req, reply) => {
        const ctx = ctxOf(req, deps);
        await service.assertOrderVisible(deps.db, ctx, req.params.id);
        const file = requiredFile(
          (await readPdfMultipart(req, { fileFields: [FILE_FIELD], maxBytes: MAX_ORDER_FILE_BYTES })).files,
          FILE_FIELD,
          MAX_ORDER_FILE_BYTES,
        );
        const { order, duplicateOfFileId } = await service.replaceOrderFile(deps.db, ctx, store, req.params.id, file!);
        if (duplicateOfFileId !== null) reply.header('x-roams-duplicate-file', String(duplicateOfFileId));
        return order;
      },
    );

    app.post(
      `${base}/:id/posts`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, body: ZSanctionPostInput, response: { 201: ZSanctionOrder } },
      },
      async (req, reply) => reply.code(201).send(await service.addPost(deps.db, ctxOf(req, deps), req.params.id, req.body)),
    );

    app.put(
      `${base}/:id/posts/:postId`,
      {
        config: manage,
        schema: { tags, params: ZOrderPostParams, body: ZSanctionPostInput, response: { 200: ZSanctionOrder } },
      },
      async (req) => service.updatePost(deps.db, ctxOf(req, deps), req.params.id, req.params.postId, req.body),
    );

    app.delete(
      `${base}/:id/posts/:postId`,
      {
        config: manage,
        schema: { tags, params: ZOrderPostParams, response: { 200: ZSanctionOrder } },
      },
      async (req) => service.deletePost(deps.db, ctxOf(req, deps), req.params.id, req.params.postId),
    );

    app.post(
      `${base}/:id/lock`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, body: z.strictObject({}).optional(), response: { 200: ZSanctionOrder } },
      },
      async (req) => service.lockOrder(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.get(
      '/api/v1/sanction/options',
      {
        config: read,
        schema: { tags, response: { 200: ZSanctionOptions } },
      },
      async (req) => service.options(deps.db, ctxOf(req, deps)),
    );

    app.get(
      '/api/v1/sanction/hods/:hodId/offices',
      {
        config: read,
        schema: { tags, params: ZHodParam, response: { 200: z.array(ZNamed) } },
      },
      async (req) => service.hodOffices(deps.db, ctxOf(req, deps), req.params.hodId),
    );

    app.get(
      '/api/v1/sanction/capacity',
      {
        config: read,
        schema: { tags, querystring: ZCapacityQuery, response: { 200: ZCapacityPage } },
      },
      async (req) => service.capacity(deps.db, ctxOf(req, deps), req.query),
    );
  };
