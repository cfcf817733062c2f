import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZContinuation,
  ZContinuationCreate,
  ZContinuationList,
  ZDormantReport,
  ZFyQuery,
  ZTransferBackReport,
  ZUnspentReport,
  ZYearRun,
  ZYearRunCreate,
  ZYearRunList,
  ZYearSettings,
  ZYearSettingsUpdate,
} from '../../../shared/contracts/pd-year.ts';
import { ZPdIdParam } from '../../../shared/contracts/pd.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import * as service from './pd.year.ts';

/**
 * Year-end and closing of PD accounts (issue 18 item 5). Finance (`pd.yearend`) runs the year-end
 * for an ended financial year (second factor), records continuations and sets the idle period;
 * the reports and the run history (`pd.reports`) are Finance's, the treasury officer's (its
 * treasury's accounts only) and the auditor's (read-only). Lists are filtered by the access layer.
 */
export const pdyearRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pd'];
    const base = '/api/v1/pd';

    app.post(
      `${base}/year-end/runs`,
      { config: { permission: 'pd.yearend' }, schema: { tags, body: ZYearRunCreate, response: { 201: ZYearRun } } },
      async (req, reply) => reply.code(201).send(await service.startRun(deps.db, ctxOf(req, deps), req.body.fy, req.body.otp)),
    );

    app.get(
      `${base}/year-end/runs`,
      { config: { permission: 'pd.reports' }, schema: { tags, querystring: ZFyQuery, response: { 200: ZYearRunList } } },
      async (req) => service.listRuns(deps.db, ctxOf(req, deps), req.query.fy),
    );

    app.get(`${base}/year-end/settings`, { config: { permission: 'pd.reports' }, schema: { tags, response: { 200: ZYearSettings } } }, async () =>
      service.getSettings(deps.db),
    );

    app.put(
      `${base}/year-end/settings`,
      { config: { permission: 'pd.yearend' }, schema: { tags, body: ZYearSettingsUpdate, response: { 200: ZYearSettings } } },
      async (req) => service.setSettings(deps.db, ctxOf(req, deps), req.body.dormantYears),
    );

    app.get(
      `${base}/year-end/continuations`,
      { config: { permission: 'pd.reports' }, schema: { tags, querystring: ZFyQuery, response: { 200: ZContinuationList } } },
      async (req) => service.listContinuations(deps.db, ctxOf(req, deps), req.query.fy),
    );

    app.post(
      `${base}/accounts/:id/continuations`,
      { config: { permission: 'pd.yearend' }, schema: { tags, params: ZPdIdParam, body: ZContinuationCreate, response: { 201: ZContinuation } } },
      async (req, reply) => reply.code(201).send(await service.addContinuation(deps.db, ctxOf(req, deps), req.params.id, req.body)),
    );

    app.get(`${base}/reports/unspent`, { config: { permission: 'pd.reports' }, schema: { tags, response: { 200: ZUnspentReport } } }, async (req) =>
      service.unspentReport(deps.db, ctxOf(req, deps)),
    );

    app.get(`${base}/reports/dormant`, { config: { permission: 'pd.reports' }, schema: { tags, response: { 200: ZDormantReport } } }, async (req) =>
      service.dormantReport(deps.db, ctxOf(req, deps)),
    );

    app.get(`${base}/reports/transfer-back`, { config: { permission: 'pd.reports' }, schema: { tags, response: { 200: ZTransferBackReport } } }, async (req) =>
      service.transferBackReport(deps.db, ctxOf(req, deps)),
    );
  };
