import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The Aadhaar Data Vault (spec 04; UIDAI's ADV rule): the only place a full Aadhaar number is
 * kept, AES-256-GCM encrypted with a key from the environment (vault.keys.ts). Everything else
 * holds `ref_key` and shows `XXXX XXXX <last4>`. Bytes are stored base64 (text) so both engines
 * and the dump tools read them the same way. The leak check (server/test/aadhaar-leak.test.ts)
 * skips this table and nothing else.
 */
export const aadhaarVault = pgTable(
  'aadhaar_vault',
  {
    refKey: uuid('ref_key').primaryKey(),
    /** AES-256-GCM ciphertext of the 12 digits, base64; additional data = ref_key. */
    ciphertext: text('ciphertext').notNull(),
    /** The 12-byte GCM nonce, base64, fresh for every encryption. */
    iv: text('iv').notNull(),
    /** The 16-byte GCM authentication tag, base64. */
    authTag: text('auth_tag').notNull(),
    /** Which AADHAAR_VAULT_KEYS version encrypted this row (re-encryption moves it to the newest). */
    keyVersion: integer('key_version').notNull(),
    /** HMAC-SHA256 (AADHAAR_HMAC_KEY) of the number, hex: the lookup and duplicate check. */
    hash: text('hash').notNull(),
    last4: text('last4').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the row was last re-encrypted under a newer key version. */
    reencryptedAt: timestamp('reencrypted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('aadhaar_vault_hash_uq').on(t.hash),
    index('aadhaar_vault_key_version_idx').on(t.keyVersion),
    check('aadhaar_vault_last4_ck', sql`${t.last4} ~ '^[0-9]{4}$'`),
    check('aadhaar_vault_key_version_ck', sql`${t.keyVersion} >= 1`),
  ],
);
