import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { test as base } from '@playwright/test';

/**
 * Every spec file gets a server of its own (embedded database, demo data), so journeys in
 * different files never see each other's data and the files can run in parallel workers.
 * The servers start from a copy of the data directory global-setup.ts seeded once, which
 * takes a second or two instead of a full demo seed.
 */
export const TEMPLATE_DIR = path.resolve('.tmp/e2e-template');
const RUN_ROOT = path.resolve('.tmp');

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
export async function startServer(dataDir: string, opts: { timeoutMs?: number } = {}): Promise<RoamsServer & { child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      ROAMS_MODE: 'demo',
      DATA_DIR: dataDir,
      FILES_DIR: path.join(dataDir, 'files'),
      PORT: String(port),
      WEB_DIST: process.env.WEB_DIST ?? 'dist/web',
      LOG_LEVEL: 'warn',
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
      await use(async (file) => {
        if (current?.file === file) return current.server.url;
        // A new file: the previous file's server stops, the new one starts from the template.
        await current?.server.stop();
        current = null;
        const dir = mkdtempSync(path.join(RUN_ROOT, 'e2e-data-'));
        dirs.push(dir);
        cpSync(TEMPLATE_DIR, dir, { recursive: true });
        current = { file, server: await startServer(dir) };
        return current.server.url;
      });
      await (current as { server: RoamsServer } | null)?.server.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ roamsServerFor }, use, testInfo) => {
    await use(await roamsServerFor(testInfo.file));
  },
});

export { expect } from '@playwright/test';
