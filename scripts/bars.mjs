#!/usr/bin/env node
// Bars S7, M7 and M2 (docs/SCALING.md, docs/PAYMENTS.md), each on a PostgreSQL cluster of its own:
// scripts/scale-out.mjs, scripts/db-crash.mjs and scripts/m2-kill.mjs --quick side by side (most of
// each is app instances starting), their logs printed whole when all end (M2's per-point lines
// left out). Exits 1 when any failed. `.ci/run` runs it inside `npm test`, beside the journeys'
// last minutes (TEST_BARS=1, scripts/test.mjs); `node scripts/bars.mjs` runs it alone.
import { spawn } from 'node:child_process';

const CHECKS = [
  ['scale-out (S7)', ['scripts/scale-out.mjs']],
  ['database crash (M7)', ['scripts/db-crash.mjs']],
  ['kill around COMMIT (M2)', ['scripts/m2-kill.mjs', '--quick']],
];

const results = await Promise.all(
  CHECKS.map(
    ([name, args]) =>
      new Promise((resolve) => {
        let log = '';
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (d) => {
          log += d;
        });
        child.stderr.on('data', (d) => {
          log += d;
        });
        child.on('close', (code) => resolve({ name, code: code ?? 1, log }));
      }),
  ),
);
let failed = 0;
for (const r of results) {
  // m2-kill prints a line per kill point ("pay 3/6 kill …"): the summary lines are the ones kept.
  const text = r.name.includes('M2')
    ? r.log
        .split('\n')
        .filter((l) => !/^[a-z]* \d+\/\d+ kill/.test(l))
        .join('\n')
    : r.log;
  console.log(`--- ${r.name}${r.code === 0 ? '' : ` FAILED (exit ${r.code})`}\n${text.trimEnd()}`);
  if (r.code !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
