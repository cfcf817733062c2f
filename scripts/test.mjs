#!/usr/bin/env node
// `npm test`: the whole suite, ending with one line "N passed, N failed".
//  1. unit + integration tests (Vitest) on the embedded PGlite;
//  2. the same again on a PostgreSQL server when TEST_DATABASE_URL is set (.ci/run sets it);
//  3. the Playwright journeys in Debian Chromium (required in CI; skipped with a notice
//     when /usr/bin/chromium is missing on a developer machine).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const ci = process.env.CI === 'true' || process.env.CI === '1';
let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];
/** How long each tier took, printed at the end (and by .ci/run). */
const times = [];
mkdirSync('test-results', { recursive: true });

function timed(label, f) {
  const t0 = Date.now();
  try {
    return f();
  } finally {
    times.push(`${label}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

/** The newest modification time of a file under `p`. */
function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, f) => Math.max(m, newest(path.join(p, f))), 0);
}

/** dist/web is rebuilt only when missing, older than its sources, or REBUILD_WEB=1 (REBUILD_WEB=0: never). */
function webIsStale() {
  if (!existsSync('dist/web/index.html')) return true;
  if (process.env.REBUILD_WEB === '1') return true;
  if (process.env.REBUILD_WEB === '0') return false;
  const built = statSync('dist/web/index.html').mtimeMs;
  return ['web', 'shared', 'vite.config.ts', 'package-lock.json'].some((p) => newest(p) > built);
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function vitest(label, outFile, env) {
  rmSync(outFile, { force: true });
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${outFile}`], env);
  if (!existsSync(outFile)) {
    failed += 1;
    notes.push(`${label}: Vitest produced no report (exit ${code})`);
    return;
  }
  const j = JSON.parse(readFileSync(outFile, 'utf8'));
  passed += j.numPassedTests;
  failed +=
    j.numFailedTests +
    (j.numFailedTestSuites ?? 0) -
    (j.testResults ?? []).filter((s) => s.status === 'failed' && s.assertionResults?.some((a) => a.status === 'failed')).length;
  skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  if (code !== 0 && j.numFailedTests === 0 && (j.numFailedTestSuites ?? 0) === 0) {
    failed += 1;
    notes.push(`${label}: Vitest exited ${code}`);
  }
  notes.push(`${label}: ${j.numPassedTests} passed, ${j.numFailedTests} failed`);
}

const only = process.argv[2];
if (!only || only === 'unit') {
  const env = { TEST_DATABASE_URL: '' };
  timed('Vitest on PGlite', () => vitest('Vitest on PGlite', 'test-results/vitest-pglite.json', env));
  if (process.env.TEST_DATABASE_URL)
    timed('Vitest on PostgreSQL', () =>
      vitest('Vitest on PostgreSQL', 'test-results/vitest-postgres.json', { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL }),
    );
  else notes.push('Vitest on PostgreSQL: skipped (set TEST_DATABASE_URL to a PostgreSQL server to run it; .ci/run does)');
}

if (!only || only === 'e2e') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium) && !ci) {
    notes.push(`Playwright: skipped (no ${chromium}; apt-get install chromium, or run .ci/run)`);
  } else {
    if (webIsStale()) timed('web build', () => run('npx', ['vite', 'build', '--logLevel', 'warn']));
    rmSync('test-results/e2e.json', { force: true });
    // With a PostgreSQL server (CI), the journeys' servers run on it, one database per spec file
    // (e2e/fixtures.ts); E2E_ENGINE=pglite keeps them on the embedded engine the demo uses.
    const e2eDb = process.env.E2E_ENGINE === 'pglite' ? '' : (process.env.E2E_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '');
    if (e2eDb) notes.push('Playwright: journeys on the PostgreSQL server (E2E_ENGINE=pglite for the embedded engine)');
    const code = timed('Playwright', () => run('npx', ['playwright', 'test'], { E2E_DATABASE_URL: e2eDb }));
    if (existsSync('test-results/e2e.json')) {
      const s = JSON.parse(readFileSync('test-results/e2e.json', 'utf8')).stats;
      passed += s.expected;
      failed += s.unexpected + s.flaky;
      skipped += s.skipped;
      notes.push(`Playwright: ${s.expected} passed, ${s.unexpected + s.flaky} failed`);
      if (code !== 0 && s.unexpected + s.flaky === 0) {
        failed += 1;
        notes.push(`Playwright exited ${code}`);
      }
    } else {
      failed += 1;
      notes.push(`Playwright produced no report (exit ${code})`);
    }
  }
}

console.log(`\n${notes.join('\n')}`);
if (times.length) console.log(`Time per tier: ${times.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
