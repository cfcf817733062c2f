// Issue 15, "Scale and speed": attendance at state scale, in one process.
//   npx tsx bench/attendance-scale.ts                               (embedded PGlite, temporary directory)
//   DATABASE_URL=postgres://…/empty_db npx tsx bench/attendance-scale.ts   (PostgreSQL; the database must be empty)
// 1. Generates the state (bench/generate.ts scale), its contracts, BENCH_RESOURCES resources
//    (200,000) and BENCH_ATTENDANCE_MONTHS (24) finalised months of attendance (generate-attendance.ts).
// 2. Storage: statewide month totals, 24-month totals and one department's month, each timed 5×
//    (median) with the plan of the first; and dropping (archiving) one month, timed inside a
//    transaction that is rolled back.
// 3. Bar S3: BENCH_UPLOAD_ROWS (50,000) rows of the current month uploaded as department-wide files
//    through the real HTTP routes: the largest departments' templates downloaded as the template route
//    writes them (GET …/departments/:id/months/:m/template?format=xlsx, with its instructions sheet),
//    filled, and uploaded one after the other by each department's manager (POST …/departments/:id/
//    months/:m/upload; read streaming, checked, stored in batches and audited by attendance.sheetfile.ts);
//    the last file is cut so that the rows add up. The floor, in the same run (3 times before, 2 after):
//    COPY FROM STDIN of the same rows into attendance_rows (another month's open sheets; deleted
//    again), and, as in resource-bulk.ts, one INSERT … SELECT from a JSON recordset.
//    Peak memory (rss, heap) sampled every 50 ms during the upload; and, apart, the reading alone of
//    the largest file.
// 4. Bar S5: while the upload runs, GET /api/health and one read route (a finalised sheet) sampled
//    every BENCH_SAMPLE_MS (50) ms, against the same sampling with nothing else running.
// Not part of `npm test`. Writes nothing to bench/RESULTS.md: it prints the tables.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { colKey, readUpload } from '../server/modules/attendance/attendance.sheetfile-read.ts';
import { translator } from '../server/platform/i18n/i18n.ts';
import { excel } from '../server/platform/tabular/excel.ts';
import { CopyIn } from './copy-in.ts';
import { generateAttendance } from './generate-attendance.ts';
import { generateAgenciesContracts } from './generate-contracts.ts';
import { generateResources, RESOURCE_SCALE } from './generate-resources.ts';
import { BENCH_ADMIN, BENCH_PASSWORD, generateOrgMasters, STATE_SCALE } from './generate.ts';

