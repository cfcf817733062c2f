#!/usr/bin/env node
// Sums the timings E2E_PROFILE=<file> made the journeys write (e2e/helpers.ts `profile`): per kind,
// how many, the seconds in all and the mean. `node scripts/e2e-profile.mjs <file> [playwright json]`;
// with Playwright's JSON report, also the sum of the tests' durations the kinds are part of.
import { readFileSync } from 'node:fs';

const [file, report] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/e2e-profile.mjs <E2E_PROFILE file> [test-results/e2e.json]');
  process.exit(2);
}
const kinds = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const { kind, ms } = JSON.parse(line);
  const k = kinds.get(kind) ?? { n: 0, ms: 0 };
  k.n += 1;
  k.ms += ms;
  kinds.set(kind, k);
}
let tests = 0;
if (report) {
  const walk = (s) => {
    for (const spec of s.specs ?? []) for (const t of spec.tests) for (const r of t.results) tests += r.duration;
    for (const c of s.suites ?? []) walk(c);
  };
  for (const s of JSON.parse(readFileSync(report, 'utf8')).suites) walk(s);
}
for (const [kind, { n, ms }] of [...kinds].sort((a, b) => b[1].ms - a[1].ms)) {
  const share = tests ? ` (${((100 * ms) / tests).toFixed(0)} % of the tests' time)` : '';
  console.log(`${kind.padEnd(24)} ${String(n).padStart(4)} × ${(ms / n / 1000).toFixed(2)} s = ${(ms / 1000).toFixed(0).padStart(5)} s${share}`);
}
if (tests) console.log(`${'tests (sum of durations)'.padEnd(24)} ${(tests / 1000).toFixed(0)} s`);
