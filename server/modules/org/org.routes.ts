import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZDistrictPage, ZListQuery } from '../../../shared/contracts/org.ts';
import type { HttpDeps } from '../../platform/http/http.ts';
import * as repo from './org.repo.ts';

export const orgRoutes = (deps: HttpDeps): FastifyPluginAsyncZod => async (app) => {
  const tags = ['org'];
  app.get('/api/v1/org/districts', {
    config: { permission: 'org.read' },
    schema: { tags, querystring: ZListQuery, response: { 200: ZDistrictPage } },
  }, async (req) => {
    const { items, total } = await repo.listDistricts(deps.db, req.query);
    return { items: items.map((d) => ({ id: d.id, code: d.code, nameEn: d.nameEn, nameHi: d.nameHi, active: d.active })), total, page: req.query.page, pageSize: req.query.pageSize };
  });
};
