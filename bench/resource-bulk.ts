// Issue 14 item 1: how long importing 5,000 rows by the bulk upload takes, against a floor measured
// in the same run: one INSERT … SELECT of the same 5,000 rows into the same table (`resources`,
// with all its indexes and checks), from a JSON recordset sent as one parameter — the cheapest a
// client can put those rows there without COPY's wire protocol (PGlite has no COPY FROM STDIN
// through drizzle; the same statement runs on both engines). Target: upload ≤ 3× the floor.
//   npx tsx bench/resource-bulk.ts                              (embedded PGlite, temporary directory)
//   DATABASE_URL=postgres://…/empty_db npx tsx bench/resource-bulk.ts   (PostgreSQL; migrates and seeds the demo)
// BENCH_ROWS (5000) and BENCH_RUNS (3) change the size. Not part of `npm test`.
// Each run uses a fresh file (new mobiles and accounts: the same rows would be refused as
// already added, the same file as already imported). Times: the dry run (read + check the whole
// file), the import (read + check + insert + audit, one transaction), through the real HTTP route
// (app.inject: multipart parsing included); the floor's rows are deleted again after each run.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { seedDemo } from '../server/db/seed/demo.ts';
import { readBulkWorkbook } from '../server/modules/resource/resource.bulk-read.ts';
import { recordAudits } from '../server/platform/audit/audit.service.ts';
import { readStrictWorkbook } from '../server/platform/tabular/tabular.ts';
import { verhoeffDigit } from '../shared/domain/aadhaar.ts';

const PASSWORD = 'Roams@Demo2026';
const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONTRACT_NO = 'FIN/CIF/2026/GEM-07';

const tmp = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'roams-bulk-bench-'));
const config = loadConfig({
  ROAMS_MODE: 'demo',
  SEED_DEMO: 'false',
  WEB_DIST: '/nonexistent',
  LOG_LEVEL: 'silent',
  DEMO_PASSWORD: PASSWORD,
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: tmp ?? undefined, poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
const seeded = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
if (seeded.rows[0]!.n === 0) await seedDemo(database.db, { password: PASSWORD, districtOfficeLimit: 3 });
const app = await buildApp({ database, config, logger: false });
await app.ready();

// A logged-in agency admin (cookies and the CSRF header, as the browser sends them).
const cookies: Record<string, string> = {};
async function call(opts: { method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  headers.cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  if (cookies.roams_csrf && opts.method !== 'GET') headers['x-csrf-token'] = cookies.roams_csrf;
  const res = await app.inject({ method: opts.method, url: opts.url, headers, payload: opts.payload as string });
  for (const c of res.cookies as { name: string; value: string }[]) cookies[c.name] = c.value;
  return res;
}
const login = await call({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agency_admin', password: PASSWORD } });
if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
cookies.roams_lang = 'en';
const contract = (await database.db.execute<{ id: number }>(sql`select id from contracts where contract_no = ${CONTRACT_NO}`)).rows[0]!;

const tpl = await call({ method: 'GET', url: `/api/v1/resources/bulk/template?contractId=${contract.id}` });
if (tpl.statusCode !== 200) throw new Error(`template: ${tpl.statusCode} ${tpl.body}`);

type Row = Record<string, string | Date>;
function rowsFor(run: number, withAadhaar: boolean): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < ROWS; i++) {
    const n = run * 100_000 + i;
    const partial = `8${String(Date.now() % 1e4).padStart(4, '0')}${String(n).padStart(6, '0')}`;
    out.push({
      nameEn: `Bench Worker ${n}`,
      nameHi: 'परीक्षण कर्मी',
      relation: 'Father',
      relativeName: 'Shri Bench',
      dob: new Date(Date.UTC(1980 + (i % 20), i % 12, 1 + (i % 28))),
      gender: i % 2 ? 'Female' : 'Male',
      mobile: `6${String(run).padStart(2, '0')}${String(i).padStart(7, '0')}`,
      address: `Ward ${i % 40}, Bhopal`,
      qualification: 'Graduate',
      bankAccount: `77${String(run).padStart(2, '0')}${String(i).padStart(8, '0')}`,
      ifsc: 'SBIN0001308',
      uan: '',
      esicIp: '',
      ...(withAadhaar ? { aadhaar: partial + verhoeffDigit(partial) } : {}),
    });
  }
  return out;
}

async function fileOf(rows: Row[]): Promise<{ file: Buffer; post: string }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('resources')!;
  const heads = (ws.getRow(1).values as string[]).slice(1);
  const post = wb.getWorksheet('lists')!.getCell('A2').value as string;
  const keys = [
    'nameEn',
    'nameHi',
    'relation',
    'relativeName',
    'dob',
    'gender',
    'mobile',
    'address',
    'qualification',
    'post',
    'bankAccount',
    'ifsc',
    'uan',
    'esicIp',
    'aadhaar',
  ];
  if (heads.length !== keys.length) throw new Error('template columns changed');
  rows.forEach((r, i) => {
    keys.forEach((k, j) => {
      const v = k === 'post' ? post : r[k];
      if (v !== undefined && v !== '') ws.getCell(i + 2, j + 1).value = v;
    });
  });
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), post };
}

