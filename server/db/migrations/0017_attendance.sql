-- Monthly attendance (spec 05): an office-month sheet and one row per resource on the rolls.
CREATE TABLE "attendance_sheets" (
	"id" serial PRIMARY KEY NOT NULL,
	"office_id" integer NOT NULL,
	"month" date NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"finalised_by" integer,
	"finalised_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_sheets_month_first" CHECK (extract(day from "attendance_sheets"."month") = 1),
	CONSTRAINT "attendance_sheets_finalised" CHECK (("attendance_sheets"."state" = 'finalised') = ("attendance_sheets"."finalised_at" is not null)),
	CONSTRAINT "attendance_sheets_state" CHECK ("attendance_sheets"."state" in ('open', 'finalised'))
);
--> statement-breakpoint
CREATE TABLE "attendance_rows" (
	"id" serial PRIMARY KEY NOT NULL,
	"sheet_id" integer NOT NULL,
	"resource_id" integer NOT NULL,
	"days_on_rolls" integer NOT NULL,
	"present" integer NOT NULL,
	"paid_leave" integer NOT NULL,
	"offs" integer NOT NULL,
	"absence" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_rows_days_nonnegative" CHECK ("attendance_rows"."present" >= 0 and "attendance_rows"."paid_leave" >= 0 and "attendance_rows"."offs" >= 0 and "attendance_rows"."absence" >= 0),
	CONSTRAINT "attendance_rows_days_on_rolls" CHECK ("attendance_rows"."days_on_rolls" between 1 and 31),
	CONSTRAINT "attendance_rows_balance" CHECK ("attendance_rows"."present" + "attendance_rows"."paid_leave" + "attendance_rows"."offs" + "attendance_rows"."absence" = "attendance_rows"."days_on_rolls")
);
--> statement-breakpoint
ALTER TABLE "attendance_sheets" ADD CONSTRAINT "attendance_sheets_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "attendance_sheets" ADD CONSTRAINT "attendance_sheets_finalised_by_users_id_fk" FOREIGN KEY ("finalised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "attendance_rows" ADD CONSTRAINT "attendance_rows_sheet_id_attendance_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."attendance_sheets"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "attendance_rows" ADD CONSTRAINT "attendance_rows_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "attendance_rows" ADD CONSTRAINT "attendance_rows_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_sheets_office_month_uq" ON "attendance_sheets" USING btree ("office_id","month");
--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_rows_sheet_resource_uq" ON "attendance_rows" USING btree ("sheet_id","resource_id");
--> statement-breakpoint
CREATE INDEX "attendance_rows_resource_idx" ON "attendance_rows" USING btree ("resource_id");
--> statement-breakpoint

-- Finalised is final, in the database: a finalised sheet can be neither changed (its state cannot
-- go back to open) nor deleted, and the rows of a finalised sheet can be neither inserted,
-- changed nor deleted — whoever sends the SQL. The row guard reads the sheet FOR SHARE, so a
-- save and a finalisation of the same sheet serialise (the later waits and then sees the truth).
-- Refusals raise SQLSTATE P0001 'ROAMS_FROZEN…', answered by the API as 409 record_frozen.
CREATE OR REPLACE FUNCTION attendance_sheet_final_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'finalised' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance sheet % is finalised (% refused)', OLD.id, TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.office_id <> OLD.office_id OR NEW.month <> OLD.month THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance sheet % cannot move to another office or month', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_sheets_final BEFORE UPDATE OR DELETE ON attendance_sheets
  FOR EACH ROW EXECUTE FUNCTION attendance_sheet_final_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attendance_row_final_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  s text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT state INTO s FROM attendance_sheets WHERE id = OLD.sheet_id FOR SHARE;
    IF s IS DISTINCT FROM 'open' THEN
      RAISE EXCEPTION 'ROAMS_FROZEN: attendance sheet % is % (% on attendance_rows refused)', OLD.sheet_id, s, TG_OP USING ERRCODE = 'P0001';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  SELECT state INTO s FROM attendance_sheets WHERE id = NEW.sheet_id FOR SHARE;
  IF s IS DISTINCT FROM 'open' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance sheet % is % (% on attendance_rows refused)', NEW.sheet_id, s, TG_OP USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_rows_final BEFORE INSERT OR UPDATE OR DELETE ON attendance_rows
  FOR EACH ROW EXECUTE FUNCTION attendance_row_final_guard();
