// Shared by scripts/m2-kill.mjs (bar M2): a ROAMS server on a PostgreSQL cluster of its own that
// the script SIGKILLs and restarts, the DDO's second-factor code read from the developer outbox, and
// one kill point — send a keyed request, SIGKILL the server DELAY ms after it left, look at what the
// dead process committed, restart, send the same request (same key, same code) again.
import { rmSync } from 'node:fs';
import pg from 'pg';
import { freePort, login, request, sleep, startApp, startCluster } from './stack.mjs';

/** POST with the session and an Idempotency-Key; never throws: `{ status, ms, body, replayed, text }` (status 0: no answer). */
export async function postKeyed(url, session, body, key, timeoutMs) {
  const t0 = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, ms: performance.now() - t0, body: json, text, replayed: res.headers.get('idempotent-replayed') === 'true' };
  } catch (e) {
    return { status: 0, ms: performance.now() - t0, text: e instanceof Error ? e.message : String(e), replayed: false };
  }
}

/** The cluster, the server process on it (restartable) and a client for checks. */
export class Rig {
  static async start() {
    const rig = new Rig();
    rig.cluster = await startCluster();
    rig.port = await freePort();
    rig.base = `http://127.0.0.1:${rig.port}`;
    const dataDir = `/tmp/roams-m2-${process.pid}`;
    rig.dataDir = dataDir;
    rig.env = { ROAMS_MODE: 'demo', DATABASE_URL: rig.cluster.url, DATA_DIR: dataDir, FILES_DIR: `${dataDir}/files` };
    rig.app = startApp({ port: rig.port, name: 'app', env: rig.env });
    rig.db = new pg.Client({ connectionString: rig.cluster.url });
    rig.restarts = [];
    rig.firstReadyMs = await rig.app.ready;
    await rig.db.connect();
    return rig;
  }

  async q(text, params = []) {
    return (await this.db.query(text, params)).rows;
  }

  /** SIGKILL now (no drain, no shutdown hook). */
  kill() {
    this.app.child.kill('SIGKILL');
  }

  /** Waits for the killed process to be gone, starts a new one and waits until it is healthy. */
  async restart() {
    await this.app.exited;
    const t0 = Date.now();
    this.app = startApp({ port: this.port, name: 'app', env: this.env });
    await this.app.ready;
    this.restarts.push(Date.now() - t0);
  }

  /** A second-factor code for this login, read from the developer outbox (or the SMS sandbox). */
  async stepUpCode(session, username) {
    const [user] = await this.q(`select id, mobile from users where username = $1`, [username]);
    // Five codes an hour per user (step-up.ts): the run needs one per point, so the codes already
    // issued are aged two hours in this throw-away cluster before asking for the next.
    await this.q(`update otps set created_at = created_at - interval '2 hours' where user_id = $1 and purpose = 'second_factor'`, [user.id]);
    // The outbox row holds the code until the worker delivers it (then its params are cleared and
    // the SMS sandbox holds the message): either, newer than the request.
    const [before] = await this.q(`select (select coalesce(max(id), 0) from outbox)::int as o, (select coalesce(max(id), 0) from sandbox_messages)::int as s`);
    const sent = await request(`${this.base}/api/v1/auth/step-up`, { method: 'POST', session, body: {} });
    if (sent.status !== 200) throw new Error(`step-up for ${username}: ${sent.status} ${sent.text ?? sent.error}`);
    for (let k = 0; k < 100; k++) {
      const [m] = await this.q(
        `select coalesce(
           (select params->>'code' from outbox where id > $2 and recipient = $1 and template = 'auth.sms.second_factor' order by id desc limit 1),
           (select substring(body from '\\m(\\d{6})\\M') from sandbox_messages where id > $3 and recipient = $1 order by id desc limit 1)) as code`,
        [user.mobile, before.o, before.s],
      );
      if (m?.code) return m.code;
      await sleep(50);
    }
    throw new Error(`no second-factor code for ${username} in the outbox`);
  }

  login(username) {
    return login(this.base, username);
  }

  async stop() {
    await this.db.end().catch(() => {});
    await this.app.stop().catch(() => {});
    this.cluster.destroy();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * One kill point. `send()` starts the request; the server is SIGKILLed `delayMs` after it left
 * (null: never), or — `killWhen` given — the moment that query (polled every few ms on the
 * script's own connection) first answers true, i.e. just after a COMMIT became visible, before
 * the server could answer; `observe()` then reads what the dead process left in the database
 * (before anything else touches it); the server is restarted and `send()` called again — the
 * retry. Answers `{ first, afterKill, retry, killedAtMs }`.
 */
export async function killPoint(rig, { send, delayMs, killWhen, observe }) {
  const t0 = performance.now();
  const inFlight = send(5_000);
  if (delayMs === null && !killWhen) {
    const first = await inFlight;
    return { first, afterKill: null, retry: null, killedAtMs: null };
  }
  if (killWhen) {
    let settled = false;
    inFlight.then(() => {
      settled = true;
    });
    // Until the commit shows (or the request has been answered: then it is too late anyway).
    while (!settled && performance.now() - t0 < 10_000 && !(await killWhen())) await sleep(2);
  } else await sleep(delayMs);
  rig.kill();
  const killedAtMs = Math.round(performance.now() - t0);
  const first = await inFlight;
  await rig.app.exited;
  const afterKill = await observe();
  await rig.restart();
  const retry = await send(20_000);
  return { first, afterKill, retry, killedAtMs };
}

/** `n` delays spread evenly over [from, to] ms. */
export function spread(n, from, to) {
  return Array.from({ length: n }, (_, i) => Math.round(from + (n === 1 ? 0 : (i / (n - 1)) * (to - from))));
}
