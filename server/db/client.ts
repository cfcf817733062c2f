import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
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
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir, socketDir, loadDataDir: opts.loadDataDir } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: { type: string }) => {
        if (m.type === 'ready') resolve();
      });
    });
  } catch (e) {
    rmSync(socketDir, { recursive: true, force: true });
    throw e;
  }
  const pool = new pg.Pool({ host: socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', () => {});
  const close = async () => {
    await pool.end();
    const closed = new Promise<void>((resolve) => worker.on('message', (m: { type: string }) => m.type === 'closed' && resolve()));
    worker.postMessage({ type: 'close' });
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
    await worker.terminate();
    rmSync(socketDir, { recursive: true, force: true });
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
