-- The security log's address filter, as the audit trail's (migration 0053): the page orders by id
-- and the filter is `ilike 'prefix%'`, so the index leads with the address under text_pattern_ops
-- (usable for a prefix whatever the database's collation) and ends with id. The old (ip, at)
-- index served neither the prefix (a collation-ordered btree cannot answer LIKE unless the
-- collation is C) nor the order; only the search reads this table.
CREATE INDEX IF NOT EXISTS "security_events_ip_id_idx" ON "security_events" USING btree ("ip" text_pattern_ops, "id");--> statement-breakpoint
DROP INDEX IF EXISTS "security_events_ip_idx";
