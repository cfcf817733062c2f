import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TConfig } from './config.ts';
import type { Database } from './db/client.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { registerHttpPlatform, type HttpDeps } from './platform/http/http.ts';
import { devOutboxRoutes } from './platform/outbox/outbox.routes.ts';
import { serializerCompiler } from './platform/http/serializer.ts';
import { MODULES } from './modules/registry.ts';

export type AppDeps = {
  database: Database;
  config: Pick<
    TConfig,
    'COOKIE_SECURE' | 'isProduction' | 'SMS_ADAPTER' | 'WEB_DIST' | 'LOG_LEVEL' | 'CORS_ORIGINS' | 'TRUST_PROXY' | 'ROAMS_MODE' | 'FILES_DIR'
  > &
    Partial<Pick<TConfig, 'LOGIN_FAILURES_PER_MINUTE'>>;
  /** The clock; tests pass a fake one. */
  now?: () => Date;
  logger?: boolean | object;
  /**
   * Write every response both through zod and through the compiled writer and refuse a difference
   * (server/platform/http/serializer.ts). Default: under Vitest, or ROAMS_VERIFY_RESPONSES=1.
   */
  verifyResponses?: boolean;
  /** zod's serialiser alone, as before the compiled writer (bench/request-cpu.ts compares the two). */
  zodResponses?: boolean;
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Only the configured proxies' X-Forwarded-For is believed (an empty list: none).
    trustProxy: deps.config.TRUST_PROXY.length > 0 ? deps.config.TRUST_PROXY : false,
    bodyLimit: 1024 * 1024,
    // A graceful shutdown (SIGTERM, a rolling restart behind nginx) finishes every request that
    // reached this instance instead of answering 503: nginx cannot safely resend a POST that an
    // instance refused after reading it (scripts/scale-out.mjs saw one such write fail).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    serializerCompiler({
      verify: deps.verifyResponses ?? (process.env.VITEST !== undefined || process.env.ROAMS_VERIFY_RESPONSES === '1'),
      zodOnly: deps.zodResponses,
    }),
  );

  const httpDeps: HttpDeps = {
    db: deps.database.db,
    now: deps.now ?? (() => new Date()),
    cookieSecure: deps.config.COOKIE_SECURE,
    loginFailuresPerMinute: deps.config.LOGIN_FAILURES_PER_MINUTE ?? 600,
  };

  await app.register(cookie);
  // Security headers (helmet), built once: @fastify/helmet built helmet's middleware again on
  // every request — parsing the CSP directives each time, 2 % of a list request's CPU and ≈ 5 kB
  // of garbage (bench/RESULTS.md "A list request's own cost"). The same headers, on every reply.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: deps.config.isProduction ? [] : null,
      },
    },
    hsts: deps.config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'ROAMS API', description: 'Resource Outsourcing Agency Management System', version: '1' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'roams_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerHttpPlatform(app, httpDeps);

  app.get(
    '/api/health',
    { schema: { response: { 200: z.object({ status: z.literal('ok') }), 503: z.object({ status: z.literal('unavailable') }) } } },
    async (_req, reply) => {
      try {
        await deps.database.db.execute(sql`select 1`);
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const });
      }
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes(httpDeps));
  for (const m of MODULES) if (m.routes) await app.register(m.routes(httpDeps, { filesDir: deps.config.FILES_DIR }));
  await app.register(auditRoutes(httpDeps));
  if (deps.config.SMS_ADAPTER === 'sandbox' && !deps.config.isProduction) await app.register(devOutboxRoutes(httpDeps));

  const webDist = path.resolve(deps.config.WEB_DIST);
  if (existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
    // The single-page app answers every other GET that is not an API call.
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }
  return app;
}
