import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HttpDeps } from '../../platform/http/http.ts';

export const sanctionRoutes = (_deps: HttpDeps, _opts: { filesDir: string }): FastifyPluginAsyncZod => async () => {};
