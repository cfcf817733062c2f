import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './client.ts';

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
