-- The resource list's search inside a department (resource.repo.ts listWhere; a department
-- manager or auditor searching a surname among the department's workers). The trigram indexes of
-- 0015 are statewide: for a common surname the planner ANDed the department's B-tree (5,921 rows)
-- with the trigram index's 7,512 matches statewide, 1.7 ms of a 2.5 ms search at 200,000
-- resources. The same indexes led by department_id (btree_gin lets a GIN index hold a plain
-- column) find the department's matches alone: 1.3 ms in all, and a mobile number 0.8 → 0.4 ms
-- (bench/RESULTS.md "Department search"). A statewide search (Finance) still uses them on the
-- second column, so they replace the statewide ones rather than adding three more GIN indexes to
-- every resource write. btree_gin is a trusted extension (PostgreSQL 13+) like pg_trgm; PGlite
-- loads it in server/db/pglite-worker.mjs and server/test/template.ts.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_dept_name_en_trgm_idx" ON "resources" USING gin ("department_id", "name_en" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_dept_name_hi_trgm_idx" ON "resources" USING gin ("department_id", "name_hi" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_dept_mobile_trgm_idx" ON "resources" USING gin ("department_id", "mobile" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
DROP INDEX IF EXISTS "resources_name_en_trgm_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "resources_name_hi_trgm_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "resources_mobile_trgm_idx";
