#!/usr/bin/env node
// Bar M7: nothing acknowledged is lost when PostgreSQL crashes; the API answers 503 while it is
// down and recovers by itself within 10 s. On a PostgreSQL cluster of its own (never a shared
// server): one ROAMS instance in demo mode, WRITERS clients each creating post names (an audited
// write: POST /api/v1/org/post-names) in a loop; after LOAD_S seconds `pg_ctl stop -m immediate`
// (a crash: no checkpoint, backends killed), DOWN_S seconds later `pg_ctl start` (crash recovery
// from the WAL). Then it checks:
//   - while down, every answer is 503 with the problem code `db_unavailable` (never a 500, never
//     a hang: no request took more than 5 s);
//   - a write succeeds again within 10 s of the database being back, without restarting the app;
//   - every write a client got 201 for is stored (its code is in post_names); writes that failed
//     may or may not be stored (the client never heard) and are only counted.
// Prints the figures; exits 1 on any failure. Usage: node scripts/db-crash.mjs
import pg from 'pg';
import { freePort, login, percentile, request, sleep, startApp, startCluster } from './lib/stack.mjs';

const WRITERS = Number(process.env.WRITERS ?? 8);
const LOAD_S = Number(process.env.LOAD_S ?? 3);
const DOWN_S = Number(process.env.DOWN_S ?? 4);
const AFTER_S = Number(process.env.AFTER_S ?? 3);
const HANG_MS = 5000;
const RECOVER_MS = 10_000;

