import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The audit trail. Append-only and hash-chained: a trigger (migrations 0001, 0007) assigns `seq` and
 * `prev_hash`/`hash` under a lock, and refuses UPDATE, DELETE and TRUNCATE; `audit_append` (0023)
 * chains many entries under the same lock in one pass (`recordAudits`).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer('actor_user_id'),
    actorName: text('actor_name').notNull().default(''),
    assignmentId: integer('assignment_id'),
    role: text('role').notNull().default(''),
    ip: text('ip').notNull().default(''),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull().default(''),
    action: text('action').notNull(),
    /** Department the record belongs to, for department-scoped auditors (null = state level). */
    departmentId: integer('department_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
  },
  // The search's indexes end with seq, so a page of the newest entries stops after its rows (migration 0050).
  (t) => [
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_seq_idx').on(t.actorUserId, t.seq),
    index('audit_log_session_login_idx').on(sql`lower(${t.entityId})`, t.seq).where(sql`${t.entity} = 'session'`),
    index('audit_log_entity_action_idx').on(t.entity, t.action, t.seq),
    index('audit_log_department_idx').on(t.departmentId, t.seq),
    // The role and an address's start (migration 0053).
    index('audit_log_role_seq_idx').on(t.role, t.seq),
    index('audit_log_ip_seq_idx').on(t.ip.op('text_pattern_ops'), t.seq),
  ],
);
