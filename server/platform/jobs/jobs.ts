import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/**
 * Scheduled jobs, claimed through the database (bar S7). Every app instance runs the same timers;
 * what keeps a job from running twice is PostgreSQL, not the timer: time is cut into slots of the
 * job's period (UTC, from the epoch: a 6-hour job has the slots 00:00, 06:00, 12:00 and 18:00),
 * and a tick runs the job only if its insert of (job, slot) into `job_runs` went in. The primary
 * key decides between instances, on PGlite and on a server alike.
 *
 * A run that failed, or whose instance died mid-run (status still `running`), may be taken again
 * once `leaseMs` has passed since it started; a finished run never. So a job must finish within
 * its lease (default 30 min) and, like every job here, be safe to run again after a crash: the
 * contract alerts check what was already sent, the outbox claims each message with
 * FOR UPDATE SKIP LOCKED, VACUUM is idempotent.
 *
 * How to add a job: give your module manifest `jobs: [{ name: '<module>.<what>', everyMs, run }]`
 * (server/platform/module.ts); server/main.ts hands every module's jobs to one runner. A job
 * whose work is a queue of rows (like the outbox) claims the rows themselves with
 * `FOR UPDATE SKIP LOCKED` and may run in every instance at once.
 */
export type JobSpec = {
  /** Unique, `<module>.<what>`, e.g. `contract.daily_alerts`. */
  name: string;
  /** The period: one run per slot of this length. */
  everyMs: number;
  /** How long a started run holds its slot before another instance may retry it. */
  leaseMs?: number;
  run: (ctx: { db: Db; now: Date }) => Promise<unknown>;
};

const DEFAULT_LEASE_MS = 30 * 60_000;
/** Runs older than this are deleted by the runner (a finished slot is never looked at again). */
const KEEP_DAYS = 90;

/** The start of the slot `now` falls in, as an ISO string. */
export function slotOf(now: Date, everyMs: number): string {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs).toISOString();
}

export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Takes the job's current slot for `instance`: true when this caller won it (the first to ask, or
 * the first after an unfinished run's lease ran out). One statement, so two instances asking at
 * the same moment cannot both win.
 */
export async function claimSlot(db: Db, job: string, slot: string, instance: string, now: Date, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
  const staleBefore = new Date(now.getTime() - leaseMs);
  const r = await db.execute<{ job: string }>(sql`
    insert into job_runs (job, slot, instance, started_at) values (${job}, ${slot}, ${instance}, ${now})
    on conflict (job, slot) do update
      set instance = excluded.instance, started_at = excluded.started_at, status = 'running',
          attempts = job_runs.attempts + 1, finished_at = null, error = null
      where job_runs.status <> 'done' and job_runs.started_at <= ${staleBefore}
    returning job`);
  return r.rows.length === 1;
}

async function finish(db: Db, job: string, slot: string, instance: string, at: Date, error: string | null) {
  await db.execute(sql`
    update job_runs set status = ${error === null ? 'done' : 'failed'}, finished_at = ${at}, error = ${error}
    where job = ${job} and slot = ${slot} and instance = ${instance}`);
}

export type TickResult = { job: string; slot: string; ran: boolean; error?: string };

/**
 * Runs every job whose current slot nobody has taken yet, one after another. Errors are recorded
 * in the job's row and logged, never thrown: a failed slot is retried after its lease, and the
 * next slot runs anyway.
 */
export async function runDueJobs(
  db: Db,
  jobs: readonly JobSpec[],
  opts: { instance: string; now: () => Date; log?: (msg: string, e?: unknown) => void },
): Promise<TickResult[]> {
  const out: TickResult[] = [];
  for (const j of jobs) {
    const now = opts.now();
    const slot = slotOf(now, j.everyMs);
    let won = false;
    try {
      won = await claimSlot(db, j.name, slot, opts.instance, now, j.leaseMs);
      if (!won) {
        out.push({ job: j.name, slot, ran: false });
        continue;
      }
      await j.run({ db, now });
      await finish(db, j.name, slot, opts.instance, opts.now(), null);
      out.push({ job: j.name, slot, ran: true });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.(`job ${j.name} (${slot}) failed`, e);
      if (won) await finish(db, j.name, slot, opts.instance, opts.now(), message.slice(0, 500)).catch(() => {});
      out.push({ job: j.name, slot, ran: won, error: message });
    }
  }
  if (out.some((r) => r.ran)) {
    await db.execute(sql`delete from job_runs where started_at < ${new Date(opts.now().getTime() - KEEP_DAYS * 86_400_000)}`).catch(() => {});
  }
  return out;
}

/**
 * Checks every `tickMs` (default one minute) which jobs are due and runs them; the first check
 * is at once. `stop()` waits for a run in progress (graceful shutdown).
 */
export function startJobRunner(
  db: Db,
  jobs: readonly JobSpec[],
  opts: { tickMs?: number; now?: () => Date; instance?: string; log?: (msg: string, e?: unknown) => void } = {},
) {
  const names = new Set<string>();
  for (const j of jobs) {
    if (names.has(j.name)) throw new Error(`two scheduled jobs are named ${j.name}`);
    names.add(j.name);
  }
  const ctx = {
    instance: opts.instance ?? instanceId(),
    now: opts.now ?? (() => new Date()),
    log: opts.log ?? ((msg: string, e?: unknown) => console.error(msg, e)),
  };
  let stopped = false;
  let busy = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    // A tick while the last one still runs is skipped, not queued.
    if (stopped || busy || jobs.length === 0) return;
    busy = true;
    running = runDueJobs(db, jobs, ctx)
      .catch((e) => ctx.log('scheduled jobs failed', e))
      .finally(() => {
        busy = false;
      });
  };
  tick();
  const timer = setInterval(tick, opts.tickMs ?? 60_000);
  timer.unref?.();
  return {
    instance: ctx.instance,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
