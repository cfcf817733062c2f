// EXPLAIN ANALYZE of the resource list (exactly the statements resource.repo.ts runs) and of the
// duplicate-Aadhaar check, on a bench database that has the 200,000 resources:
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/roams_resbench npx tsx bench/resources-explain.ts
//   npx tsx bench/resources-explain.ts /tmp/roams-bench-XXXX        (a PGlite directory kept with BENCH_KEEP_DATA=1)
// Prints each plan and the median execution time of 20 runs (the plan's own "Execution Time").
import { type SQL, sql } from 'drizzle-orm';
import { ZResourceListQuery } from '../shared/contracts/resource.ts';
import { openDatabase } from '../server/db/client.ts';
import { placeScope } from '../server/platform/access/access.ts';
import { listSql } from '../server/modules/resource/resource.repo.ts';

const url = process.env.BENCH_DATABASE_URL;
const dir = process.argv[2];
if (!url && !dir) throw new Error('BENCH_DATABASE_URL or a PGlite data directory names the bench database');
const database = await openDatabase(url ? { databaseUrl: url, poolSize: 2 } : { dataDir: dir });
const db = database.db;
const one = async <T>(q: SQL) => (await db.execute<T & Record<string, unknown>>(q)).rows[0] as T;

const agency = await one<{ id: number }>(
  sql`select ra.scope_id as id from role_assignments ra join users u on u.id = ra.user_id where u.username = 'bench_agency_01'`,
);
const dept = await one<{ id: number }>(
  sql`select ra.scope_id as id from role_assignments ra join users u on u.id = ra.user_id where u.username = 'bench_dept_auditor'`,
);
const sample = await one<{ mobile: string; last4: string; surname: string; hash: string }>(sql`
  select mobile, aadhaar_last4 as last4, lower(split_part(name_en, ' ', 2)) as surname, aadhaar_hash as hash from resources
   where department_id = ${dept.id} and status = 'approved' order by id offset 1 limit 1`);
const agencyReach = await placeScope(db, 'agency', agency.id);
const deptReach = await placeScope(db, 'department', dept.id);
const stateReach = await placeScope(db, 'state', 0);
const query = (extra: Record<string, string> = {}) => ZResourceListQuery.parse({ page: '1', pageSize: '25', sort: 'createdAt', dir: 'desc', ...extra });

const cases: [string, SQL][] = [
  ['agency scope, page 1', listSql(agencyReach, query()).page],
  ['agency scope, search a surname', listSql(agencyReach, query({ q: sample.surname })).page],
  ['department scope, page 1', listSql(deptReach, query()).page],
  ['department scope, page 40', listSql(deptReach, query({ page: '40' })).page],
  ['department scope, search a surname', listSql(deptReach, query({ q: sample.surname })).page],
  ['department scope, search a mobile number', listSql(deptReach, query({ q: sample.mobile })).page],
  ['department scope, search 4 digits (Aadhaar last four)', listSql(deptReach, query({ q: sample.last4 })).page],
  ['state scope, page 1', listSql(stateReach, query()).page],
  ['state scope, search a surname', listSql(stateReach, query({ q: sample.surname })).page],
  // The duplicate-Aadhaar check: enterAadhaar's vaultPut finds the number by its hash, then the
  // update of the resource is checked by the partial unique index resources_aadhaar_active_uq
  // (an index insertion, which looks the hash up in that index). The equivalent look-ups:
  ['duplicate check: the vault by hash', sql`select ref_key, last4, hash from aadhaar_vault where hash = ${sample.hash}`],
  [
    'duplicate check: an active resource holding the hash',
    sql`select id from resources where aadhaar_hash = ${sample.hash} and status not in ('rejected', 'relieved')`,
  ],
];

for (const [title, q] of cases) {
  const times: number[] = [];
  let plan: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await db.execute<{ 'QUERY PLAN': string }>(sql`explain (analyze, costs off) ${q}`);
    plan = r.rows.map((x) => x['QUERY PLAN']);
    const m = /Execution Time: ([0-9.]+) ms/.exec(plan.at(-1) ?? '');
    if (m) times.push(Number(m[1]));
  }
  times.sort((a, b) => a - b);
  console.log(`\n### ${title} — median execution ${times[Math.floor(times.length / 2)]?.toFixed(2)} ms (of 20)\n`);
  console.log(plan.filter((l) => !/^(Planning|Execution) Time/.test(l)).join('\n'));
}
await database.close();
