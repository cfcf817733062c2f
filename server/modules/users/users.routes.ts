import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HttpDeps } from '../../platform/http/http.ts';

export const usersRoutes = (_deps: HttpDeps): FastifyPluginAsyncZod => async () => {};
