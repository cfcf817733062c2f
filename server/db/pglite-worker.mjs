// Hosts the embedded PostgreSQL (PGlite) in a worker thread and serves it over the
// PostgreSQL wire protocol on a loopback port, so that (1) PGlite's WebAssembly never
// blocks the HTTP event loop (quality bar S5) and (2) the app speaks to the embedded
// database and to a PostgreSQL server through the same driver (node-postgres).
// Plain ESM (not TypeScript) so it loads in a worker under node, tsx and vitest alike.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, loadDataDir } = workerData;
// loadDataDir: a tarball from dumpDataDir() to start from (the tests' migrated + seeded template).
const loaded = loadDataDir ? new Blob([await readFile(loadDataDir)]) : undefined;
// pg_trgm: the trigram indexes behind the office search (the perf_indexes migration, `ilike '%q%'`).
const db = await PGlite.create(dataDir ?? undefined, { extensions: { pg_trgm }, ...(loaded ? { loadDataDir: loaded } : {}) });
// maxConnections > 1: node-postgres discards a connection whose query failed and opens a new
// one at once, before the old socket has closed; with a limit of 1 the new connection was
// refused and the request after any SQL error failed ("Connection terminated unexpectedly").
// The app's pool still holds one live connection (client.ts), so sessions never interleave.
// PGLITE_DEBUG=1 logs the socket protocol (hex dumps) for diagnosis.
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8, debug: !!process.env.PGLITE_DEBUG, inspect: !!process.env.PGLITE_DEBUG });
await server.start();
const port = Number(String(server.getServerConn()).split(":").pop());
parentPort.postMessage({ type: 'ready', port });
parentPort.on('message', async (msg) => {
  if (msg?.type === 'close') {
    await server.stop();
    await db.close();
    parentPort.postMessage({ type: 'closed' });
  }
});
