import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZSecurityEventPage, ZSecurityEventQuery } from '../../../shared/contracts/security.ts';
import { reachOf } from '../access/access.ts';
import { actorOf, type HttpDeps } from '../http/http.ts';
import { searchSecurityEvents } from './security.service.ts';

export const securityRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/security-events',
      {
        config: { permission: 'audit.read' },
        schema: { tags: ['audit'], querystring: ZSecurityEventQuery, response: { 200: ZSecurityEventPage } },
      },
      async (req) => {
        const reach = await reachOf(deps.db, actorOf(req));
        const { rows, total, totalCapped } = await searchSecurityEvents(deps.db, { ...req.query, reach });
        return {
          items: rows.map((r) => ({
            id: r.id,
            at: r.at.toISOString(),
            userId: r.userId,
            username: r.username,
            userName: r.userName,
            role: r.role,
            ip: r.ip,
            method: r.method,
            route: r.route,
            status: r.status,
            code: r.code,
            details: r.details,
          })),
          total,
          totalCapped,
          page: req.query.page,
          pageSize: req.query.pageSize,
        };
      },
    );
  };
