import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The security log (bar P5, ASVS 7.2): refused requests (401/403/404/429 on /api, CSRF
 * failures, throttled logins, wrong reset codes) and security-relevant events that change no
 * business record (language change, forgot-password for an unknown user id). Changes of state
 * stay in the hash-chained `audit_log`; this table is for searching who was refused what, from
 * where, and why. Retention: at least one year (docs/ARCHITECTURE.md); nothing deletes from it.
 */
export const securityEvents = pgTable(
  'security_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: integer('user_id'),
    userName: text('user_name').notNull().default(''),
    role: text('role').notNull().default(''),
    /** The actor's department, for department-scoped auditors (null = state level or unknown). */
    departmentId: integer('department_id'),
    ip: text('ip').notNull().default(''),
    method: text('method').notNull().default(''),
    /** The route pattern (e.g. `/api/v1/contracts/:id`), or the path when no route matched. */
    route: text('route').notNull().default(''),
    status: smallint('status').notNull(),
    /** What happened: an error code (`forbidden`, `csrf_failed`, …) or an event name (`locale_changed`). */
    code: text('code').notNull(),
    details: jsonb('details'),
  },
  // The search's filters lead, id ends, so a page of the newest events stops after its rows (migration 0051).
  (t) => [
    index('security_events_at_idx').on(t.at),
    // An address's start, newest first (migration 0054).
    index('security_events_ip_id_idx').on(t.ip.op('text_pattern_ops'), t.id),
    index('security_events_user_id_idx').on(t.userId, t.id),
    index('security_events_typed_idx').on(sql`lower(${t.details}->>'username')`, t.id).where(sql`${t.details} ? 'username'`),
    index('security_events_code_id_idx').on(t.code, t.id),
    index('security_events_department_idx').on(t.departmentId, t.id),
  ],
);
