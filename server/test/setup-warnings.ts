/**
 * A query sent on a node-postgres client while another runs on it — `Promise.all` over a
 * transaction handle — only queues today, with a deprecation warning, and is refused from pg@9.
 * Reads that may run side by side go through `readAll` (server/db/read-all.ts), which runs them one
 * after another in a transaction. This turns the warning into a failure of the test that caused it,
 * so a new such `Promise.all` cannot come back unnoticed. (Node warns once a process: with
 * `isolate: false` the first file of a worker to do it fails.) Set once per worker.
 */
const key = Symbol.for('roams.pgQueueWarning');
const g = globalThis as { [key]?: true };
if (!g[key]) {
  g[key] = true;
  process.on('warning', (w) => {
    if (/already executing a query/.test(w.message)) {
      throw new Error(
        `node-postgres: a query was sent on a client while another ran on it (Promise.all over a transaction?); use readAll (server/db/read-all.ts). ${w.message}`,
      );
    }
  });
}
