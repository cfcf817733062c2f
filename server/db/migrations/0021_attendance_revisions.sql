-- Attendance after finalisation (issue 15 items 6 and 4): revisions approved by the DDO, and the
-- holiday calendar.
--
-- A finalised sheet is never edited (0017). A correction is a revision request: one or more rows
-- of a finalised sheet with new figures and a reason, raised by the office's department manager
-- and decided once by the office's DDO (approved or refused, with remarks; maker <> checker, here
-- in the database too). Requests and their items are append-only: the figures are never changed,
-- nothing is deleted, and the decision is written once (pending -> approved | refused). On
-- approval each item gets the next revision number of its row; the row's effective figures for
-- the month are those of its latest approved revision, else the finalised row itself.
CREATE TABLE "attendance_revision_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"sheet_id" integer NOT NULL REFERENCES "attendance_sheets"("id"),
	"office_id" integer NOT NULL REFERENCES "offices"("id"),
	"month" date NOT NULL,
	"reason" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"requested_by" integer NOT NULL REFERENCES "users"("id"),
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" integer REFERENCES "users"("id"),
	"decided_at" timestamp with time zone,
	"remarks" text DEFAULT '' NOT NULL,
	CONSTRAINT "attendance_revision_requests_state" CHECK ("state" in ('pending', 'approved', 'refused')),
	CONSTRAINT "attendance_revision_requests_decided" CHECK (("state" = 'pending') = ("decided_at" is null) and ("decided_at" is null) = ("decided_by" is null)),
	CONSTRAINT "attendance_revision_requests_maker_checker" CHECK ("decided_by" is null or "decided_by" <> "requested_by"),
	CONSTRAINT "attendance_revision_requests_reason" CHECK (length(btrim("reason")) between 5 and 1000),
	CONSTRAINT "attendance_revision_requests_refusal_remarks" CHECK ("state" <> 'refused' or length(btrim("remarks")) > 0)
);
--> statement-breakpoint
CREATE INDEX "attendance_revision_requests_office_idx" ON "attendance_revision_requests" ("office_id", "state", "id");
--> statement-breakpoint
CREATE INDEX "attendance_revision_requests_sheet_idx" ON "attendance_revision_requests" ("sheet_id");
--> statement-breakpoint
CREATE TABLE "attendance_revision_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"request_id" integer NOT NULL REFERENCES "attendance_revision_requests"("id"),
	"row_id" integer NOT NULL REFERENCES "attendance_rows"("id"),
	"resource_id" integer NOT NULL REFERENCES "resources"("id"),
	"days_on_rolls" integer NOT NULL,
	"present" integer NOT NULL,
	"paid_leave" integer NOT NULL,
	"offs" integer NOT NULL,
	"absence" integer NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"revision_no" integer,
	"approved_at" timestamp with time zone,
	CONSTRAINT "attendance_revision_items_state" CHECK ("state" in ('pending', 'approved', 'refused')),
	CONSTRAINT "attendance_revision_items_days_nonnegative" CHECK ("present" >= 0 and "paid_leave" >= 0 and "offs" >= 0 and "absence" >= 0),
	CONSTRAINT "attendance_revision_items_balance" CHECK ("present" + "paid_leave" + "offs" + "absence" = "days_on_rolls"),
	CONSTRAINT "attendance_revision_items_numbered" CHECK (("state" = 'approved') = ("revision_no" is not null) and ("revision_no" is null) = ("approved_at" is null) and ("revision_no" is null or "revision_no" >= 1))
);
--> statement-breakpoint
-- One open request per row: a second one is refused by the database whatever the route does.
CREATE UNIQUE INDEX "attendance_revision_items_open_uq" ON "attendance_revision_items" ("row_id") WHERE "state" = 'pending';
--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_revision_items_no_uq" ON "attendance_revision_items" ("row_id", "revision_no") WHERE "revision_no" is not null;
--> statement-breakpoint
CREATE INDEX "attendance_revision_items_request_idx" ON "attendance_revision_items" ("request_id");
--> statement-breakpoint
CREATE INDEX "attendance_revision_items_approved_idx" ON "attendance_revision_items" ("approved_at") WHERE "approved_at" is not null;
--> statement-breakpoint
-- Append-only: no DELETE; an UPDATE only decides a pending request / item once, and changes
-- nothing else. An item must revise a row of a finalised sheet, with that row's days on the rolls.
CREATE OR REPLACE FUNCTION attendance_revision_request_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision request % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.state <> 'pending' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance revision request % is already %', OLD.id, OLD.state USING ERRCODE = 'P0001';
  END IF;
  IF NEW.sheet_id <> OLD.sheet_id OR NEW.office_id <> OLD.office_id OR NEW.month <> OLD.month OR NEW.reason <> OLD.reason OR NEW.requested_by <> OLD.requested_by OR NEW.requested_at <> OLD.requested_at THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision request % can only be decided', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_revision_requests_append_only BEFORE UPDATE OR DELETE ON attendance_revision_requests
  FOR EACH ROW EXECUTE FUNCTION attendance_revision_request_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attendance_revision_item_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  s text;
  d integer;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT sh.state, r.days_on_rolls INTO s, d FROM attendance_rows r JOIN attendance_sheets sh ON sh.id = r.sheet_id
     WHERE r.id = NEW.row_id AND r.resource_id = NEW.resource_id;
    IF s IS DISTINCT FROM 'finalised' THEN
      RAISE EXCEPTION 'ROAMS_FROZEN: attendance row % is not of a finalised sheet', NEW.row_id USING ERRCODE = 'P0001';
    END IF;
    IF d <> NEW.days_on_rolls OR NEW.state <> 'pending' OR NEW.revision_no IS NOT NULL THEN
      RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision of row % must start pending with the row''s days on the rolls', NEW.row_id USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.state <> 'pending' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance revision % is already %', OLD.id, OLD.state USING ERRCODE = 'P0001';
  END IF;
  IF NEW.request_id <> OLD.request_id OR NEW.row_id <> OLD.row_id OR NEW.resource_id <> OLD.resource_id OR NEW.days_on_rolls <> OLD.days_on_rolls
     OR NEW.present <> OLD.present OR NEW.paid_leave <> OLD.paid_leave OR NEW.offs <> OLD.offs OR NEW.absence <> OLD.absence THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision % can only be decided', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_revision_items_append_only BEFORE INSERT OR UPDATE OR DELETE ON attendance_revision_items
  FOR EACH ROW EXECUTE FUNCTION attendance_revision_item_guard();
--> statement-breakpoint
-- The holiday calendar: statewide holidays (office_id null, kept by Finance) and an office's own
-- (kept by its department manager). Holidays count with the weekly offs; the balance rule is unchanged.
CREATE TABLE "holidays" (
	"id" serial PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"office_id" integer REFERENCES "offices"("id"),
	"name_en" text NOT NULL,
	"name_hi" text NOT NULL,
	"kind" text NOT NULL,
	"created_by" integer REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "holidays_kind" CHECK ("kind" in ('gazetted', 'optional')),
	CONSTRAINT "holidays_names" CHECK (length(btrim("name_en")) between 1 and 200 and length(btrim("name_hi")) between 1 and 200)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_state_date_uq" ON "holidays" ("date") WHERE "office_id" is null;
--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_office_date_uq" ON "holidays" ("office_id", "date") WHERE "office_id" is not null;
