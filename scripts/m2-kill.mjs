#!/usr/bin/env node
// Bar M2: a crash around the COMMIT of a payment never pays twice and never half-writes. On a
// PostgreSQL cluster of its own (never a shared server): ROAMS in demo mode; the demo's
// acknowledged bill awaiting payment (PAYDEMO/2, payment.demo.ts). For each of POINTS
// points: the DDO asks for a second-factor code, sends "record payment" (₹1, its own UTR and
// Idempotency-Key), and the server is SIGKILLed DELAY ms after the request left — the delay swept
// from 0 to MAX_DELAY_MS so the kill lands before, during and after the transaction and its
// COMMIT. The server is restarted and the same request (same key, same code) sent again. Checks
// after each point and at the end:
//   - the retry answers 201 (a replay when the first attempt had committed);
//   - exactly one payment row per key and per UTR; the bill's paid total is the sum of its rows
//     and equals ₹1 × points; one `payment` audit entry per payment (nothing half-written).
// The second-factor rate limit (five codes an hour) would stop the run after five points: the
// script ages the DDO's used codes in its own database (created_at − 2 h) before asking again.
// Usage: node scripts/m2-kill.mjs   (POINTS=50 MAX_DELAY_MS=120 by default)
import pg from 'pg';
import { freePort, login, request, sleep, startApp, startCluster } from './lib/stack.mjs';

const POINTS = Number(process.env.POINTS ?? 50);
const MAX_DELAY_MS = Number(process.env.MAX_DELAY_MS ?? 120);
const t0 = Date.now();
const failures = [];
const cluster = await startCluster();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = `/tmp/roams-m2-${process.pid}`;
const env = { ROAMS_MODE: 'demo', DATABASE_URL: cluster.url, DATA_DIR: dataDir, FILES_DIR: `${dataDir}/files` };
let app = startApp({ port, name: 'app', env });
const db = new pg.Client({ connectionString: cluster.url });
const q = async (text, params = []) => (await db.query(text, params)).rows;
const today = new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
let committedFirst = 0;

/** POST with the session and an Idempotency-Key; never throws: `{ status, text }` (0: no answer). */
async function post(url, session, body, key, timeoutMs) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { status: 0, text: e instanceof Error ? e.message : String(e) };
  }
}
try {
  const readyMs = await app.ready;
  console.log(`app healthy in ${(readyMs / 1000).toFixed(1)} s (demo data seeded)`);
  await db.connect();
  const [bill] = await q(
    `select b.id, b.net_payable_paise::int as net from bills b join invoices i on i.id = b.invoice_id where i.invoice_no = 'PAYDEMO/2' and b.status = 'acknowledged'`,
  );
  if (!bill) throw new Error('no acknowledged demo bill (PAYDEMO/2)');
  const [ddo] = await q(`select id, mobile from users where username = 'ddo_bhopal'`);
  if (bill.net < POINTS * 100) throw new Error(`bill ${bill.id} pays ${bill.net} paise, fewer than ${POINTS} rupees`);
  let restartMs = 0;
  for (let i = 0; i < POINTS; i++) {
    await q(`update otps set created_at = created_at - interval '2 hours' where user_id = $1 and purpose = 'second_factor'`, [ddo.id]);
    const session = await login(base, 'ddo_bhopal');
    const sent = await request(`${base}/api/v1/auth/step-up`, { method: 'POST', session, body: {} });
    if (sent.status !== 200) throw new Error(`step-up ${sent.status} ${sent.text}`);
    let code;
    for (let k = 0; k < 50 && !code; k++) {
      const [m] = await q(
        `select coalesce(o.params->>'code', substring(s.body from '\\m(\\d{6})\\M')) as code
           from (select 1) x left join lateral (select params from outbox where recipient = $1 and template = 'auth.sms.second_factor' order by id desc limit 1) o on true
           left join lateral (select body from sandbox_messages where recipient = $1 order by id desc limit 1) s on true`,
        [ddo.mobile],
      );
      code = m?.code;
      if (!code) await sleep(100);
    }
    const key = `m2-kill-${process.pid}-${i}`;
    const body = { billId: bill.id, payeeSeq: 1, payDate: today, utr: `M2K${String(i).padStart(4, '0')}`, amountPaise: 100, code };
    const delay = Math.round((i / Math.max(1, POINTS - 1)) * MAX_DELAY_MS);
    const first = post(`${base}/api/v1/payments`, session, body, key, 5000);
    await sleep(delay);
    app.child.kill('SIGKILL');
    const r1 = await first;
    if (r1.status === 201) committedFirst += 1;
    await app.exited;
    const tr = Date.now();
    app = startApp({ port, name: 'app', env });
    await app.ready;
    restartMs += Date.now() - tr;
    const r2 = await post(`${base}/api/v1/payments`, session, body, key, 15_000);
    if (r2.status !== 201) failures.push(`point ${i} (kill at ${delay} ms): retry answered ${r2.status} ${r2.text}`);
    const [row] = await q(
      `select (select count(*)::int from payments where idempotency_key = $1) as by_key, (select count(*)::int from payments where utr = $2) as by_utr`,
      [key, body.utr],
    );
    if (row.by_key !== 1 || row.by_utr !== 1) failures.push(`point ${i}: ${row.by_key} rows for the key, ${row.by_utr} for the UTR`);
    process.stdout.write(
      `${i + 1}/${POINTS} kill at ${delay} ms: first ${r1.status || 'no answer'}, retry ${r2.status}${r2.status === 201 && r1.status === 201 ? ' (replay)' : ''}\n`,
    );
  }
  const [tot] = await q(
    `select count(*)::int as n, coalesce(sum(amount_paise), 0)::int as paid,
            (select count(*)::int from audit_log where entity = 'bill' and entity_id = $1 and action = 'payment') as audits
       from payments where bill_id = $1 and utr like 'M2K%'`,
    [bill.id],
  );
  if (tot.n !== POINTS || tot.paid !== POINTS * 100) failures.push(`expected ${POINTS} payments of ₹1, found ${tot.n} paying ${tot.paid} paise`);
  if (tot.audits !== tot.n) failures.push(`${tot.audits} payment audit entries for ${tot.n} payments`);
  console.log(
    `${POINTS} kill points (0–${MAX_DELAY_MS} ms): ${committedFirst} first attempts answered before the kill, ${POINTS - committedFirst} killed in flight; ` +
      `${tot.n} payments, ${tot.paid} paise, ${tot.audits} audit entries; mean restart ${(restartMs / POINTS / 1000).toFixed(1)} s; total ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
} catch (e) {
  failures.push(e instanceof Error ? e.message : String(e));
} finally {
  await db.end().catch(() => {});
  await app.stop().catch(() => {});
  cluster.destroy();
}
if (failures.length) {
  console.error(`M2 FAILED:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('M2 ok: nothing paid twice, nothing half-written');
