import { type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.ts';

/**
 * Integer ids as one array parameter, `{1,2,3}::int[]`, for `= any(…)` (or `unnest`): one
 * parameter however many ids, where drizzle would build one per element. Each id once.
 */
export function intArray(ids: Iterable<number>): SQL {
  return sql`${`{${[...new Set(ids)].join(',')}}`}::int[]`;
}

/** A user's search text as an `ilike` pattern matching it anywhere, with `%`, `_` and `\` taken literally. */
export function likeOf(q: string): string {
  return `%${escapeLike(q)}%`;
}

/** A user's text with `%`, `_` and `\` taken literally in a `like` pattern (to build one, e.g. a prefix: `${escapeLike(s)}%`). */
export function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, (m) => `\\${m}`);
}

/**
 * How many rows of `table` match `where`, counted up to `cap`: reads at most cap + 1 of them, so a
 * broad search of a table that only grows (the audit trail, the security log) costs the same at
 * ten million rows as at ten thousand. `capped`: more rows match than `total` says.
 */
export async function countUpTo(db: DbOrTx, table: PgTable, where: SQL | undefined, cap: number): Promise<{ total: number; capped: boolean }> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(
    db
      .select({ one: sql`1` })
      .from(table)
      .where(where)
      .limit(cap + 1)
      .as('m'),
  );
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, cap), capped: n > cap };
}
