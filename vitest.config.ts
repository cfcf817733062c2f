import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Migrate + seed once per run into a template; each file clones it (server/test/template.ts).
    globalSetup: ['server/test/global-setup.ts'],
    // Each file starts its own database (PGlite in a worker thread): two at a time on 2 cores.
    maxWorkers: 2,
    pool: 'forks',
  },
});
