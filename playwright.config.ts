import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * Journeys in Debian's Chromium against a fresh server (embedded database, demo data) in a
 * throw-away data directory. No browser download: /usr/bin/chromium.
 */
export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: process.env.E2E_JSON ?? 'test-results/e2e.json' }]],
  outputDir: `test-results/e2e-artifacts-${PORT}`,
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
  },
  webServer: {
    // Each port gets its own data directory, so parallel runs (E2E_PORT, WEB_DIST) do not collide.
    command: `rm -rf .tmp/e2e-data-${PORT} && ROAMS_MODE=demo DATA_DIR=.tmp/e2e-data-${PORT} PORT=${PORT} WEB_DIST=${process.env.WEB_DIST ?? 'dist/web'} LOG_LEVEL=warn npx tsx server/main.ts`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
