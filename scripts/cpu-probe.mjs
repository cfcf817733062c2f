#!/usr/bin/env node
// How fast this machine is, right now: a fixed single-threaded workload (hashing, JSON, string
// work and sorting — the kinds of work the suite does), timed by the median of five rounds.
// `.ci/run` prints it beside the tiers' times, because the same commit's CI took 765 s on one
// session's machine and 1,583 s on another's (docs/TESTING.md, session of 2026-12-07, eighth):
// a run's time can only be read against the machine it ran on.
import { createHash } from 'node:crypto';

function round() {
  const t0 = process.hrtime.bigint();
  const h = createHash('sha256');
  const block = Buffer.alloc(1 << 20, 7);
  for (let i = 0; i < 64; i++) h.update(block);
  h.digest();
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `worker ${i}`, wage: (i * 7919) % 100_000, days: i % 31 }));
  for (let i = 0; i < 5; i++) JSON.parse(JSON.stringify(rows));
  let s = '';
  for (let i = 0; i < 200_000; i++) s += String.fromCharCode(65 + (i % 26));
  s.split('').reverse().join('');
  rows.map((r) => (r.wage * 31 + r.days) % 1_000_003).sort((a, b) => a - b);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

round(); // warm-up
const times = Array.from({ length: 5 }, round).sort((a, b) => a - b);
console.log(`CPU probe (scripts/cpu-probe.mjs, one core): ${times[2].toFixed(0)} ms (rounds ${times.map((t) => t.toFixed(0)).join(', ')})`);
