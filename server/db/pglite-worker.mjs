// Hosts the embedded PostgreSQL (PGlite) in a worker thread and serves it over the
// PostgreSQL wire protocol on a Unix socket, so that (1) PGlite's WebAssembly never
// blocks the HTTP event loop (quality bar S5) and (2) the app speaks to the embedded
// database and to a PostgreSQL server through the same driver (node-postgres).
// Plain ESM (not TypeScript) so it loads in a worker under node, tsx and vitest alike.
import { chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// loadDataDir: a tarball from dumpDataDir() to start from (the tests' migrated + seeded template).
// Kept once read: a worker that serves one test file after another (client.ts, in-memory databases
// only) loads the same template each time. PGlite reads a tarball with `arrayBuffer()`, which for a
// plain Blob copies all of it (≈ 20 MB) into a new buffer on every open; this Blob hands out the one
// buffer it was made from. PGlite only reads it (each file's bytes are copied out by the untar), so
// one buffer serves every open. ≈ 0.15 s of CPU an open (docs/TESTING.md, session of 2026-12-07, eighth).
class HeldTarball extends Blob {
  #bytes;
  constructor(bytes) {
    super([bytes]);
    this.#bytes = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  async arrayBuffer() {
    return this.#bytes;
  }
}
const tarballs = new Map();
async function tarball(file) {
  if (!tarballs.has(file)) tarballs.set(file, new HeldTarball(await readFile(file)));
  return tarballs.get(file);
}
// pg_trgm: the trigram indexes behind the searches (`ilike '%q%'`; migrations 0004, 0012, 0015);
// btree_gin: the resource search's trigram indexes led by the department (migration 0045).
// Memory (bar S6, idle resident memory < 400 MB at state scale): PGlite's WebAssembly memory grows to
// hold PostgreSQL's shared buffers (128 MB by default) and never shrinks. The data files are read
// through the operating system's page cache anyway, so a smaller pool costs little: PGLITE_SHARED_BUFFERS
// (default 64MB; bench/RESULTS.md "Bar S6" has the figures).
const sharedBuffers = process.env.PGLITE_SHARED_BUFFERS || '64MB';
if (!/^\d+(kB|MB|GB)$/.test(sharedBuffers)) throw new Error(`PGLITE_SHARED_BUFFERS must look like 64MB, not ${sharedBuffers}`);
// An in-memory database (a test file's: a template of ≈ 18 MB of tables) gets a pool of 16 MB: the
// buffer pool is set up afresh at every open, and with 64 MB an open cost ≈ 0.1 s more CPU, ≈ 150
// opens a test run (docs/TESTING.md, session of 2026-12-07, eighth). Its data lives in memory either way.
const memorySharedBuffers = '16MB';
/**
 * The socket server answers each protocol message of a query (Parse, Bind, Describe, Execute, Sync)
 * on its own and writes every piece of PGlite's output to the socket as it comes: several write
 * system calls per query, a fifth of the database thread's CPU in a test file of concurrent requests
 * (a CPU profile of invoice.races.test.ts: 5.8 of 29 s busy, in 195,000 `write`s). Corked at the first
 * write and uncorked once the event loop turns, the pieces go out together in one `writev`: the
 * same bytes in the same order in ≈ 41,500 `writev`s (one a query), 3.4 s. The client (node-postgres)
 * corks its side already.
 */
function writeInBatches(socket) {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (...args) {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  };
}

/** Starts a database and its socket server; posts 'ready' (or 'failed' with the message). */
async function open({ dataDir, socketDir, loadDataDir }) {
  const loaded = loadDataDir ? await tarball(loadDataDir) : undefined;
  const db = await PGlite.create(dataDir ?? undefined, {
    extensions: { pg_trgm, btree_gin },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${dataDir ? sharedBuffers : memorySharedBuffers}`],
    ...(loaded ? { loadDataDir: loaded } : {}),
  });
  // maxConnections > 1: node-postgres discards a connection whose query failed and opens a new
  // one at once, before the old socket has closed; with a limit of 1 the new connection was
  // refused and the request after any SQL error failed ("Connection terminated unexpectedly").
  // The app's pool still holds one live connection (client.ts), so sessions never interleave.
  // PGLITE_DEBUG=1 logs the socket protocol (hex dumps) for diagnosis.
  //
  // PGlite has no authentication: whoever reaches the socket is superuser. So no TCP port (any
  // local user could connect to 127.0.0.1); a Unix socket inside `socketDir`, a directory the
  // parent created with mode 0700, which no other user can enter. The socket is named the way
  // node-postgres looks for it: host = the directory, port 5432 → `<dir>/.s.PGSQL.5432`.
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8, debug: !!process.env.PGLITE_DEBUG, inspect: !!process.env.PGLITE_DEBUG });
  const attach = server.handleConnection;
  server.handleConnection = function (socket) {
    writeInBatches(socket);
    return attach.call(this, socket);
  };
  await server.start();
  chmodSync(socketPath, 0o600);
  return { db, server, socketPath };
}

let current = await open(workerData);
parentPort.postMessage({ type: 'ready', socketPath: current.socketPath });
parentPort.on('message', async (msg) => {
  if (msg?.type === 'close') {
    if (current) {
      const { server, db } = current;
      current = null;
      await server.stop();
      await db.close();
    }
    parentPort.postMessage({ type: 'closed' });
  } else if (msg?.type === 'open' && current === null) {
    // The next in-memory database in this worker (client.ts): the module, its WebAssembly code and
    // the template are already loaded, which a new worker would do again (≈ 0.8 s of CPU).
    try {
      current = await open(msg.options);
      parentPort.postMessage({ type: 'ready', socketPath: current.socketPath });
    } catch (e) {
      parentPort.postMessage({ type: 'failed', message: String(e?.stack ?? e) });
    }
  }
});
