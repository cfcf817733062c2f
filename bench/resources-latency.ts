// One request at a time (in-process inject, no HTTP client): the median and p90 time of each
// resource route on an existing bench database with the 200,000 resources. No concurrency, so
// the figure is the request's own cost; comparable between two trees run against one database
// in turn (bench/RESULTS.md, "Resources at 200,000": before / after on the same data).
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/roams_resbench npx tsx bench/resources-latency.ts
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { BENCH_ADMIN, BENCH_PASSWORD } from './generate.ts';

const url = process.env.BENCH_DATABASE_URL;
const dir = process.argv[2];
if (!url && !dir) throw new Error('BENCH_DATABASE_URL or a PGlite data directory names the bench database');
const N = Number(process.env.BENCH_REQUESTS ?? 40);
const config = loadConfig({ ROAMS_MODE: 'test', SEED_DEMO: 'false', WEB_DIST: '/nonexistent', LOG_LEVEL: 'silent', DATABASE_URL: url });
const database = await openDatabase(url ? { databaseUrl: url, poolSize: 4 } : { dataDir: dir });
const app = await buildApp({ database, config, logger: false });
async function cookieOf(username: string) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: BENCH_PASSWORD } });
  if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode}`);
  return r.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
const agency = await cookieOf('bench_agency_01');
const dept = await cookieOf('bench_dept_auditor');
const state = await cookieOf(BENCH_ADMIN);
const { rows } = await database.pool.query<{ id: number; mobile: string; last4: string; surname: string }>(`
  select r.id, r.mobile, r.aadhaar_last4 as last4, lower(split_part(r.name_en, ' ', 2)) as surname from resources r
   where r.department_id = (select ra.scope_id from role_assignments ra join users u on u.id = ra.user_id where u.username = 'bench_dept_auditor')
     and r.status = 'approved' order by r.id offset 1 limit 1`);
const s = rows[0]!;
const list = (q = '') => `/api/v1/resources?sort=createdAt&dir=desc&page=1&pageSize=25${q ? `&q=${encodeURIComponent(q)}` : ''}`;
const routes: [string, string, string][] = [
  ['agency, page 1', agency, list()],
  ['agency, search surname', agency, list(s.surname)],
  ['department, page 1', dept, list()],
  ['department, page 40', dept, list().replace('page=1', 'page=40')],
  ['department, search surname', dept, list(s.surname)],
  ['department, search mobile', dept, list(s.mobile)],
  ['department, search last four', dept, list(s.last4)],
  ['state, page 1', state, list()],
  ['state, search surname', state, list(s.surname)],
  ['worker page', dept, `/api/v1/resources/${s.id}`],
];
for (const [name, cookie, path] of routes) {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < N + 5; i++) {
    const t = performance.now();
    const r = await app.inject({ method: 'GET', url: path, headers: { cookie } });
    if (i >= 5) times.push(performance.now() - t);
    status = r.statusCode;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(30)} ${status}  median ${times[Math.floor(N / 2)]!.toFixed(1).padStart(6)} ms  p90 ${times[Math.floor(N * 0.9)]!.toFixed(1).padStart(6)} ms`,
  );
}
await app.close();
await database.close();
