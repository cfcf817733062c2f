-- Issue 18, "Scale and speed" (bench/pd.ts): an account's statement (pd.repo statementRows,
-- GET /api/v1/pd/accounts/:id/statement) selects the account's postings by account and value
-- date (the reports of pd.rep.repo go by line, which pd_postings_line_idx serves). With only
-- pd_postings_line_idx (line_id, value_date, id) every statement read all of a treasury's postings
-- (a sequential scan of ~520,000 rows, twice per statement, at 5,000 accounts and 1,000,000
-- entries). This index gives both of the statement's queries (opening: value_date < from; moves:
-- value_date between from and to, ordered by value_date, id) an index range scan.
CREATE INDEX IF NOT EXISTS "pd_postings_account_idx" ON "pd_postings" ("account_id", "value_date", "id");
