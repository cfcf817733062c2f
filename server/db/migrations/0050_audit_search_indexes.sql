-- The audit trail's search at the size a state's trail reaches (≈ 10 million entries a year:
-- an entry per attendance row uploaded, per login, per record changed). Every search of the
-- trail page orders by seq (newest first) and pages 25 entries; before this, the filters the page
-- offers had no index that gave that order, so each search read every matching entry to sort it,
-- or walked the whole trail: at 1,026,880 entries a user's entries took 178 ms, an entity and
-- action 266 ms, a department's page 77 ms of counting (bench/RESULTS.md "Audit trail at scale").
-- Each index below leads with the filter and ends with seq, so a page is read in order and stops
-- after 25 entries. Btrees only: a trigram index on the free-text columns made every audit write
-- three times slower (the write takes the chain's lock, so every writer in the state would wait).
--
-- Who did it: the acting user (replaces audit_log_actor_idx, which had no seq).
CREATE INDEX IF NOT EXISTS "audit_log_actor_seq_idx" ON "audit_log" USING btree ("actor_user_id", "seq");--> statement-breakpoint
DROP INDEX IF EXISTS "audit_log_actor_idx";--> statement-breakpoint
-- Login, logout and failed logins name the login id typed (entity 'session'); the "User ID"
-- filter matches it case-insensitively. Partial: only session entries carry it.
CREATE INDEX IF NOT EXISTS "audit_log_session_login_idx" ON "audit_log" USING btree (lower("entity_id"), "seq") WHERE "entity" = 'session';--> statement-breakpoint
-- What was done: the record kind and the action (the page's two drop-downs).
CREATE INDEX IF NOT EXISTS "audit_log_entity_action_idx" ON "audit_log" USING btree ("entity", "action", "seq");--> statement-breakpoint
-- A department-scoped auditor's trail.
CREATE INDEX IF NOT EXISTS "audit_log_department_idx" ON "audit_log" USING btree ("department_id", "seq");
--> statement-breakpoint
-- Kinds and actions go together (a session logs in, an attendance row is updated): without this
-- the planner multiplies their frequencies, expects thousands of matches for a pair that has none,
-- and walks the whole trail newest first looking for them (324 ms at a million entries).
CREATE STATISTICS IF NOT EXISTS "audit_log_entity_action_stats" (mcv) ON "entity", "action" FROM "audit_log";
