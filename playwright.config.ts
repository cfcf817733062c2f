import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * The browser: Debian's old headless shell (package chromium-headless-shell, the build Playwright
 * itself uses for headless runs) when installed, else Debian's full Chromium; CHROMIUM_PATH overrides.
 * Chromium was most of the journeys' CPU (≈ 8× their app servers', measured by process in
 * docs/TESTING.md); the shell used 17 % less on the same specs — no GPU process, no display compositor.
 */
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
export const CHROMIUM = process.env.CHROMIUM_PATH || (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

/**
 * Journeys in Debian's Chromium. global-setup.ts seeds a demo data directory once; every spec
 * file then gets a server of its own on a free port, started from a copy of it (fixtures.ts),
 * so journeys run in parallel workers without seeing other files' data. No browser download:
 * Debian's (CHROMIUM below). E2E_WORKERS sets the number of workers (default 2, one per core here).
 */
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // A spec file runs in one worker, its tests in order: each file's server (fixtures.ts) starts once.
  // With every test spread over the workers (fullyParallel), both workers started a server and a
  // database for most files (16 starts for 9 files in one measured subset, ≈ 3.6–5.3 s each on this
  // machine; docs/TESTING.md). The two largest files of independent tests (auth, contrast) say
  // test.describe.configure({ mode: 'parallel' }) and still spread over the workers.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [['list'], ['json', { outputFile: process.env.E2E_JSON ?? 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    // The named screens the specs take are kept in test-results/screens; otherwise only failures.
    screenshot: 'only-on-failure',
    // No trace unless E2E_TRACE=1 (then a failed journey keeps its actions, DOM snapshots and
    // network, without the filmstrip). Recording one for every journey, kept or not, was ≈ 20 % of
    // the journeys' CPU and wall clock (12 journeys, machine-wide CPU: 110–111 s traced, 86–92 s
    // not; snapshots off alone saved nothing; docs/TESTING.md, session of 2026-12-08). A failure
    // still leaves its screenshot and Playwright's error context (the page's accessibility tree);
    // to see more, re-run the file with E2E_TRACE=1.
    trace: process.env.E2E_TRACE === '1' ? { mode: 'retain-on-failure', screenshots: false } : 'off',
    // Transitions off, as for a user who asked the system for less motion (web/main.tsx honours it):
    // no frames rendered for a dialog's fade, no step waiting for one to settle.
    reducedMotion: 'reduce',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
});
