import { type SQL, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../db/client.ts';

/**
 * The race tests' kit (the modules' `*.races.test.ts`): fire the same request many times at once —
 * the review's double click, a retry, two tabs — and check that the action was taken once.
 *  - `burst(n, send)` fires n at once; `spread(n, send)` fires them a few milliseconds apart, so
 *    that some arrive while the first is being written (after they passed the state check);
 *  - `oneWinner(rs, refusals)` — one success, every other answer one of the named refusals;
 *  - `allSucceed(rs, status)` — every answer the success (one Idempotency-Key: the replays);
 *  - `countOf(db, query)` and `auditCount(db, entity, on, action)` count what was written.
 * Each check prints every answer when it fails, so a lost race shows what the losers were told.
 */

/** An answer of `app.inject` (or a test client), as the checks read it. */
export type Answer = { statusCode: number; body: string; headers: Record<string, unknown> };

/** The password gate (platform/auth/password.ts) may shed part of a burst of hashes; a retry is then refused as a twin. */
export const RATE_LIMITED = '429 rate_limited';

/** `n` calls of `send` at once; their answers in order. */
export function burst<R>(n: number, send: () => Promise<R>): Promise<R[]> {
  return Promise.all(Array.from({ length: n }, () => send()));
}

/** `n` calls of `send`, one every `stepMs` milliseconds (a double click's requests, not one instant). */
export function spread<R>(n: number, send: () => Promise<R>, stepMs = 8): Promise<R[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((r) => setTimeout(r, i * stepMs)).then(send)));
}

/** Every answer, one a line, for a failed check's message. */
export function answers(rs: readonly Answer[], width = 160): string {
  return rs.map((r) => `${r.statusCode} ${r.body.slice(0, width)}`).join('\n');
}

/** The problem code of a refusal (`undefined` when its body is no JSON: the check then fails showing the body). */
function codeOf(r: Answer): string | undefined {
  try {
    return (JSON.parse(r.body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/**
 * Exactly one answer is the success — status `status` (200 unless named) and, when `read` is given,
 * a body of which `read` answers `is` (e.g. the new state) — and every other answer is one of
 * `refusals`, each written `'<status> <problem code>'` ('409 record_frozen', RATE_LIMITED). A second
 * success, or a success showing anything else, fails. Returns the winner.
 */
export function oneWinner<R extends Answer, B = Record<string, unknown>>(
  rs: readonly R[],
  refusals: readonly string[],
  opts: { status?: number; read?: (body: B) => unknown; is?: unknown } = {},
): R {
  const { status = 200, read } = opts;
  const win = read ? `${status} ${String(opts.is)}` : String(status);
  const seen = rs.map((r) => {
    if (r.statusCode !== status) return `${r.statusCode} ${codeOf(r)}`;
    return read ? `${status} ${String(read(JSON.parse(r.body) as B))}` : String(status);
  });
  const detail = answers(rs);
  expect(
    seen.filter((s) => s !== win && !refusals.includes(s)),
    detail,
  ).toEqual([]);
  expect(
    seen.filter((s) => s === win),
    detail,
  ).toHaveLength(1);
  return rs[seen.indexOf(win)]!;
}

/**
 * Every answer `status` (the success and its replays). With `replayed`, all but one also carry
 * `Idempotent-Replayed: true`: the action was taken once and the others were told what it answered.
 */
export function allSucceed<R extends Answer>(rs: readonly R[], status: number, opts: { replayed?: boolean } = {}): readonly R[] {
  const detail = answers(rs);
  expect(
    rs.filter((r) => r.statusCode !== status),
    detail,
  ).toEqual([]);
  if (opts.replayed) expect(rs.filter((r) => r.headers['idempotent-replayed'] !== 'true').length, detail).toBe(1);
  return rs;
}

/** The number a `select count(*)::int as n …` query answers. */
export async function countOf(db: Database['db'], query: SQL): Promise<number> {
  return Number((await db.execute<{ n: number }>(query)).rows[0]!.n);
}

/**
 * Audit entries of `action` on `entity`: on the entity `on` (its id), or — for an action audited
 * on another entity that names it — on those whose `after` holds every key-value of `on.after`.
 */
export function auditCount(
  db: Database['db'],
  entity: string,
  on: number | string | { after: Record<string, number | string> },
  action: string,
): Promise<number> {
  const where =
    typeof on === 'object'
      ? sql.join(
          Object.entries(on.after).map(([k, v]) => sql`after->>${k} = ${String(v)}`),
          sql` and `,
        )
      : sql`entity_id = ${String(on)}`;
  return countOf(db, sql`select count(*)::int as n from audit_log where entity = ${entity} and action = ${action} and ${where}`);
}

/**
 * Twenty (or n) identical record-creating requests under one Idempotency-Key: every answer `status`
 * (201 unless named), all but one marked `Idempotent-Replayed: true`, and all naming the same
 * record (`id` of the body unless `idOf` says otherwise). Returns that record's id.
 */
export function oneRecord<R extends Answer>(rs: readonly R[], opts: { status?: number; idOf?: (body: Record<string, unknown>) => unknown } = {}): number {
  const { status = 201, idOf = (b) => b.id } = opts;
  allSucceed(rs, status, { replayed: true });
  const ids = [...new Set(rs.map((r) => idOf(JSON.parse(r.body) as Record<string, unknown>)))];
  expect(ids, answers(rs)).toHaveLength(1);
  expect(typeof ids[0], answers(rs)).toBe('number');
  return ids[0] as number;
}

/** A fresh Idempotency-Key, as the web client makes one per opened form. */
export function idemKey(): string {
  return crypto.randomUUID();
}
