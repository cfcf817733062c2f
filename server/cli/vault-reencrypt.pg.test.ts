import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { keyringFromEnv, vaultGet, vaultPut, vaultReencrypt } from '../platform/vault/index.ts';
import { openTestDatabase } from '../test/harness.ts';
import { key, keysEnv, synthetic } from './vault-reencrypt.fixtures.ts';

/**
 * vault:reencrypt beside a server that keeps working, on PostgreSQL alone (a row another
 * transaction holds is skipped and finished on the next run). The command on the embedded
 * database is vault-reencrypt.test.ts, which runs on the PGlite tier only.
 */

describe.runIf(process.env.TEST_DATABASE_URL)('vault:reencrypt while the server works (PostgreSQL)', () => {
  let database: Database & { drop: () => Promise<void> };
  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('skips a row a request holds, reports it as remaining, and finishes on the next run; rows written meanwhile are on the new key', async () => {
    const v1 = keyringFromEnv(keysEnv(`1:${key(1)}`));
    const v12 = keyringFromEnv(keysEnv(`1:${key(1)},2:${key(2)}`));
    const refs = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      const n = synthetic(500 + i);
      refs.set((await vaultPut(database.db, n, v1)).refKey, n);
    }
    const held = [...refs.keys()][4]!;
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      await client.query('select 1 from aadhaar_vault where ref_key = $1 for update', [held]);
      // Meanwhile the server (on the new key list) stores a new number.
      const late = synthetic(600);
      const [r, e] = await Promise.all([vaultReencrypt(database.db, { keyring: v12, batchSize: 5 }), vaultPut(database.db, late, v12)]);
      refs.set(e.refKey, late);
      expect(r.reencrypted).toBe(11);
      expect(r.remaining).toBe(1);
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await vaultReencrypt(database.db, { keyring: v12 })).toMatchObject({ reencrypted: 1, remaining: 0 });
    const only2 = keyringFromEnv(keysEnv(`2:${key(2)}`));
    for (const [ref, n] of refs) expect(await vaultGet(database.db, ref, only2)).toBe(n);
  });
});
