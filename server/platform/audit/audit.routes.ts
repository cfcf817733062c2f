import { reachOf } from '../access/access.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAuditPage, ZAuditQuery, ZAuditVerify } from '../../../shared/contracts/audit.ts';
import { actorOf, ctxOf, type HttpDeps } from '../http/http.ts';
import { securityRoutes } from '../security/security.routes.ts';
import { recordAudit, searchAudit, verifyAuditChain } from './audit.service.ts';

export const auditRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['audit'];
    // The security log is searched beside the audit trail, by the same people (audit.read).
    await app.register(securityRoutes(deps));

    app.get(
      '/api/v1/audit',
      {
        config: { permission: 'audit.read' },
        schema: { tags, querystring: ZAuditQuery, response: { 200: ZAuditPage } },
      },
      async (req) => {
        const reach = await reachOf(deps.db, actorOf(req));
        const { rows, total, totalCapped } = await searchAudit(deps.db, { ...req.query, reach });
        return {
          items: rows.map((r) => ({
            seq: r.seq,
            at: r.at.toISOString(),
            actorUserId: r.actorUserId,
            actorName: r.actorName,
            actorUsername: r.actorUsername,
            role: r.role,
            ip: r.ip,
            entity: r.entity,
            entityId: r.entityId,
            action: r.action,
            before: r.before,
            after: r.after,
            hash: r.hash,
          })),
          total,
          totalCapped,
          page: req.query.page,
          pageSize: req.query.pageSize,
        };
      },
    );

    app.post(
      '/api/v1/audit/verify',
      {
        config: { permission: 'audit.verify' },
        schema: { tags, response: { 200: ZAuditVerify } },
      },
      async (req) => {
        const result = await verifyAuditChain(deps.db);
        await deps.db.transaction((tx) => recordAudit(tx, ctxOf(req, deps), { entity: 'audit_log', action: 'verified', after: result }));
        return result;
      },
    );
  };
