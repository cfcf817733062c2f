import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from '../db/client.ts';
import { keyringFromEnv, vaultGet, vaultPut } from '../platform/vault/index.ts';
import { runVaultReencrypt } from './vault-reencrypt.ts';
import { key, keysEnv, synthetic } from './vault-reencrypt.fixtures.ts';

// engine: PGlite only — the command on a data directory of its own (scripts/lib/engine-files.mjs);
// beside a working server on PostgreSQL: vault-reencrypt.pg.test.ts.
describe('vault:reencrypt on the embedded database', () => {
  let dataDir: string;
  const numbers = Array.from({ length: 30 }, (_, i) => synthetic(i + 1));
  const refs = new Map<string, string>();
  const env = (list: string) => ({ ROAMS_MODE: 'test', DATA_DIR: dataDir, ...keysEnv(list) });
  async function withDb<T>(f: (db: Database['db']) => Promise<T>): Promise<T> {
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      return await f(database.db);
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'roams-vault-reencrypt-'));
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    await migrateDatabase(database);
    const v1 = keyringFromEnv(keysEnv(`1:${key(1)}`));
    for (const n of numbers) refs.set((await vaultPut(database.db, n, v1)).refKey, n);
    await database.close();
  }, 180_000);
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to run with a key list that cannot open the rows, naming the version and never a number', async () => {
    const r = await runVaultReencrypt(env(`3:${key(3)}`));
    expect(r.exitCode).toBe(1);
    expect(r.line).toMatch(/^vault-reencrypt: ERROR vault row [0-9a-f-]{36} uses key version 1, which AADHAAR_VAULT_KEYS does not list$/);
    for (const n of numbers) expect(r.line).not.toContain(n);
  });

  it('moves every row to the newest key in batches; every number reads back with the new key alone; the command re-runs as a no-op', async () => {
    const r = await runVaultReencrypt(env(`1:${key(1)},2:${key(2)}`), { batchSize: 7 });
    expect(r).toEqual({ exitCode: 0, line: 'vault-reencrypt: OK reencrypted=30 batches=5 remaining=0 key_version=2' });
    const only2 = keyringFromEnv(keysEnv(`2:${key(2)}`));
    await withDb(async (db) => {
      const v = await db.execute<{ v: number; n: number }>(sql`select key_version as v, count(*)::int as n from aadhaar_vault group by 1`);
      expect(v.rows).toEqual([{ v: 2, n: 30 }]);
      for (const [ref, n] of refs) expect(await vaultGet(db, ref, only2)).toBe(n);
    });
    // The real command, as an operator runs it (npm run vault:reencrypt).
    const c = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/vault-reencrypt.ts'], {
      env: { ...process.env, ...env(`1:${key(1)},2:${key(2)}`) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(`${c.stdout}${c.stderr}`.trim()).toBe('vault-reencrypt: OK reencrypted=0 batches=0 remaining=0 key_version=2');
    expect(c.status).toBe(0);
  }, 180_000);
});
