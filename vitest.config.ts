import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own database (PGlite in a worker thread, ~1-2 s): two at a time on 2 cores.
    maxWorkers: 2,
    pool: 'forks',
  },
});
