import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { markSharedSession } from './named.ts';
import * as schema from './schema.ts';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  pool: pg.Pool;
  engine: 'pglite' | 'postgres';
  close: () => Promise<void>;
};

// Dates and timestamps come back as strings / Date objects the way we want them:
// `date` stays an ISO 'YYYY-MM-DD' string (no time-zone drift), int8 stays a string.
pg.types.setTypeParser(1082, (v) => v);

export type OpenOptions = {
  databaseUrl?: string | undefined;
  /** Data directory for the embedded database; `null` for an in-memory one (tests). */
  dataDir?: string | null;
  /** Embedded database only: start from this tarball (PGlite's dumpDataDir), e.g. a test template. */
  loadDataDir?: string;
  poolSize?: number;
};

/**
 * Workers whose in-memory database has closed, kept for the next one (tests open one per file,
 * ≈ 110 a run in each Vitest process): a worker already holding PGlite's module, its compiled
 * WebAssembly and the template tarball opens the next database for ≈ 0.8 s less CPU than a new
 * worker (docs/TESTING.md). A database on disk (the embedded server) never shares its worker.
 */
const idleWorkers: Worker[] = [];

/**
 * Opens the database: a PostgreSQL server when `databaseUrl` is given, otherwise the embedded
 * PGlite, hosted in a worker thread and reached over the wire protocol with a pool of exactly
 * one connection (PGlite serves one session; see docs/ARCHITECTURE.md).
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // A connection attempt gives up after 5 s, so a request never hangs on a database that does
    // not answer (bar M7: 503 at once while it is down).
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 });
    pool.on('error', () => {
      /* a dropped idle client is replaced on next use; the request that needs it gets a 503 */
    });
    // A client checked out (e.g. inside a transaction) whose connection dies emits 'error' with no
    // pool listener attached: without this the process would exit on a database crash. Its query
    // fails (503) and the pool discards it on release (it is no longer queryable).
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    return { db: drizzle(pool, { schema }), pool, engine: 'postgres', close: () => pool.end() };
  }
  const dataDir = opts.dataDir === null ? undefined : path.resolve(opts.dataDir ?? './data/pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The embedded database has no passwords: it listens only on a Unix socket in a directory
  // that only this process's user may enter (issue 11, finding 3).
  const socketDir = mkdtempSync(path.join(tmpdir(), 'roams-pg-'));
  chmodSync(socketDir, 0o700);
  const workerData = { dataDir, socketDir, loadDataDir: opts.loadDataDir };
  // An in-memory database (a test file's) reuses a worker an earlier one closed: see idleWorkers.
  const reused = dataDir ? undefined : idleWorkers.pop();
  const worker = reused ?? new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData });
  if (!reused)
    // A worker that fails while idle is dropped, not left to throw in the main thread.
    worker.on('error', () => {
      const i = idleWorkers.indexOf(worker);
      if (i >= 0) idleWorkers.splice(i, 1);
    });
  let onMessage: ((m: { type: string; message?: string }) => void) | undefined;
  let onError: ((e: Error) => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onMessage = (m) => {
        if (m.type === 'ready') resolve();
        if (m.type === 'failed') reject(new Error(m.message));
      };
      onError = reject;
      worker.on('message', onMessage);
      worker.on('error', onError);
      if (reused) {
        reused.ref();
        worker.postMessage({ type: 'open', options: workerData });
      }
    });
  } catch (e) {
    rmSync(socketDir, { recursive: true, force: true });
    await worker.terminate();
    throw e;
  } finally {
    if (onMessage) worker.off('message', onMessage);
    if (onError) worker.off('error', onError);
  }
  const pool = new pg.Pool({ host: socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', () => {});
  // Every connection reaches the one PGlite session, which outlives any of them (the pool replaces
  // a connection idle for 10 s): a statement name is never taken inside a transaction (named.ts).
  pool.on('connect', (client) => markSharedSession(client));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await pool.end();
      let timer: NodeJS.Timeout | undefined;
      let onClosed: ((m: { type: string }) => void) | undefined;
      const closed = await Promise.race([
        new Promise<boolean>((resolve) => {
          onClosed = (m) => m.type === 'closed' && resolve(true);
          worker.on('message', onClosed);
          worker.postMessage({ type: 'close' });
        }),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), 5000);
        }),
      ]);
      clearTimeout(timer);
      if (onClosed) worker.off('message', onClosed);
      rmSync(socketDir, { recursive: true, force: true });
      // A worker whose database closed cleanly waits for the next in-memory database (unref'd: it
      // keeps no process alive); any other ends.
      if (closed && !dataDir) {
        worker.unref();
        idleWorkers.push(worker);
      } else await worker.terminate();
    })();
    return closing;
  };
  return { db: drizzle(pool, { schema }), pool, engine: 'pglite', close };
}

/**
 * Applies the committed migrations. On a PostgreSQL server under an advisory lock: several
 * instances starting at once (a deploy behind nginx) migrate one after another, the later ones
 * finding nothing left to do, instead of racing to create the same tables.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const migrationsFolder = path.join(path.dirname(new URL(import.meta.url).pathname), 'migrations');
  if (database.engine !== 'postgres') return migrate(database.db, { migrationsFolder });
  const client = await database.pool.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('roams.migrate'))");
    await migrate(drizzle(client, { schema }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('roams.migrate'))").catch(() => {});
    client.release();
  }
}
