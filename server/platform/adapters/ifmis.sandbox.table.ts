import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The sandbox treasury's memory: one acknowledgement per bill number (the provider's side, not ROAMS's). */
export const ifmisSandboxBills = pgTable(
  'ifmis_sandbox_bills',
  {
    billNo: text('bill_no').primaryKey(),
    ackNo: text('ack_no').notNull(),
    payloadSha256: text('payload_sha256').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('ifmis_sandbox_bills_ack_uq').on(t.ackNo)],
);
