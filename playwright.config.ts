import { defineConfig } from '@playwright/test';

/**
 * Journeys in Debian's Chromium. global-setup.ts seeds a demo data directory once; every spec
 * file then gets a server of its own on a free port, started from a copy of it (fixtures.ts),
 * so journeys run in parallel workers without seeing other files' data. No browser download:
 * /usr/bin/chromium. E2E_WORKERS sets the number of workers (default 2, one per core here).
 */
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Every journey runs on its own: tests spread over the workers (a worker starts a server for each
  // file it meets). A file whose tests continue each other says so: test.describe.configure({ mode: 'serial' }).
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [['list'], ['json', { outputFile: process.env.E2E_JSON ?? 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    // The named screens the specs take are kept in test-results/screens; otherwise only failures.
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
