import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.table.ts';

/**
 * Uploaded documents (sanction orders / letters, later agreements and invoices). One row per
 * upload; the bytes live in a FileStore under `storage_key`, which is derived from the SHA-256,
 * so the same content uploaded twice is stored once and noticed (`sha256` is indexed). Rows are
 * never changed (trigger in migration 0003).
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: serial('id').primaryKey(),
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    mime: text('mime').notNull(),
    /** The uploader's file name after checks (no folders, no control characters). */
    originalName: text('original_name').notNull(),
    storageKey: text('storage_key').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stored_files_sha256_idx').on(t.sha256),
    check('stored_files_sha256_hex', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('stored_files_size_positive', sql`${t.sizeBytes} > 0`),
  ],
);
