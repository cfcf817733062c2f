import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpDeps } from '../http/http.ts';
import { sandboxMessages } from './outbox.table.ts';

/**
 * The developer outbox: what the sandbox SMS / e-mail adapters "delivered", so a person trying
 * the demo can read their one-time code. Registered only with the sandbox adapter, never in
 * production.
 */
export const devOutboxRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/dev/outbox',
      {
        config: { permission: 'public' },
        schema: {
          tags: ['dev'],
          querystring: z.object({ recipient: z.string().max(254).optional() }),
          response: {
            200: z.object({
              items: z.array(z.object({ id: z.number(), channel: z.string(), recipient: z.string(), body: z.string(), createdAt: z.string() })),
            }),
          },
        },
      },
      async (req) => {
        const where = req.query.recipient ? eq(sandboxMessages.recipient, req.query.recipient) : undefined;
        const rows = await deps.db.select().from(sandboxMessages).where(where).orderBy(desc(sandboxMessages.id)).limit(50);
        return { items: rows.map((r) => ({ id: r.id, channel: r.channel, recipient: r.recipient, body: r.body, createdAt: r.createdAt.toISOString() })) };
      },
    );
  };