function multipart(file: Buffer) {
  const boundary = `----bench${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(file: Buffer, dryRun: boolean) {
  const m = multipart(file);
  const t0 = performance.now();
  const res = await call({ method: 'POST', url: `/api/v1/resources/bulk?contractId=${contract.id}&dryRun=${dryRun}`, payload: m.payload, headers: m.headers });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`upload: ${res.statusCode} ${res.body.slice(0, 500)}`);
  const r = res.json() as { good: number; created: number; errors: unknown[] };
  if (r.errors.length) throw new Error(`bench rows refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
  return { ms, good: r.good, created: r.created };
}

/** The floor: the same rows into `resources` by one INSERT … SELECT from a JSON recordset; deleted after. */
async function floor(rows: Row[]): Promise<number> {
  const ids = (
    await database.db.execute<{ agency_id: number; department_id: number; office_id: number; skill_level_id: number; post_name_id: number }>(sql`
      select c.agency_id, c.department_id, c.office_id, p.skill_level_id, p.post_name_id
        from contracts c join contract_versions v on v.contract_id = c.id and v.state = 'in_force'
        join contract_posts p on p.version_id = v.id where c.id = ${contract.id} limit 1`)
  ).rows[0]!;
  const json = JSON.stringify(
    rows.map((r) => ({
      ...r,
      nameEn: `${r.nameEn} floor`,
      dob: (r.dob as Date).toISOString().slice(0, 10),
      relation: 'father',
      gender: r.gender === 'Male' ? 'M' : 'F',
      qualification: 'graduate',
    })),
  );
  const t0 = performance.now();
  await database.db.execute(sql`
    insert into resources (agency_id, contract_id, department_id, contract_office_id, skill_level_id, post_name_id, name_en, name_hi, relation, relative_name,
                           dob, gender, mobile, address, qualification, bank_account, ifsc, uan, esic_ip, status, created_at, updated_at)
    select ${ids.agency_id}, ${contract.id}, ${ids.department_id}, ${ids.office_id}, ${ids.skill_level_id}, ${ids.post_name_id}, x."nameEn", x."nameHi", x.relation, x."relativeName",
           x.dob::date, x.gender, x.mobile, x.address, x.qualification, x."bankAccount", x.ifsc, x.uan, x."esicIp", 'draft', now(), now()
      from json_to_recordset(${json}::json) as x("nameEn" text, "nameHi" text, relation text, "relativeName" text, dob text, gender text, mobile text,
                                                 address text, qualification text, "bankAccount" text, ifsc text, uan text, "esicIp" text)`);
  const ms = performance.now() - t0;
  await database.db.execute(sql`delete from resources where contract_id = ${contract.id} and name_en like 'Bench Worker % floor'`);
  return ms;
}

/**
 * The two parts this bench's changes replaced, old and new side by side in the same run (the
 * machine is shared: only same-run comparisons hold): 5,000 audit entries shaped like the
 * import's by the per-row trigger (the old `recordAudits` statement) and by `audit_append`
 * (migration 0023), each in a transaction rolled back; and the workbook read by the
 * whole-workbook reader and by the streaming one.
 */
async function parts(rows: Row[], file: Buffer) {
  const rowsJson = rows.map((r, i) => ({
    actor_user_id: 1,
    actor_name: 'Bench',
    assignment_id: 1,
    role: 'agency_admin',
    ip: '127.0.0.1',
    entity: 'resource',
    entity_id: String(900_000_000 + i),
    action: 'create',
    department_id: 1,
    before: null,
    after: { ...r, bankAccount: 'XXXXXX1234', contractId: contract.id, batchId: 1, row: i + 2 },
  }));
  const rolledBack = async (fn: (tx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) => Promise<unknown>) => {
    let ms = 0;
    await database.db
      .transaction(async (tx) => {
        const t0 = performance.now();
        await fn(tx);
        ms = performance.now() - t0;
        throw new Error('roll back');
      })
      .catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
    return ms;
  };
  const auditOld = await rolledBack((tx) =>
    tx.execute(sql`
      insert into audit_log (actor_user_id, actor_name, assignment_id, role, ip, entity, entity_id, action, department_id, before, after)
      select x.actor_user_id, x.actor_name, x.assignment_id, x.role, x.ip, x.entity, x.entity_id, x.action, x.department_id, x.before, x.after
        from json_to_recordset(${JSON.stringify(rowsJson)}::json) as x(actor_user_id int, actor_name text, assignment_id int, role text, ip text,
             entity text, entity_id text, action text, department_id int, before jsonb, after jsonb)`),
  );
  const actor = { userId: 1, name: 'Bench', assignmentId: 1, role: 'agency_admin' as const, scopeKind: 'agency' as const, scopeId: 1 };
  const auditNew = await rolledBack((tx) =>
    recordAudits(
      tx,
      { actor, ip: '127.0.0.1' },
      rowsJson.map((e) => ({ entity: e.entity, entityId: e.entity_id, action: e.action, departmentId: 1, after: e.after })),
    ),
  );
  const t0 = performance.now();
  await readStrictWorkbook(file, ['resources', 'instructions', 'lists']);
  const readOld = performance.now() - t0;
  return { auditOld, auditNew, readOld };
}

