-- The contract list's default order, as the page opens it (newest registered first: created_at
-- desc, then id): without an index every request read and sorted all of the state's contracts to
-- show 25 (4 ms of execution at 10,000 contracts; bench/RESULTS.md). The bench had measured the
-- list by contract date, which has its index (contracts_date_idx), so the page's own order went
-- unnoticed.
CREATE INDEX IF NOT EXISTS "contracts_created_idx" ON "contracts" USING btree ("created_at" DESC NULLS LAST, "id" DESC);
