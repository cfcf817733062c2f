import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Files that run for minutes (a fuzz walk over every route; 100 argon2 logins), started first so
 * they do not become the tail of the run. Vitest orders by the last run's durations when it has
 * them, but a fresh clone (CI) has none and would order by file size.
 */
const LONG_FIRST = [
  'server/test/fuzz.test.ts',
  'server/platform/http/http.bars.test.ts',
  'server/platform/auth/throttle.bars.test.ts',
  'server/cli/audit-verify.test.ts',
  'server/test/authz-matrix.test.ts',
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'web/lib/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Migrate + seed once per run into a template; each file clones it (server/test/template.ts).
    globalSetup: ['server/test/global-setup.ts'],
    // A query sent on a busy node-postgres client fails the test (setup-warnings.ts).
    setupFiles: ['server/test/setup-warnings.ts'],
    sequence: { sequencer: LongFirstSequencer },
    // Each file starts its own database (PGlite in a worker thread): two at a time on 2 cores.
    maxWorkers: 2,
    pool: 'forks',
    // Test files share a worker's module graph instead of each importing the whole app afresh:
    // the import was 202 s of the PGlite tier's 921 s of test time, and 756 s on PostgreSQL
    // beside the journeys (docs/TESTING.md). Every file still opens its own database and app, and
    // a file that replaces a seam (the proof gate) puts the registry's back in afterAll.
    isolate: false,
  },
});
