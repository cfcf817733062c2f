import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type TInvoicePrefix, ZInvoicePrefix, ZInvoicePrefixSet } from '../../../shared/contracts/invoice-prefix.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import { prefixOf } from './invoice.repo.ts';
import { DEFAULT_PREFIX } from './invoice.rules.ts';

/**
 * The agency's own invoice-number prefix (spec 06, `PREFIX/YYYY/NNNN`). Agency self-service like
 * its documents and operators: permission `agency.self` (the agency's admin), always the caller's
 * own agency — there is no agency id in the path. A new prefix applies to the next number taken
 * (invoice or credit note); the counter of the financial year goes on unchanged. The database
 * checks the format too (`invoice_prefixes_format`, migration 0020).
 */

function ownAgency(ctx: Ctx): number {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'agency') throw new AppError('forbidden');
  return actor.scopeId;
}

export async function getPrefix(db: Db, ctx: Ctx): Promise<TInvoicePrefix> {
  const p = await prefixOf(db, ownAgency(ctx));
  return { prefix: p ?? DEFAULT_PREFIX, isDefault: p === null };
}

/** Sets the prefix, audited with the one before (unchanged → nothing written, nothing audited). */
export async function setPrefix(db: Db, ctx: Ctx, prefix: string): Promise<TInvoicePrefix> {
  const agencyId = ownAgency(ctx);
  await db.transaction(async (tx) => {
    // The agency's row locked (or absent): two admins saving at once are audited in order.
    const r = await tx.execute<{ prefix: string }>(sql`select prefix from invoice_prefixes where agency_id = ${agencyId} for update`);
    const before = r.rows[0]?.prefix ?? null;
    if (before === prefix) return;
    await tx.execute(sql`
      insert into invoice_prefixes (agency_id, prefix) values (${agencyId}, ${prefix})
      on conflict (agency_id) do update set prefix = excluded.prefix`);
    await recordAudit(tx, ctx, {
      entity: 'invoice_prefix',
      entityId: agencyId,
      action: 'update',
      before: { prefix: before ?? DEFAULT_PREFIX },
      after: { prefix },
    });
  });
  return { prefix, isDefault: false };
}

export const invoicePrefixRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['invoice'];
    const url = '/api/v1/invoices/prefix';
    const self = { permission: 'agency.self' as const };
    app.get(url, { config: self, schema: { tags, response: { 200: ZInvoicePrefix } } }, async (req) => getPrefix(deps.db, ctxOf(req, deps)));
    app.put(url, { config: self, schema: { tags, body: ZInvoicePrefixSet, response: { 200: ZInvoicePrefix } } }, async (req) =>
      setPrefix(deps.db, ctxOf(req, deps), req.body.prefix),
    );
  };
