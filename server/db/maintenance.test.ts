import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from './client.ts';
import { runDueJobs } from '../platform/jobs/jobs.ts';
import { embeddedMaintenanceJob, runEmbeddedMaintenance } from './maintenance.ts';

// engine: PGlite only — the embedded database's maintenance, on one opened here (scripts/lib/engine-files.mjs).
const DAY = 24 * 3600_000;

describe('embedded database maintenance (bar S6)', () => {
  let d: Database;
  beforeAll(async () => {
    d = await openDatabase({ dataDir: null });
    await migrateDatabase(d);
  });
  afterAll(async () => {
    await d.close();
  });

  it('vacuums and analyses once per day, however many instances ask at once', async () => {
    await d.pool.query('create table t_churn (v int)');
    await d.pool.query('insert into t_churn select generate_series(1, 2000)');
    await d.pool.query('delete from t_churn where v % 2 = 0');
    // The delete's dead-row count reaches the statistics at the backend's next flush (at most
    // once a second), which could land after the VACUUM and undo its zero: flush it now.
    await d.pool.query('select pg_stat_force_next_flush()');
    await d.pool.query('select 1');
    const t0 = new Date('2026-12-01T00:00:00Z');
    const jobs = embeddedMaintenanceJob(d);
    const tick = (at: Date, instance: string) => runDueJobs(d.db, jobs, { instance, now: () => at });
    const runs = (await Promise.all([tick(t0, 'a'), tick(t0, 'b'), tick(t0, 'c')])).flat();
    expect(runs.filter((r) => r.ran)).toHaveLength(1);
    // ANALYZE ran: the planner now knows the table's row count.
    const { rows } = await d.db.execute<{ n: number; dead: number }>(
      sql`select c.reltuples::int as n, s.n_dead_tup::int as dead from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.relname = 't_churn'`,
    );
    expect(rows[0]?.n).toBe(1000);
    expect(rows[0]?.dead).toBe(0);
    // Within the day nobody runs it again; the next day, one caller does.
    expect((await tick(new Date(t0.getTime() + DAY - 1000), 'a'))[0]?.ran).toBe(false);
    expect((await tick(new Date(t0.getTime() + DAY), 'b'))[0]?.ran).toBe(true);
  });

  it('does nothing on a PostgreSQL server (autovacuum does it there)', async () => {
    const fake = { ...d, engine: 'postgres' as const };
    expect(embeddedMaintenanceJob(fake)).toEqual([]);
    expect((await runEmbeddedMaintenance(fake)).ran).toBe(false);
  });
});
