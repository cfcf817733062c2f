#!/usr/bin/env node
// `npm test`: the whole suite, ending with one line "N passed, N failed".
//  1. unit + integration tests (Vitest) on the embedded PGlite;
//  2. the same again on a PostgreSQL server when TEST_DATABASE_URL is set (.ci/run sets it);
//  3. the Playwright journeys in Debian Chromium (required in CI; skipped with a notice
//     when /usr/bin/chromium is missing on a developer machine).
// TEST_BARS=1 (.ci/run) adds bars S7 / M7 / M2 (scripts/bars.mjs) after tier 2, beside tier 3.
// With TEST_SIDE_BY_SIDE=1 (.ci/run sets it) tiers 2 and 3 run at the same time (=all: all three), each on
// databases of its own: on a 2-core machine each leaves the cores idle part of the time (a
// journey waits on the browser, a Vitest file on its database), and the other fills those gaps
// (figures in docs/TESTING.md). A tier running beside another writes to test-results/<tier>.log,
// printed whole when it ends. `npm test -- pglite|postgres|unit|e2e` runs those tiers (unit: 1 and 2; a comma list: postgres,e2e).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { engineFiles } from './lib/engine-files.mjs';

const ci = process.env.CI === 'true' || process.env.CI === '1';
let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];
/** How long each tier took (wall clock and CPU time of its processes), printed at the end (and by .ci/run). */
const times = [];
mkdirSync('test-results', { recursive: true });

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

/** "1m2.345s" (bash `times`) → seconds. */
function bashSeconds(s) {
  const m = /^(\d+)m([\d.]+)s$/.exec(s ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/**
 * Runs a command to its end, its output to the console or to `logFile`. Resolves with the exit code
 * and the CPU seconds its whole process tree used (bash `times`: every waited-for descendant's
 * user + system time), which, unlike the wall clock, hardly depends on what else the machine runs.
 */
function run(label, cmd, args, { env = {}, logFile, captureFile } = {}) {
  const t0 = Date.now();
  const cpuFile = path.resolve('test-results', `.cpu-${label.replace(/\W+/g, '-')}`);
  rmSync(cpuFile, { force: true });
  // `times` prints the shell's own times, then its children's; a child's include its own children's.
  const script = '"$@"; s=$?; times > "$CPU_FILE"; exit $s';
  return new Promise((resolve) => {
    // A tier beside another writes to its log; a tier in front streams to the console and, with
    // `captureFile`, to that file as well (read afterwards for an unhandled error's text).
    const out = logFile ? createWriteStream(logFile) : null;
    const capture = !out && captureFile ? createWriteStream(captureFile) : null;
    const child = spawn('bash', ['-c', script, 'bash', cmd, ...args], {
      stdio: ['ignore', out || capture ? 'pipe' : 'inherit', out || capture ? 'pipe' : 'inherit'],
      env: { ...process.env, ...env, CPU_FILE: cpuFile },
    });
    if (out) {
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
    }
    if (capture) {
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ]) {
        from.on('data', (d) => {
          to.write(d);
          capture.write(d);
        });
      }
    }
    child.on('close', (code) => {
      if (capture) capture.end();
      const finish = () => {
        const kids = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').trim().split('\n')[1]?.split(/\s+/) : [];
        const cpu = bashSeconds(kids?.[0]) + bashSeconds(kids?.[1]);
        rmSync(cpuFile, { force: true });
        const wall = (Date.now() - t0) / 1000;
        times.push(`${label}: ${wall.toFixed(0)} s (${cpu.toFixed(0)} s CPU)`);
        resolve(code ?? 1);
      };
      if (out) out.end(finish);
      else finish();
    });
  });
}

