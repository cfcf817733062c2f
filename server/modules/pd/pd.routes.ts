import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZDepositCreate,
  ZEcheque,
  ZEchequeCreate,
  ZEchequeList,
  ZEchequePass,
  ZEchequeReturn,
  ZIdempotencyHeaders,
  ZReversal,
  ZPdAccount,
  ZPdAccountList,
  ZPdIdParam,
  ZStatement,
  ZStatementQuery,
  ZWorklistQuery,
} from '../../../shared/contracts/pd.ts';
import { allowEmptyJsonBody } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps, sendCreated } from '../../platform/http/http.ts';
import * as service from './pd.service.ts';

/**
 * Treasury personal-deposit accounts (spec 08). Reads need `pd.read` (the service keeps each
 * caller to its scope: the administrator its account, the treasury officer its treasury's —
 * anything else is "not found"); deposits `pd.deposit`; a deposit's reversal (correction) `pd.pass` (treasury officer); e-cheques `pd.withdraw` (the PD
 * administrator) with an `Idempotency-Key` header; pass / return `pd.pass` (treasury officer).
 */
export const pdRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pd'];
    const base = '/api/v1/pd';
    allowEmptyJsonBody(app);

    app.get(`${base}/accounts`, { config: { permission: 'pd.read' }, schema: { tags, response: { 200: ZPdAccountList } } }, async (req) =>
      service.listAccounts(deps.db, ctxOf(req, deps)),
    );

    app.get(`${base}/accounts/:id`, { config: { permission: 'pd.read' }, schema: { tags, params: ZPdIdParam, response: { 200: ZPdAccount } } }, async (req) =>
      service.getAccount(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.get(
      `${base}/accounts/:id/statement`,
      { config: { permission: 'pd.read' }, schema: { tags, params: ZPdIdParam, querystring: ZStatementQuery, response: { 200: ZStatement } } },
      async (req) => service.statement(deps.db, ctxOf(req, deps), req.params.id, req.query.from, req.query.to),
    );

    app.post(
      `${base}/accounts/:id/deposits`,
      {
        config: { permission: 'pd.deposit' },
        schema: { tags, params: ZPdIdParam, headers: ZIdempotencyHeaders, body: ZDepositCreate, response: { 201: ZPdAccount } },
      },
      async (req, reply) => {
        const { account, replayed } = await service.deposit(deps.db, ctxOf(req, deps), req.params.id, req.body, req.headers['idempotency-key']);
        return sendCreated(reply, account, replayed);
      },
    );

    app.post(
      `${base}/deposits/:id/reverse`,
      { config: { permission: 'pd.pass' }, schema: { tags, params: ZPdIdParam, body: ZReversal, response: { 200: ZPdAccount } } },
      async (req) => service.reverseDeposit(deps.db, ctxOf(req, deps), req.params.id, req.body.reason),
    );

    app.post(
      `${base}/accounts/:id/echeques`,
      { config: { permission: 'pd.withdraw' }, schema: { tags, params: ZPdIdParam, body: ZEchequeCreate, response: { 201: ZEcheque } } },
      async (req, reply) => {
        const raw = req.headers['idempotency-key'];
        const key = Array.isArray(raw) ? undefined : raw;
        const { echeque, replayed } = await service.prepareEcheque(deps.db, ctxOf(req, deps), req.params.id, key, req.body);
        if (replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(201).send(echeque);
      },
    );

    app.get(
      `${base}/echeques`,
      { config: { permission: 'pd.read' }, schema: { tags, querystring: ZWorklistQuery, response: { 200: ZEchequeList } } },
      async (req) => service.worklist(deps.db, ctxOf(req, deps), req.query.state, req.query.payeeKind),
    );

    app.post(
      `${base}/echeques/:id/pass`,
      { config: { permission: 'pd.pass' }, schema: { tags, params: ZPdIdParam, body: ZEchequePass, response: { 200: ZEcheque } } },
      async (req) => service.decideEcheque(deps.db, ctxOf(req, deps), req.params.id, { pass: true, otp: req.body.otp }),
    );

    app.post(
      `${base}/echeques/:id/return`,
      { config: { permission: 'pd.pass' }, schema: { tags, params: ZPdIdParam, body: ZEchequeReturn, response: { 200: ZEcheque } } },
      async (req) => service.decideEcheque(deps.db, ctxOf(req, deps), req.params.id, { pass: false, reason: req.body.reason, otp: req.body.otp }),
    );
  };
