// `npm run bench`: the state-scale HTTP benchmarks (spec 11, "Speed and scale").
//
// Starts bench/target.ts in a child process (PGlite in a temporary data directory, or a fresh
// `roams_bench` database on the PostgreSQL server named by BENCH_DATABASE_URL), which generates
// the state-scale organisation masters and serves ROAMS next to a bare Fastify floor. Then,
// from this process, autocannon loads each scenario for BENCH_SECONDS, in BENCH_ROUNDS rounds;
// every round measures the floor again, so ratios compare figures taken minutes apart at most.
// Prints the medians and ratios and writes them into bench/RESULTS.md (the block for this
// engine only; the rest of the file is hand-written).
//
// Environment: BENCH_DATABASE_URL, BENCH_DATABASE_NAME (default roams_bench), BENCH_SECONDS (5),
// BENCH_ROUNDS (5), BENCH_WARMUP (2), BENCH_CONNECTIONS (50), BENCH_LOGIN_CONNECTIONS (10), BENCH_SESSIONS (10),
// BENCH_POOL_SIZE (10, PostgreSQL only), BENCH_OFFICES / BENCH_DDO_CODES / BENCH_DEPARTMENTS / BENCH_USERS (scale), BENCH_RESULTS
// (the file to write; `-` for none).
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { CONTRACT_SCALE } from './generate-contracts.ts';
import { RESOURCE_SCALE } from './generate-resources.ts';
import { BENCH_PASSWORD, type GenerateOptions, STATE_SCALE } from './generate.ts';
import type { TargetReady } from './target.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const num = (name: string, dflt: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};
const SECONDS = num('BENCH_SECONDS', 5);
const ROUNDS = Math.round(num('BENCH_ROUNDS', 5));
const WARMUP = num('BENCH_WARMUP', 2);
const CONNECTIONS = Math.round(num('BENCH_CONNECTIONS', 50));
/** argon2id-bound scenarios (login and its floor): 50 concurrent logins on 2 cores queue for many seconds, past the window. */
const LOGIN_CONNECTIONS = Math.round(num('BENCH_LOGIN_CONNECTIONS', 10));
/** Sessions the read scenarios cycle through, request by request: 50 connections are not one person's browser. */
const SESSIONS = Math.round(num('BENCH_SESSIONS', 10));
const serverUrl = process.env.BENCH_DATABASE_URL || '';
const dbName = process.env.BENCH_DATABASE_NAME || 'roams_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error('BENCH_DATABASE_NAME must be a plain lower-case identifier');
const scale: GenerateOptions = {
  offices: num('BENCH_OFFICES', STATE_SCALE.offices),
  ddoCodes: num('BENCH_DDO_CODES', STATE_SCALE.ddoCodes),
  departments: num('BENCH_DEPARTMENTS', STATE_SCALE.departments),
  users: num('BENCH_USERS', STATE_SCALE.users),
};
const contractScale = { agencies: num('BENCH_AGENCIES', CONTRACT_SCALE.agencies), contracts: num('BENCH_CONTRACTS', CONTRACT_SCALE.contracts) };
const resultsFile = process.env.BENCH_RESULTS ?? path.join(here, 'RESULTS.md');
const TAG = process.env.BENCH_TAG ?? '';
if (TAG && !/^[a-z0-9-]+$/.test(TAG)) throw new Error('BENCH_TAG must be lower-case letters, digits and hyphens');
/** Only these scenarios (comma-separated keys; the two floors always run): for profiling and quick before/after checks. */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
/**
 * Resources to generate (issue 14: 200,000; 0 for none). Skipped when BENCH_ONLY names no
 * resource scenario (`res_…`): generating them takes a minute or two that those runs do not need.
 */
const RESOURCES =
  ONLY.length && !ONLY.some((k) => k.startsWith('res_'))
    ? 0
    : process.env.BENCH_RESOURCES === '0'
      ? 0
      : Math.round(num('BENCH_RESOURCES', RESOURCE_SCALE.resources));
/**
 * Audit entries to generate before the run (bench/generate-audit.ts): a state's trail grows by
 * about ten million a year. Default a million on a PostgreSQL server, 250,000 on PGlite (whose
 * chaining is slower); 0 for none. Skipped when BENCH_ONLY names no audit scenario.
 */
const AUDIT =
  ONLY.length && !ONLY.some((k) => k.startsWith('audit'))
    ? 0
    : process.env.BENCH_AUDIT === '0'
      ? 0
      : Math.round(num('BENCH_AUDIT', serverUrl ? 1_000_000 : 250_000));
/** A directory: the server process runs with `--cpu-prof` and writes its profile there when it stops. */
const CPU_PROF = process.env.BENCH_CPU_PROF ?? '';

type Scenario = {
  key: string;
  title: string;
  /** Whether this is the floor the others are compared to. */
  floor?: boolean;
  /** The partial floor that bounds this scenario (the DB round trip, or argon2id for login). */
  partial?: string;
  /**
   * How bar S1 judges it: `read` (a list or search: p99 < 100 ms and ≥ 30 % of floor_db), `write`
   * (contract registration: p99 < 100 ms), `mixed` (the mix S1 names: both). None: not judged.
   */
  s1?: 'read' | 'write' | 'mixed';
  /** The status every answer must have when it is not 2xx (a refusal measured on purpose). */
  expectStatus?: number;
  opts: () => autocannon.Options;
};

