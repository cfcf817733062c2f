// Shared by scripts/scale-out.mjs and scripts/db-crash.mjs: a throw-away PostgreSQL cluster of
// their own (initdb into a temp dir on a free loopback port, as .ci/run does — never a shared
// server), ROAMS app processes started as `node --import tsx server/main.ts` (or the bundle ROAMS_SERVER_BUNDLE names), and small HTTP
// helpers. Nothing here installs anything.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The newest PostgreSQL binaries Debian installed, or PGBIN. */
export function pgBin() {
  if (process.env.PGBIN) return process.env.PGBIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin/initdb'))) : [];
  versions.sort((a, b) => Number(a) - Number(b));
  if (!versions.length) throw new Error('PostgreSQL binaries not found (apt-get install postgresql, or set PGBIN)');
  return path.join(base, versions.at(-1), 'bin');
}

const isRoot = process.getuid?.() === 0;
/** initdb and postgres refuse to run as root: as .ci/run does, run them as the postgres user. */
function asPg(cmd, args) {
  const [c, a] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The same, without blocking the event loop (the clients under load keep running meanwhile). */
function asPgAsync(cmd, args) {
  const [c, a] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const child = spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
    });
    child.stderr.on('data', (b) => {
      out += b;
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${code}): ${out}`))));
  });
}

/** A PostgreSQL cluster of our own: `url`, `stop(mode)`, `start()` (both async), `destroy()`. */
export async function startCluster({ settings = [] } = {}) {
  const bin = pgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'roams-pg-own-'));
  if (isRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), -1);
  const port = await freePort();
  asPg(path.join(bin, 'initdb'), ['-D', dir, '-U', 'postgres', '-A', 'trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  const opts = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...settings.flatMap((s) => ['-c', s])].join(
    ' ',
  );
  const pgCtl = (args) => [path.join(bin, 'pg_ctl'), ['-D', dir, ...args]];
  const startArgs = ['-o', opts, '-l', path.join(dir, 'log'), '-w', 'start'];
  asPg(...pgCtl(startArgs));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => asPgAsync(...pgCtl(startArgs)),
    stop: (mode = 'fast') => asPgAsync(...pgCtl(['-m', mode, '-w', 'stop'])),
    destroy() {
      try {
        asPg(...pgCtl(['-m', 'immediate', '-w', 'stop']));
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A ROAMS server process (server/main.ts) on `port`; `ready` resolves when /api/health answers
 * 200. `stop()` sends SIGTERM (graceful: the server drains in-flight requests) and waits.
 */
export function startApp({ port, env, name, onLine }) {
  // ROAMS_SERVER_BUNDLE (.ci/run builds one: scripts/lib/server-bundle.mjs) starts in a third of the CPU.
  const bundle = process.env.ROAMS_SERVER_BUNDLE;
  const child = spawn(process.execPath, bundle ? [bundle] : ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WEB_DIST: '/nonexistent', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const collect = (buf) => {
    for (const l of String(buf).split('\n')) {
      if (!l.trim()) continue;
      lines.push(l);
      if (lines.length > 400) lines.shift();
      onLine?.(l);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = (async () => {
    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was healthy:\n${lines.slice(-20).join('\n')}`);
      const r = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
      if (r?.status === 200) return Date.now() - t0;
      if (Date.now() - t0 > 120_000) throw new Error(`${name} not healthy after 120 s:\n${lines.slice(-20).join('\n')}`);
      await sleep(100);
    }
  })();
  return {
    name,
    port,
    child,
    lines,
    ready,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** Logs in with the demo password: `{ cookie, csrf }` for later requests. */
export async function login(base, username, password = process.env.DEMO_PASSWORD ?? 'Roams@Demo2026') {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} at ${base}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /roams_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
  return { cookie, csrf };
}

/** One request with a deadline; never throws: `{ status, ms, body }` (status 0: no answer). */
export async function request(url, { method = 'GET', session, body, timeoutMs = 10_000 } = {}) {
  const t0 = performance.now();
  const headers = {};
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, ms: performance.now() - t0, body: json, text, contentType: res.headers.get('content-type') ?? '' };
  } catch (e) {
    return { status: 0, ms: performance.now() - t0, error: e instanceof Error ? e.message : String(e), cause: e?.cause?.code ?? e?.cause?.message };
  }
}

export function percentile(xs, p) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
