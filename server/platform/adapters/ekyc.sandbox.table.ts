import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The sandbox e-KYC provider's own memory (what UIDAI keeps on its side): one row per OTP
 * request. No number and no OTP in clear: the Aadhaar by its vault lookup hash, the OTP by an
 * HMAC. The leak check skips this table all the same (it is the provider's, not ROAMS's).
 */
export const ekycSandboxTxns = pgTable(
  'ekyc_sandbox_txns',
  {
    txnId: text('txn_id').primaryKey(),
    aadhaarHash: text('aadhaar_hash').notNull(),
    otpHash: text('otp_hash').notNull(),
    consentId: text('consent_id').notNull(),
    /** pending → verified | failed (3 wrong OTPs) | superseded (a newer OTP was requested). */
    status: text('status', { enum: ['pending', 'verified', 'failed', 'superseded'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** How many OTP requests for this number came before this one inside the 30-minute window. */
    resends: integer('resends').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('ekyc_sandbox_txns_hash_idx').on(t.aadhaarHash, t.createdAt)],
);
