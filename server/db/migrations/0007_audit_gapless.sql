-- Audit entries numbered without gaps (issue 12.3): the chain trigger of 0001 drew a second
-- value from the serial sequence (the column default had already drawn one), so entries went
-- 2, 4, 6… — to an auditor a gap looks like a deleted entry. The number is now the last one + 1,
-- taken under the same transaction-scoped advisory lock, so it is gapless even when a writer
-- rolls back (the next writer waits for the lock and reads the committed last entry).
-- Entries written before this migration keep their numbers (their hashes cover them);
-- `meta.audit_gapless_after` records the last of them, and verification reports a gap after it.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_hash text;
  last_seq bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7242001);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.at := clock_timestamp();
  NEW.prev_hash := coalesce(last_hash, '');
  NEW.hash := audit_entry_digest(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;
--> statement-breakpoint
INSERT INTO meta (key, value) SELECT 'audit_gapless_after', to_jsonb(coalesce(max(seq), 0)) FROM audit_log
  ON CONFLICT (key) DO NOTHING;
