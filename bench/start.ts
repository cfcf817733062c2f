// Bar S6: the embedded (PGlite) start on a state-scale data directory, to healthy, and the
// resident memory once idle. Run a PGlite bench with BENCH_KEEP_DATA=1 (it prints the kept
// directory), then:
//   npx tsx bench/start.ts /tmp/roams-bench-XXXX
// Starts ROAMS as server/main.ts does (open, migrate, build, listen; no demo seed), polls
// GET /api/health until it answers 200, then waits BENCH_IDLE_SECONDS (10) and reads the RSS
// of this process (the PGlite worker thread is inside it).
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: tsx bench/start.ts <PGlite data directory>');
const t0 = performance.now();
const config = loadConfig({ ROAMS_MODE: 'test', SEED_DEMO: 'false', WEB_DIST: '/nonexistent', LOG_LEVEL: 'silent' });
const database = await openDatabase({ dataDir });
const tOpen = performance.now();
await migrateDatabase(database);
const app = await buildApp({ database, config, logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const a = app.server.address();
const port = typeof a === 'object' && a ? a.port : 0;
for (;;) {
  const r = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
  if (r?.status === 200) break;
  await new Promise((res) => setTimeout(res, 50));
}
const tHealthy = performance.now();
const idle = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
await new Promise((res) => setTimeout(res, idle * 1000));
const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
const m = process.memoryUsage();
console.log(
  `start to healthy ${((tHealthy - t0) / 1000).toFixed(2)} s (open ${((tOpen - t0) / 1000).toFixed(2)} s); after ${idle} s idle: RSS ${mb(m.rss)} (heap ${mb(m.heapUsed)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)})`,
);
await app.close();
await database.close();
