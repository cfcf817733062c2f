import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness.ts';
import { runDueJobs } from '../jobs/jobs.ts';
import { type FileStore, localFileStore, saveUpload, storageKeyOf, withFileCleanup } from './files.ts';
import { ORPHAN_GRACE_MS, orphanFilesJob, sweepOrphanFiles } from './files.sweep.ts';

/**
 * The orphan sweep (issue 15): bytes without a `stored_files` row, unchanged for the grace period,
 * are deleted; a fresh one, one touched by a new upload of the same content, and every file a row
 * holds — those of every module in the demo data — are kept; a second run changes nothing. On
 * the seeded demo database (PGlite, and PostgreSQL with TEST_DATABASE_URL).
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdf = (s: string) => Buffer.from(`%PDF-1.4\n% ${s}\n%%EOF\n`, 'latin1');

let d: Awaited<ReturnType<typeof openTestDatabase>>;
let dir = '';
let store: FileStore;

async function names(): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list()) out.push(o.name);
  return out.sort();
}
async function auditRuns() {
  const r = await d.db.execute<{ after: { removed: number; files: { name: string }[] } }>(
    sql`select after from audit_log where entity = 'stored_file' and action = 'orphan_removed' order by seq`,
  );
  return r.rows.map((x) => x.after);
}

beforeAll(async () => {
  d = await openTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'roams-sweep-'));
  store = localFileStore(dir);
}, 120_000);
afterAll(async () => {
  await d?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('orphan file sweep', () => {
  it('deletes old orphans and leftovers; keeps fresh orphans, touched ones and every file with a row; a second run changes nothing', async () => {
    // Every file the demo's modules hold (sanction orders, agency papers, contracts, proofs,
    // vouchers, invoices…): its bytes in the store, old.
    const held = await d.db.execute<{ storage_key: string; sha256: string }>(sql`select storage_key, sha256 from stored_files`);
    expect(held.rows.length).toBeGreaterThan(0);
    for (const f of held.rows) await store.put(f.storage_key, Buffer.from(`bytes of ${f.sha256}`));
    // A file saved through saveUpload (its row committed), old too.
    const saved = pdf('sanction order');
    await d.db.transaction((tx) =>
      saveUpload(tx, store, { bytes: saved, sha256: sha(saved), sizeBytes: saved.length, mime: 'application/pdf', safeName: 'order.pdf' }, null, new Date()),
    );
    // An orphan: the transaction failed after the write, and nothing cleaned up (a crash).
    const orphan = pdf('orphan');
    await store.put(storageKeyOf(sha(orphan)), orphan);
    // An orphan written long ago but uploaded again just now (a transaction of the same content still open).
    const touched = pdf('touched');
    await store.put(storageKeyOf(sha(touched)), touched);
    // The temporary file of a write that died.
    const tmpName = `${storageKeyOf(sha(pdf('died')))}.0123456789ab.tmp`;
    await mkdir(path.dirname(path.join(dir, tmpName)), { recursive: true });
    await writeFile(path.join(dir, tmpName), 'half');
    // A held file that a sweep which died had moved aside: put back, not deleted.
    const asideOf = held.rows[0]!.storage_key;
    await rm(path.join(dir, asideOf));
    await writeFile(path.join(dir, `${asideOf}.ba9876543210.sweep`), 'aside');
    // A file outside the layout is never touched.
    await writeFile(path.join(dir, 'README'), 'not ours');

    await sleep(20);
    const cutoff = new Date();
    await sleep(20);
    // After the cutoff: a fresh orphan (written by a transaction still open) and the new upload of `touched`.
    const fresh = pdf('fresh');
    await store.put(storageKeyOf(sha(fresh)), fresh);
    expect(await store.put(storageKeyOf(sha(touched)), touched)).toBeNull();

    const before = await names();
    const now = new Date(cutoff.getTime() + ORPHAN_GRACE_MS);
    const r = await sweepOrphanFiles(d.db, store, { now });
    expect(r.removed).toBe(2);
    const after = await names();
    expect(before.filter((n) => !after.includes(n)).sort()).toEqual([storageKeyOf(sha(orphan)), tmpName, `${asideOf}.ba9876543210.sweep`].sort());
    // Held, fresh and touched files are all there (the moved-aside one back in its place).
    for (const f of held.rows) expect(after).toContain(f.storage_key);
    expect(after).not.toContain(`${asideOf}.ba9876543210.sweep`);
    expect(after).toContain(storageKeyOf(sha(saved)));
    expect(after).toContain(storageKeyOf(sha(fresh)));
    expect(after).toContain(storageKeyOf(sha(touched)));
    expect((await store.get(storageKeyOf(sha(saved)))).equals(saved)).toBe(true);
    expect(await readdir(dir)).toContain('README');
    const runs = await auditRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.removed).toBe(2);
    expect(runs[0]!.files.map((f) => f.name).sort()).toEqual([storageKeyOf(sha(orphan)), tmpName].sort());

    // A second run: nothing deleted, no audit entry.
    const again = await sweepOrphanFiles(d.db, store, { now });
    expect(again.removed).toBe(0);
    expect(await names()).toEqual(after);
    expect(await auditRuns()).toHaveLength(1);

    // A day later the fresh and touched orphans are old too, and go; held files stay.
    const later = await sweepOrphanFiles(d.db, store, { now: new Date(Date.now() + ORPHAN_GRACE_MS + 1000) });
    expect(later.removed).toBe(2);
    const last = await names();
    expect(last).not.toContain(storageKeyOf(sha(fresh)));
    expect(last).not.toContain(storageKeyOf(sha(touched)));
    for (const f of held.rows) expect(last).toContain(f.storage_key);
    expect(last).toContain(storageKeyOf(sha(saved)));
  });

  it('runs as a scheduled job claimed through the database: two instances at once, one sweep', async () => {
    const orphan = pdf('job orphan');
    await store.put(storageKeyOf(sha(orphan)), orphan);
    const job = orphanFilesJob(store);
    const at = new Date(Date.now() + ORPHAN_GRACE_MS + 60_000);
    const ticks = await Promise.all(['a', 'b'].map((instance) => runDueJobs(d.db, [job], { instance, now: () => at })));
    expect(ticks.flat().filter((t) => t.ran && !t.error)).toHaveLength(1);
    expect(await names()).not.toContain(storageKeyOf(sha(orphan)));
    const runs = await d.db.execute<{ status: string }>(sql`select status from job_runs where job = 'files.orphan_sweep'`);
    expect(runs.rows).toEqual([{ status: 'done' }]);
  });

  it('withFileCleanup deletes the bytes a failed transaction wrote, not bytes a committed row or another upload holds', async () => {
    const lone = pdf('failed request');
    const kept = pdf('held elsewhere');
    await d.db.transaction((tx) =>
      saveUpload(tx, store, { bytes: kept, sha256: sha(kept), sizeBytes: kept.length, mime: 'application/pdf', safeName: 'a.pdf' }, null, new Date()),
    );
    const fail = (bytes: Buffer) =>
      withFileCleanup(d.db, store, (s) =>
        d.db.transaction(async (tx) => {
          await saveUpload(tx, s, { bytes, sha256: sha(bytes), sizeBytes: bytes.length, mime: 'application/pdf', safeName: 'b.pdf' }, null, new Date());
          throw new Error('later step failed');
        }),
      );
    await expect(fail(lone)).rejects.toThrow('later step failed');
    await expect(fail(kept)).rejects.toThrow('later step failed');
    const now = await names();
    expect(now).not.toContain(storageKeyOf(sha(lone)));
    expect(now).toContain(storageKeyOf(sha(kept)));
    // Written by the failed transaction, then touched by another upload of the same content before the cleanup: kept.
    const shared = pdf('two uploads');
    const key = storageKeyOf(sha(shared));
    await expect(
      withFileCleanup(d.db, store, async (s) => {
        await s.put(key, shared);
        await sleep(5);
        expect(await store.put(key, shared)).toBeNull(); // the other upload
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    expect(await names()).toContain(key);
  });
});
