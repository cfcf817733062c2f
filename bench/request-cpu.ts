// Node CPU per request of one route, in-process (app.inject, 10 in flight, no HTTP client), on an
// existing bench database; with PROFILE=1 also a CPU profile of a second run (/tmp/res.cpuprofile,
// for bench/profile-buckets.ts). CPU time (process.cpuUsage) is what a loaded machine distorts
// least: wall times are only comparable within one quiet run.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/roams_resbench npx tsx bench/request-cpu.ts
// N (2000) requests; ROUTE (the resource list's first page); USERNAME (bench_dept_auditor).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { BENCH_PASSWORD } from './generate.ts';

const url = process.env.BENCH_DATABASE_URL!;
const N = Number(process.env.N ?? 2000);
const config = loadConfig({ ROAMS_MODE: 'test', SEED_DEMO: 'false', WEB_DIST: '/nonexistent', LOG_LEVEL: 'silent', DATABASE_URL: url });
const database = await openDatabase({ databaseUrl: url, poolSize: 10 });
const app = await buildApp({ database, config, logger: false, zodResponses: process.env.ZOD === '1' });
const r = await app.inject({
  method: 'POST',
  url: '/api/v1/auth/login',
  payload: { username: process.env.USERNAME ?? 'bench_dept_auditor', password: BENCH_PASSWORD },
});
const cookie = r.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const path = process.env.ROUTE ?? '/api/v1/resources?sort=createdAt&dir=desc&page=1&pageSize=25';
const run = async (n: number) => {
  for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'GET', url: path, headers: { cookie } })));
};
await run(300);
const c0 = process.cpuUsage();
const t0 = performance.now();
await run(N);
const wall = performance.now() - t0;
const c = process.cpuUsage(c0);
console.log(`${N} requests: wall ${(wall / N).toFixed(3)} ms/req, node CPU ${((c.user + c.system) / 1000 / N).toFixed(3)} ms/req`);
if (process.env.PROFILE) {
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.start');
  await run(N);
  const { profile } = await s.post('Profiler.stop');
  writeFileSync('/tmp/res.cpuprofile', JSON.stringify(profile));
}
await app.close();
await database.close();
