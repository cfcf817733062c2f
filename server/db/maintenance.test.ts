import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from './client.ts';
import { claimRun, runEmbeddedMaintenance } from './maintenance.ts';

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

  it('vacuums and analyses once per period, however many callers ask at once', async () => {
    await d.pool.query('create table t_churn (v int)');
    await d.pool.query('insert into t_churn select generate_series(1, 2000)');
    await d.pool.query('delete from t_churn where v % 2 = 0');
    const t0 = new Date('2026-12-01T00:00:00Z');
    const runs = await Promise.all([runEmbeddedMaintenance(d, t0), runEmbeddedMaintenance(d, t0), runEmbeddedMaintenance(d, t0)]);
    expect(runs.filter((r) => r.ran)).toHaveLength(1);
    // ANALYZE ran: the planner now knows the table's row count.
    const { rows } = await d.db.execute<{ n: number; dead: number }>(
      sql`select c.reltuples::int as n, s.n_dead_tup::int as dead from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.relname = 't_churn'`,
    );
    expect(rows[0]?.n).toBe(1000);
    expect(rows[0]?.dead).toBe(0);
    // Within the period nobody runs it again; after it, one caller does.
    expect((await runEmbeddedMaintenance(d, new Date(t0.getTime() + DAY - 1000))).ran).toBe(false);
    expect((await runEmbeddedMaintenance(d, new Date(t0.getTime() + DAY))).ran).toBe(true);
  });

  it('a claim is taken by one caller only', async () => {
    const now = new Date('2026-12-05T00:00:00Z');
    const won = await Promise.all(Array.from({ length: 5 }, () => claimRun(d.db, 'test.claim', now, DAY)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('does nothing on a PostgreSQL server (autovacuum does it there)', async () => {
    const fake = { ...d, engine: 'postgres' as const };
    expect((await runEmbeddedMaintenance(fake, new Date('2030-01-01T00:00:00Z'))).ran).toBe(false);
  });
});
