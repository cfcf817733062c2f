import type { DbOrTx } from '../../db/client.ts';
import * as repo from './auth.repo.ts';

export type SessionRow = Awaited<ReturnType<typeof repo.loadSessions>>[number];

/**
 * Session resolution, batched (issue 13 item 1). Every request needs its session, its user, its
 * role assignment and where that assignment's scope sits in the office tree; read one request at
 * a time that was one round trip for the session and, for HOD / office / DDO actors, a second
 * for the scope, on every request — and on this machine a round trip is the largest cost a
 * request has (bench/RESULTS.md, "Where the time goes").
 *
 * Instead of a cache (which another instance's logout would reach only after a notification or
 * a time-to-live), the sessions that requests ask for while a lookup is on its way are read
 * together in the next lookup: one query for a whole batch of requests. Nothing is ever served
 * from memory, so there is no staleness to bound: a logout, password change, deactivation or
 * ended role assignment committed on any instance is seen by every request that arrives after
 * the commit, on every instance. The one rule that guarantees it: a request never joins a lookup
 * that was already sent (it could have been sent before the commit); it waits for the next one.
 *
 * At most `MAX_IN_FLIGHT` lookups run at once per database; requests that arrive in the same
 * turn of the event loop go out together (the flush waits for `setImmediate`). With one request
 * at a time this is the old single lookup, a turn of the event loop later.
 */
const MAX_IN_FLIGHT = 2;
/** Ids per lookup (one `= any($1)` parameter each); more wait for the next. */
const MAX_BATCH = 500;

type Waiter = { resolve: (row: SessionRow | null) => void; reject: (e: unknown) => void };

class SessionBatcher {
  private pending = new Map<string, Waiter[]>();
  private inFlight = 0;
  private scheduled = false;
  /** Lookups sent and sessions asked for, for the tests and the bench. */
  readonly stats = { lookups: 0, requests: 0 };

  constructor(private readonly db: DbOrTx) {}

  load(id: string): Promise<SessionRow | null> {
    this.stats.requests++;
    return new Promise((resolve, reject) => {
      const list = this.pending.get(id);
      if (list) list.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.pending.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    if (this.inFlight >= MAX_IN_FLIGHT || this.pending.size === 0) return;
    const batch = new Map<string, Waiter[]>();
    for (const [id, ws] of this.pending) {
      if (batch.size >= MAX_BATCH) break;
      batch.set(id, ws);
    }
    for (const id of batch.keys()) this.pending.delete(id);
    this.inFlight++;
    this.stats.lookups++;
    repo
      .loadSessions(this.db, [...batch.keys()])
      .then(
        (rows) => {
          const byId = new Map(rows.map((r) => [r.session.id, r]));
          for (const [id, ws] of batch) for (const w of ws) w.resolve(byId.get(id) ?? null);
        },
        (e) => {
          for (const ws of batch.values()) for (const w of ws) w.reject(e);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
    // More than a batch was waiting: the rest go out now if a slot is free.
    this.schedule();
  }
}

const batchers = new WeakMap<object, SessionBatcher>();

function batcherOf(db: DbOrTx): SessionBatcher {
  let b = batchers.get(db);
  if (!b) {
    b = new SessionBatcher(db);
    batchers.set(db, b);
  }
  return b;
}

/** The session (by the SHA-256 of its token) with its user, assignment and scope's place; null when unknown or revoked. */
export function loadSessionBatched(db: DbOrTx, id: string): Promise<SessionRow | null> {
  return batcherOf(db).load(id);
}

/** How many lookups served how many requests on this database (tests and the bench). */
export function sessionBatchStats(db: DbOrTx): { lookups: number; requests: number } {
  return { ...batcherOf(db).stats };
}
