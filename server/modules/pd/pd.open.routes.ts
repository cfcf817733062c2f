import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZApplication,
  ZApplicationList,
  ZApplicationQuery,
  ZBudgetLineOptions,
  ZOpenIdParam,
  ZProposal,
  ZProposalIn,
  ZProposalList,
  ZProposalListQuery,
  ZRefuseIn,
  ZRegisterIn,
  ZSanctionIn,
  ZTreasuryOptions,
} from '../../../shared/contracts/pd-open.ts';
import { allowEmptyJsonBody } from '../../platform/files/multipart.ts';
import { ZIdempotencyHeaders } from '../../../shared/contracts/common.ts';
import { ctxOf, type HttpDeps, sendCreated } from '../../platform/http/http.ts';
import * as service from './pd.open.ts';
import * as registration from './pd.open.register.ts';

/**
 * Opening a PD account (issue 18 item 1). Reads `pd.open.read` (each caller kept to its scope by
 * the access layer: a department its proposals, a treasury the applications at it, Finance all);
 * the department's proposal, submission, recommendation and application `pd.open.propose`
 * (office admin; the service checks maker ≠ HOD and the HOD's scope); sanction / refusal
 * `pd.open.sanction` (Finance); registration `pd.open.register` (the treasury officer). Every
 * record route answers 404 for a record outside the caller's scope.
 */
export const pdopenRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pd'];
    const base = '/api/v1/pd/opening';
    allowEmptyJsonBody(app);

    app.get(
      `${base}/proposals`,
      { config: { permission: 'pd.open.read' }, schema: { tags, querystring: ZProposalListQuery, response: { 200: ZProposalList } } },
      async (req) => service.listProposals(deps.db, ctxOf(req, deps), req.query.state),
    );
    app.get(
      `${base}/proposals/:id`,
      { config: { permission: 'pd.open.read' }, schema: { tags, params: ZOpenIdParam, response: { 200: ZProposal } } },
      async (req) => service.getProposal(deps.db, ctxOf(req, deps), req.params.id),
    );
    app.post(
      `${base}/proposals`,
      { config: { permission: 'pd.open.propose' }, schema: { tags, headers: ZIdempotencyHeaders, body: ZProposalIn, response: { 201: ZProposal } } },
      async (req, reply) => {
        const { proposal, replayed } = await service.createProposal(deps.db, ctxOf(req, deps), req.body, req.headers['idempotency-key']);
        return sendCreated(reply, proposal, replayed);
      },
    );
    app.put(
      `${base}/proposals/:id`,
      { config: { permission: 'pd.open.propose' }, schema: { tags, params: ZOpenIdParam, body: ZProposalIn, response: { 200: ZProposal } } },
      async (req) => service.updateProposal(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(
      `${base}/proposals/:id/submit`,
      { config: { permission: 'pd.open.propose' }, schema: { tags, params: ZOpenIdParam, response: { 200: ZProposal } } },
      async (req) => service.submitProposal(deps.db, ctxOf(req, deps), req.params.id),
    );
    app.post(
      `${base}/proposals/:id/recommend`,
      { config: { permission: 'pd.open.propose' }, schema: { tags, params: ZOpenIdParam, response: { 200: ZProposal } } },
      async (req) => service.recommendProposal(deps.db, ctxOf(req, deps), req.params.id),
    );
    app.post(
      `${base}/proposals/:id/sanction`,
      { config: { permission: 'pd.open.sanction' }, schema: { tags, params: ZOpenIdParam, body: ZSanctionIn, response: { 200: ZProposal } } },
      async (req) => service.sanctionProposal(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(
      `${base}/proposals/:id/refuse`,
      { config: { permission: 'pd.open.sanction' }, schema: { tags, params: ZOpenIdParam, body: ZRefuseIn, response: { 200: ZProposal } } },
      async (req) => service.refuseProposal(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(
      `${base}/proposals/:id/apply`,
      { config: { permission: 'pd.open.propose' }, schema: { tags, params: ZOpenIdParam, response: { 200: ZProposal } } },
      async (req) => service.applyProposal(deps.db, ctxOf(req, deps), req.params.id),
    );
    app.get(
      `${base}/applications`,
      { config: { permission: 'pd.open.read' }, schema: { tags, querystring: ZApplicationQuery, response: { 200: ZApplicationList } } },
      async (req) => registration.listApplications(deps.db, ctxOf(req, deps), req.query.registered === 'yes'),
    );
    app.post(
      `${base}/applications/:id/register`,
      { config: { permission: 'pd.open.register' }, schema: { tags, params: ZOpenIdParam, body: ZRegisterIn, response: { 201: ZApplication } } },
      async (req, reply) => reply.code(201).send(await registration.registerApplication(deps.db, ctxOf(req, deps), req.params.id, req.body.otp)),
    );
    app.get(`${base}/budget-lines`, { config: { permission: 'pd.open.propose' }, schema: { tags, response: { 200: ZBudgetLineOptions } } }, async (req) =>
      service.budgetLineOptions(deps.db, ctxOf(req, deps)),
    );
    app.get(`${base}/treasuries`, { config: { permission: 'pd.open.read' }, schema: { tags, response: { 200: ZTreasuryOptions } } }, async () =>
      service.treasuryOptions(deps.db),
    );
  };
