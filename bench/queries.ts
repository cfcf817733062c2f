// Round trips per request: builds ROAMS on an existing bench database (BENCH_DATABASE_URL, e.g.
// the `roams_bench` a PostgreSQL bench run leaves behind), counts the queries each route sends
// through the pool and times them, for the per-request breakdown in bench/RESULTS.md.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/roams_bench npx tsx bench/queries.ts
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { BENCH_ADMIN, BENCH_FINANCE, BENCH_PASSWORD } from './generate.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL names the bench database');
const config = loadConfig({ ROAMS_MODE: 'test', SEED_DEMO: 'false', WEB_DIST: '/nonexistent', LOG_LEVEL: 'silent', DATABASE_URL: url });
const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
const log: { text: string; ms: number }[] = [];
// Every query goes through a pooled client (pool.query checks one out too): count there.
type Client = { query: (...a: unknown[]) => Promise<unknown>; __counted?: boolean };
function counted(c: Client): Client {
  if (c.__counted) return c;
  const cq = c.query.bind(c);
  c.query = async (...a: unknown[]) => {
    const t = performance.now();
    try {
      return await cq(...a);
    } finally {
      const q = a[0] as string | { text: string };
      log.push({ text: (typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').slice(0, 110), ms: performance.now() - t });
    }
  };
  c.__counted = true;
  return c;
}
const p = database.pool as unknown as { connect: (cb?: (e: unknown, c: Client, done: unknown) => void) => unknown };
const origConnect = p.connect.bind(p);
p.connect = (cb) => (cb ? origConnect((e, c, done) => cb(e, c && counted(c), done)) : (origConnect() as Promise<Client>).then(counted));
const app = await buildApp({ database, config, logger: false });
const admin = BENCH_ADMIN;
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: admin, password: BENCH_PASSWORD } });
const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const financeLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: BENCH_FINANCE, password: BENCH_PASSWORD } });
const financeCookie = financeLogin.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const office = (await database.pool.query<{ office_id: number }>('select office_id from role_assignments group by office_id order by count(*) desc limit 1'))
  .rows[0]!.office_id;
const routes = {
  list: `/api/v1/office-users?officeId=${office}&page=1&pageSize=25&status=current`,
  offices: '/api/v1/office-users/offices?q=Bhopal',
  contracts: '/api/v1/contracts?page=1&pageSize=25&sort=contractDate&dir=desc',
  contracts_q: `/api/v1/contracts?page=1&pageSize=25&sort=contractDate&dir=desc&q=${encodeURIComponent('Agency 0012')}`,
  orders: '/api/v1/sanction-orders?page=1&pageSize=25',
  agencies: '/api/v1/agencies?page=1&pageSize=25',
  audit: `/api/v1/audit?page=1&pageSize=25&q=${encodeURIComponent('Bench State')}`,
};
const cookieFor = (key: string) => (key === 'audit' ? financeCookie : cookie);
for (const [key, path] of Object.entries(routes)) {
  await app.inject({ method: 'GET', url: path, headers: { cookie: cookieFor(key) } }); // warm
  // Five more times; the last one's queries are listed, the median time is reported.
  const times: number[] = [];
  let r = await app.inject({ method: 'GET', url: path, headers: { cookie: cookieFor(key) } });
  for (let i = 0; i < 5; i++) {
    log.length = 0;
    const t = performance.now();
    r = await app.inject({ method: 'GET', url: path, headers: { cookie: cookieFor(key) } });
    times.push(performance.now() - t);
  }
  const total = times.sort((a, b) => a - b)[2]!;
  const dbMs = log.reduce((s, x) => s + x.ms, 0);
  console.log(
    `\n${key} ${r.statusCode} ${r.body.length} B: ${log.length} queries, ${total.toFixed(1)} ms in all (median of 5), ${dbMs.toFixed(1)} ms waiting on queries (sum; some run in parallel)`,
  );
  for (const x of log) console.log(`  ${x.ms.toFixed(1).padStart(6)} ms  ${x.text}`);
  // The same route 50 at a time (as 50 connections send it): queries per request, now that the
  // session lookups of the moment go out together.
  log.length = 0;
  await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'GET', url: path, headers: { cookie: cookieFor(key) } })));
  const sessionQueries = log.filter((x) => x.text.includes('"sessions"')).length;
  console.log(`  50 at once: ${(log.length / 50).toFixed(2)} queries a request, of them session lookups ${sessionQueries} for 50 requests`);
}
// BENCH_PROFILE_REQUESTS=N: a CPU profile of N requests of each route (in-process inject, so
// no socket cost of the HTTP client), written to bench-<route>.cpuprofile in the working directory.
const n = Number(process.env.BENCH_PROFILE_REQUESTS ?? 0);
if (n > 0) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  for (const [key, path] of Object.entries(routes)) {
    await session.post('Profiler.start');
    const t = performance.now();
    // 10 at a time, as a loaded server sees them.
    for (let i = 0; i < n; i += 10)
      await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'GET', url: path, headers: { cookie: cookieFor(key) } })));
    const ms = performance.now() - t;
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`bench-${key}.cpuprofile`, JSON.stringify(profile));
    console.log(`profiled ${n} × ${key}: ${(ms / n).toFixed(2)} ms a request (wall, 10 in flight)`);
  }
  session.disconnect();
}
await app.close();
await database.close();
