-- Custom SQL migration file, put your code below! --
-- Indexes for the searches and the default sort the Contracts and Agencies pages offer (issue 13).
-- At state scale (5,000 contracts, 2,000 agencies; EXPLAIN ANALYZE in bench/RESULTS.md) the
-- contract search (`ilike '%q%'` on the number, the GeM contract number and the GeM bid number,
-- or an agency whose legal name matches) scanned every contract (≈ 19 ms); with trigram indexes
-- it is a bitmap OR of index scans. The agency-name search (agencyIdsNamed, also the Agencies
-- page's search) likewise. fastupdate = off, as in 0004: PGlite has no autovacuum to merge a GIN
-- pending list (the embedded maintenance job, server/db/maintenance.ts, vacuums it now, but an
-- index that is never behind is simpler). The B-tree on (contract_date, id) serves the list's
-- default order (newest first) without sorting every contract.
CREATE INDEX IF NOT EXISTS "contracts_contract_no_trgm_idx" ON "contracts" USING gin ("contract_no" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contracts_gem_contract_no_trgm_idx" ON "contracts" USING gin ("gem_contract_no" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contracts_gem_bid_no_trgm_idx" ON "contracts" USING gin ("gem_bid_no" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "agencies_legal_name_trgm_idx" ON "agencies" USING gin ("legal_name" gin_trgm_ops) WITH (fastupdate = off);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contracts_date_idx" ON "contracts" USING btree ("contract_date" DESC NULLS LAST, "id" DESC);
