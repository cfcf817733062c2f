import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { departments, hods, offices, postNames, skillLevels } from '../org/org.table.ts';

/**
 * Sanction orders and sanctioned posts (spec 02). Once `locked_at` is set, triggers (migration
 * 0003_sanction_lock) refuse every UPDATE / DELETE of the order and every INSERT / UPDATE /
 * DELETE of its posts and office numbers: a locked order is changed only by a new order.
 */
export const sanctionOrders = pgTable(
  'sanction_orders',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    orderNo: text('order_no').notNull(),
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    issuingOfficerName: text('issuing_officer_name').notNull(),
    issuingOfficerDesignation: text('issuing_officer_designation').notNull(),
    remark: text('remark').notNull().default(''),
    /** original: adds posts; reduction: negative posts; cancellation: negates its reference's posts. */
    kind: text('kind', { enum: ['original', 'reduction', 'cancellation'] })
      .notNull()
      .default('original'),
    refOrderId: integer('ref_order_id').references((): AnyPgColumn => sanctionOrders.id),
    fileId: integer('file_id')
      .notNull()
      .references(() => storedFiles.id),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    lockedBy: integer('locked_by').references(() => users.id),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sanction_orders_dept_order_no_uq').on(t.departmentId, sql`lower(${t.orderNo})`),
    index('sanction_orders_department_idx').on(t.departmentId, t.createdAt),
    index('sanction_orders_ref_idx').on(t.refOrderId),
    check('sanction_orders_ref_kind', sql`(${t.kind} = 'original') = (${t.refOrderId} is null)`),
    check('sanction_orders_locked_by', sql`(${t.lockedAt} is null) = (${t.lockedBy} is null)`),
  ],
);

/** One post line of an order: skill level + post name under a HOD, with a total. */
export const sanctionPosts = pgTable(
  'sanction_posts',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => sanctionOrders.id),
    hodId: integer('hod_id')
      .notNull()
      .references(() => hods.id),
    skillLevelId: integer('skill_level_id')
      .notNull()
      .references(() => skillLevels.id),
    postNameId: integer('post_name_id')
      .notNull()
      .references(() => postNames.id),
    total: integer('total').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sanction_posts_line_uq').on(t.orderId, t.hodId, t.skillLevelId, t.postNameId),
    check('sanction_posts_total_nonzero', sql`${t.total} <> 0`),
  ],
);

/** The post's total distributed office by office (the offices of the post's HOD). */
export const sanctionPostOffices = pgTable(
  'sanction_post_offices',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => sanctionPosts.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    posts: integer('posts').notNull(),
  },
  (t) => [uniqueIndex('sanction_post_offices_uq').on(t.postId, t.officeId), index('sanction_post_offices_office_idx').on(t.officeId)],
);