const load = () => loadavg()[0]!.toFixed(1);
const loadAtStart = load();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
type Parts = Awaited<ReturnType<typeof parts>>;
const results: Record<string, { dry: number[]; imp: number[]; floor: number[]; parse: number[]; parts: Parts[]; bytes: number }> = {};
let run = 0;
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'plain,aadhaar').split(',');
for (const variant of ['without Aadhaar', 'with Aadhaar (vault)'] as const) {
  if (!VARIANTS.includes(variant === 'without Aadhaar' ? 'plain' : 'aadhaar')) continue;
  const r = { dry: [] as number[], imp: [] as number[], floor: [] as number[], parse: [] as number[], parts: [] as Parts[], bytes: 0 };
  for (let i = 0; i < RUNS; i++) {
    run += 1;
    const rows = rowsFor(run, variant !== 'without Aadhaar');
    const { file } = await fileOf(rows);
    r.bytes = file.length;
    r.floor.push(await floor(rows));
    // The file's reading alone (exceljs, as the upload reads it), the part of the upload that is not the database's.
    const p0 = performance.now();
    await readBulkWorkbook(file, ['resources', 'instructions', 'lists']);
    r.parse.push(performance.now() - p0);
    const dry = await upload(file, true);
    const imp = await upload(file, false);
    if (dry.good !== ROWS || imp.created !== ROWS) throw new Error(`expected ${ROWS} rows, got ${dry.good} / ${imp.created}`);
    r.dry.push(dry.ms);
    r.imp.push(imp.ms);
    const p = await parts(rows, file);
    r.parts.push(p);
    console.log(
      `${variant} run ${i + 1} (load ${load()}): floor ${r.floor.at(-1)!.toFixed(0)} ms, reading ${r.parse.at(-1)!.toFixed(0)} ms, dry run ${dry.ms.toFixed(0)} ms, import ${imp.ms.toFixed(0)} ms; ` +
        `audit 5,000 per row ${p.auditOld.toFixed(0)} ms / audit_append ${p.auditNew.toFixed(0)} ms; whole-workbook reading ${p.readOld.toFixed(0)} ms`,
    );
  }
  results[variant] = r;
}

console.log(
  `\nResource bulk upload — ${database.engine}, ${ROWS} rows, median of ${RUNS} runs (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; load average (1 min) ${loadAtStart} at start, ${load()} at end)`,
);
console.log('| variant | file | floor (INSERT … SELECT) | reading the file | dry run | import | import ÷ floor | import − reading, ÷ floor |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [v, r] of Object.entries(results)) {
  const f = median(r.floor);
  const imp = median(r.imp);
  const rd = median(r.parse);
  console.log(
    `| ${v} | ${(r.bytes / 1024).toFixed(0)} KB | ${f.toFixed(0)} ms | ${rd.toFixed(0)} ms | ${median(r.dry).toFixed(0)} ms | ${imp.toFixed(0)} ms | ${(imp / f).toFixed(1)}× | ${((imp - rd) / f).toFixed(1)}× |`,
  );
}
console.log('\n| variant | audit, 5,000 by the row trigger (old) | audit_append (0023) | reading, whole workbook (old) | reading, streaming |');
console.log('| --- | --- | --- | --- | --- |');
for (const [v, r] of Object.entries(results)) {
  const m = (k: keyof Parts) => median(r.parts.map((p) => p[k])).toFixed(0);
  console.log(`| ${v} | ${m('auditOld')} ms | ${m('auditNew')} ms | ${m('readOld')} ms | ${median(r.parse).toFixed(0)} ms |`);
}
await app.close();
await database.close();
if (tmp) rmSync(tmp, { recursive: true, force: true });
