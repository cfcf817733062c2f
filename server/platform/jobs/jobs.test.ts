import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../db/client.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { claimSlot, type JobSpec, runDueJobs, slotOf, startJobRunner } from './jobs.ts';

const HOUR = 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Bar S7: a scheduled job runs once per slot however many instances tick at once. On PostgreSQL
 * the second "instance" has its own connection pool on the same database (two processes' worth
 * of connections); on PGlite both share its one connection, as two runners in one process would.
 */
describe('scheduled jobs claimed through the database (bar S7)', () => {
  let d: Awaited<ReturnType<typeof openTestDatabase>>;
  let other: { db: Db; end: () => Promise<void> };
  beforeAll(async () => {
    d = await openTestDatabase({ seed: false });
    if (d.engine === 'postgres') {
      // Opened as an instance opens it (openDatabase), error listeners included: a pool of its
      // own without them threw 'terminating connection due to administrator command' as an
      // uncaught exception when the test database was dropped while a client was still ending,
      // failing a CI run whose every test had passed (stop 31; caught again at 5455008).
      const second = await openDatabase({ databaseUrl: String(d.pool.options.connectionString), poolSize: 5 });
      other = { db: second.db, end: second.close };
    } else other = { db: d.db, end: async () => {} };
  });
  afterAll(async () => {
    await other.end();
    await d.drop();
  });

  it('two instances ticking at the same moment run the job body once per slot', async () => {
    const ran: string[] = [];
    const job: JobSpec = {
      name: 'test.twice',
      everyMs: 6 * HOUR,
      run: async ({ now }) => {
        ran.push(now.toISOString());
        await sleep(50); // long enough for the other instance's tick to land while this one runs
      },
    };
    const t0 = new Date('2027-01-10T06:30:00Z');
    const tick = (db: Db, instance: string, at: Date) => runDueJobs(db, [job], { instance, now: () => at });
    const first = (await Promise.all([tick(d.db, 'a', t0), tick(other.db, 'b', t0), tick(d.db, 'a2', t0), tick(other.db, 'b2', t0)])).flat();
    expect(ran).toHaveLength(1);
    expect(first.filter((r) => r.ran)).toHaveLength(1);
    // Later in the same slot: nobody runs it again.
    const later = new Date(t0.getTime() + 5 * HOUR);
    await Promise.all([tick(d.db, 'a', later), tick(other.db, 'b', later)]);
    expect(ran).toHaveLength(1);
    // The next slot (12:00 UTC): exactly one more run.
    const next = new Date('2027-01-10T12:00:05Z');
    await Promise.all([tick(other.db, 'b', next), tick(d.db, 'a', next)]);
    expect(ran).toHaveLength(2);
    const rows = await d.db.execute<{ slot: string; status: string }>(sql`select slot, status from job_runs where job = 'test.twice' order by slot`);
    expect(rows.rows).toEqual([
      { slot: '2027-01-10T06:00:00.000Z', status: 'done' },
      { slot: '2027-01-10T12:00:00.000Z', status: 'done' },
    ]);
  });

  it('two started runners run a job once, and stop waits for the run in progress', async () => {
    let runs = 0;
    const job: JobSpec = {
      name: 'test.runners',
      everyMs: 24 * HOUR,
      run: async () => {
        runs += 1;
        await sleep(100);
      },
    };
    const now = () => new Date('2027-02-01T10:00:00Z');
    const a = startJobRunner(d.db, [job], { now, instance: 'a', tickMs: 10 });
    const b = startJobRunner(other.db, [job], { now, instance: 'b', tickMs: 10 });
    await sleep(300);
    await Promise.all([a.stop(), b.stop()]);
    expect(runs).toBe(1);
    const [row] = (await d.db.execute<{ status: string }>(sql`select status from job_runs where job = 'test.runners'`)).rows;
    expect(row?.status).toBe('done');
  });

  it('a failed run is recorded and retried once its lease is over, by one instance', async () => {
    let calls = 0;
    const job: JobSpec = {
      name: 'test.flaky',
      everyMs: 6 * HOUR,
      leaseMs: 10 * 60_000,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('provider down');
      },
    };
    const t0 = new Date('2027-03-01T00:01:00Z');
    const logged: string[] = [];
    const tick = (db: Db, instance: string, at: Date) => runDueJobs(db, [job], { instance, now: () => at, log: (m) => logged.push(m) });
    const [r] = await tick(d.db, 'a', t0);
    expect(r).toMatchObject({ ran: true, error: 'provider down' });
    expect(logged).toEqual(['job test.flaky (2027-03-01T00:00:00.000Z) failed']);
    const failed = (await d.db.execute<{ status: string; error: string }>(sql`select status, error from job_runs where job = 'test.flaky'`)).rows;
    expect(failed).toEqual([{ status: 'failed', error: 'provider down' }]);
    // Within the lease nobody retries; after it, one of two instances does and it succeeds.
    await tick(other.db, 'b', new Date(t0.getTime() + 5 * 60_000));
    expect(calls).toBe(1);
    const after = new Date(t0.getTime() + 11 * 60_000);
    await Promise.all([tick(d.db, 'a', after), tick(other.db, 'b', after)]);
    expect(calls).toBe(2);
    const done = (await d.db.execute<{ status: string; attempts: number }>(sql`select status, attempts from job_runs where job = 'test.flaky'`)).rows;
    expect(done).toEqual([{ status: 'done', attempts: 2 }]);
  });

  it('a finished slot is never taken again, even long after', async () => {
    const at = new Date('2027-04-01T00:00:00Z');
    const slot = slotOf(at, HOUR);
    expect(await claimSlot(d.db, 'test.finished', slot, 'a', at)).toBe(true);
    await d.db.execute(sql`update job_runs set status = 'done' where job = 'test.finished'`);
    expect(await claimSlot(d.db, 'test.finished', slot, 'b', new Date(at.getTime() + 30 * 24 * HOUR))).toBe(false);
  });

  it('refuses two jobs of one name', () => {
    const j: JobSpec = { name: 'x.y', everyMs: HOUR, run: async () => {} };
    expect(() => startJobRunner(d.db, [j, { ...j }])).toThrow('two scheduled jobs are named x.y');
  });
});
