-- The roster of an office-month (attendance.repo.ts roster: the grid, the templates, both uploads)
-- looks resources up by office whatever their status (approved and relieved); the only index on
-- office_id is partial (approved). At state scale (200,000 resources) each roster was a parallel
-- sequential scan of the table, ~57 ms, and a department-wide upload reads one roster per office
-- (~150 offices: 8.4 s of a 9 s upload of 5,064 rows; bench/RESULTS.md, issue 15 S3 re-measured).
CREATE INDEX "resources_office_idx" ON "resources" ("office_id") WHERE "office_id" IS NOT NULL;
