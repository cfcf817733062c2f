-- Custom SQL migration file, put your code below! --
-- Scheduled jobs claimed through the database (bar S7, issue 13 item 5): with several app
-- instances behind nginx every instance's timer fires, and only the one whose insert of
-- (job, slot) went in runs that slot (server/platform/jobs/jobs.ts). A run that crashed or
-- failed may be taken again once its lease is over; a finished one never.
CREATE TABLE IF NOT EXISTS "job_runs" (
	"job" text NOT NULL,
	"slot" text NOT NULL,
	"instance" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "job_runs_job_slot_pk" PRIMARY KEY("job","slot"),
	CONSTRAINT "job_runs_status_check" CHECK ("status" IN ('running', 'done', 'failed'))
);
