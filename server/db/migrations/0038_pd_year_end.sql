-- PD accounts, year-end and closing (issue 18 item 5; seed 004 annexure paras 1(b)(2), 1(b)(5), 4(2);
-- seed 003 para 1; docs/PD.md "Year-end and closing").
--
-- An account closes once: on 31 March of a financial year a consolidated-fund account's balance
-- lapses to its service heads (posting kind `lapse`) unless Finance recorded a continuation for
-- that account and year; an other-than-consolidated account with no transaction for the idle
-- period (pd_year_settings.dormant_years, 1..10, default 3) is closed and its balance credited to
-- government (posting kind `unclaimed`). What each run did is kept per line in pd_year_closings.
--
-- What the database protects:
--   * a closed account takes no new posting and no new e-cheque (BEFORE INSERT triggers raise
--     ROAMS_PD_CLOSED, answered as 409 pd_account_closed). The trigger reads the account row
--     FOR SHARE, so a deposit racing the lapse waits for the lapse's row lock and then sees the
--     account closed;
--   * a line lapses at most once per financial year and is credited to government at most once
--     (partial unique indexes on pd_year_closings), so concurrent or repeated runs cannot move
--     the same money twice;
--   * one continuation per account and year; the idle period is 1..10 years.
ALTER TABLE "pd_accounts" ADD COLUMN "closed_on" date;--> statement-breakpoint
ALTER TABLE "pd_accounts" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "pd_accounts" ADD CONSTRAINT "pd_accounts_closed_reason_check"
  CHECK ("closed_reason" IS NULL OR "closed_reason" IN ('lapse', 'dormant'));--> statement-breakpoint
ALTER TABLE "pd_accounts" ADD CONSTRAINT "pd_accounts_closed_pair"
  CHECK (("closed_on" IS NULL) = ("closed_reason" IS NULL));--> statement-breakpoint
CREATE TABLE "pd_year_settings" (
  "id" integer PRIMARY KEY NOT NULL DEFAULT 1 CHECK ("id" = 1),
  "dormant_years" integer NOT NULL DEFAULT 3 CHECK ("dormant_years" BETWEEN 1 AND 10),
  "updated_by" integer REFERENCES "users"("id"),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now()
);--> statement-breakpoint
INSERT INTO "pd_year_settings" ("id", "dormant_years") VALUES (1, 3) ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE TABLE "pd_continuations" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "fy" integer NOT NULL CHECK ("fy" BETWEEN 2000 AND 2200),
  "order_no" text NOT NULL,
  "order_date" date NOT NULL,
  "recorded_by" integer REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_continuations_uq" ON "pd_continuations" ("account_id", "fy");--> statement-breakpoint
CREATE TABLE "pd_year_runs" (
  "id" serial PRIMARY KEY NOT NULL,
  "fy" integer NOT NULL CHECK ("fy" BETWEEN 2000 AND 2200),
  "started_by" text NOT NULL CHECK ("started_by" IN ('job', 'finance')),
  "run_by" integer REFERENCES "users"("id"),
  "dormant_years" integer NOT NULL,
  "status" text NOT NULL DEFAULT 'running' CHECK ("status" IN ('running', 'done')),
  "started_at" timestamp with time zone NOT NULL,
  "finished_at" timestamp with time zone
);--> statement-breakpoint
CREATE INDEX "pd_year_runs_fy_idx" ON "pd_year_runs" ("fy", "id");--> statement-breakpoint
CREATE TABLE "pd_year_closings" (
  "id" serial PRIMARY KEY NOT NULL,
  "run_id" integer NOT NULL REFERENCES "pd_year_runs"("id"),
  "fy" integer NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "line_id" integer NOT NULL REFERENCES "pd_lines"("id"),
  "outcome" text NOT NULL CHECK ("outcome" IN ('lapse', 'unclaimed', 'held')),
  "amount_paise" bigint NOT NULL CHECK ("amount_paise" >= 0),
  "posting_id" integer REFERENCES "pd_postings"("id"),
  "held_echeques" integer NOT NULL DEFAULT 0
);--> statement-breakpoint
CREATE INDEX "pd_year_closings_run_idx" ON "pd_year_closings" ("run_id");--> statement-breakpoint
CREATE INDEX "pd_year_closings_account_idx" ON "pd_year_closings" ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pd_year_closings_lapse_uq" ON "pd_year_closings" ("line_id", "fy") WHERE "outcome" = 'lapse';--> statement-breakpoint
CREATE UNIQUE INDEX "pd_year_closings_unclaimed_uq" ON "pd_year_closings" ("line_id") WHERE "outcome" = 'unclaimed';--> statement-breakpoint
CREATE OR REPLACE FUNCTION pd_account_open_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  closed date;
BEGIN
  SELECT closed_on INTO closed FROM pd_accounts WHERE id = NEW.account_id FOR SHARE;
  IF closed IS NOT NULL THEN
    RAISE EXCEPTION 'ROAMS_PD_CLOSED: PD account % was closed on %', NEW.account_id, closed USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_postings_open_account BEFORE INSERT ON pd_postings FOR EACH ROW EXECUTE FUNCTION pd_account_open_guard();--> statement-breakpoint
CREATE TRIGGER pd_echeques_open_account BEFORE INSERT ON pd_echeques FOR EACH ROW EXECUTE FUNCTION pd_account_open_guard();
