import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZRepAccountReport,
  ZRepAgListQuery,
  ZRepMonthFileQuery,
  ZRepMonthQuery,
  ZRepPeriodFileQuery,
  ZRepPeriodQuery,
  ZRepTreasuryList,
  ZRepTreasuryMonth,
  ZRepTreasuryParam,
} from '../../../shared/contracts/pd-rep.ts';
import { ZPdIdParam } from '../../../shared/contracts/pd.ts';
import { contentDisposition } from '../../platform/files/files.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import * as service from './pd.rep.ts';

/**
 * PD accounting reports (issue 18 items 5–6; pd.rep.ts). The administrator's report by line and
 * monthly account need `pd.read` and are checked on the account (a foreign one is 404, like every
 * PD route); the treasury's 8443-106 monthly account and the Accountant General's list need
 * `pd.treasury_report` and are checked on the treasury. All reads; downloads are audited.
 */
export const pdrepRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pd'];
    const base = '/api/v1/pd';
    const read = { permission: 'pd.read' } as const;
    const treasury = { permission: 'pd.treasury_report' } as const;

    const sendFile = (reply: FastifyReply, format: 'pdf' | 'xlsx' | 'csv', f: { body: Buffer; filename: string }) => {
      if (format !== 'pdf') return sendExport(reply, format, f);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition('attachment', f.filename, '.pdf'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(f.body);
    };

    app.get(
      `${base}/accounts/:id/report`,
      { config: read, schema: { tags, params: ZPdIdParam, querystring: ZRepPeriodQuery, response: { 200: ZRepAccountReport } } },
      async (req) => service.accountReport(deps.db, ctxOf(req, deps), req.params.id, req.query.from, req.query.to),
    );

    app.get(
      `${base}/accounts/:id/report/file`,
      { config: read, schema: { tags, params: ZPdIdParam, querystring: ZRepPeriodFileQuery } },
      async (req, reply) => {
        const { from, to, format } = req.query;
        return sendFile(reply, format, await service.accountReportFile(deps.db, ctxOf(req, deps), req.params.id, { from, to }, format));
      },
    );

    app.get(
      `${base}/accounts/:id/monthly-account`,
      { config: read, schema: { tags, params: ZPdIdParam, querystring: ZRepMonthQuery, response: { 200: ZRepAccountReport } } },
      async (req) => {
        const { from, to } = service.monthBounds(req.query.month);
        return service.accountReport(deps.db, ctxOf(req, deps), req.params.id, from, to);
      },
    );

    app.get(
      `${base}/accounts/:id/monthly-account/file`,
      { config: read, schema: { tags, params: ZPdIdParam, querystring: ZRepMonthFileQuery } },
      async (req, reply) => {
        const { month, format } = req.query;
        const period = { ...service.monthBounds(month), month };
        return sendFile(reply, format, await service.accountReportFile(deps.db, ctxOf(req, deps), req.params.id, period, format));
      },
    );

    app.get(`${base}/report-treasuries`, { config: treasury, schema: { tags, response: { 200: ZRepTreasuryList } } }, async (req) =>
      service.listReportTreasuries(deps.db, ctxOf(req, deps)),
    );

    app.get(
      `${base}/treasuries/:id/monthly-account`,
      { config: treasury, schema: { tags, params: ZRepTreasuryParam, querystring: ZRepMonthQuery, response: { 200: ZRepTreasuryMonth } } },
      async (req) => service.treasuryMonth(deps.db, ctxOf(req, deps), req.params.id, req.query.month),
    );

    app.get(
      `${base}/treasuries/:id/monthly-account/file`,
      { config: treasury, schema: { tags, params: ZRepTreasuryParam, querystring: ZRepAgListQuery } },
      async (req, reply) => {
        const { month, format } = req.query;
        return sendFile(reply, format, await service.treasuryMonthFile(deps.db, ctxOf(req, deps), req.params.id, month, format));
      },
    );

    app.get(
      `${base}/treasuries/:id/ag-list`,
      { config: treasury, schema: { tags, params: ZRepTreasuryParam, querystring: ZRepAgListQuery } },
      async (req, reply) => {
        const { month, format } = req.query;
        return sendFile(reply, format, await service.agList(deps.db, ctxOf(req, deps), req.params.id, month, format));
      },
    );
  };
