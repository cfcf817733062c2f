import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { type Database, migrateDatabase, openDatabase } from './client.ts';

// The embedded database must survive a failing statement: every refusal the app maps from a
// database error (unique violation, trigger refusal, bad input) is followed by more requests.
describe('embedded database (PGlite in a worker)', () => {
  let d: Database;
  beforeAll(async () => {
    d = await openDatabase({ dataDir: null });
  });
  afterAll(async () => {
    await d.close();
  });

  it('answers the next query after a failed simple and a failed parameterised query', async () => {
    await expect(d.pool.query('select 1/0')).rejects.toThrow(/division by zero/);
    expect((await d.pool.query('select 1 as x')).rows).toEqual([{ x: 1 }]);
    await expect(d.pool.query('select $1::int/0', [1])).rejects.toThrow(/division by zero/);
    expect((await d.pool.query('select $1::int as x', [2])).rows).toEqual([{ x: 2 }]);
  });

  it('rolls back a failed transaction and keeps serving, with nothing of it saved', async () => {
    await d.pool.query('create table t_probe (v int unique)');
    for (let i = 0; i < 3; i++) {
      await expect(
        d.db.transaction(async (tx) => {
          await tx.execute(sql`insert into t_probe values (${100 + i})`);
          await tx.execute(sql`insert into t_probe values (${1}), (${1})`);
        }),
      ).rejects.toThrow();
      const { rows } = await d.db.execute<{ n: number }>(sql`select count(*)::int as n from t_probe`);
      expect(rows[0]?.n).toBe(0);
    }
  });
});

// Several instances starting together on a fresh database (a deploy behind nginx, bar S7): the
// migrations run one instance after another under an advisory lock, and every start succeeds.
describe.skipIf(!process.env.TEST_DATABASE_URL)('migrations on a PostgreSQL server', () => {
  it('three instances migrating one empty database at once all start, and it is migrated once', async () => {
    const server = process.env.TEST_DATABASE_URL ?? '';
    const name = `roams_t_migrate_${process.pid}_${Date.now()}`;
    const admin = await openDatabase({ databaseUrl: server, poolSize: 1 });
    await admin.pool.query(`create database ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const instances = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: url.toString(), poolSize: 2 })));
    try {
      const started = await Promise.allSettled(instances.map((d) => migrateDatabase(d)));
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const [first] = instances;
      const applied = await first!.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      const files = readdirSync(new URL('./migrations', import.meta.url)).filter((f) => f.endsWith('.sql'));
      expect(applied.rows[0].n).toBe(files.length);
    } finally {
      await Promise.all(instances.map((d) => d.close()));
      await admin.pool.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    }
  });
});
