import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/harness.ts';
import type { Database } from './client.ts';
import { readAll } from './read-all.ts';

let database: Database & { drop: () => Promise<void> };
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('readAll', () => {
  it('gives the results in order on the pool and in a transaction, where the reads run one after another', async () => {
    const q = (n: number) => async () => (await database.db.execute<{ n: number }>(sql`select ${n}::int as n`)).rows[0]!.n;
    expect(await readAll(database.db, [q(1), q(2), async () => 'three'])).toEqual([1, 2, 'three']);
    const order: string[] = [];
    const inTx = await database.db.transaction(async (tx) => {
      const step = (name: string, ms: number) => async () => {
        order.push(`${name} start`);
        await tx.execute(sql`select pg_sleep(${ms / 1000})`);
        order.push(`${name} end`);
        return name;
      };
      return readAll(tx, [step('a', 30), step('b', 0)]);
    });
    expect(inTx).toEqual(['a', 'b']);
    // Inside the transaction the second read starts only after the first has ended.
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });
});
