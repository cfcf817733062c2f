import { sql } from 'drizzle-orm';
import type { Database, Db } from './client.ts';

/**
 * Maintenance of the embedded database (bar S6). PGlite has no autovacuum: without VACUUM its
 * tables keep every dead row version an update or delete leaves (sessions are touched every
 * minute, outbox rows and login attempts come and go), and without ANALYZE the planner works
 * from the statistics of the day the tables were loaded. A PostgreSQL server does both itself,
 * so this job runs only on PGlite.
 *
 * Claimed through the database, not by a timer alone: a run first moves the `meta` row
 * `maintenance.vacuum` forward in one atomic statement, and only the caller whose update
 * matched (the last run is older than the period) goes on. Two timers, two instances or a
 * restart within the period therefore never run it twice.
 */
const KEY = 'maintenance.vacuum';
export const MAINTENANCE_PERIOD_MS = 24 * 3600_000;

/** Takes the run if the last one is older than `periodMs`; true when this caller won it. */
export async function claimRun(db: Db, key: string, now: Date, periodMs: number): Promise<boolean> {
  const since = new Date(now.getTime() - periodMs);
  const r = await db.execute<{ key: string }>(sql`
    insert into meta (key, value, updated_at) values (${key}, ${JSON.stringify({ lastRunAt: now.toISOString() })}::jsonb, ${now})
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
      where meta.updated_at <= ${since}
    returning key`);
  return r.rows.length === 1;
}

export type MaintenanceResult = { ran: boolean; ms: number };

/** One maintenance pass if due: VACUUM (ANALYZE) of the whole database; PGlite only. */
export async function runEmbeddedMaintenance(database: Database, now: Date, periodMs = MAINTENANCE_PERIOD_MS): Promise<MaintenanceResult> {
  if (database.engine !== 'pglite') return { ran: false, ms: 0 };
  if (!(await claimRun(database.db, KEY, now, periodMs))) return { ran: false, ms: 0 };
  const t = performance.now();
  // Outside a transaction (VACUUM refuses one); PGlite's single connection serialises it with
  // requests, which is why it runs once a day and is cheap when little changed.
  await database.pool.query('vacuum (analyze)');
  return { ran: true, ms: Math.round(performance.now() - t) };
}

/**
 * Checks every `checkMs` (1 h) whether a pass is due and runs it. Errors are logged, never
 * thrown: the next check retries. Returns a stop function.
 */
export function startEmbeddedMaintenance(
  database: Database,
  opts: { checkMs?: number; periodMs?: number; now?: () => Date; log?: (msg: string, e?: unknown) => void } = {},
) {
  if (database.engine !== 'pglite') return { stop: async () => {} };
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? ((msg, e) => console.error(msg, e));
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = runEmbeddedMaintenance(database, now(), opts.periodMs).catch((e) => log('embedded database maintenance failed', e));
  };
  tick();
  const timer = setInterval(tick, opts.checkMs ?? 3600_000);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
