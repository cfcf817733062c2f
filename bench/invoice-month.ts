// Bar S2 (spec 11): month-end invoices for every contract in the state, PDFs aside, ≤ 3× the floor.
//   npm run bench:invoices                                          (embedded PGlite, temporary directory)
//   DATABASE_URL=postgres://…/empty_db npm run bench:invoices       (PostgreSQL; the database must be empty)
//   BENCH_SCALE=0.05 …                                              (a twentieth of the state, for a quick run)
// 1. Generates the state (bench/generate.ts), its agencies and contracts (5,000), the resources
//    (200,000) and one finalised month of attendance (the last whole month), all × BENCH_SCALE.
// 2. The floor, in the same run (BENCH_FLOORS times before the generation and as many after;
//    median): one aggregate SQL over the month's attendance joined to resources and posts (per
//    contract: people, paid days, earned wage); reading the month's per-resource lines into node
//    (one row per resource on the rolls with a finalised row); and COPY FROM STDIN of as many rows
//    into a temporary table shaped like invoice_lines (PGlite's socket does not speak COPY: there
//    the same rows go in by one INSERT … SELECT from a JSON recordset).
// 3. The month's generation: generateMonthInvoices for every contract (invoice.generate-batch.ts),
//    timed whole; the invoices, details, lines and audit entries it wrote, and the refusals by code.
// Prints the figures and the ratio; writes nothing to bench/RESULTS.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import { loadConfig } from '../server/config.ts';
import { type Db, migrateDatabase, openDatabase } from '../server/db/client.ts';
import { generateMonthInvoices } from '../server/modules/invoice/invoice.generate-batch.ts';
import { CopyIn } from './copy-in.ts';
import { generateAttendance } from './generate-attendance.ts';
import { CONTRACT_SCALE, generateAgenciesContracts } from './generate-contracts.ts';
import { generateResources, RESOURCE_SCALE } from './generate-resources.ts';
import { generateOrgMasters, STATE_SCALE } from './generate.ts';

const SCALE = process.env.BENCH_SCALE ? Number(process.env.BENCH_SCALE) : 1;
const FLOORS = process.env.BENCH_FLOORS ? Number(process.env.BENCH_FLOORS) : 3;
const WRITERS = process.env.BENCH_WRITERS ? Number(process.env.BENCH_WRITERS) : undefined;
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