type Figures = {
  rps: number;
  p50: number;
  p975: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function figuresOf(r: autocannon.Result): Figures {
  const statuses: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = v.count ?? 0;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p975: r.latency.p97_5,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses,
  };
}

/**
 * autocannon stops sending at the end of its window but the server still works through what is
 * in flight (50 argon2 logins queued on one PGlite connection take seconds). Before the next
 * scenario starts, wait until a health check — `select 1` queued behind that work in the same
 * pool — answers quickly twice in a row, so one scenario's backlog is not charged to the next.
 */
async function drain(app: string) {
  for (let quick = 0, i = 0; quick < 2 && i < 300; i++) {
    const t = performance.now();
    await fetch(`${app}/api/health`).then((r) => r.arrayBuffer());
    quick = performance.now() - t < 50 ? quick + 1 : 0;
    if (quick < 2) await new Promise((r) => setTimeout(r, 100));
  }
}

/** A scenario whose every answer should be one refusal: those count as its successes, anything else as non-2xx. */
function expected(f: Figures, status?: number): Figures {
  if (!status) return f;
  const ok = f.statuses[String(status)] ?? 0;
  const all = Object.values(f.statuses).reduce((a, n) => a + n, 0);
  return { ...f, ok, non2xx: all - ok };
}

let drainUrl = '';
async function cannon(opts: autocannon.Options, seconds: number): Promise<Figures> {
  const r = await autocannon({ connections: CONNECTIONS, ...opts, duration: seconds });
  if (drainUrl) await drain(drainUrl);
  return figuresOf(r);
}

/** Recreates the bench database on the server and returns its URL. */
async function freshServerDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}

