/**
 * `npm run vault:reencrypt` — moves every row of the Aadhaar Data Vault to the newest key version
 * in AADHAAR_VAULT_KEYS (the same DATABASE_URL / DATA_DIR and keys the server uses). Rotation:
 *   1. add the new key with a higher version: AADHAAR_VAULT_KEYS=1:old,2:new; restart the server
 *      (new rows are now written with version 2; old rows still read with version 1);
 *   2. run this command — while the server runs; batches of 500 rows, each its own transaction;
 *      rows a request holds at that moment are skipped and reported as remaining;
 *   3. run it again until `remaining=0`, then drop version 1 from the list and restart.
 * "While the server runs" holds for PostgreSQL. The embedded database (PGlite) is one process's
 * files: stop the server, run the command, start it again.
 * Prints one line: `vault-reencrypt: OK reencrypted=N batches=B remaining=R key_version=V`.
 * Exit 0 when nothing remains on an older version, 1 otherwise or on any error. Never prints a number.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { keyringFromEnv, vaultReencrypt } from '../platform/vault/index.ts';

export type ReencryptOutcome = { exitCode: 0 | 1; line: string };

export async function runVaultReencrypt(env: Record<string, string | undefined> = process.env, opts: { batchSize?: number } = {}): Promise<ReencryptOutcome> {
  let database: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    const config = loadConfig(env);
    const keyring = keyringFromEnv(env);
    database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, 'pglite'), poolSize: 1 });
    const r = await vaultReencrypt(database.db, { keyring, batchSize: opts.batchSize ?? Number(env.VAULT_REENCRYPT_BATCH ?? 500) });
    const line = `vault-reencrypt: ${r.remaining === 0 ? 'OK' : 'INCOMPLETE'} reencrypted=${r.reencrypted} batches=${r.batches} remaining=${r.remaining} key_version=${r.current}`;
    return { exitCode: r.remaining === 0 ? 0 : 1, line };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return { exitCode: 1, line: `vault-reencrypt: ERROR ${(err.cause ?? err).message.split('\n').join(' ')}` };
  } finally {
    await database?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { exitCode, line } = await runVaultReencrypt();
  (exitCode === 0 ? console.log : console.error)(line);
  process.exit(exitCode);
}
