import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    name: text('name').notNull(),
    employeeId: text('employee_id').notNull().default(''),
    /** 10 digits starting 6-9. Unique: a mobile number identifies one person (manual section 7). */
    mobile: text('mobile').notNull(),
    officePhone: text('office_phone').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    status: text('status', { enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    locale: text('locale', { enum: ['hi', 'en'] })
      .notNull()
      .default('hi'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    uniqueIndex('users_mobile_uq').on(t.mobile),
    check('users_mobile_format', sql`${t.mobile} ~ '^[6-9][0-9]{9}$'`),
  ],
);

/**
 * A role held in a scope. `scope_kind` names what `scope_id` points at: the state (id 0), a
 * department, a HOD, an office, a DDO code, an agency, a treasury or a PD account. Each
 * assignment has its own official e-mail (manual section 4, "Your Profile").
 */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').notNull(),
    scopeKind: text('scope_kind').notNull(),
    scopeId: integer('scope_id').notNull(),
    /** The office the assignment is shown under (the manual's "Office" column), when there is one. */
    officeId: integer('office_id'),
    designation: text('designation').notNull().default(''),
    officialEmail: text('official_email').notNull().default(''),
    emailUpdatedAt: timestamp('email_updated_at', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who gave the role (null: the seed or a sign-up); the user sees it on the profile (issue 11 finding 7). */
    createdBy: integer('created_by').references(() => users.id),
    /** The user's name, copied by the database (migration 0056's triggers keep it equal to
     * `users.name`) so the office-users list can read its page in order from an index. Never shown. */
    userName: text('user_name').notNull().default(''),
  },
  (t) => [
    index('role_assignments_user_idx').on(t.userId),
    index('role_assignments_office_idx').on(t.officeId),
    index('role_assignments_office_name_idx').on(t.officeId, t.active.desc(), t.userName, t.id),
    uniqueIndex('role_assignments_active_uq').on(t.userId, t.role, t.scopeKind, t.scopeId).where(sql`${t.active}`),
  ],
);

/** Server-side sessions; the cookie holds a 256-bit random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    assignmentId: integer('assignment_id').references(() => roleAssignments.id),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Every login attempt; throttling counts failures per account in the last hour. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: text('username').notNull(),
    userId: integer('user_id'),
    ip: text('ip').notNull().default(''),
    success: boolean('success').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('login_attempts_user_at_idx').on(sql`lower(${t.username})`, t.at),
    index('login_attempts_ip_at_idx').on(t.ip, t.at),
    index('login_attempts_failed_at_idx').on(t.at).where(sql`not ${t.success}`),
  ],
);

/** One-time codes (password reset, second factor). Only a hash of the code is kept. */
export const otps = pgTable(
  'otps',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose', { enum: ['password_reset', 'second_factor'] }).notNull(),
    /** The login (session id hash) or reset request the code is bound to. */
    bindingId: text('binding_id').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The idempotency key of the money action that consumed a second-factor code (migration 0024). */
    usedFor: text('used_for'),
  },
  (t) => [index('otps_user_idx').on(t.userId, t.purpose)],
);
