import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { JobSpec } from '../jobs/jobs.ts';
import { type FileStore, isStored, type StoredObject } from './files.ts';

/**
 * The orphan sweep (issue 15): bytes in the file store that no `stored_files` row holds.
 *
 * Every upload (sanction orders, agency documents, contracts, resources' photos and papers,
 * attendance revision documents, invoices, PD vendor proofs, ECR proofs, …) goes through
 * `saveUpload`, which writes the bytes first and then inserts the row in the caller's
 * transaction. A transaction that fails after the write leaves bytes without a row. The
 * revision request path deletes its own at once (`withFileCleanup`); this job is the safety net
 * for every module: it deletes objects — and temporary files of writes that died — that no row
 * holds and that have not changed for `ORPHAN_GRACE_MS`, so a file written by a transaction
 * still open is never taken (an upload of content already stored touches it, restarting its
 * grace). Rows are never deleted (migration 0003), so an object with a row is kept for good.
 *
 * A scheduled job (server/platform/jobs/jobs.ts): once per day across all instances, claimed in
 * `job_runs`. One audit entry per run that deleted something (`stored_file` / `orphan_removed`,
 * system actor, the names and sizes); a run that finds nothing writes nothing.
 */
export const ORPHAN_GRACE_MS = 24 * 3600_000;
export const ORPHAN_SWEEP_PERIOD_MS = 24 * 3600_000;
/** Objects looked up in one query. */
const BATCH = 500;
/** The audit entry names at most this many objects (the counts are always whole). */
const LISTED = 200;

export type SweepResult = { scanned: number; removed: number; removedBytes: number; kept: number };

/** One pass over the store. Idempotent: a second pass finds nothing more to delete. */
export async function sweepOrphanFiles(db: Db, store: FileStore, opts: { now: Date; graceMs?: number }): Promise<SweepResult> {
  const notAfter = new Date(opts.now.getTime() - (opts.graceMs ?? ORPHAN_GRACE_MS));
  const result: SweepResult = { scanned: 0, removed: 0, removedBytes: 0, kept: 0 };
  const removed: { name: string; sizeBytes: number }[] = [];
  let batch: StoredObject[] = [];
  const flush = async () => {
    const hashes = [...new Set(batch.flatMap((o) => (o.sha256 ? [o.sha256] : [])))];
    const held = new Set<string>();
    if (hashes.length) {
      const r = await db.execute<{ sha256: string }>(
        sql`select distinct sha256 from stored_files where sha256 in (${sql.join(
          hashes.map((h) => sql`${h}`),
          sql`, `,
        )})`,
      );
      for (const x of r.rows) held.add(x.sha256);
    }
    for (const o of batch) {
      // Leftovers (a temporary file, an object a sweep that died had moved aside) always go to
      // `remove`, which puts a held object back; an object in place is skipped when held or fresh.
      const leftover = o.name !== o.key;
      if (!leftover && ((o.sha256 && held.has(o.sha256)) || o.modifiedAt.getTime() > notAfter.getTime())) {
        result.kept += 1;
        continue;
      }
      const sha = o.sha256;
      const gone = await store.remove(o.name, { notAfter, isReferenced: () => (sha ? isStored(db, sha) : Promise.resolve(false)) });
      if (gone) {
        result.removed += 1;
        result.removedBytes += o.sizeBytes;
        removed.push({ name: o.name, sizeBytes: o.sizeBytes });
      } else result.kept += 1;
    }
    batch = [];
  };
  for await (const o of store.list()) {
    result.scanned += 1;
    batch.push(o);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  if (result.removed > 0) {
    await recordAudit(
      db,
      { actor: null, ip: '' },
      {
        entity: 'stored_file',
        action: 'orphan_removed',
        after: { ...result, graceHours: (opts.graceMs ?? ORPHAN_GRACE_MS) / 3600_000, files: removed.slice(0, LISTED) },
      },
    );
  }
  return result;
}

/** The sweep as a scheduled job (added by server/main.ts beside the modules' jobs). */
export function orphanFilesJob(store: FileStore): JobSpec {
  return {
    name: 'files.orphan_sweep',
    everyMs: ORPHAN_SWEEP_PERIOD_MS,
    leaseMs: 2 * 3600_000,
    run: ({ db, now }) => sweepOrphanFiles(db, store, { now }),
  };
}
