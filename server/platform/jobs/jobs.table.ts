import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per run of a scheduled job: (job, slot) is unique, so of several app instances whose
 * timers fire for the same slot only the one whose insert went in runs the job (jobs.ts).
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** The start of the period this run covers, ISO 8601 UTC (e.g. `2026-12-03T06:00:00.000Z`). */
    slot: text('slot').notNull(),
    /** Which process took it: `host:pid:random`. */
    instance: text('instance').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] })
      .notNull()
      .default('running'),
    attempts: integer('attempts').notNull().default(1),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);
