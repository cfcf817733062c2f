// Issue 11 finding 2: the evidence for login throttling. Not part of `npm test`.
//   npm run bench:login                          (embedded PGlite in a temporary directory)
//   DATABASE_URL=postgres://… npm run bench:login (PostgreSQL; an empty database: it migrates and seeds the demo)
// Starts a demo server from the current code in a child process (TRUST_PROXY=127.0.0.1, so each
// simulated client's X-Forwarded-For is its address), then:
//   1. 150 parallel wrong-password logins for one account from one address: argon2 checks (the
//      server's own counter, read over the child's IPC channel — no HTTP route), 401 vs 429,
//      Retry-After values;
//   2. a 32-connection autocannon flood of wrong passwords over many accounts and addresses for
//      BENCH_FLOOD_SECONDS (20) while a sampled loop times GET /api/health, against an idle
//      baseline measured first in the same run; argon2 checks per second;
//   3. the real user (right password, from an address it logged in from before) logging in
//      every 2 s during the flood and once right after: status and wait.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const PASSWORD = 'Roams@Demo2026';
const REAL_USER = 'dm_bhopal';
const REAL_ADDRESS = '10.20.30.40';

if (process.argv[2] === '--serve') await serve();
else await main();

async function serve() {
  const { buildApp } = await import('../server/app.ts');
  const { loadConfig } = await import('../server/config.ts');
  const { migrateDatabase, openDatabase } = await import('../server/db/client.ts');
  const { seedDemo } = await import('../server/db/seed/demo.ts');
  const { hashGate, hashStats } = await import('../server/platform/auth/password.ts');
  const config = loadConfig({
    ROAMS_MODE: 'demo',
    SEED_DEMO: 'false',
    WEB_DIST: '/nonexistent',
    LOG_LEVEL: 'silent',
    TRUST_PROXY: '127.0.0.1',
    DEMO_PASSWORD: PASSWORD,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  await migrateDatabase(database);
  await seedDemo(database.db, { password: PASSWORD, districtOfficeLimit: 3 });
  const app = await buildApp({ database, config, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'stats') process.send?.({ type: 'stats', verifications: hashStats.verifications, peak: hashGate.peak });
    if (m.type === 'stop') {
      await app.close();
      await database.close();
      process.exit(0);
    }
  });
  process.send?.({ type: 'ready', port: typeof a === 'object' && a ? a.port : 0, engine: database.engine });
}

type Stats = { verifications: number; peak: number };

async function main() {
  const tmp = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'roams-login-flood-'));
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...(tmp ? { BENCH_DATA_DIR: tmp } : {}) },
  });
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  child.on('message', (m) => waiters.shift()?.(m as Record<string, unknown>));
  const next = () => new Promise<Record<string, unknown>>((r) => waiters.push(r));
  const ready = await next();
  const base = `http://127.0.0.1:${ready.port}`;
  const stats = async (): Promise<Stats> => {
    const p = next();
    child.send({ type: 'stats' });
    return (await p) as unknown as Stats;
  };
  const login = async (username: string, password: string, ip: string) => {
    const t0 = performance.now();
    const r = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, 'accept-language': 'en' },
      body: JSON.stringify({ username, password }),
    });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - t0, retryAfter: r.headers.get('retry-after') };
  };
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
  };
  const sampleHealth = async (ms: number) => {
    const out: number[] = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await fetch(`${base}/api/health`);
      await r.arrayBuffer();
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  };

  console.log(`server ready on ${base} (${ready.engine}); load generator and server share this machine's cores`);
  // The real user logs in once from its office address, which makes that address known to the account.
  const first = await login(REAL_USER, PASSWORD, REAL_ADDRESS);
  if (first.status !== 200) throw new Error(`the real user could not log in before the test: ${first.status}`);

  // 1. 150 parallel wrong passwords, one account, one address.
  const s0 = await stats();
  const par = await Promise.all(Array.from({ length: 150 }, (_, i) => login('viewer_state', `parallel-wrong-${i}-abcdefgh`, '192.0.2.99')));
  const s1 = await stats();
  const retry = new Map<string, number>();
  for (const r of par) if (r.status === 429) retry.set(String(r.retryAfter), (retry.get(String(r.retryAfter)) ?? 0) + 1);
  const parChecks = s1.verifications - s0.verifications;
  const n401 = par.filter((r) => r.status === 401).length;
  const n429 = par.filter((r) => r.status === 429).length;
  const parOther = par.filter((r) => r.status !== 401 && r.status !== 429).map((r) => r.status);

  // 2. idle baseline, then the flood with health sampling and the real user.
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
  const floodSeconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 20);
  const idle = await sampleHealth(idleSeconds * 1000);
  let seq = 0;
  const codes = new Map<number, number>();
  const f0 = await stats();
  const t0 = performance.now();
  let resolveFlood: (r: autocannon.Result) => void = () => {};
  const flood = new Promise<autocannon.Result>((r) => {
    resolveFlood = r;
  });
  const instance = autocannon(
    {
      url: `${base}/api/v1/auth/login`,
      connections: 32,
      duration: floodSeconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      requests: [
        {
          setupRequest: (req) => {
            const i = seq++;
            // Many accounts (the demo's and names that do not exist) from many addresses (a botnet).
            const username =
              i % 3 === 0 ? ['finance_admin', 'officeadmin_state', REAL_USER, 'viewer_state', 'auditor_state'][i % 5]! : `flood_user_${i % 5000}`;
            return {
              ...req,
              headers: { ...req.headers, 'x-forwarded-for': `198.18.${(i >> 8) & 255}.${i & 255}` },
              body: JSON.stringify({ username, password: `flood-wrong-${i}-abcdefgh` }),
            };
          },
        },
      ],
    },
    (err, r) => {
      if (err) throw err;
      resolveFlood(r);
    },
  );
  instance.on('response', (_c: unknown, status: number) => codes.set(status, (codes.get(status) ?? 0) + 1));
  const realDuring: Array<{ status: number; ms: number; retryAfter: string | null }> = [];
  const realLoop = (async () => {
    await new Promise((r) => setTimeout(r, 1000));
    while (performance.now() - t0 < (floodSeconds - 1) * 1000) {
      realDuring.push(await login(REAL_USER, PASSWORD, REAL_ADDRESS));
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  const [busy, result] = await Promise.all([sampleHealth(floodSeconds * 1000), flood, realLoop]);
  const floodS = (performance.now() - t0) / 1000;
  const f1 = await stats();
  const after = await login(REAL_USER, PASSWORD, REAL_ADDRESS);
  // A second real user who never logged in before (new address) right after the flood.
  const afterNew = await login('officeadmin_fin', PASSWORD, '10.20.30.41');

  const checksPerS = (f1.verifications - f0.verifications) / floodS;
  const fmt = (n: number) => n.toFixed(1);
  const rows: Array<[string, string]> = [
    ['engine', String(ready.engine)],
    ['1. 150 parallel wrong, one account: argon2 checks', String(parChecks)],
    ['1. … 401 / 429 / other', `${n401} / ${n429} / ${parOther.length ? parOther.join(',') : 0}`],
    ['1. … Retry-After (s: count)', [...retry].map(([k, v]) => `${k}: ${v}`).join(', ')],
    [`2. flood: 32 connections, ${fmt(floodS)} s, requests`, String(result.requests.total)],
    [
      '2. … status codes',
      [...codes]
        .sort((a, b) => a[0] - b[0])
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
    ],
    ['2. … argon2 checks (per s)', `${f1.verifications - f0.verifications} (${fmt(checksPerS)}/s), gate peak ${f1.peak}`],
    [`2. /api/health idle p50 / p99 ms (n=${idle.length})`, `${fmt(pct(idle, 50))} / ${fmt(pct(idle, 99))}`],
    [`2. /api/health flood p50 / p99 ms (n=${busy.length})`, `${fmt(pct(busy, 50))} / ${fmt(pct(busy, 99))}`],
    ['2. … ratio to idle p50 / p99', `${fmt(pct(busy, 50) / pct(idle, 50))}× / ${fmt(pct(busy, 99) / pct(idle, 99))}×`],
    [
      '3. real user during flood (status: count; max wait ms)',
      `${[...new Set(realDuring.map((r) => r.status))].map((s) => `${s}: ${realDuring.filter((r) => r.status === s).length}`).join(', ')}; max ${fmt(Math.max(...realDuring.map((r) => r.ms)))}`,
    ],
    ['3. real user right after (status, ms)', `${after.status}, ${fmt(after.ms)}`],
    ['3. other user, new address, right after (status, ms, Retry-After)', `${afterNew.status}, ${fmt(afterNew.ms)}, ${afterNew.retryAfter ?? '-'}`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log(`real user during flood, each: ${realDuring.map((r) => `${r.status}/${Math.round(r.ms)}ms`).join(' ')}`);

  child.send({ type: 'stop' });
  await new Promise((r) => child.once('exit', r));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
