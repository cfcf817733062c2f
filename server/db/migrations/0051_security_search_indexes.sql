-- The security log's search as the log grows (the audit trail's counterpart, migration 0050). The
-- log takes a row for every refused API request (401, 403, 404, 429), so anyone can make it grow;
-- its page orders by id (newest first) and its filters are who, the address, the code and dates.
-- The indexes of 0000 end with `at`, not id, so a page sorted every match, and "User ID" also
-- matched the login id typed into a refused request (details->>'username') with no index at all:
-- the whole log on every search. Each index below leads with a filter and ends with id.
CREATE INDEX IF NOT EXISTS "security_events_user_id_idx" ON "security_events" USING btree ("user_id", "id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "security_events_typed_idx" ON "security_events" USING btree (lower("details"->>'username'), "id") WHERE "details" ? 'username';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "security_events_code_id_idx" ON "security_events" USING btree ("code", "id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "security_events_department_idx" ON "security_events" USING btree ("department_id", "id");--> statement-breakpoint
DROP INDEX IF EXISTS "security_events_user_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "security_events_code_idx";
