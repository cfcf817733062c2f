-- Custom SQL migration file, put your code below! --
-- Resources' life cycle (issue 14 item 5): replacement (relieve A, join B on the same position),
-- profile-change requests (a bank-account change takes effect only after the department approves),
-- events with documents (accident with the 24-hour ESIC reporting deadline, maternity leave, death),
-- and the retirement age Finance sets (a state setting, default 62; the masters' state-settings page).
-- Each request table has one open request per worker, enforced here (as resource_relievings_open_uq).
CREATE TABLE "resource_replacements" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" integer NOT NULL REFERENCES "resources"("id"),
	"replacement_id" integer NOT NULL REFERENCES "resources"("id"),
	"state" text DEFAULT 'requested' NOT NULL,
	"relieve_on" date NOT NULL,
	"join_on" date NOT NULL,
	"reason_code" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"requested_by" integer REFERENCES "users"("id"),
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer REFERENCES "users"("id"),
	"decided_at" timestamp with time zone,
	"decision_remark" text DEFAULT '' NOT NULL,
	CONSTRAINT "resource_replacements_dates" CHECK ("join_on" >= "relieve_on"),
	CONSTRAINT "resource_replacements_two" CHECK ("resource_id" <> "replacement_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "resource_replacements_open_uq" ON "resource_replacements" USING btree ("resource_id") WHERE "state" = 'requested';--> statement-breakpoint
CREATE UNIQUE INDEX "resource_replacements_incoming_uq" ON "resource_replacements" USING btree ("replacement_id") WHERE "state" = 'requested';--> statement-breakpoint
CREATE INDEX "resource_replacements_replacement_idx" ON "resource_replacements" USING btree ("replacement_id");--> statement-breakpoint
CREATE TABLE "resource_profile_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" integer NOT NULL REFERENCES "resources"("id"),
	"state" text DEFAULT 'requested' NOT NULL,
	"mobile" text,
	"address" text,
	"qualification" text,
	"bank_account" text,
	"ifsc" text,
	"photo_file_id" integer REFERENCES "stored_files"("id"),
	"remark" text DEFAULT '' NOT NULL,
	"requested_by" integer REFERENCES "users"("id"),
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer REFERENCES "users"("id"),
	"decided_at" timestamp with time zone,
	"decision_remark" text DEFAULT '' NOT NULL,
	CONSTRAINT "resource_profile_changes_bank_pair" CHECK (("bank_account" is null) = ("ifsc" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "resource_profile_changes_open_uq" ON "resource_profile_changes" USING btree ("resource_id") WHERE "state" = 'requested';--> statement-breakpoint
CREATE INDEX "resource_profile_changes_resource_idx" ON "resource_profile_changes" USING btree ("resource_id","id");--> statement-breakpoint
CREATE TABLE "resource_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" integer NOT NULL REFERENCES "resources"("id"),
	"kind" text NOT NULL,
	"state" text DEFAULT 'recorded' NOT NULL,
	"occurred_on" date NOT NULL,
	"occurred_at" timestamp with time zone,
	"to_date" date,
	"esic_reported_at" timestamp with time zone,
	"document_file_id" integer REFERENCES "stored_files"("id"),
	"remark" text DEFAULT '' NOT NULL,
	"recorded_by" integer REFERENCES "users"("id"),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer REFERENCES "users"("id"),
	"decided_at" timestamp with time zone,
	"decision_remark" text DEFAULT '' NOT NULL,
	CONSTRAINT "resource_events_accident_time" CHECK ("kind" <> 'accident' or "occurred_at" is not null),
	CONSTRAINT "resource_events_maternity_period" CHECK ("kind" <> 'maternity' or ("to_date" is not null and "to_date" >= "occurred_on"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "resource_events_death_uq" ON "resource_events" USING btree ("resource_id") WHERE "kind" = 'death' and "state" in ('requested', 'approved');--> statement-breakpoint
CREATE INDEX "resource_events_resource_idx" ON "resource_events" USING btree ("resource_id","id");--> statement-breakpoint
CREATE INDEX "resource_events_esic_open_idx" ON "resource_events" USING btree ("occurred_at") WHERE "kind" = 'accident' and "esic_reported_at" is null;--> statement-breakpoint
ALTER TABLE "state_settings" ADD COLUMN "retirement_age" integer DEFAULT 62 NOT NULL;--> statement-breakpoint
ALTER TABLE "state_settings" ADD CONSTRAINT "state_settings_retirement_age" CHECK ("retirement_age" between 55 and 70);
