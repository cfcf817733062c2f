import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { test as base } from '@playwright/test';
import pg from 'pg';
import { profile } from './helpers.ts';

/**
 * Every spec file gets a server of its own (embedded database, demo data), so journeys in
 * different files never see each other's data and the files can run in parallel workers.
 * The servers start from a copy of the data directory global-setup.ts seeded once, which
 * takes a second or two instead of a full demo seed.
 */
export const TEMPLATE_DIR = path.resolve('.tmp/e2e-template');
const RUN_ROOT = path.resolve('.tmp');

/**
 * The engine the journeys' servers run on. With E2E_DATABASE_URL (scripts/test.mjs sets it to the
 * CI PostgreSQL server), each spec file's server gets its own database, created from a template
 * database global-setup.ts seeded once (CREATE DATABASE … TEMPLATE, a fraction of a second) — the
 * production engine, and about twice as fast on a 2-core machine as one embedded PGlite per
 * server. Without it, the embedded PGlite of the demo (a copy of a seeded data directory).
 * Uploaded files live in the data directory either way and are copied from the template's.
 */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL || undefined;
/**
 * The template database of this run. Named per run (global-setup.ts sets E2E_TEMPLATE_DB, which the
 * workers inherit), so two checkouts running their journeys on one PostgreSQL server never drop or
 * copy each other's template.
 */
export const TEMPLATE_DB = process.env.E2E_TEMPLATE_DB ?? 'roams_e2e_template';

/** The URL of database `name` on the E2E_DATABASE_URL server. */
export function databaseUrl(name: string): string {
  const u = new URL(E2E_DATABASE_URL ?? '');
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs statements on the E2E server's maintenance database (CREATE / DROP DATABASE). */
export async function adminSql(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export type RoamsServer = { url: string; dataDir: string; stop: () => Promise<void> };

/** Starts `server/main.ts` on a free port with DATA_DIR and FILES_DIR in `dataDir`; resolves when /api/health answers. */
export async function startServer(dataDir: string, opts: { timeoutMs?: number; databaseUrl?: string } = {}): Promise<RoamsServer & { child: ChildProcess }> {
  const port = await freePort();
  // The bundle global-setup.ts built (scripts/lib/server-bundle.mjs), else the sources through tsx.
  const bundle = process.env.ROAMS_SERVER_BUNDLE;
  const child = spawn(process.execPath, bundle ? [bundle] : ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
      ROAMS_MODE: 'demo',
      DATA_DIR: dataDir,
      FILES_DIR: path.join(dataDir, 'files'),
      PORT: String(port),
      WEB_DIST: process.env.WEB_DIST ?? 'dist/web',
      LOG_LEVEL: 'warn',
      // Every response of the journeys is written by zod and by the compiled writer and compared
      // (server/platform/http/serializer.ts): a difference fails the request, and so the journey.
      ROAMS_VERIFY_RESPONSES: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
    process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer on ${url} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };
  return { url, dataDir, child, stop };
}

type WorkerFixtures = { roamsServerFor: (file: string) => Promise<string> };

export const test = base.extend<object, WorkerFixtures>({
  roamsServerFor: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a destructured object
    async ({}, use) => {
      let current: { file: string; server: RoamsServer } | null = null;
      const dirs: string[] = [];
      const dbs: string[] = [];
      await use(async (file) => {
        if (current?.file === file) return current.server.url;
        // A new file: the previous file's server stops, the new one starts from the template.
        await current?.server.stop();
        current = null;
        const t0 = Date.now();
        const dir = mkdtempSync(path.join(RUN_ROOT, 'e2e-data-'));
        dirs.push(dir);
        cpSync(TEMPLATE_DIR, dir, { recursive: true });
        let db: string | undefined;
        if (E2E_DATABASE_URL) {
          const name = `roams_e2e_${path
            .basename(dir)
            .replace(/[^a-zA-Z0-9]/g, '_')
            .toLowerCase()}`;
          await adminSql(`DROP DATABASE IF EXISTS ${name}`, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
          dbs.push(name);
          db = databaseUrl(name);
        }
        profile('data copy', t0);
        const t1 = Date.now();
        current = { file, server: await startServer(dir, { databaseUrl: db }) };
        profile('server start', t1);
        return current.server.url;
      });
      await (current as { server: RoamsServer } | null)?.server.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      if (dbs.length) await adminSql(...dbs.map((d) => `DROP DATABASE IF EXISTS ${d}`));
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ roamsServerFor }, use, testInfo) => {
    await use(await roamsServerFor(testInfo.file));
  },
});

export { expect } from '@playwright/test';
