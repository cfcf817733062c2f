import { bigserial, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Messages to outside services, written in the same transaction as the change that causes them
 * and delivered by the outbox worker (claimed with FOR UPDATE SKIP LOCKED, retried with back-off).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    recipient: text('recipient').notNull(),
    /** Translation key of the message template and its parameters; rendered at delivery. */
    template: text('template').notNull(),
    params: jsonb('params').notNull().default({}),
    locale: text('locale', { enum: ['hi', 'en'] })
      .notNull()
      .default('hi'),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/** What the sandbox SMS / e-mail adapters "delivered": the developer outbox page reads it. */
export const sandboxMessages = pgTable(
  'sandbox_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sandbox_messages_recipient_idx').on(t.recipient)],
);

/** Alerts already sent (contract ending in 30 / 60 / 90 days, licence expiry…), so each goes once. */
export const sentAlerts = pgTable(
  'sent_alerts',
  {
    id: serial('id').primaryKey(),
    /** e.g. 'contract_ending_30', 'licence_expiring_30'. */
    kind: text('kind').notNull(),
    entity: text('entity').notNull(),
    entityId: integer('entity_id').notNull(),
    /** The date the alert is about (end date / expiry), so a later extension alerts again. */
    aboutDate: date('about_date', { mode: 'string' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sent_alerts_uq').on(t.kind, t.entity, t.entityId, t.aboutDate)],
);
