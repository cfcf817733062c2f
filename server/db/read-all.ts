import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.ts';

type Results<T extends readonly (() => PromiseLike<unknown>)[]> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Reads that need not wait for each other: side by side on the pool (each query takes its own
 * connection), one after another inside a transaction. A transaction is one connection, which
 * runs one statement at a time anyway: `Promise.all` over it only queued them in node-postgres,
 * which warns that sending a query while another runs on the same client is deprecated and will
 * be refused from pg@9 ("Calling client.query() when the client is already executing a query").
 */
export async function readAll<const T extends readonly (() => PromiseLike<unknown>)[]>(db: DbOrTx, runs: T): Promise<Results<T>> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(runs.map((run) => run()))) as Results<T>;
  const out: unknown[] = [];
  for (const run of runs) out.push(await run());
  return out as Results<T>;
}
