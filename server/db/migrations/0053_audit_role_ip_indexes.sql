-- The audit trail page's two remaining filters, indexed as its others are (migration 0050): the
-- role the actor acted in, and the start of the address it came from. Without them a role or an
-- address that is rare in the trail read the whole trail twice — once walking it newest first for
-- the page's 25, once counting up to the cap (10,000) — a second or more at a year's ten million
-- entries, for any auditor who picked a role nobody had acted in lately (bench/RESULTS.md "Audit
-- trail at scale"). Each index leads with the filter and ends with seq, so a role's page is read
-- in order and stops after 25; an address prefix is a range of the index (text_pattern_ops: the
-- filter is `ilike 'prefix%'`, and an address has no letters to fold before its first colon or
-- hex digit, so PostgreSQL can use the range), sorted by seq when it is narrow. Btrees only, as in
-- 0050: each costs an index entry per audit write, which holds the chain's lock.
CREATE INDEX IF NOT EXISTS "audit_log_role_seq_idx" ON "audit_log" USING btree ("role", "seq");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_ip_seq_idx" ON "audit_log" USING btree ("ip" text_pattern_ops, "seq");
