// Hosts the embedded PostgreSQL (PGlite) in a worker thread and serves it over the
// PostgreSQL wire protocol on a loopback port, so that (1) PGlite's WebAssembly never
// blocks the HTTP event loop (quality bar S5) and (2) the app speaks to the embedded
// database and to a PostgreSQL server through the same driver (node-postgres).
// Plain ESM (not TypeScript) so it loads in a worker under node, tsx and vitest alike.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir } = workerData;
const db = await PGlite.create(dataDir ?? undefined);
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
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
