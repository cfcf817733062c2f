-- Custom SQL migration file, put your code below! --
-- The resource list at 200,000 resources (issue 14, "Scale and speed"; EXPLAIN ANALYZE in
-- bench/RESULTS.md, "Resources at 200,000"). The list's default order is newest first
-- (created_at desc nulls last, id desc), and every list is inside a scope: an agency, a
-- department, a contracting office, or the state. The scope indexes now carry that order, so
-- page 1 of a department's ~6,000 resources reads 25 index entries instead of sorting every
-- row of the department (69 ms → 1.3 ms); the state scope gets the order alone. The list's
-- search box (`ilike '%q%'` on either name and the mobile, or the last four Aadhaar digits)
-- gets trigram indexes and a B-tree on aadhaar_last4, so a search is a bitmap OR of index
-- scans ANDed with the scope instead of reading every resource of the scope. fastupdate = off
-- as in 0004 / 0012 (PGlite has no autovacuum to merge a GIN pending list).
DROP INDEX IF EXISTS "resources_agency_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_agency_idx" ON "resources" USING btree ("agency_id", "created_at" DESC NULLS LAST, "id" DESC);--> statement-breakpoint
DROP INDEX IF EXISTS "resources_department_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_department_idx" ON "resources" USING btree ("department_id", "created_at" DESC NULLS LAST, "id" DESC);--> statement-breakpoint
DROP INDEX IF EXISTS "resources_contract_office_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_contract_office_idx" ON "resources" USING btree ("contract_office_id", "created_at" DESC NULLS LAST, "id" DESC);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_created_idx" ON "resources" USING btree ("created_at" DESC NULLS LAST, "id" DESC);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_aadhaar_last4_idx" ON "resources" USING btree ("aadhaar_last4");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_name_en_trgm_idx" ON "resources" USING gin ("name_en" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_name_hi_trgm_idx" ON "resources" USING gin ("name_hi" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_mobile_trgm_idx" ON "resources" USING gin ("mobile" gin_trgm_ops) WITH (fastupdate = off);
