import type { JobSpec } from '../platform/jobs/jobs.ts';
import type { Database } from './client.ts';

/**
 * Maintenance of the embedded database (bar S6). PGlite has no autovacuum: without VACUUM its
 * tables keep every dead row version an update or delete leaves (sessions are touched every
 * minute, outbox rows and login attempts come and go), and without ANALYZE the planner works
 * from the statistics of the day the tables were loaded. A PostgreSQL server does both itself,
 * so this job runs only on PGlite.
 *
 * A scheduled job (server/platform/jobs/jobs.ts): once per UTC day across all callers, claimed
 * through the database (`job_runs`), so two timers, two instances or a restart within the day
 * never run it twice.
 */
export const MAINTENANCE_PERIOD_MS = 24 * 3600_000;

export type MaintenanceResult = { ran: boolean; ms: number };

/** One maintenance pass: VACUUM (ANALYZE) of the whole database; PGlite only. */
export async function runEmbeddedMaintenance(database: Database): Promise<MaintenanceResult> {
  if (database.engine !== 'pglite') return { ran: false, ms: 0 };
  const t = performance.now();
  // Outside a transaction (VACUUM refuses one); PGlite's single connection serialises it with
  // requests, which is why it runs once a day and is cheap when little changed.
  await database.pool.query('vacuum (analyze)');
  return { ran: true, ms: Math.round(performance.now() - t) };
}

/** The daily maintenance as a scheduled job; none on a PostgreSQL server (autovacuum does it there). */
export function embeddedMaintenanceJob(database: Database): JobSpec[] {
  if (database.engine !== 'pglite') return [];
  return [{ name: 'maintenance.vacuum', everyMs: MAINTENANCE_PERIOD_MS, run: () => runEmbeddedMaintenance(database) }];
}
