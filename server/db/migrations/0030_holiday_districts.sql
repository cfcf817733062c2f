-- Holiday calendar by district (issue 15 item 4): a holiday is statewide (office and district
-- null), of a district (district_id; local holidays, kept by Finance — no role is scoped to a
-- district), or of an office (office_id, as before). An office takes the statewide holidays, its
-- district's and its own. Existing rows (statewide or office) stay valid: district_id is null.
ALTER TABLE "holidays" ADD COLUMN "district_id" integer REFERENCES "districts"("id");
--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_one_scope" CHECK ("office_id" is null or "district_id" is null);
--> statement-breakpoint
-- Kinds: gazetted, optional (restricted) and local. A local holiday is never statewide.
ALTER TABLE "holidays" DROP CONSTRAINT "holidays_kind";
--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_kind" CHECK ("kind" in ('gazetted', 'optional', 'local'));
--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_local_scoped" CHECK ("kind" <> 'local' or "office_id" is not null or "district_id" is not null);
--> statement-breakpoint
-- One holiday per date and scope: statewide now means neither an office nor a district.
DROP INDEX "holidays_state_date_uq";
--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_state_date_uq" ON "holidays" ("date") WHERE "office_id" is null and "district_id" is null;
--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_district_date_uq" ON "holidays" ("district_id", "date") WHERE "district_id" is not null;