function startTarget(env: Record<string, string>): { child: ChildProcess; ready: Promise<TargetReady> } {
  const execArgv = CPU_PROF ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : process.execArgv;
  const child = fork(path.join(here, 'target.ts'), [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<TargetReady>((resolve, reject) => {
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') resolve(m as TargetReady);
      if (m.type === 'error') reject(new Error(`target failed: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`target exited (${code}) before it was ready`)));
  });
  return { child, ready };
}

async function stopTarget(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  await Promise.race([stopped, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function loginCookie(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`bench admin login failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return cookies.join('; ');
}

async function getJson(url: string, cookie: string): Promise<{ status: number; body: unknown; ms: number }> {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - t };
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const started = new Date();
  const load0 = os.loadavg();
  let dataDir: string | null = null;
  const env: Record<string, string> = {
    BENCH_SCALE: JSON.stringify(scale),
    BENCH_CONTRACT_SCALE: JSON.stringify(contractScale),
    BENCH_RESOURCE_SCALE: String(RESOURCES),
    BENCH_AUDIT_SCALE: String(AUDIT),
  };
  if (serverUrl) env.BENCH_DATABASE_URL = await freshServerDatabase();
  else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'roams-bench-'));
    env.BENCH_DATA_DIR = dataDir;
    env.BENCH_DATABASE_URL = '';
  }
  console.log(
    `ROAMS bench: ${serverUrl ? `PostgreSQL (${dbName})` : `PGlite in ${dataDir}`}; generating ${scale.offices} offices, ${scale.ddoCodes} DDO codes, ${scale.users} users…`,
  );

  const { child, ready } = startTarget(env);
  const cleanup = async () => {
    await stopTarget(child);
    if (dataDir && !process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`PGlite data directory kept: ${dataDir} (bench/start.ts measures a start on it)`);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const t = await ready;
    const r = t.report;
    const cr = t.contractsReport;
    console.log(
      `dataset ready: ${Object.entries(r.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )} in ${(r.ms / 1000).toFixed(1)} s (open ${t.openMs} ms, migrate ${t.migrateMs} ms); agencies ${cr.agencies}, contracts ${cr.contracts} (${cr.contractPosts} post lines, ${cr.sanctionPostOffices} sanctioned office lines) in ${(cr.ms / 1000).toFixed(1)} s`,
    );

    const app = `http://127.0.0.1:${t.appPort}`;
    const floor = `http://127.0.0.1:${t.floorPort}`;
    // Several sessions of the bench admin (each login is a new session; none revokes another),
    // used in turn by the read scenarios.
    const sessionCookies: string[] = [];
    for (let i = 0; i < SESSIONS; i++) sessionCookies.push(await loginCookie(app, r.adminUsername));
    const cookie = sessionCookies[0]!;
    // The audit search is Finance's and the auditors' (audit.read), not the office admin's.
    const financeCookie = await loginCookie(app, r.financeUsername);
    let turn = 0;
    const withSession = (req: autocannon.Request, path: string): autocannon.Request => ({
      ...req,
      path,
      headers: { ...req.headers, cookie: sessionCookies[turn++ % sessionCookies.length]! },
    });
    drainUrl = app;

    // What each request returns, checked once before the load: a list route answering 200 with
    // nothing in it would make a fine-looking but meaningless figure.
    const districtWords = ['Bhopal', 'Indore', 'Jabalpur', 'Gwalior', 'Sagar', 'Rewa', 'Ujjain', 'Satna'];
    const listUrl = (officeId: number, q = '') =>
      `/api/v1/office-users?officeId=${officeId}&page=1&pageSize=25&status=current${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    const probes = {
      list: await getJson(app + listUrl(r.largeOfficeIds[0]!), cookie),
      search: await getJson(app + listUrl(r.largeOfficeIds[0]!, r.commonSurname.toLowerCase()), cookie),
      offices: await getJson(`${app}/api/v1/office-users/offices?q=${districtWords[0]}`, cookie),
    };
    for (const [k, p] of Object.entries(probes)) {
      const b = p.body as { items?: unknown[]; total?: number };
      if (p.status !== 200 || !b.items?.length) throw new Error(`probe ${k} answered ${p.status}: ${JSON.stringify(p.body).slice(0, 300)}`);
    }
    const listTotal = (probes.list.body as { total: number }).total;
    const searchTotal = (probes.search.body as { total: number }).total;
    const officeHits = (probes.offices.body as { items: unknown[] }).items.length;
    console.log(
      `probes: list of office ${r.largeOfficeIds[0]} → ${listTotal} users (${fmt(probes.list.ms)} ms cold); search "${r.commonSurname.toLowerCase()}" → ${searchTotal}; office picker "${districtWords[0]}" → ${officeHits} offices`,
    );

    // Contracts (issue 4): the state-scope list of all contracts, a search, and registration of
    // a draft contract by department managers (every check of the service runs: agency, DDO,
    // budget line, minimum wage, sanctioned capacity). Department managers with one assignment
    // each (generated users 5-10, 25-30: see generateOrgMasters) register for their own office.
    // The list as the page opens it: newest registered first (ContractsPage's default sort). Until
    // 2026-12-07 the bench asked for sort=contractDate, which had an index the page's own order
    // lacked (migration 0057; bench/RESULTS.md).
    const contractListUrl = (q = '') => `/api/v1/contracts?page=1&pageSize=25&sort=createdAt&dir=desc${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    const contractProbe = await getJson(app + contractListUrl(), cookie);
    const contractTotal = (contractProbe.body as { total?: number }).total ?? 0;
    if (contractProbe.status !== 200 || contractTotal < 1)
      throw new Error(`probe contracts answered ${contractProbe.status}: ${JSON.stringify(contractProbe.body).slice(0, 300)}`);
    const contractSearch = 'Agency 0012';
    const searchProbe = await getJson(app + contractListUrl(contractSearch), cookie);
    if (searchProbe.status !== 200 || !((searchProbe.body as { total?: number }).total ?? 0))
      throw new Error(`probe contract search answered ${searchProbe.status}: ${JSON.stringify(searchProbe.body).slice(0, 300)}`);
    type Registrar = { cookie: string; csrf: string; body: Record<string, unknown> };
    const registrars: Registrar[] = [];
    for (const i of [5, 6, 7, 8, 9, 25, 26, 27, 28, 29]) {
      const username = `bench${String(i).padStart(5, '0')}`;
      const c = await loginCookie(app, username);
      const csrf = /roams_csrf=([^;]+)/.exec(c)?.[1] ?? '';
      const opt = await getJson(`${app}/api/v1/contracts/options`, c);
      const o = opt.body as {
        offices: { id: number }[];
        agencies: { id: number; contractable: boolean }[];
        ddoCodes: { id: number }[];
        budgetLines: { id: number }[];
        capacity: { officeId: number; skillLevelId: number; postNameId: number; sanctioned: number; covered: number }[];
      };
      const line = o.capacity?.find((x) => x.sanctioned - x.covered >= 1);
      const agency = o.agencies?.find((a) => a.contractable);
      if (opt.status !== 200 || !line || !agency || !o.ddoCodes?.length || !o.budgetLines?.length)
        throw new Error(`registration options for ${username} answered ${opt.status}: ${JSON.stringify(opt.body).slice(0, 400)}`);
      registrars.push({
        cookie: c,
        csrf,
        body: {
          contractDate: '2026-11-01',
          agencyId: agency.id,
          procurementMode: 'gem',
          gemBidNo: 'GEM/2026/B/7000001',
          officeId: line.officeId,
          startDate: '2026-12-01',
          endDate: '2027-11-30',
          ddoCodeId: o.ddoCodes[0]!.id,
          budgetLineIds: [o.budgetLines[0]!.id],
          paymentMode: 'through_agency',
          wageBasis: 'monthly',
          serviceChargeBp: 385,
          epfMode: 'capped',
          esicApplies: true,
          bonusBp: 833,
          remark: '',
          posts: [
            { officeId: line.officeId, skillLevelId: line.skillLevelId, postNameId: line.postNameId, positions: 1, basicPaise: 1_300_000, vdaPaise: 257_500 },
          ],
        },
      });
    }
    let registered = 0;
    const registerRequest = (req: autocannon.Request): autocannon.Request => {
      const n = registered++;
      const who = registrars[n % registrars.length]!;
      return {
        ...req,
        headers: { ...req.headers, 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf },
        body: JSON.stringify({ ...who.body, contractNo: `BENCH-REG/${process.pid}/${n}`, gemContractNo: `GEMC-9${String(n).padStart(15, '0')}` }),
      };
    };
    console.log(
      `probes: contracts list → ${contractTotal} contracts (${fmt(contractProbe.ms)} ms cold); search "${contractSearch}" → ${(searchProbe.body as { total: number }).total}; ${registrars.length} department managers ready to register`,
    );

    // Sanction orders, agencies and the audit search (issue 13 item 2): page 1 of each list as its
    // page first asks for it; the audit search by a state-scope Finance administrator.
    const ordersUrl = '/api/v1/sanction-orders?page=1&pageSize=25';
    const agenciesUrl = '/api/v1/agencies?page=1&pageSize=25';
    // What the audit page sends: page 1 of the whole trail as it opens, a login id in "User ID" (a
    // generated user's entries and logins), a kind and an action. (Until 2026-12-07 the scenario
    // `audit` searched free text, q="Bench State", which read the whole trail; the API no longer
    // offers it — bench/RESULTS.md "Audit trail at scale".)
    const auditPageUrl = '/api/v1/audit?page=1&pageSize=25';
    const auditUserUrl = '/api/v1/audit?page=1&pageSize=25&username=bench00032';
    const auditKindUrl = '/api/v1/audit?page=1&pageSize=25&entity=contract&action=create';
    const more = {
      orders: await getJson(app + ordersUrl, cookie),
      agencies: await getJson(app + agenciesUrl, cookie),
      auditPage: await getJson(app + auditPageUrl, financeCookie),
      auditUser: await getJson(app + auditUserUrl, financeCookie),
      auditKind: await getJson(app + auditKindUrl, financeCookie),
    };
    for (const [k, p] of Object.entries(more)) {
      const b = p.body as { items?: unknown[]; total?: number };
      // A user's and a kind's entries exist only when the trail was generated (AUDIT > 0: some
      // audit scenario was asked for); the run's own entries fill the page either way.
      const empty = !b.items?.length && !(AUDIT === 0 && (k === 'auditUser' || k === 'auditKind'));
      if (p.status !== 200 || empty) throw new Error(`probe ${k} answered ${p.status}: ${JSON.stringify(p.body).slice(0, 300)}`);
    }
    const totalOf = (p: { body: unknown }) => (p.body as { total: number }).total;
    const capped = (p: { body: unknown }) => (p.body as { totalCapped?: boolean }).totalCapped === true;
    console.log(`probes: sanction orders → ${totalOf(more.orders)}; agencies → ${totalOf(more.agencies)}; audit trail → ${totalOf(more.auditPage)} entries`);

    // The mixed scenario (bar S1 names "a mix of real read and write routes"): of every 20
    // requests, 5 office-users pages, 1 office-users search, 3 office pickers, 4 contract pages,
    // 1 contract search, 2 sanction-order pages, 2 agency pages, 1 user's audit trail and 1 contract
    // registration (5 % writes), in that order, cycling.
    const MIX: string[] = [
      'list',
      'offices',
      'contracts',
      'orders',
      'list',
      'agencies',
      'contracts',
      'offices',
      'list_search',
      'contract_reg',
      'list',
      'contracts',
      'audit_user',
      'offices',
      'list',
      'orders',
      'contracts_q',
      'agencies',
      'contracts',
      'list',
    ];
    let mixTurn = 0;
    const mixedRequest = (req: autocannon.Request): autocannon.Request => {
      const k = MIX[mixTurn++ % MIX.length]!;
      const get = (path: string, c?: string) => ({
        ...withSession({ ...req, method: 'GET', body: undefined }, path),
        ...(c ? { headers: { ...req.headers, cookie: c } } : {}),
      });
      switch (k) {
        case 'list':
          return get(listUrl(large[pick++ % large.length]!));
        case 'list_search':
          return get(listUrl(large[pick++ % large.length]!, r.commonSurname.toLowerCase()));
        case 'offices':
          return get(`/api/v1/office-users/offices?q=${districtWords[pick++ % districtWords.length]}`);
        case 'contracts':
          return get(contractListUrl());
        case 'contracts_q':
          return get(contractListUrl(contractSearch));
        case 'orders':
          return get(ordersUrl);
        case 'agencies':
          return get(agenciesUrl);
        case 'audit_user':
          return get(auditUserUrl, financeCookie);
        default:
          return { ...registerRequest({ ...req, method: 'POST' }), method: 'POST', path: '/api/v1/contracts' };
      }
    };
    // Resources (issue 14): the list as an agency (the 10 agencies with the most resources, one
    // admin each), as a department-scope auditor (the department with the most), and as the
    // state-scope admin; searches the list's box offers (name, mobile, the Aadhaar's last four);
    // the worker page; and the duplicate-Aadhaar refusal (a number an approved resource holds,
    // entered on a consented draft of another: 409 every time, nothing saved).
    const rr = t.resourcesReport;
    const resourceScenarios: Scenario[] = [];
    if (rr) {
      const agencyCookies: string[] = [];
      for (const u of rr.agencyUsernames) agencyCookies.push(await loginCookie(app, u));
      const deptCookies: string[] = [];
      for (let i = 0; i < SESSIONS; i++) deptCookies.push(await loginCookie(app, rr.departmentUsername));
      let ra = 0;
      let rd = 0;
      const asAgency = (req: autocannon.Request, p: string): autocannon.Request => ({
        ...req,
        path: p,
        headers: { ...req.headers, cookie: agencyCookies[ra++ % agencyCookies.length]! },
      });
      const asDept = (req: autocannon.Request, p: string): autocannon.Request => ({
        ...req,
        path: p,
        headers: { ...req.headers, cookie: deptCookies[rd++ % deptCookies.length]! },
      });
      const resUrl = (q = '') => `/api/v1/resources?sort=createdAt&dir=desc&page=1&pageSize=25${q ? `&q=${encodeURIComponent(q)}` : ''}`;
      const name = rr.commonSurname.toLowerCase();
      const totals: Record<string, number> = {};
      // Lists counted to their cap (RESOURCE_COUNT_CAP): the title says so.
      const cappedTotals = new Set<string>();
      const resProbes: [string, string, string][] = [
        ['res_agency', agencyCookies[0]!, resUrl()],
        ['res_agency_q', agencyCookies[0]!, resUrl(name)],
        ['res_dept', deptCookies[0]!, resUrl()],
        ['res_dept_name', deptCookies[0]!, resUrl(name)],
        ['res_dept_short', deptCookies[0]!, resUrl(name.slice(0, 2))],
        ['res_dept_mobile', deptCookies[0]!, resUrl(rr.sampleMobile)],
        ['res_dept_last4', deptCookies[0]!, resUrl(rr.sampleLast4)],
        ['res_state', cookie, resUrl()],
      ];
      for (const [k, c, u] of resProbes) {
        const p = await getJson(app + u, c);
        const b = p.body as { items?: unknown[]; total?: number; totalCapped?: boolean };
        if (p.status !== 200 || !b.items?.length) throw new Error(`probe ${k} answered ${p.status}: ${JSON.stringify(p.body).slice(0, 300)}`);
        totals[k] = b.total ?? 0;
        if (b.totalCapped) cappedTotals.add(k);
        console.log(`probe ${k}: ${u} → ${b.total} (${fmt(p.ms)} ms cold)`);
      }
      const worker = await getJson(`${app}/api/v1/resources/${rr.sampleIds[0]}`, deptCookies[0]!);
      if (worker.status !== 200) throw new Error(`probe res_worker answered ${worker.status}`);
      const dupCookie = agencyCookies[0]!;
      const dupCsrf = /roams_csrf=([^;]+)/.exec(dupCookie)?.[1] ?? '';
      const dupBody = JSON.stringify({ aadhaar: rr.heldAadhaar });
      const dupIds = rr.consentedDraftIds;
      if (!dupIds.length) throw new Error('no consented draft for the duplicate-Aadhaar scenario');
      const dupRes = await fetch(`${app}/api/v1/resources/${dupIds[0]}/kyc/aadhaar`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: dupCookie, 'x-csrf-token': dupCsrf },
        body: dupBody,
      });
      const dupJson = (await dupRes.json()) as { code?: string };
      if (dupRes.status !== 409 || dupJson.code !== 'aadhaar_already_deployed')
        throw new Error(`probe res_dup answered ${dupRes.status}: ${JSON.stringify(dupJson).slice(0, 300)}`);
      let dn = 0;
      const agencyN = rr.agencyResources;
      resourceScenarios.push(
        {
          key: 'res_agency',
          partial: 'floor_db',
          title: `GET /api/v1/resources page 1, agency scope (10 agencies, ${int(Math.min(...agencyN))}–${int(Math.max(...agencyN))} resources each)`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asAgency(req, resUrl()) }] }),
        },
        {
          key: 'res_agency_q',
          partial: 'floor_db',
          title: `GET /api/v1/resources, agency scope, search "${name}"`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asAgency(req, resUrl(name)) }] }),
        },
        {
          key: 'res_dept',
          partial: 'floor_db',
          title: `GET /api/v1/resources page 1, department scope (${int(totals.res_dept!)} resources)`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asDept(req, resUrl()) }] }),
        },
        {
          key: 'res_dept_name',
          partial: 'floor_db',
          title: `GET /api/v1/resources, department scope, search "${name}" (${int(totals.res_dept_name!)} found)`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asDept(req, resUrl(name)) }] }),
        },
        {
          // Two letters have no trigram: pg_trgm would read each trigram index whole (345 ms a
          // request before d58f911); the search filters the department's rows instead.
          key: 'res_dept_short',
          partial: 'floor_db',
          title: `GET /api/v1/resources, department scope, search "${name.slice(0, 2)}" (two letters; ${int(totals.res_dept_short!)} found)`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asDept(req, resUrl(name.slice(0, 2))) }] }),
        },
        {
          key: 'res_dept_mobile',
          partial: 'floor_db',
          title: `GET /api/v1/resources, department scope, search a full mobile number (${int(totals.res_dept_mobile!)} found)`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asDept(req, resUrl(rr.sampleMobile)) }] }),
        },
        {
          key: 'res_dept_last4',
          partial: 'floor_db',
          title: `GET /api/v1/resources, department scope, search 4 digits (Aadhaar last four or part of a mobile; ${int(totals.res_dept_last4!)} found)`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => asDept(req, resUrl(rr.sampleLast4)) }] }),
        },
        {
          key: 'res_state',
          partial: 'floor_db',
          title: `GET /api/v1/resources page 1, state scope (all ${int(rr.resources)}${cappedTotals.has('res_state') ? `, counted to ${int(totals.res_state!)}` : ''})`,
          opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => withSession(req, resUrl()) }] }),
        },
        {
          key: 'res_worker',
          partial: 'floor_db',
          title: 'GET /api/v1/resources/:id, the worker page (department scope, 50 workers in turn)',
          opts: () => ({
            url: app,
            requests: [{ method: 'GET', setupRequest: (req) => asDept(req, `/api/v1/resources/${rr.sampleIds[dn++ % rr.sampleIds.length]}`) }],
          }),
        },
        {
          key: 'res_dup',
          partial: 'floor_db',
          expectStatus: 409,
          title: `POST /api/v1/resources/:id/kyc/aadhaar with a number an approved resource holds → 409 aadhaar_already_deployed (vault look-up, unique index; ${dupIds.length} drafts in turn)`,
          opts: () => ({
            url: app,
            requests: [
              {
                method: 'POST',
                setupRequest: (req) => ({
                  ...req,
                  path: `/api/v1/resources/${dupIds[dn++ % dupIds.length]}/kyc/aadhaar`,
                  headers: { ...req.headers, 'content-type': 'application/json', cookie: dupCookie, 'x-csrf-token': dupCsrf },
                  body: dupBody,
                }),
              },
            ],
          }),
        },
      );
    }

    let logins = 0;
    const users = r.loginUsernames;
    const nextUsername = () => users[logins++ % users.length]!;
    let pick = 0;
    const large = r.largeOfficeIds;
    const allScenarios: Scenario[] = [
      { key: 'floor', title: 'bare Fastify `GET /ok` → {ok:true}', floor: true, opts: () => ({ url: `${floor}/ok` }) },
      { key: 'floor_db', title: "bare Fastify, `select 1` through the app's pool", opts: () => ({ url: `${floor}/db` }) },
      {
        key: 'floor_argon2',
        title: `bare Fastify, one argon2id verification (19 MiB, t=2); ${LOGIN_CONNECTIONS} connections`,
        opts: () => ({ url: `${floor}/argon2`, connections: LOGIN_CONNECTIONS }),
      },
      {
        key: 'login',
        partial: 'floor_argon2',
        title: `POST /api/v1/auth/login, a different user each request; ${LOGIN_CONNECTIONS} connections`,
        opts: () => ({
          url: app,
          connections: LOGIN_CONNECTIONS,
          requests: [
            {
              method: 'POST',
              path: '/api/v1/auth/login',
              headers: { 'content-type': 'application/json' },
              setupRequest: (req) => ({ ...req, body: JSON.stringify({ username: nextUsername(), password: BENCH_PASSWORD }) }),
            },
          ],
        }),
      },
      {
        key: 'list',
        partial: 'floor_db',
        s1: 'read',
        title: `GET /api/v1/office-users, page 1 of a large office (${listTotal} users)`,
        opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => withSession(req, listUrl(large[pick++ % large.length]!)) }] }),
      },
      {
        key: 'list_search',
        partial: 'floor_db',
        s1: 'read',
        title: `GET /api/v1/office-users, large office, search "${r.commonSurname.toLowerCase()}"`,
        opts: () => ({
          url: app,
          requests: [{ method: 'GET', setupRequest: (req) => withSession(req, listUrl(large[pick++ % large.length]!, r.commonSurname.toLowerCase())) }],
        }),
      },
      {
        key: 'offices',
        partial: 'floor_db',
        s1: 'read',
        title: "GET /api/v1/office-users/offices?q=<district> (the page's office picker, state scope)",
        opts: () => ({
          url: app,
          requests: [
            { method: 'GET', setupRequest: (req) => withSession(req, `/api/v1/office-users/offices?q=${districtWords[pick++ % districtWords.length]}`) },
          ],
        }),
      },
      {
        key: 'contracts',
        partial: 'floor_db',
        s1: 'read',
        title: `GET /api/v1/contracts, page 1 of all ${int(contractTotal)} contracts, newest registered first as the page opens it (state scope)`,
        opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => withSession(req, contractListUrl()) }] }),
      },
      {
        key: 'contracts_q',
        partial: 'floor_db',
        s1: 'read',
        title: `GET /api/v1/contracts?q="${contractSearch}" (agency name / number search, state scope)`,
        opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => withSession(req, contractListUrl(contractSearch)) }] }),
      },
      {
        key: 'contract_reg',
        partial: 'floor_db',
        s1: 'write',
        title: `POST /api/v1/contracts, a GeM contract drafted with every check (agency, DDO, budget line, minimum wage, capacity) by ${registrars.length} department managers`,
        opts: () => ({ url: app, requests: [{ method: 'POST', path: '/api/v1/contracts', setupRequest: registerRequest }] }),
      },
      {
        key: 'orders',
        partial: 'floor_db',
        s1: 'read',
        title: `GET /api/v1/sanction-orders, page 1 of ${int(totalOf(more.orders))} orders (state scope)`,
        opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => withSession(req, ordersUrl) }] }),
      },
      {
        key: 'agencies',
        partial: 'floor_db',
        s1: 'read',
        title: `GET /api/v1/agencies, page 1 of ${int(totalOf(more.agencies))} agencies by name (state scope)`,
        opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: (req) => withSession(req, agenciesUrl) }] }),
      },
      ...(
        [
          ['audit_page', auditPageUrl, `page 1 of the whole trail (${int(totalOf(more.auditPage))} entries), as the audit page opens`],
          ['audit_user', auditUserUrl, `"User ID" bench00032 (${int(totalOf(more.auditUser))} entries)`],
          ['audit_kind', auditKindUrl, `kind "contract", action "create" (${int(totalOf(more.auditKind))} entries${capped(more.auditKind) ? '+' : ''})`],
        ] as const
      ).map(
        ([key, url, what]): Scenario => ({
          key,
          partial: 'floor_db',
          s1: 'read',
          title: `GET ${url.replace('?page=1&pageSize=25', '?…')} (the audit page, state-scope Finance: ${what})`,
          opts: () => ({
            url: app,
            requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: url, headers: { ...req.headers, cookie: financeCookie } }) }],
          }),
        }),
      ),
      {
        key: 'mixed',
        partial: 'floor_db',
        s1: 'mixed',
        title:
          "the mix of every 20 requests: 5 office-users pages, 1 office-users search, 3 office pickers, 4 contract pages, 1 contract search, 2 sanction-order pages, 2 agency pages, 1 user's audit trail, 1 contract registration",
        opts: () => ({ url: app, requests: [{ method: 'GET', setupRequest: mixedRequest }] }),
      },
      ...resourceScenarios,
    ];
    const scenarios = ONLY.length ? allScenarios.filter((s) => s.key === 'floor' || s.key === 'floor_db' || ONLY.includes(s.key)) : allScenarios;

    console.log(`warm-up: ${WARMUP} s per scenario; then ${ROUNDS} rounds × ${scenarios.length} scenarios × ${SECONDS} s, ${CONNECTIONS} connections`);
    for (const s of scenarios) await cannon(s.opts(), WARMUP);

    const byKey: Record<string, Figures[]> = Object.fromEntries(scenarios.map((s) => [s.key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of scenarios) {
        const f = expected(await cannon(s.opts(), SECONDS), s.expectStatus);
        byKey[s.key]!.push(f);
        console.log(
          `  round ${round + 1} ${s.key.padEnd(12)} ${fmt(f.rps, 0).padStart(7)} req/s  p50 ${fmt(f.p50)}  p97.5 ${fmt(f.p975)}  p99 ${fmt(f.p99)} ms  non-2xx ${f.non2xx}  errors ${f.errors}`,
        );
      }
    }
    const load1 = os.loadavg();

    // Medians over the rounds; ratios are taken round by round against that round's floor, then
    // the median ratio is reported (the machine's load drifts between rounds).
    const floors = byKey.floor!;
    const rows = scenarios.map((s) => {
      const fs = byKey[s.key]!;
      const ratio = (sel: (f: Figures) => number, base = floors) => median(fs.map((f, i) => sel(f) / Math.max(sel(base[i]!), 0.001)));
      const statuses: Record<string, number> = {};
      for (const f of fs)
        for (const [c, n] of Object.entries(f.statuses)) if (!c.startsWith('2') && c !== String(s.expectStatus)) statuses[c] = (statuses[c] ?? 0) + n;
      return {
        s,
        // In a closed loop, latency ≈ connections ÷ throughput; past half the window, the
        // slowest requests were still in flight when it closed and the percentiles understate.
        censored: median(fs.map((f) => f.p99)) > (SECONDS * 1000) / 2,
        rps: median(fs.map((f) => f.rps)),
        rpsMin: Math.min(...fs.map((f) => f.rps)),
        rpsMax: Math.max(...fs.map((f) => f.rps)),
        p50: median(fs.map((f) => f.p50)),
        p975: median(fs.map((f) => f.p975)),
        p99: median(fs.map((f) => f.p99)),
        pctOfFloor: ratio((f) => f.rps) * 100,
        pctOfPartial: s.partial ? ratio((f) => f.rps, byKey[s.partial]!) * 100 : Number.NaN,
        // How many times the floor_db request's time this route takes, from throughput (in a closed
        // loop, time per request ≈ connections ÷ req/s). Not p50 ÷ floor p50: autocannon reports
        // whole milliseconds and the floors' p50 is often 0 or 1 ms, which made that ratio useless.
        slowdown: median(fs.map((f, i) => (byKey.floor_db ?? floors)[i]!.rps / f.rps)),
        ok: fs.reduce((a, f) => a + f.ok, 0),
        non2xx: fs.reduce((a, f) => a + f.non2xx, 0),
        errors: fs.reduce((a, f) => a + f.errors, 0),
        timeouts: fs.reduce((a, f) => a + f.timeouts, 0),
        statuses,
      };
    });
    // Bar S1, per judged scenario (spec 11): p99 < 100 ms, and reads ≥ 30 % of floor_db's req/s.
    const verdictOf = (x: (typeof rows)[number]) => {
      if (!x.s.s1) return '';
      const fast = x.p99 < 100;
      const enough = x.s.s1 === 'write' || x.pctOfPartial >= 30;
      const clean = !x.non2xx && !x.errors && !x.timeouts;
      // A round in which no request finished reports 0 ms latencies: no answer is no pass.
      const answered = x.ok > 0 && x.rpsMin > 0;
      if (fast && enough && clean && answered) return 'pass';
      const why = [!answered ? 'a round with no answer' : '', !fast ? 'p99 ≥ 100 ms' : '', !enough ? '< 30 % of floor_db' : '', !clean ? 'errors' : '']
        .filter(Boolean)
        .join(', ');
      return `**fail** (${why})`;
    };

    const engineLabel =
      t.engine === 'pglite'
        ? `PGlite (embedded, worker thread, one connection; PostgreSQL ${t.serverVersion})`
        : `PostgreSQL ${t.serverVersion} server (pool of ${process.env.BENCH_POOL_SIZE || 10})`;
    const cpus = os.cpus();
    const lines: string[] = [];
    lines.push(`### ${t.engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    lines.push('');
    lines.push(`- engine: ${engineLabel}`);
    lines.push(
      `- machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node.js ${process.version}`,
    );
    lines.push(
      `- load average (1 min) at start ${fmt(load0[0]!, 2)}, at end ${fmt(load1[0]!, 2)} — the machine is shared; figures are only comparable with the floor of the same round`,
    );
    lines.push(
      `- run: ${ROUNDS} rounds × ${SECONDS} s per scenario (after ${WARMUP} s warm-up each), ${CONNECTIONS} connections (${LOGIN_CONNECTIONS} for the argon2id-bound two), the read scenarios cycling over ${SESSIONS} sessions, autocannon in a separate process from the server; request logging off in both servers`,
    );
    lines.push(
      `- dataset: ${Object.entries(r.counts)
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(
          ', ',
        )}, agencies ${int(cr.agencies)}, contracts ${int(cr.contracts)} (${int(cr.contractPosts)} post lines; sanctioned office lines ${int(cr.sanctionPostOffices)})${
        rr
          ? `, resources ${int(rr.resources)} (${Object.entries(rr.byStatus)
              .map(([k, v]) => `${k} ${int(v)}`)
              .join(', ')}; vault ${int(rr.vault)}) in ${fmt(rr.ms / 1000)} s`
          : ''
      }${t.auditReport ? `, audit entries ${int(t.auditReport.entries)} generated (+ the run's own) in ${fmt(t.auditReport.ms / 1000)} s` : ''}; generated in ${fmt((r.ms + cr.ms + (rr?.ms ?? 0) + (t.auditReport?.ms ?? 0)) / 1000)} s (+ open ${fmt(t.openMs / 1000)} s, migrate ${fmt(t.migrateMs / 1000)} s)`,
    );
    if (logins)
      lines.push(
        `- login: ${int(logins)} login requests built (warm-up included) over ${int(Math.min(logins, users.length))} distinct users of ${int(users.length)}${logins > users.length ? ' — wrapped round, some users logged in more than once' : ', none twice'}`,
      );
    lines.push('');
    lines.push(
      '| scenario | what | req/s (median; min–max) | % of floor req/s | % of partial floor req/s | p50 ms | p97.5 ms | p99 ms | time × floor_db | S1 | 2xx | non-2xx | errors |',
    );
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
    for (const x of rows) {
      const non = x.non2xx
        ? `**${int(x.non2xx)}** (${Object.entries(x.statuses)
            .filter(([c]) => !c.startsWith('2'))
            .map(([c, n]) => `${c}: ${n}`)
            .join(', ')})`
        : '0';
      lines.push(
        `| ${x.s.key} | ${x.s.title} | ${int(x.rps)} (${int(x.rpsMin)}–${int(x.rpsMax)}) | ${x.s.floor ? '100' : fmt(x.pctOfFloor, 1)} | ${x.s.partial ? `${fmt(x.pctOfPartial, 1)} (${x.s.partial})` : ''} | ${fmt(x.p50)} | ${fmt(x.p975)} | ${fmt(x.p99)}${x.censored ? ' †' : ''} | ${x.s.key === 'floor_db' ? '1' : fmt(x.slowdown)} | ${verdictOf(x)} | ${int(x.ok)} | ${non} | ${x.errors + x.timeouts ? `**${x.errors}** (${x.timeouts} timeouts)` : '0'} |`,
      );
    }
    if (rows.some((x) => x.censored)) {
      lines.push('');
      lines.push(
        `† p99 above half the ${SECONDS} s window: the slowest requests were still queued when the window closed, so these latencies understate (req/s still holds).`,
      );
    }
    const judged = rows.filter((x) => x.s.s1);
    if (judged.length) {
      const passed = judged.filter((x) => verdictOf(x) === 'pass');
      lines.push('');
      lines.push(
        `Bar S1 (p99 < 100 ms at ${CONNECTIONS} connections; reads and the mix also ≥ 30 % of floor_db's req/s): ${passed.length} of ${judged.length} judged scenarios pass${
          passed.length < judged.length
            ? ` — failing: ${judged
                .filter((x) => verdictOf(x) !== 'pass')
                .map((x) => x.s.key)
                .join(', ')}`
            : ''
        }.`,
      );
    }
    const block = lines.join('\n');
    console.log(`\n${block}\n`);

    if (resultsFile !== '-') {
      // BENCH_TAG=x writes the block `bench:<engine>-x` instead (a separate set of figures, e.g. a before / after).
      const tag = `${t.engine === 'pglite' ? 'pglite' : 'postgres'}${TAG ? `-${TAG}` : ''}`;
      const start = `<!-- bench:${tag}:start -->`;
      const end = `<!-- bench:${tag}:end -->`;
      let doc = '';
      try {
        doc = readFileSync(resultsFile, 'utf8');
      } catch {
        doc = '# Benchmark results\n\n';
      }
      const wrappedBlock = `${start}\n${block}\n${end}`;
      const i = doc.indexOf(start);
      const j = doc.indexOf(end);
      doc = i >= 0 && j > i ? doc.slice(0, i) + wrappedBlock + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${wrappedBlock}\n`;
      writeFileSync(resultsFile, doc);
      console.log(`written to ${path.relative(process.cwd(), resultsFile)}`);
    }
    const bad = rows.filter((x) => x.non2xx || x.errors || x.timeouts);
    if (bad.length) {
      console.error(`non-2xx responses or errors in: ${bad.map((x) => x.s.key).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
