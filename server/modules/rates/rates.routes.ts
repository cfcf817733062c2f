import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  ZHeadCreate,
  ZHeadHistory,
  ZHeadHistoryQuery,
  ZHeadsInForce,
  ZHeadsQuery,
  ZMinimumWage,
  ZMinimumWageCreate,
  ZMinimumWageExportQuery,
  ZMinimumWageListQuery,
  ZMinimumWagePage,
  ZMinimumWageSummary,
  ZStatutoryHead,
  ZWageDefinitionCreate,
  ZWageDefinitionRow,
} from '../../../shared/contracts/rates.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import { calculatorRoutes } from './rates.calculator.routes.ts';
import * as heads from './rates.heads.service.ts';
import * as service from './rates.service.ts';

/**
 * Minimum wages (spec 06, notes/contract-api.md). Everyone who works with contracts reads them
 * (`rates.read`); Finance adds revisions and deletes rows not yet in force (`rates.manage`).
 */
export const ratesRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['rates'];
    const read = { permission: 'rates.read' as const };
    const manage = { permission: 'rates.manage' as const };
    const base = '/api/v1/rates/minimum-wages';
    await app.register(calculatorRoutes(deps));

    app.get(
      base,
      {
        config: read,
        schema: { tags, querystring: ZMinimumWageListQuery, response: { 200: ZMinimumWagePage } },
      },
      async (req) => service.listMinimumWages(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(
      `${base}/summary`,
      {
        config: read,
        schema: { tags, response: { 200: ZMinimumWageSummary } },
      },
      async (req) => service.summary(deps.db, ctxOf(req, deps)),
    );

    app.get(
      `${base}/export`,
      {
        config: read,
        schema: { tags, querystring: ZMinimumWageExportQuery },
      },
      async (req, reply) => {
        const { body, filename } = await service.exportMinimumWages(deps.db, ctxOf(req, deps), req.query);
        return sendExport(reply, req.query.format, { body, filename });
      },
    );

    app.post(
      base,
      {
        config: manage,
        schema: { tags, body: ZMinimumWageCreate, response: { 201: ZMinimumWage } },
      },
      async (req, reply) => reply.code(201).send(await service.addMinimumWage(deps.db, ctxOf(req, deps), req.body)),
    );

    app.delete(
      `${base}/:id`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await service.deleteMinimumWage(deps.db, ctxOf(req, deps), req.params.id);
        return reply.code(204).send(null);
      },
    );
    // --- Statutory heads and the wage definition (Finance's heads master) ---
    const hb = '/api/v1/rates/heads';
    app.get(hb, { config: read, schema: { tags, querystring: ZHeadsQuery, response: { 200: ZHeadsInForce } } }, async (req) =>
      heads.headsOn(deps.db, ctxOf(req, deps), req.query),
    );
    app.get(`${hb}/history`, { config: read, schema: { tags, querystring: ZHeadHistoryQuery, response: { 200: ZHeadHistory } } }, async (req) =>
      heads.headHistory(deps.db, ctxOf(req, deps), req.query),
    );
    app.post(hb, { config: manage, schema: { tags, body: ZHeadCreate, response: { 201: ZStatutoryHead } } }, async (req, reply) =>
      reply.code(201).send(await heads.addHead(deps.db, ctxOf(req, deps), req.body)),
    );
    app.delete(`${hb}/:id`, { config: manage, schema: { tags, params: ZIdParam, response: { 204: z.null() } } }, async (req, reply) => {
      await heads.deleteHead(deps.db, ctxOf(req, deps), req.params.id);
      return reply.code(204).send(null);
    });
    app.post(
      `${hb}/wage-definitions`,
      { config: manage, schema: { tags, body: ZWageDefinitionCreate, response: { 201: ZWageDefinitionRow } } },
      async (req, reply) => reply.code(201).send(await heads.addWageDefinition(deps.db, ctxOf(req, deps), req.body)),
    );
    app.delete(`${hb}/wage-definitions/:id`, { config: manage, schema: { tags, params: ZIdParam, response: { 204: z.null() } } }, async (req, reply) => {
      await heads.deleteWageDefinition(deps.db, ctxOf(req, deps), req.params.id);
      return reply.code(204).send(null);
    });
  };
