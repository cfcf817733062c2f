import { gt, sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/harness.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Database, Db } from './client.ts';
import * as schema from './schema.ts';
import { executeNamed, selectNamed } from './named.ts';

const probe = pgTable('named_probe', { id: integer('id').primaryKey(), name: text('name').notNull(), at: timestamp('at', { withTimezone: true }).notNull() });

describe('named prepared statements for hot reads (issue 13 item 1)', () => {
  let d: Database & { drop: () => Promise<void> };
  beforeAll(async () => {
    d = await openTestDatabase({ seed: false });
  }, 180_000);
  afterAll(async () => {
    await d.drop();
  });

  /** Runs `f` with a drizzle database on one pooled connection, held for its duration (not a transaction). */
  async function onOneConnection<T>(f: (one: Db) => Promise<T>): Promise<T> {
    const client = await d.pool.connect();
    try {
      return await f(drizzle(client, { schema }) as unknown as Db);
    } finally {
      client.release();
    }
  }

  it('answers as db.execute does, and is prepared once on a connection however often it runs', async () => {
    const q = (n: number) => sql`select g as n, ${'x'}::text as t, now()::timestamptz as at from generate_series(1, ${n}::int) g`;
    const plain = await d.db.execute<{ n: number; t: string; at: string }>(q(3));
    const named = await executeNamed<{ n: number; t: string; at: string }>(d.db, q(3));
    expect(named.rows.map((r) => [r.n, r.t, typeof r.at])).toEqual(plain.rows.map((r) => [r.n, r.t, typeof r.at]));
    // On one pooled connection, held for the test: ten runs with other parameters, one statement.
    const seen = await onOneConnection(async (one) => {
      for (let i = 1; i <= 10; i++) expect((await executeNamed<{ n: number }>(one, q(i))).rows).toHaveLength(i);
      const r = await one.execute<{ n: number }>(
        sql`select count(*)::int as n from pg_prepared_statements where not from_sql and statement like '%generate_series(1, $2::int)%'`,
      );
      return r.rows[0]!.n;
    });
    expect(seen).toBe(1);
  });

  it('a failing statement fails like db.execute and leaves the connection usable', async () => {
    const bad = sql`select 1 / ${0}::int as x`;
    // Wrapped as db.execute wraps it (DrizzleQueryError), with PostgreSQL's error as the cause (22012).
    const codeOf = (e: unknown) => (e as { cause?: { code?: string } }).cause?.code;
    for (const run of [() => d.db.execute(bad), () => executeNamed(d.db, bad), () => executeNamed(d.db, bad)])
      expect(
        codeOf(
          await run().then(
            () => null,
            (e: unknown) => e,
          ),
        ),
      ).toBe('22012');
    expect((await executeNamed<{ x: number }>(d.db, sql`select ${41}::int + 1 as x`)).rows[0]!.x).toBe(42);
    // The failed statement still runs afterwards: named again on the server; on the embedded
    // database (which keeps a failed named statement prepared without telling the driver) unnamed.
    const ok = sql`select 1 / ${2}::int as x`; // the same text as `bad`: the same statement name
    const again = sql`select 1 / ${0}::int as x`;
    expect(
      codeOf(
        await executeNamed(d.db, again).then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    ).toBe('22012');
    expect((await executeNamed<{ x: number }>(d.db, ok)).rows[0]!.x).toBe(0);
  });

  it('a select builder (selectNamed) answers as the builder does, mapped alike, prepared once on a connection', async () => {
    await d.db.execute(sql`create table if not exists named_probe (id int primary key, name text not null, at timestamptz not null)`);
    await d.db.execute(sql`insert into named_probe select g, 'n' || g, now() - g * interval '1 day' from generate_series(1, 5) g on conflict do nothing`);
    // A nested selection and a timestamp column: the builder maps both (a Date, not PostgreSQL's text).
    const q = (db: typeof d.db, from: number) =>
      db
        .select({ id: probe.id, who: { name: probe.name, at: probe.at } })
        .from(probe)
        .where(gt(probe.id, from))
        .orderBy(probe.id)
        .limit(3);
    const plain = await q(d.db, 1);
    expect(plain).toHaveLength(3);
    expect(plain[0]!.who.at).toBeInstanceOf(Date);
    expect(await selectNamed(d.db, q(d.db, 1))).toEqual(plain);
    const seen = await onOneConnection(async (one) => {
      for (let i = 0; i < 6; i++) expect((await selectNamed(one, q(one, i))).map((r) => r.id)).toEqual([i + 1, i + 2, i + 3].filter((n) => n <= 5));
      const r = await one.execute<{ n: number }>(
        sql`select count(*)::int as n from pg_prepared_statements where not from_sql and statement like '%from "named_probe"%'`,
      );
      return r.rows[0]!.n;
    });
    expect(seen).toBe(1);
  });

  it('inside a transaction, a name that a connection the driver no longer knows prepared aborts nothing', async () => {
    // On the embedded database the one PGlite session outlives its pooled connections (the pool
    // replaces one idle for 10 s): a new connection's driver does not know what the session has
    // prepared. Until this was handled, a named statement inside a transaction was refused there
    // (42P05), which aborted the transaction (25P02: the resource approval's capacity check).
    const text = (n: number) => sql`select ${n}::int + 40 as x from (select 1) named_tx_probe`;
    await onOneConnection(async (one) => {
      expect((await executeNamed<{ x: number }>(one, text(1))).rows[0]!.x).toBe(41);
    });
    // A new driver connection to the same database (the one session again, on the embedded engine).
    const fresh = await d.pool.connect();
    fresh.release(true);
    const r = await d.db.transaction(async (tx) => {
      const a = (await executeNamed<{ x: number }>(tx, text(2))).rows[0]!.x;
      const b = (await tx.execute<{ ok: number }>(sql`select 1 as ok`)).rows[0]!.ok;
      return [a, b];
    });
    expect(r).toEqual([42, 1]);
  });
});
