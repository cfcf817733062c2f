import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAccountBankersCheques,
  ZBankersCheque,
  ZBankersChequeCreate,
  ZEfile,
  ZEfileCreate,
  ZEfileList,
  ZScrollResult,
  ZScrollUpload,
} from '../../../shared/contracts/pd-efile.ts';
import { ZPdIdParam } from '../../../shared/contracts/pd.ts';
import { contentDisposition } from '../../platform/files/files.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import * as service from './pd.efile.ts';

/**
 * The e-file to the bank and the bank's scroll (issue 18 items 4–5, docs/PD-EFILE.md). Reads need
 * `pd.read` (the service keeps each caller to its treasury's e-files; the state sees all);
 * generating an e-file (Idempotency-Key header, second factor), importing a scroll and recording a
 * banker's cheque need `pd.pass` (the treasury officer).
 */
export const pdefileRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pd'];
    const base = '/api/v1/pd';

    app.get(`${base}/efiles`, { config: { permission: 'pd.read' }, schema: { tags, response: { 200: ZEfileList } } }, async (req) =>
      service.listEfiles(deps.db, ctxOf(req, deps)),
    );

    app.get(`${base}/efiles/:id`, { config: { permission: 'pd.read' }, schema: { tags, params: ZPdIdParam, response: { 200: ZEfile } } }, async (req) =>
      service.getEfile(deps.db, ctxOf(req, deps), req.params.id),
    );

    // The e-file's text for the bank (text/csv, UTF-8), byte for byte as generated.
    app.get(`${base}/efiles/:id/file`, { config: { permission: 'pd.pass' }, schema: { tags, params: ZPdIdParam } }, async (req, reply) => {
      const f = await service.efileText(deps.db, ctxOf(req, deps), req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', f.filename, '.csv'))
        .header('cache-control', 'no-store')
        .send(f.body);
    });

    app.post(`${base}/efiles`, { config: { permission: 'pd.pass' }, schema: { tags, body: ZEfileCreate, response: { 201: ZEfile } } }, async (req, reply) => {
      const raw = req.headers['idempotency-key'];
      const key = Array.isArray(raw) ? undefined : raw;
      const { efile, replayed } = await service.generateEfile(deps.db, ctxOf(req, deps), key, req.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(efile);
    });

    app.post(
      `${base}/efiles/:id/scroll`,
      { config: { permission: 'pd.pass' }, bodyLimit: 1_500_000, schema: { tags, params: ZPdIdParam, body: ZScrollUpload, response: { 200: ZScrollResult } } },
      async (req) => service.importScroll(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    app.get(
      `${base}/accounts/:id/bankers-cheques`,
      { config: { permission: 'pd.read' }, schema: { tags, params: ZPdIdParam, response: { 200: ZAccountBankersCheques } } },
      async (req) => service.accountBankersCheques(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      `${base}/echeques/:id/bankers-cheque`,
      { config: { permission: 'pd.pass' }, schema: { tags, params: ZPdIdParam, body: ZBankersChequeCreate, response: { 201: ZBankersCheque } } },
      async (req, reply) => reply.code(201).send(await service.recordBankersCheque(deps.db, ctxOf(req, deps), req.params.id, req.body)),
    );
  };