const t0 = Date.now();
const failures = [];
const cluster = await startCluster();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = `/tmp/roams-db-crash-${process.pid}`;
const app = startApp({ port, name: 'app', env: { ROAMS_MODE: 'demo', DATABASE_URL: cluster.url, DATA_DIR: dataDir, FILES_DIR: `${dataDir}/files` } });
try {
  const readyMs = await app.ready;
  console.log(`PostgreSQL cluster on :${cluster.port}; app healthy in ${(readyMs / 1000).toFixed(1)} s (demo data seeded)`);
  const session = await login(base, 'finance_admin');

  /** phase: 'up' | 'down' | 'back' — when each request was sent. */
  let phase = 'up';
  let stopping = false;
  const results = [];
  const writer = async (w) => {
    for (let n = 0; !stopping; n++) {
      const code = `M7-${w}-${n}`;
      const sentIn = phase;
      const sentAt = Date.now();
      const r = await request(`${base}/api/v1/org/post-names`, {
        method: 'POST',
        session,
        body: { code, nameEn: `Crash test ${w}/${n}`, nameHi: `परीक्षण ${w}/${n}` },
        timeoutMs: 15_000,
      });
      results.push({ code, sentIn, sentAt, doneAt: Date.now(), status: r.status, ms: r.ms, problem: r.body?.code, contentType: r.contentType, error: r.error });
      // While the database is down answers come back at once; do not spin.
      if (r.status !== 201) await sleep(50);
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

  await sleep(LOAD_S * 1000);
  const tCrash = Date.now();
  await cluster.stop('immediate');
  // pg_ctl returns once the server is gone; a write sent while it was being stopped may still
  // have committed (and been answered 201), so "down" starts here, not at tCrash.
  const tDown = Date.now();
  phase = 'down';
  console.log(`pg_ctl stop -m immediate after ${LOAD_S} s of load (took ${Date.now() - tCrash} ms)`);
  await sleep(DOWN_S * 1000);
  phase = 'back';
  const tStart = Date.now();
  await cluster.start();
  const tBack = Date.now();
  console.log(`pg_ctl start (crash recovery) took ${tBack - tStart} ms`);
  console.log(`pg_ctl start after ${((tBack - tCrash) / 1000).toFixed(1)} s down (crash recovery done when it returns)`);
  // Recovery: the first write sent after the database returned that succeeded.
  let firstOk;
  while (Date.now() - tBack < RECOVER_MS + 5000) {
    firstOk = results.find((r) => r.sentAt >= tBack && r.status === 201);
    if (firstOk) break;
    await sleep(50);
  }
  await sleep(AFTER_S * 1000);
  stopping = true;
  await Promise.all(writers);

  // What the database holds, compared with what the clients were told.
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const stored = new Set((await client.query(`select code from post_names where code like 'M7-%'`)).rows.map((r) => r.code));
  await client.end();

  const acked = results.filter((r) => r.status === 201);
  const lost = acked.filter((r) => !stored.has(r.code));
  const unacked = results.filter((r) => r.status !== 201);
  const unackedStored = unacked.filter((r) => stored.has(r.code)).length;
  // "While down": sent after the server was gone and answered before the restart began. Writes
  // sent during the stop itself are held to the other checks (no 500, none lost, none hanging).
  const down = results.filter((r) => r.sentAt >= tDown && r.doneAt <= tStart);
  const downBad = down.filter((r) => r.status !== 503 || r.problem !== 'db_unavailable' || !r.contentType.startsWith('application/problem+json'));
  const around = results.filter((r) => r.doneAt >= tCrash && r.status !== 201);
  const byStatus = {};
  for (const r of around) byStatus[`${r.status}${r.problem ? ` ${r.problem}` : ''}`] = (byStatus[`${r.status}${r.problem ? ` ${r.problem}` : ''}`] ?? 0) + 1;
  const slow = results.filter((r) => r.ms > HANG_MS);
  const s500 = results.filter((r) => r.status >= 500 && r.status !== 503);
  const recoverMs = firstOk ? firstOk.doneAt - tBack : undefined;

  console.log(`\nwrites: ${results.length} sent by ${WRITERS} clients, ${acked.length} acknowledged (201), ${unacked.length} refused`);
  console.log(
    `while down (${down.length} answers): ${down.length - downBad.length} were 503 db_unavailable; p50 ${percentile(
      down.map((r) => r.ms),
      50,
    ).toFixed(0)} ms, max ${Math.max(0, ...down.map((r) => r.ms)).toFixed(0)} ms`,
  );
  console.log(`every non-201 answer from the crash on: ${JSON.stringify(byStatus)}`);
  console.log(
    `recovered: first acknowledged write ${recoverMs === undefined ? 'never' : `${(recoverMs / 1000).toFixed(2)} s`} after the database was back (bar: < ${RECOVER_MS / 1000} s)`,
  );
  console.log(`acknowledged and stored: ${acked.length - lost.length}/${acked.length}; refused but stored anyway (the client never heard): ${unackedStored}`);

  if (acked.filter((r) => r.sentAt < tCrash).length === 0) failures.push('no write was acknowledged before the crash: the load did not run');
  if (down.length === 0) failures.push('no request was answered while the database was down');
  if (downBad.length) failures.push(`${downBad.length} answers while down were not 503 db_unavailable, e.g. ${JSON.stringify(downBad[0])}`);
  if (s500.length) failures.push(`${s500.length} answers were 5xx other than 503, e.g. ${JSON.stringify(s500[0])}`);
  if (slow.length) failures.push(`${slow.length} requests took longer than ${HANG_MS} ms (max ${Math.max(...slow.map((r) => r.ms)).toFixed(0)} ms)`);
  if (recoverMs === undefined || recoverMs > RECOVER_MS) failures.push(`no acknowledged write within ${RECOVER_MS / 1000} s of the database returning`);
  if (lost.length)
    failures.push(
      `${lost.length} acknowledged writes are not stored: ${lost
        .slice(0, 5)
        .map((r) => r.code)
        .join(', ')}`,
    );
  if (app.child.exitCode !== null) failures.push(`the app exited (${app.child.exitCode}) during the test`);
} catch (e) {
  failures.push(e instanceof Error ? e.message : String(e));
} finally {
  await app.stop();
  cluster.destroy();
}
console.log(`\ntook ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (failures.length) {
  console.log(`FAILED (bar M7):\n- ${failures.join('\n- ')}`);
  console.log(`app log (last lines):\n${app.lines.slice(-15).join('\n')}`);
  process.exit(1);
}
console.log('PASSED (bar M7): 503 while down, recovered by itself, no acknowledged write lost');
