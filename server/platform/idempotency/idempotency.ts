import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import type { Ctx } from '../context.ts';
import type { JobSpec } from '../jobs/jobs.ts';
import { AppError, isUniqueViolation, pgConstraint } from '../errors.ts';
import { idempotencyKeys } from './idempotency.table.ts';

/**
 * Record-creating requests made idempotent on an optional `Idempotency-Key` header (the web client
 * sends one per opened form): a double click, a retry or two tabs create one record.
 *
 * - Without a key nothing changes: `createOnce(db, null, create)` is `db.transaction(create)`.
 * - With one, the key is claimed in the transaction that creates the record (a row of
 *   `idempotency_keys`, primary key user + key). Twenty at once on PostgreSQL wait on that key:
 *   one creates the record and its audit entry, the others get a unique violation once it commits,
 *   read the key's row and answer with the same record (`replayed`). A creation that fails rolls
 *   its claim back, so a corrected form may be sent again under the same key.
 * - The same key for another route or another body (another role of the user too) → 422
 *   `idempotency_key_reused`.
 */
export type Idempotency = { userId: number; key: string; scope: string; hash: string };

/** Keys in a fixed order, so two equal bodies hash alike whatever order their fields came in. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}

/**
 * The claim of a request: its key (absent or blank → null: no idempotency), the route's `scope`
 * (with the record it acts on, e.g. `resource.event:12`), and a SHA-256 of the acting assignment
 * and the validated body.
 */
export function idempotencyOf(ctx: Ctx, scope: string, key: string | undefined, body: unknown): Idempotency | null {
  const k = key?.trim();
  if (!k || !ctx.actor) return null;
  if (k.length < 8 || k.length > 100) throw new AppError('idempotency_key_required');
  const hash = createHash('sha256')
    .update(JSON.stringify({ assignmentId: ctx.actor.assignmentId, body: canonical(body) }))
    .digest('hex');
  return { userId: ctx.actor.userId, key: k, scope, hash };
}

/** The record an earlier request made with this key; 422 when the key was used for another request. */
async function seen(db: DbOrTx, idem: Idempotency): Promise<number | null> {
  const [row] = await db
    .select({ scope: idempotencyKeys.scope, hash: idempotencyKeys.requestHash, entityId: idempotencyKeys.entityId })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, idem.userId), eq(idempotencyKeys.key, idem.key)));
  if (!row) return null;
  if (row.scope !== idem.scope || row.hash !== idem.hash || row.entityId === null) throw new AppError('idempotency_key_reused');
  return row.entityId;
}

/**
 * Runs `create` (which writes the record and its audit entry and returns the record's id) in one
 * transaction, once per key: a repeat answers `{ id, replayed: true }` without running it.
 */
export async function createOnce(db: Db, idem: Idempotency | null, create: (tx: Tx) => Promise<number>): Promise<{ id: number; replayed: boolean }> {
  if (!idem) return { id: await db.transaction(create), replayed: false };
  const earlier = await seen(db, idem);
  if (earlier !== null) return { id: earlier, replayed: true };
  try {
    const id = await db.transaction(async (tx) => {
      await tx.insert(idempotencyKeys).values({ userId: idem.userId, key: idem.key, scope: idem.scope, requestHash: idem.hash });
      const made = await create(tx);
      await tx
        .update(idempotencyKeys)
        .set({ entityId: made })
        .where(and(eq(idempotencyKeys.userId, idem.userId), eq(idempotencyKeys.key, idem.key)));
      return made;
    });
    return { id, replayed: false };
  } catch (e) {
    // Another request under the key committed first (this one waited on the key): answer with its record.
    if (isUniqueViolation(e) && pgConstraint(e) === 'idempotency_keys_pkey') {
      const first = await seen(db, idem);
      if (first !== null) return { id: first, replayed: true };
    }
    throw e;
  }
}

/** The header a replay carries (as the e-cheque and the invoice answer). */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * How long a key is kept: a repeat of a request (a double click, a retry after a lost answer, the
 * same form sent again from another tab) comes within minutes; the web client makes a new key each
 * time a form is opened. After 30 days a key is deleted, so the table holds about a month of
 * creations; a key sent again after that would create again (no client keeps one that long).
 */
export const IDEMPOTENCY_KEEP_DAYS = 30;

/** Deletes the keys older than IDEMPOTENCY_KEEP_DAYS; the number deleted. */
export async function deleteOldIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_KEEP_DAYS * 86_400_000);
  const gone = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before)).returning({ key: idempotencyKeys.key });
  return gone.length;
}

/** The daily clean-up as a scheduled job (added by server/main.ts beside the modules' jobs). */
export const idempotencyKeysJob: JobSpec = {
  name: 'idempotency.old_keys',
  everyMs: 24 * 3600_000,
  run: ({ db, now }) => deleteOldIdempotencyKeys(db, now),
};
