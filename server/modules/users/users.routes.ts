import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  ZAddOfficeUserBody,
  ZAddOfficeUserReply,
  ZEndAssignmentReply,
  ZLookupQuery,
  ZLookupReply,
  ZOfficeOptions,
  ZOfficeSearchQuery,
  ZOfficeUserPage,
  ZOfficeUsersQuery,
  ZUserStatusReply,
} from '../../../shared/contracts/users.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import * as service from './users.service.ts';

/** Office users (manual section 7). Every route: permission `users.manage`, then the office's scope. */
export const usersRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['users'];
    const config = { permission: 'users.manage' as const };

    app.get(
      '/api/v1/office-users/offices',
      {
        config,
        schema: { tags, querystring: ZOfficeSearchQuery, response: { 200: ZOfficeOptions } },
      },
      async (req) => ({ items: await service.searchOffices(deps.db, ctxOf(req, deps), req.query.q) }),
    );

    app.get(
      '/api/v1/office-users',
      {
        config,
        schema: { tags, querystring: ZOfficeUsersQuery, response: { 200: ZOfficeUserPage } },
      },
      async (req) => service.listOfficeUsers(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(
      '/api/v1/office-users/lookup',
      {
        config,
        schema: { tags, querystring: ZLookupQuery, response: { 200: ZLookupReply } },
      },
      async (req) => service.lookupMobile(deps.db, ctxOf(req, deps), req.query),
    );

    app.post(
      '/api/v1/office-users',
      {
        config,
        schema: { tags, body: ZAddOfficeUserBody, response: { 201: ZAddOfficeUserReply } },
      },
      async (req, reply) => reply.code(201).send(await service.addOfficeUser(deps.db, ctxOf(req, deps), req.body)),
    );

    app.post(
      '/api/v1/office-users/assignments/:id/end',
      {
        config,
        schema: { tags, params: ZIdParam, response: { 200: ZEndAssignmentReply } },
      },
      async (req) => service.endAssignment(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      '/api/v1/office-users/users/:id/deactivate',
      {
        config,
        schema: { tags, params: ZIdParam, response: { 200: ZUserStatusReply } },
      },
      async (req) => service.setUserStatus(deps.db, ctxOf(req, deps), req.params.id, 'inactive'),
    );

    app.post(
      '/api/v1/office-users/users/:id/activate',
      {
        config,
        schema: { tags, params: ZIdParam, response: { 200: ZUserStatusReply } },
      },
      async (req) => service.setUserStatus(deps.db, ctxOf(req, deps), req.params.id, 'active'),
    );
  };