const tmp = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'roams-inv-bench-'));
const config = loadConfig({
  ROAMS_MODE: 'test',
  SEED_DEMO: 'false',
  WEB_DIST: '/nonexistent',
  LOG_LEVEL: 'silent',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
log(`start; scale ${SCALE}; load average ${load()}`);
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: tmp ?? undefined, poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
const db = database.db as unknown as Db;
const q = async <T extends Record<string, unknown>>(s: ReturnType<typeof sql>) => (await db.execute<T>(s)).rows;

// ── 1. The state and its month ─────────────────────────────────────────────────────────────────
const now = new Date();
const tg0 = performance.now();
await generateOrgMasters(db, {
  offices: scaled(STATE_SCALE.offices),
  ddoCodes: scaled(STATE_SCALE.ddoCodes),
  departments: Math.min(STATE_SCALE.departments, scaled(STATE_SCALE.departments) + 5),
  users: scaled(STATE_SCALE.users),
  now,
});
await generateAgenciesContracts(db, { agencies: scaled(CONTRACT_SCALE.agencies), contracts: scaled(CONTRACT_SCALE.contracts) });
await generateResources(db, { resources: scaled(RESOURCE_SCALE.resources), now });
const gen = await generateAttendance(db, { months: 1, now });
const month = gen.months.at(-1)!;
const first = `${month}-01`;
await db.execute(sql`analyze`);
const [size] = await q<{ contracts: number; resources: number; rows: number }>(sql`
  select (select count(*)::int from contracts) as contracts, (select count(*)::int from resources) as resources,
         (select count(*)::int from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id where s.month = ${first}::date) as rows`);
log(
  `generated ${size!.contracts} contracts, ${size!.resources} resources, ${size!.rows} finalised rows of ${month} in ${((performance.now() - tg0) / 1000).toFixed(0)} s; load ${load()}`,
);

// ── 2. The floor ─────────────────────────────────────────────────────────────────────────────
/** The month's finalised rows with each resource's post in its contract's in-force version. */
const MONTH_ROWS = sql`from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id
      join resources r on r.id = ar.resource_id
      join contract_versions v on v.contract_id = r.contract_id and v.state = 'in_force'
      join contract_posts cp on cp.version_id = v.id and cp.skill_level_id = r.skill_level_id and cp.post_name_id = r.post_name_id and cp.office_id = r.office_id
     where s.month = ${first}::date and s.state = 'finalised'`;
type Line = { resource: number; contract: number; paid: number; basic: number; vda: number };
async function floorAggregate(): Promise<number> {
  const t0 = performance.now();
  await q(sql`
    select r.contract_id, count(*) as people, sum(ar.present + ar.paid_leave + ar.offs) as paid,
           sum((cp.basic_paise + cp.vda_paise) * (ar.present + ar.paid_leave + ar.offs) / ar.days_on_rolls) as earned
      ${MONTH_ROWS}
     group by r.contract_id`);
  return performance.now() - t0;
}
async function floorRead(): Promise<{ ms: number; lines: Line[] }> {
  const t0 = performance.now();
  const lines = await q<Line>(sql`
    select r.id as resource, r.contract_id as contract, ar.present + ar.paid_leave + ar.offs as paid, cp.basic_paise::float8 as basic, cp.vda_paise::float8 as vda
      ${MONTH_ROWS}`);
  return { ms: performance.now() - t0, lines };
}
const copyWorks = database.engine === 'postgres';
const LINE_COLUMNS = 'invoice_id, detail_id, code, kind, stage, base_paise, rate_ppm, amount_paise, label_en, label_hi, sort_order';
async function floorWrite(lines: Line[]): Promise<number> {
  await db.execute(sql`create temp table if not exists floor_lines (like invoice_lines including defaults)`);
  await db.execute(sql`truncate floor_lines`);
  const t0 = performance.now();
  if (copyWorks) {
    const text = lines.map((l) => `${l.contract}\t${l.resource}\tWAGE\tpayable\tcost\t${l.basic + l.vda}\t0\t${l.paid}\tWage\tमजदूरी\t0\n`).join('');
    const client: PoolClient = await database.pool.connect();
    try {
      await client.query('create temp table if not exists floor_lines (like invoice_lines including defaults)');
      await client.query('truncate floor_lines');
      await new Promise<void>((resolve, reject) => {
        client.query(new CopyIn(`copy floor_lines (${LINE_COLUMNS}) from stdin`, Buffer.from(text), (e) => (e ? reject(e) : resolve())) as never);
      });
    } finally {
      client.release();
    }
  } else {
    const json = JSON.stringify(lines.map((l) => [l.contract, l.resource, l.basic + l.vda, l.paid]));
    await db.execute(sql`insert into floor_lines (${sql.raw(LINE_COLUMNS)})
      select (x->>0)::int, (x->>1)::int, 'WAGE', 'payable', 'cost', (x->>2)::bigint, 0, (x->>3)::bigint, 'Wage', 'मजदूरी', 0 from json_array_elements(${json}::json) x`);
  }
  return performance.now() - t0;
}
const floors: { aggregate: number; read: number; write: number; total: number }[] = [];
let floorRows = 0;
async function runFloors(n: number) {
  for (let i = 0; i < n; i++) {
    const aggregate = await floorAggregate();
    const read = await floorRead();
    const write = await floorWrite(read.lines);
    floorRows = read.lines.length;
    floors.push({ aggregate, read: read.ms, write, total: aggregate + read.ms + write });
  }
}
await runFloors(FLOORS);
log(`floors before: ${floors.map((f) => ms(f.total)).join(', ')} (${floorRows} lines); load ${load()}`);

// ── 3. The month's invoices of every contract ───────────────────────────────────────────────
const contractIds = (await q<{ id: number }>(sql`select id from contracts order by id`)).map((r) => r.id);
const before = (await q<{ n: number }>(sql`select count(*)::int as n from audit_log`))[0]!.n;
const loadBefore = load();
const t0 = performance.now();
const phases: [string, number][] = [];
const results = await generateMonthInvoices(
  db,
  { actor: null, ip: '127.0.0.1', locale: 'en', now },
  { month, contractIds, writers: WRITERS, onPhase: (p, t) => phases.push([p, t]) },
);
const batchMs = performance.now() - t0;
const loadAfter = load();
const [made] = await q<{ invoices: number; details: number; lines: number; total: string }>(sql`
  select count(distinct i.id)::int as invoices, (select count(*)::int from invoice_details) as details, (select count(*)::int from invoice_lines) as lines,
         sum(i.total_paise)::text as total
    from invoices i where i.month = ${first}::date and i.status = 'active'`);
const audits = (await q<{ n: number }>(sql`select count(*)::int as n from audit_log`))[0]!.n - before;
const byCode = new Map<string, number>();
for (const r of results) {
  const k = r.ok ? `made (${r.path})` : r.code;
  byCode.set(k, (byCode.get(k) ?? 0) + 1);
}
log(`generated in ${ms(batchMs)} (${phases.map(([p, t]) => `${p} ${ms(t)}`).join(', ')}); load ${loadBefore} → ${loadAfter}`);
await runFloors(FLOORS);
log(
  `floors after: ${floors
    .slice(FLOORS)
    .map((f) => ms(f.total))
    .join(', ')}; load ${load()}`,
);

// ── Report ──────────────────────────────────────────────────────────────────────────────────
const med = (k: keyof (typeof floors)[number]) => median(floors.map((f) => f[k]));
const floor = med('total');
console.log(`\n## Bar S2 — ${database.engine}, scale ${SCALE}, ${month}, writers ${WRITERS ?? 'default'}; load average ${load()}\n`);
console.log(`${size!.contracts} contracts, ${size!.resources} resources, ${size!.rows} finalised rows.`);
console.log(`Outcomes: ${[...byCode].map(([k, n]) => `${k} ${n}`).join(', ')}.`);
console.log(
  `Written: ${made!.invoices} invoices, ${made!.details} details, ${made!.lines} lines, ${audits} audit entries; total ₹${(Number(made!.total) / 100).toFixed(2)}.\n`,
);
console.log('| | time | ÷ floor |\n| --- | --- | --- |');
console.log(`| floor: aggregate SQL over the month (median of ${floors.length}) | ${ms(med('aggregate'))} | |`);
console.log(`| floor: reading ${floorRows} lines | ${ms(med('read'))} | |`);
console.log(`| floor: ${copyWorks ? 'COPY' : 'INSERT … SELECT (JSON; no COPY on PGlite)'} of ${floorRows} rows | ${ms(med('write'))} | |`);
console.log(`| **floor** (sum, median) | ${ms(floor)} | 1 |`);
console.log(`| month's invoices, every contract (generateMonthInvoices) | ${ms(batchMs)} | ${(batchMs / floor).toFixed(1)}× |`);
for (const [p, t] of phases) console.log(`| — of which ${p} | ${ms(t)} | ${(t / floor).toFixed(1)}× |`);
console.log(`\nBar S2 (≤ 3× the floor): ${batchMs / floor <= 3 ? 'met' : 'NOT met'} (${(batchMs / floor).toFixed(2)}×).`);

await database.close();
if (tmp) rmSync(tmp, { recursive: true, force: true });