/** The "Unhandled Error" blocks (and "Errors" line) of a Vitest log, at most 80 lines, colours removed. */
function unhandledText(file) {
  if (!file || !existsSync(file)) return '';
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
  const lines = readFileSync(file, 'utf8').replace(ansi, '').split('\n');
  const start = lines.findIndex((l) => /Unhandled (Errors?|Rejection)|unhandled error/i.test(l));
  const errorsLine = lines.find((l) => /^\s*Errors\s+\d+/.test(l)) ?? '';
  if (start < 0) return errorsLine.trim();
  const end = lines.findIndex((l, i) => i > start && /^\s*Test Files\s/.test(l));
  // A serialized error is one line of thousands of characters: each line is cut at 300.
  const cut = (l) => (l.length > 300 ? `${l.slice(0, 300)} …` : l);
  return [...lines.slice(start, end < 0 ? start + 80 : Math.min(end, start + 80)), errorsLine].map(cut).join('\n').trim();
}

/** One Vitest tier; its JSON report is counted into the totals. */
async function vitest(label, outFile, env, logFile, files = []) {
  rmSync(outFile, { force: true });
  const captureFile = path.resolve('test-results', `${label.replace(/\W+/g, '-')}.out`);
  const code = await run(label, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${outFile}`, ...files], {
    env,
    logFile,
    captureFile,
  });
  if (!existsSync(outFile)) {
    failed += 1;
    notes.push(`${label}: Vitest produced no report (exit ${code})`);
    return;
  }
  const j = JSON.parse(readFileSync(outFile, 'utf8'));
  passed += j.numPassedTests;
  // Failed tests, plus each file that failed without a failing test (it did not load). Vitest's
  // numFailedTestSuites also counts every describe block around a failed test, so it is not used.
  failed += j.numFailedTests + (j.testResults ?? []).filter((s) => s.status === 'failed' && !s.assertionResults?.some((a) => a.status === 'failed')).length;
  skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  if (code !== 0 && j.numFailedTests === 0 && (j.numFailedTestSuites ?? 0) === 0) {
    failed += 1;
    notes.push(`${label}: Vitest exited ${code}`);
    // Every test passed, so Vitest saw an error outside them (an unhandled rejection or exception):
    // its text goes into the summary at the end, which is the part of a CI log that is kept.
    const why = unhandledText(logFile ?? captureFile);
    if (why) notes.push(`${label}: what Vitest reported outside the tests:\n${why.replace(/^/gm, '  ')}`);
  }
  notes.push(`${label}: ${j.numPassedTests} passed, ${j.numFailedTests} failed`);
}

/** The Playwright tier (after a web build when dist/web is stale). */
async function playwright(logFile) {
  // playwright.config.ts prefers Debian's headless shell and falls back to the full browser.
  const chromium =
    (process.env.CHROMIUM_PATH || ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'].find((p) => existsSync(p))) ?? '/usr/bin/chromium';
  if (!existsSync(chromium) && !ci) {
    notes.push(`Playwright: skipped (no ${chromium}; apt-get install chromium, or run .ci/run)`);
    return;
  }
  if (webIsStale()) await run('web build', 'npx', ['vite', 'build', '--logLevel', 'warn'], { logFile });
  rmSync('test-results/e2e.json', { force: true });
  // With a PostgreSQL server (CI), the journeys' servers run on it, one database per spec file
  // (e2e/fixtures.ts); E2E_ENGINE=pglite keeps them on the embedded engine the demo uses.
  const e2eDb = process.env.E2E_ENGINE === 'pglite' ? '' : (process.env.E2E_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '');
  if (e2eDb) notes.push('Playwright: journeys on the PostgreSQL server (E2E_ENGINE=pglite for the embedded engine)');
  // Where the journeys' time goes (server starts, logins, axe scans), summed when they end.
  const profile = path.resolve('test-results/e2e-profile.jsonl');
  rmSync(profile, { force: true });
  const code = await run('Playwright', 'npx', ['playwright', 'test'], { env: { E2E_DATABASE_URL: e2eDb, E2E_PROFILE: profile }, logFile });
  if (existsSync(profile) && existsSync('test-results/e2e.json')) {
    const summary = execFileSync(process.execPath, ['scripts/e2e-profile.mjs', profile, 'test-results/e2e.json'], { encoding: 'utf8' });
    notes.push(`Playwright, where the time went (E2E_PROFILE, docs/TESTING.md):\n${summary.trimEnd().replace(/^/gm, '  ')}`);
  }
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

/** Runs `f` with its output in test-results/<name>.log, printed when it ends. */
async function beside(name, f) {
  const logFile = path.resolve('test-results', `${name}.log`);
  console.log(`\n(${name} runs alongside; its output follows when it ends: ${path.relative('.', logFile)})`);
  await f(logFile);
  console.log(`\n===== ${name} (ran alongside) =====\n${readFileSync(logFile, 'utf8')}===== end of ${name} =====`);
}

const only = process.argv[2]?.split(',');
const want = (tier) => !only || only.includes(tier) || (only.includes('unit') && (tier === 'pglite' || tier === 'postgres'));
const pgUrl = process.env.TEST_DATABASE_URL;
/** '1': Vitest on PostgreSQL beside Playwright, after Vitest on PGlite; 'all': the three tiers at once. */
const sideBySide = ['1', 'all'].includes(process.env.TEST_SIDE_BY_SIDE ?? '') ? process.env.TEST_SIDE_BY_SIDE : '';
const t0 = Date.now();

const pgliteTier = (logFile) => vitest('Vitest on PGlite', 'test-results/vitest-pglite.json', { TEST_DATABASE_URL: '' }, logFile);
// The PostgreSQL tier runs the files that reach the database engine (scripts/lib/engine-files.mjs, from
// the import graph); the others compute the same on either engine and ran on PGlite. PG_ALL_FILES=1: all.
const pgFiles = () => {
  if (process.env.PG_ALL_FILES === '1') return [];
  const { engine, pure } = engineFiles();
  notes.push(`Vitest on PostgreSQL: the ${engine.length} files that reach the database engine (${pure.length} engine-independent files ran on PGlite only)`);
  return engine;
};
const pgTier = pgUrl
  ? (logFile) => vitest('Vitest on PostgreSQL', 'test-results/vitest-postgres.json', { TEST_DATABASE_URL: pgUrl }, logFile, pgFiles())
  : null;
if (want('postgres') && !pgUrl) notes.push('Vitest on PostgreSQL: skipped (set TEST_DATABASE_URL to a PostgreSQL server to run it; .ci/run does)');
// TEST_BARS=1 (.ci/run): the S7 / M7 / M2 checks (scripts/bars.mjs) run after Vitest on PostgreSQL,
// beside the journeys' last minutes — the journeys wait on the browser more than they use the
// cores, and the checks are mostly app instances starting (42 s as a step of their own after all
// the tiers). Each uses PostgreSQL clusters of its own. A failure fails `npm test`.
const bars = process.env.TEST_BARS === '1' && sideBySide === '1';
const barsTier = async (logFile) => {
  const code = await run('S7 / M7 / M2 (scripts/bars.mjs)', process.execPath, ['scripts/bars.mjs'], { logFile });
  if (code !== 0) failed += 1;
  notes.push(`S7 / M7 / M2 (scripts/bars.mjs): ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
};
if (sideBySide === 'all' && want('e2e')) {
  // Playwright streams (its list reporter shows progress); the Vitest tiers beside it.
  await Promise.all([
    playwright(),
    want('pglite') ? beside('vitest-pglite', pgliteTier) : null,
    want('postgres') && pgTier ? beside('vitest-postgres', pgTier) : null,
  ]);
} else {
  if (want('pglite')) await pgliteTier();
  if (want('postgres') && pgTier && want('e2e') && sideBySide)
    await Promise.all([playwright(), beside('vitest-postgres', pgTier).then(() => (bars ? beside('bars', barsTier) : null))]);
  else {
    if (want('postgres') && pgTier) await pgTier();
    if (want('e2e')) await playwright();
  }
}

console.log(`\n${notes.join('\n')}`);
if (times.length) {
  const all = `all tiers: ${((Date.now() - t0) / 1000).toFixed(0)} s${sideBySide ? ` (TEST_SIDE_BY_SIDE=${sideBySide})` : ''}`;
  console.log(`Time per tier: ${times.join(', ')}; ${all}`);
  // .ci/run prints these again in its summary at the end.
  writeFileSync('test-results/tier-times.txt', `${[...times, all].join('\n')}\n`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
