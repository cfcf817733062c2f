-- The agency list's default order (legal name, then id): read from this index, the first page stops
-- after 25 rows instead of sorting all of the state's agencies on every request (the list's count
-- is a separate index-only statement; bench/RESULTS.md). Agencies are few (≈ 2,000 in a state) and
-- rarely written: the index costs nothing noticeable.
CREATE INDEX IF NOT EXISTS "agencies_legal_name_idx" ON "agencies" USING btree ("legal_name", "id");
