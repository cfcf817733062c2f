import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.ts';

/**
 * A read the hot paths send as a named prepared statement (issue 13 item 1, "prepared statements
 * for the hot queries"). `db.execute(sql)` sends an unnamed statement, which PostgreSQL parses and
 * plans on every call: for the list pages the planning (≈ 0.7 ms for the resource list at state
 * scale, bench/RESULTS.md) cost as much as running the statement, on the same two cores as
 * everything else. Named after a hash of its text, a statement is parsed once per pooled
 * connection (node-postgres remembers which names a connection has prepared), and PostgreSQL's
 * plan cache may then reuse a generic plan (its own choice, `plan_cache_mode = auto`: it keeps
 * planning per call where the parameters change the plan).
 *
 * Only for statements whose text comes from the code (parameters as parameters): each distinct
 * text is prepared once on each connection and kept for the connection's life, so a text built
 * from data would grow that set without bound. The result is what `db.execute` gives (rows as
 * objects, timestamps as text). Both engines: the embedded one is reached over the same protocol.
 */
export async function executeNamed<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<{ rows: T[] }> {
  const plain = async () => (await db.execute(query)) as unknown as { rows: T[] };
  if (namedUnsafe(db)) return plain();
  const d = db as unknown as DrizzleInternals;
  const built = d.dialect.sqlToQuery(query);
  const name = nameOf(built.sql);
  if (unnamed.has(name)) return plain();
  return withNamedFallback(name, async () => (await d.session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] }, plain);
}

/**
 * Inside a transaction on the embedded database a statement goes unnamed. There every pooled
 * connection reaches the one PGlite session, so a name one connection prepared is already taken
 * for another that never saw it: the Parse is refused (42P05, below) — and inside a transaction
 * that refusal aborts the transaction, so the unnamed retry could not run either (a resource
 * approval failed with 25P02 once its capacity check was named). Outside a transaction the retry
 * runs and the name is sent unnamed from then on. On the PostgreSQL server each connection is its
 * own session, and a transaction's statements are named like any other.
 */
const sharedSession = new WeakSet<object>();

/** Marks a pooled connection of the embedded database (server/db/client.ts). */
export function markSharedSession(client: object): void {
  sharedSession.add(client);
}

function namedUnsafe(db: DbOrTx): boolean {
  if (!(db instanceof PgTransaction)) return false;
  const client = (db as unknown as { session?: { client?: object } }).session?.client;
  return !client || sharedSession.has(client);
}

/** Statement names that met `duplicate_prepared_statement`: sent unnamed from then on (see below). */
const unnamed = new Set<string>();

/**
 * Runs a named statement; if the connection says the name exists already (42P05), runs the
 * unnamed form instead and sends that name unnamed from then on. It happens on the embedded
 * database: when a named statement fails in execution, PGlite keeps it prepared without the
 * driver learning so, and the driver's next Parse of that name is refused — without this, one
 * failed run (a cancelled statement, a dropped value) would break that query for the process's
 * life. On the PostgreSQL server the driver learns of the Parse and it does not happen (tests in
 * named.test.ts on both engines).
 */
export async function withNamedFallback<T>(name: string, named: () => Promise<T>, plain: () => Promise<T>): Promise<T> {
  try {
    return await named();
  } catch (e) {
    if (codeOf(e) !== '42P05') throw e;
    unnamed.add(name);
    return plain();
  }
}

/** Whether a statement name has fallen back to unnamed runs (tests). */
export function isUnnamed(name: string): boolean {
  return unnamed.has(name);
}

function codeOf(e: unknown): string | undefined {
  const x = e as { code?: string; cause?: { code?: string } };
  return x?.cause?.code ?? x?.code;
}

type DrizzleInternals = {
  dialect: { sqlToQuery: (q: SQL) => { sql: string; params: unknown[] } };
  session: {
    prepareQuery: (q: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean) => { execute: () => Promise<unknown> };
  };
};

const names = new Map<string, string>();
const MAX_NAMES = 2000;

function nameOf(text: string): string {
  let n = names.get(text);
  if (!n) {
    n = `roams_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size >= MAX_NAMES) names.clear();
    names.set(text, n);
  }
  return n;
}

/** A drizzle select builder: its text, its prepared form, and a plain run. */
type Preparable<T> = { toSQL: () => { sql: string }; prepare: (name: string) => { execute: () => Promise<T> }; execute: () => Promise<T> };

/**
 * `executeNamed` for a drizzle select builder, its rows mapped as the builder maps them (nested
 * selections, column types). The same rule: only for builders whose text comes from the code.
 */
export async function selectNamed<T>(db: DbOrTx, qb: Preparable<T>): Promise<T> {
  if (namedUnsafe(db)) return qb.execute();
  const name = nameOf(qb.toSQL().sql);
  if (unnamed.has(name)) return qb.execute();
  return withNamedFallback(
    name,
    () => qb.prepare(name).execute(),
    () => qb.execute(),
  );
}