const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const RESOURCES = num('BENCH_RESOURCES', RESOURCE_SCALE.resources);
const MONTHS = num('BENCH_ATTENDANCE_MONTHS', 24);
const UPLOAD_ROWS = num('BENCH_UPLOAD_ROWS', 50_000);
const SAMPLE_MS = num('BENCH_SAMPLE_MS', 50);
const IDLE_SECONDS = num('BENCH_IDLE_SECONDS', 5);
const FLOORS_BEFORE = 3;
const FLOORS_AFTER = 2;
const RUN = Date.now().toString(36);

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MB`;
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

const tmp = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'roams-att-bench-'));
const config = loadConfig({
  ROAMS_MODE: 'test',
  SEED_DEMO: 'false',
  WEB_DIST: '/nonexistent',
  LOG_LEVEL: 'silent',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
log(`start; load average ${load()}`);
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: tmp ?? undefined, poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
const db = database.db;
const q = async <T extends Record<string, unknown>>(s: ReturnType<typeof sql>) => (await db.execute<T>(s)).rows;

// ── 1. Generation ────────────────────────────────────────────────────────────────────────────
const now = new Date();
const tg0 = performance.now();
// BENCH_REUSE=1 on PostgreSQL: keep the masters, contracts and resources of an earlier run of this
// script in the same database (7 minutes on a loaded machine) and regenerate only the attendance.
const reuse = process.env.BENCH_REUSE === '1' && Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from resources`)).rows[0]!.n) > 0;
if (reuse) {
  await db.execute(sql`truncate attendance_revision_items, attendance_revision_requests, attendance_rows, attendance_sheets cascade`);
} else {
  await generateOrgMasters(db, STATE_SCALE);
  await generateAgenciesContracts(db);
  await generateResources(db, { resources: RESOURCES, now });
}
const rr = { resources: Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from resources`)).rows[0]!.n) };
const tgMasters = performance.now() - tg0;
log(`masters, contracts and ${rr.resources} resources in ${(tgMasters / 1000).toFixed(0)} s; load ${load()}`);
const gen = await generateAttendance(db, { months: MONTHS, now });
log(`attendance: ${gen.rows} rows in ${gen.sheets} sheets over ${gen.months.length} months in ${(gen.ms / 1000).toFixed(1)} s; load ${load()}`);
const [sizes] = await q<{ rows: string; idx: string }>(
  sql`select pg_size_pretty(pg_table_size('attendance_rows')) as rows, pg_size_pretty(pg_indexes_size('attendance_rows')) as idx`,
);

// ── 2. Storage: statewide totals and dropping a month ────────────────────────────────────────
const lastMonth = `${gen.months.at(-1)}-01`;
const [bigDept] = await q<{ id: number }>(sql`select o.department_id as id from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id
  join offices o on o.id = s.office_id where s.month = ${lastMonth}::date group by 1 order by count(*) desc limit 1`);
const storageQueries: { key: string; title: string; text: ReturnType<typeof sql> }[] = [
  {
    key: 'month',
    title: 'statewide totals of one month',
    text: sql`select count(*) as rows, sum(ar.present) as present, sum(ar.paid_leave) as leave, sum(ar.offs) as offs, sum(ar.absence) as absence
      from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id where s.month = ${lastMonth}::date`,
  },
  {
    key: 'dept_month',
    title: 'one department (the largest), one month',
    text: sql`select count(*) as rows, sum(ar.present) as present, sum(ar.absence) as absence
      from attendance_sheets s join offices o on o.id = s.office_id join attendance_rows ar on ar.sheet_id = s.id
     where s.month = ${lastMonth}::date and o.department_id = ${bigDept?.id ?? 0}`,
  },
  {
    key: 'all_months',
    title: `statewide totals of each of the ${gen.months.length} months`,
    text: sql`select s.month, count(*) as rows, sum(ar.present) as present, sum(ar.absence) as absence
      from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id group by s.month order by s.month`,
  },
  // Bar S4: the dashboard's query (attendance.totals.ts) over the per-sheet totals the database
  // keeps (migration 0033), statewide and for the largest department, every month at once.
  {
    key: 'maintained_all',
    title: `maintained totals (bar S4): statewide, each of the ${gen.months.length} months`,
    text: sql`select t.month, count(*) as sheets, sum(t.rows) as rows, sum(t.present) as present, sum(t.paid_leave) as leave,
             sum(t.offs) as offs, sum(t.absence) as absence
        from attendance_sheet_totals t join offices o on o.id = t.office_id
       where t.month between ${`${gen.months[0]}-01`}::date and ${lastMonth}::date group by t.month`,
  },
  {
    key: 'maintained_dept',
    title: `maintained totals (bar S4): the largest department, each of the ${gen.months.length} months`,
    text: sql`select t.month, count(*) as sheets, sum(t.rows) as rows, sum(t.present) as present, sum(t.absence) as absence
        from attendance_sheet_totals t join offices o on o.id = t.office_id
       where t.month between ${`${gen.months[0]}-01`}::date and ${lastMonth}::date and o.department_id = ${bigDept?.id ?? 0} group by t.month`,
  },
];
const storage: { title: string; times: number[]; plan: string }[] = [];
for (const sq of storageQueries) {
  const plan = (await q<Record<string, string>>(sql`explain (analyze, costs off, timing off, summary on) ${sq.text}`))
    .map((r) => Object.values(r)[0])
    .join('\n');
  const times: number[] = [];
  for (let i = 0; i < (sq.key.startsWith('maintained') ? 20 : 5); i++) {
    const t0 = performance.now();
    await db.execute(sq.text);
    times.push(performance.now() - t0);
  }
  storage.push({ title: sq.title, times, plan });
  log(`${sq.title}: median ${ms(median(times))}`);
}
// Dropping (archiving) the oldest month: copy its rows out, delete rows and sheets. The finalisation
// guard (0017) refuses deleting finalised rows to the application; the archiving job runs as the
// owner with triggers off for the transaction (session_replication_role = replica). Rolled back.
const oldest = `${gen.months[0]}-01`;
const drop: Record<string, number> = {};
await db
  .transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    let t0 = performance.now();
    const c = await tx.execute(sql`create table bench_attendance_archive as select s.office_id, s.month, ar.*
      from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id where s.month = ${oldest}::date`);
    drop.archive = performance.now() - t0;
    drop.rows = c.rowCount ?? 0;
    t0 = performance.now();
    await tx.execute(sql`delete from attendance_rows ar using attendance_sheets s where s.id = ar.sheet_id and s.month = ${oldest}::date`);
    await tx.execute(sql`delete from attendance_sheets where month = ${oldest}::date`);
    drop.delete = performance.now() - t0;
    throw new Error('roll back');
  })
  .catch((e: Error) => {
    if (e.message !== 'roll back') throw e;
  });
log(`drop a month (${drop.rows} rows): archive ${ms(drop.archive!)}, delete ${ms(drop.delete!)}`);

// ── 3. The upload's files: the largest departments' templates of the current month, filled ──
const month = now.toISOString().slice(0, 7);
const first = `${month}-01`;
const [y, m] = month.split('-').map(Number) as [number, number];
const last = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
const nextFirst = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
const onRolls = sql`r.office_id is not null and r.joining_date is not null and r.status in ('approved', 'relieved')
  and r.joining_date <= ${last}::date and (r.relieved_on is null or r.relieved_on >= ${first}::date)`;
const deptSizes = await q<{ department_id: number; n: number }>(
  sql`select o.department_id, count(*)::int as n from resources r join offices o on o.id = r.office_id where ${onRolls} group by 1 order by 2 desc, 1`,
);
const depts: number[] = [];
let total = 0;
for (const d of deptSizes) {
  if (total >= UPLOAD_ROWS) break;
  depts.push(Number(d.department_id));
  total += d.n;
}

// Department managers (department scope) of those departments; one session each.
const [admin] = await q<{ password_hash: string }>(sql`select password_hash from users where username = ${BENCH_ADMIN}`);
for (const d of depts) {
  const [u] = await q<{ id: number }>(sql`insert into users (username, name, mobile, password_hash, must_change_password, locale)
    values (${`bench_att_dm_${d}_${RUN}`}, ${`Bench Attendance Manager ${d}`}, ${`6${String(Date.now() % 1000).padStart(3, '0')}${String(d).padStart(6, '0')}`}, ${admin!.password_hash}, false, 'en') returning id`);
  await db.execute(sql`insert into role_assignments (user_id, role, scope_kind, scope_id, designation)
    values (${u!.id}, 'department_manager', 'department', ${d}, 'Bench Section Officer')`);
}
const app = await buildApp({ database, config, logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
type Session = { cookie: string; csrf: string };
const sessions = new Map<number, Session>();
for (const d of depts) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bench_att_dm_${d}_${RUN}`, password: BENCH_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${d}: ${r.status} ${await r.text()}`);
  const jar = Object.fromEntries(r.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]));
  jar.roams_lang = 'en';
  sessions.set(d, {
    cookie: Object.entries(jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    csrf: jar.roams_csrf ?? '',
  });
}

// Each department's template as the template route writes it (GET …/departments/:id/months/:m/template,
// .xlsx with its instructions sheet), filled in place — present, paid leave, offs, absence balanced
// with the days on the rolls — and written back; the last file cut so that the rows add up to UPLOAD_ROWS.
type Line = { resourceId: number; officeId: number; days: number; present: number; paidLeave: number; offs: number; absence: number };
const lines: Line[] = [];
const files: { departmentId: number; rows: number; body: Buffer }[] = [];
const { Workbook } = await excel();
const tt0 = performance.now();
for (const d of depts) {
  const s = sessions.get(d)!;
  const r = await fetch(`${base}/api/v1/attendance/departments/${d}/months/${month}/template?format=xlsx`, { headers: { cookie: s.cookie } });
  if (r.status !== 200) throw new Error(`template ${d}: ${r.status} ${await r.text()}`);
  const wb = new Workbook();
  await wb.xlsx.load(await r.arrayBuffer());
  const ws = wb.worksheets[0]!;
  const col = new Map<string, number>();
  ws.getRow(1).eachCell((c, n) => col.set(String(c.value), n));
  const at = (header: string) => {
    const n = col.get(header);
    if (!n) throw new Error(`template ${d}: no column "${header}" in ${[...col.keys()].join(', ')}`);
    return n;
  };
  const en = translator('en');
  const c = {
    office: at(en(colKey.officeId)),
    res: at(en(colKey.resourceId)),
    days: at(en(colKey.daysOnRolls)),
    present: at(en(colKey.present)),
    leave: at(en(colKey.paidLeave)),
    offs: at(en(colKey.offs)),
    absence: at(en(colKey.absence)),
  };
  let rows = 0;
  const lastRow = ws.rowCount;
  for (let i = 2; i <= lastRow; i++) {
    const row = ws.getRow(i);
    if (lines.length >= UPLOAD_ROWS) {
      // Past the rows wanted: the row emptied (an upload skips blank rows).
      row.eachCell((cell) => {
        cell.value = null;
      });
      continue;
    }
    const resourceId = Number(row.getCell(c.res).value);
    const days = Number(row.getCell(c.days).value);
    if (!resourceId || !days) throw new Error(`template ${d}: row ${i} has no resource or days (${JSON.stringify(row.values)})`);
    const offs = Math.floor(days / 7);
    const paidLeave = Math.min(days - offs, resourceId % 3);
    const absence = resourceId % 10 === 0 && days - offs - paidLeave > 0 ? 1 : 0;
    const l = { resourceId, officeId: Number(row.getCell(c.office).value), days, offs, paidLeave, absence, present: days - offs - paidLeave - absence };
    row.getCell(c.present).value = String(l.present);
    row.getCell(c.leave).value = String(l.paidLeave);
    row.getCell(c.offs).value = String(l.offs);
    row.getCell(c.absence).value = String(l.absence);
    lines.push(l);
    rows++;
  }
  files.push({ departmentId: d, rows, body: Buffer.from(await wb.xlsx.writeBuffer()) });
  log(`department ${d}: template ${rows} rows filled (${mb(files.at(-1)!.body.length)}); load ${load()}`);
}
const chosen = [...new Set(lines.map((l) => l.officeId))];
const fileBytes = files.reduce((a, f) => a + f.body.length, 0);
log(
  `upload: ${lines.length} rows in ${files.length} department files (${mb(fileBytes)}, largest ${Math.max(...files.map((f) => f.rows))} rows; ${chosen.length} offices); templates downloaded and filled in ${((performance.now() - tt0) / 1000).toFixed(1)} s`,
);

// ── The floors: COPY FROM STDIN, and INSERT … SELECT from a JSON recordset ───────────────────
await db.execute(sql`insert into attendance_sheets (office_id, month, state) select unnest(${`{${chosen.join(',')}}`}::int[]), ${nextFirst}::date, 'open'
  on conflict do nothing`);
const floorSheets = new Map(
  (await q<{ id: number; office_id: number }>(sql`select id, office_id from attendance_sheets where month = ${nextFirst}::date`)).map((s) => [
    s.office_id,
    s.id,
  ]),
);
const stamp = now.toISOString();
const copyText = lines
  .map((l) => `${floorSheets.get(l.officeId)}\t${l.resourceId}\t${l.days}\t${l.present}\t${l.paidLeave}\t${l.offs}\t${l.absence}\t1\t${stamp}\n`)
  .join('');
// PGlite's socket server does not speak COPY FROM STDIN (the connection is lost: "protocol synchronization
// was lost"), so on the embedded database the floor is the INSERT … SELECT alone, as in resource-bulk.ts.
const copyWorks = database.engine === 'postgres';
async function floorCopy(): Promise<number> {
  const client: PoolClient = await database.pool.connect();
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      client.query(
        new CopyIn(
          'copy attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence, version, updated_at) from stdin',
          Buffer.from(copyText),
          (e) => (e ? reject(e) : resolve()),
        ) as never,
      );
    });
    return performance.now() - t0;
  } finally {
    client.release();
  }
}
const floorJson = JSON.stringify(lines.map((l) => [floorSheets.get(l.officeId), l.resourceId, l.days, l.present, l.paidLeave, l.offs, l.absence]));
async function floorInsert(): Promise<number> {
  const t0 = performance.now();
  await db.execute(sql`insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence, version, updated_at)
    select (x->>0)::int, (x->>1)::int, (x->>2)::int, (x->>3)::int, (x->>4)::int, (x->>5)::int, (x->>6)::int, 1, now()
      from json_array_elements(${floorJson}::json) x`);
  return performance.now() - t0;
}
const clearFloor = () => db.execute(sql`delete from attendance_rows ar using attendance_sheets s where s.id = ar.sheet_id and s.month = ${nextFirst}::date`);
const floors = { copy: [] as number[], insert: [] as number[] };
async function runFloors(n: number) {
  for (let i = 0; i < n; i++) {
    if (copyWorks) {
      floors.copy.push(await floorCopy());
      await clearFloor();
    }
    floors.insert.push(await floorInsert());
    await clearFloor();
  }
  log(`floors so far: COPY ${floors.copy.map((x) => x.toFixed(0)).join(', ')} ms; INSERT … SELECT ${floors.insert.map((x) => x.toFixed(0)).join(', ')} ms`);
}

// ── Samplers: /api/health and a read route every SAMPLE_MS; memory every 50 ms ───────────────
const readOffice = chosen[chosen.length - 1]!;
const readUrl = `${base}/api/v1/attendance/offices/${readOffice}/months/${gen.months.at(-1)}`;
const readDept = (await q<{ d: number }>(sql`select department_id as d from offices where id = ${readOffice}`))[0]!.d;
const readSession = sessions.get(Number(readDept))!;
function sampler() {
  const out = { health: [] as number[], read: [] as number[], failures: 0, skipped: 0 };
  // The read route is skipped on a tick while its previous request is still out (a finalised sheet
  // of ~100 rows costs far more than 50 ms on a loaded machine; piling them up would measure the
  // sampler, not the upload). /api/health fires on every tick.
  let readOut = false;
  const fire = (url: string, into: number[], headers: Record<string, string> = {}, single = false) => {
    if (single && readOut) {
      out.skipped++;
      return;
    }
    if (single) readOut = true;
    const t0 = performance.now();
    fetch(url, { headers })
      .then(async (r) => {
        await r.arrayBuffer();
        if (r.status !== 200) out.failures++;
        into.push(performance.now() - t0);
      })
      .catch(() => out.failures++)
      .finally(() => {
        if (single) readOut = false;
      });
  };
  const a = setInterval(() => fire(`${base}/api/health`, out.health), SAMPLE_MS);
  let b: NodeJS.Timeout | undefined;
  const s = setTimeout(() => {
    b = setInterval(() => fire(readUrl, out.read, { cookie: readSession.cookie }, true), SAMPLE_MS);
  }, SAMPLE_MS / 2);
  return {
    out,
    stop: async () => {
      clearInterval(a);
      clearTimeout(s);
      if (b) clearInterval(b);
      await new Promise((r) => setTimeout(r, 2000));
      return out;
    },
  };
}
function memory() {
  const base0 = process.memoryUsage();
  const peak = { rss: base0.rss, heap: base0.heapUsed };
  const h = setInterval(() => {
    const u = process.memoryUsage();
    peak.rss = Math.max(peak.rss, u.rss);
    peak.heap = Math.max(peak.heap, u.heapUsed);
  }, 50);
  return { base: { rss: base0.rss, heap: base0.heapUsed }, stop: () => (clearInterval(h), peak) };
}

// ── The run ──────────────────────────────────────────────────────────────────────────────────
const loadBefore = load();
await runFloors(FLOORS_BEFORE);
log(`idle sampling ${IDLE_SECONDS} s`);
const idle = sampler();
await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
const idleOut = await idle.stop();
(globalThis as { gc?: () => void }).gc?.();
const mem = memory();
const busy = sampler();
const perFile: number[] = [];
let saved = 0;
const t0 = performance.now();
for (const f of files) {
  const s = sessions.get(f.departmentId)!;
  const form = new FormData();
  form.append('file', new Blob([f.body]), `attendance-department-${f.departmentId}-${month}.xlsx`);
  const u0 = performance.now();
  const r = await fetch(`${base}/api/v1/attendance/departments/${f.departmentId}/months/${month}/upload`, {
    method: 'POST',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    body: form,
  });
  const body = (await r.json()) as { saved?: number; errors?: unknown[] };
  perFile.push(performance.now() - u0);
  if (r.status !== 200 || body.errors?.length || body.saved !== f.rows)
    throw new Error(`upload department ${f.departmentId}: ${r.status} ${JSON.stringify(body).slice(0, 400)}`);
  saved += body.saved;
  log(`department ${f.departmentId}: ${f.rows} rows uploaded in ${ms(perFile.at(-1)!)}; load ${load()}`);
}
const uploadMs = performance.now() - t0;
const peak = mem.stop();
const busyOut = await busy.stop();
const loadDuring = load();
log(`upload: ${saved} rows in ${(uploadMs / 1000).toFixed(1)} s; load ${loadDuring}`);
await runFloors(FLOORS_AFTER);
const [stored] = await q<{ n: number; audits: number }>(sql`select (select count(*)::int from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
  where s.month = ${first}::date) as n, (select count(*)::int from audit_log where entity = 'attendance_row' and action = 'upload') as audits`);

// The reading alone (readUpload, streaming) of the largest department file, apart from the upload.
const largest = files.reduce((a, f) => (f.rows > a.rows ? f : a));
(globalThis as { gc?: () => void }).gc?.();
const r0 = process.memoryUsage();
const readPeak = { heap: r0.heapUsed, rss: r0.rss };
const rh = setInterval(() => {
  const u = process.memoryUsage();
  readPeak.heap = Math.max(readPeak.heap, u.heapUsed);
  readPeak.rss = Math.max(readPeak.rss, u.rss);
}, 20);
const rp0 = performance.now();
const readRows = (await readUpload(largest.body)).rows.length.toLocaleString('en');
const readOneMs = performance.now() - rp0;
clearInterval(rh);

// ── Report ───────────────────────────────────────────────────────────────────────────────────
const floorCopyMed = median(floors.copy);
const floorInsMed = median(floors.insert);
console.log(
  `\n### Attendance at scale — ${database.engine}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n` +
    `Generated: ${rr.resources.toLocaleString('en')} resources; ${gen.rows.toLocaleString('en')} finalised attendance rows in ${gen.sheets.toLocaleString('en')} sheets ` +
    `over ${gen.months.length} months (${gen.months[0]} … ${gen.months.at(-1)}) in ${(gen.ms / 1000).toFixed(1)} s ` +
    `(per month median ${ms(median(gen.perMonthMs))}); attendance_rows ${sizes?.rows} + indexes ${sizes?.idx}. Masters, contracts and resources took ${(tgMasters / 1000).toFixed(0)} s.\n`,
);
console.log('| storage query | median (of 5; 20 for bar S4) | p95 | runs |\n| --- | --- | --- | --- |');
for (const s of storage) console.log(`| ${s.title} | ${ms(median(s.times))} | ${ms(pct(s.times, 95))} | ${s.times.map((x) => x.toFixed(0)).join(', ')} |`);
console.log(
  `\nDrop (archive) the oldest month, ${drop.rows} rows, in one transaction (rolled back): copy out ${ms(drop.archive!)}, delete rows and sheets ${ms(drop.delete!)}.\n`,
);
for (const s of storage) console.log(`Plan — ${s.title}:\n\`\`\`\n${s.plan}\n\`\`\``);
console.log(
  `\nBar S3 — ${saved.toLocaleString('en')} rows (${files.length} department .xlsx files as the template route writes them, filled; ${mb(fileBytes)}, ` +
    `${files.map((f) => f.rows).join(' + ')} rows; ${chosen.length} offices) uploaded one after the other over HTTP (POST …/departments/:id/months/:m/upload); stored rows ${stored?.n}, audit entries ${stored?.audits}. Load average (1/5/15 min) ${loadBefore} before, ${loadDuring} after the upload.\n`,
);
console.log('| | time | ÷ COPY floor | ÷ INSERT … SELECT floor |\n| --- | --- | --- | --- |');
console.log(`| floor: COPY FROM STDIN (median of ${floors.copy.length}) | ${copyWorks ? ms(floorCopyMed) : 'not on PGlite'} | 1 | |`);
console.log(`| floor: INSERT … SELECT from JSON (median of ${floors.insert.length}) | ${ms(floorInsMed)} | | 1 |`);
console.log(
  `| upload, ${files.length} department files (${perFile.map((x) => (x / 1000).toFixed(1)).join(', ')} s) | ${ms(uploadMs)} | ${copyWorks ? `${(uploadMs / floorCopyMed).toFixed(1)}×` : '—'} | ${(uploadMs / floorInsMed).toFixed(1)}× |`,
);
console.log(
  `\nMemory during the upload (whole process, PGlite's worker included): rss ${mb(mem.base.rss)} → peak ${mb(peak.rss)} (+${mb(peak.rss - mem.base.rss)}); ` +
    `heap ${mb(mem.base.heap)} → peak ${mb(peak.heap)} (+${mb(peak.heap - mem.base.heap)}).`,
);
console.log(
  `Reading alone the largest file — ${readRows} rows (${mb(largest.body.length)}; readUpload, streaming): ${ms(readOneMs)}; ` +
    `peak heap +${mb(readPeak.heap - r0.heapUsed)}, rss +${mb(readPeak.rss - r0.rss)}.\n`,
);
console.log(`Bar S5 — sampled every ${SAMPLE_MS} ms (one request fired per tick whether or not the previous answered):\n`);
console.log('| | requests | p50 | p99 | max | failures |\n| --- | --- | --- | --- | --- | --- |');
for (const [name, o] of [
  ['idle', idleOut],
  ['during the upload', busyOut],
] as const) {
  console.log(
    `| /api/health, ${name} | ${o.health.length} | ${ms(pct(o.health, 50))} | ${ms(pct(o.health, 99))} | ${ms(Math.max(...o.health))} | ${o.failures} |`,
  );
  console.log(
    `| finalised sheet (GET …/offices/${readOffice}/months/${gen.months.at(-1)}), ${name} | ${o.read.length} | ${ms(pct(o.read, 50))} | ${ms(pct(o.read, 99))} | ${ms(Math.max(...o.read))} | ${o.skipped} ticks skipped (one in flight) |`,
  );
}
await app.close();
await database.close();
if (tmp) rmSync(tmp, { recursive: true, force: true });
