-- Issue 11, findings 2 and 7 (hand-written; see the journal entry idx 11).
-- Finding 2: the throttling queries count failures per address and, for the global cap, all
-- failures of the last minute; without these they scan login_attempts (checked with EXPLAIN).
CREATE INDEX IF NOT EXISTS "login_attempts_ip_at_idx" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "login_attempts_failed_at_idx" ON "login_attempts" USING btree ("at") WHERE NOT "success";--> statement-breakpoint
-- Finding 7: who gave a role (shown to the user on the profile; the audit entry has it too).
ALTER TABLE "role_assignments" ADD COLUMN "created_by" integer REFERENCES "users"("id");--> statement-breakpoint
-- Finding 7: the department that registered an agency (it may verify it), and the department
-- whose suspension is in force (null: Finance's statewide suspension, or no suspension).
ALTER TABLE "agencies" ADD COLUMN "registered_department_id" integer REFERENCES "departments"("id");--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "status_department_id" integer REFERENCES "departments"("id");--> statement-breakpoint
-- Agencies registered by a department before this migration: the department of the
-- registering user's first office role (department managers hold office scopes).
UPDATE "agencies" a SET "registered_department_id" = (
  SELECT o."department_id" FROM "role_assignments" ra JOIN "offices" o ON o."id" = ra."scope_id"
   WHERE ra."user_id" = a."registered_by" AND ra."scope_kind" = 'office' ORDER BY ra."id" LIMIT 1)
 WHERE a."registered_via" = 'department' AND a."registered_by" IS NOT NULL;
