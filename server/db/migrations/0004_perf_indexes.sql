-- Custom SQL migration file, put your code below! --
-- Trigram indexes for the office search (searchOfficesInScope in server/modules/org/org.repo.ts,
-- behind GET /api/v1/office-users/offices): `ilike '%q%'` on the English and Hindi names can
-- use them, where a B-tree cannot. At state scale (12,000 offices)
-- the search went from a scan of every office (≈ 50 ms) to ≈ 2 ms; see bench/RESULTS.md.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. PGlite
-- loads it in server/db/pglite-worker.mjs. fastupdate = off: no GIN pending list, which only
-- VACUUM or autovacuum merges; PGlite has no autovacuum, and with rows waiting in the list its
-- planner ignored the index (offices change rarely; inserts pay the index update at once).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "offices_name_en_trgm_idx" ON "offices" USING gin ("name_en" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "offices_name_hi_trgm_idx" ON "offices" USING gin ("name_hi" gin_trgm_ops) WITH (fastupdate = off);
