/**
 * `npm run audit:verify` — walks the audit trail's hash chain in the configured database (the
 * same DATABASE_URL / DATA_DIR the server uses) and prints one line:
 *   audit-verify: OK checked=1234
 *   audit-verify: BROKEN checked=56 first_bad_seq=57 reason=content_changed
 * Exit code 0 when the chain is intact, 1 when it is broken or cannot be read.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { verifyAuditChain } from '../platform/audit/audit.service.ts';

export type AuditVerifyOutcome = { exitCode: 0 | 1; line: string };

export async function runAuditVerify(env: Record<string, string | undefined> = process.env): Promise<AuditVerifyOutcome> {
  let database: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    const config = loadConfig(env);
    database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, 'pglite'), poolSize: 1 });
    const r = await verifyAuditChain(database.db);
    return r.ok
      ? { exitCode: 0, line: `audit-verify: OK checked=${r.checked}` }
      : { exitCode: 1, line: `audit-verify: BROKEN checked=${r.checked} first_bad_seq=${r.firstBadSeq} reason=${r.reason}` };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return { exitCode: 1, line: `audit-verify: ERROR ${(err.cause ?? err).message.split('\n').join(' ')}` };
  } finally {
    await database?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { exitCode, line } = await runAuditVerify();
  (exitCode === 0 ? console.log : console.error)(line);
  process.exit(exitCode);
}
