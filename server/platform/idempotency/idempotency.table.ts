import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The Idempotency-Key of a record-creating request (idempotency.ts, migration 0048): one row per
 * user and key, written in the transaction that creates the record, so that twenty identical
 * requests at once create it once — the primary key decides — and the others answer with it.
 * `scope` names the route (and the record it acts on), `request_hash` the validated body.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: integer('user_id').notNull(),
    key: text('key').notNull(),
    scope: text('scope').notNull(),
    requestHash: text('request_hash').notNull(),
    /** The record the first request created (set in the same transaction). */
    entityId: integer('entity_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'idempotency_keys_pkey', columns: [t.userId, t.key] })],
);
