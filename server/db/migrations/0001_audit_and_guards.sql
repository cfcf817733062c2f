-- Hand-written guards that the ORM cannot express. See docs/ARCHITECTURE.md "Database guards".

-- 1. Audit trail: hash chain. Each entry's hash covers the previous entry's hash and the entry's
--    canonical JSON; seq is assigned under a transaction-scoped advisory lock so that chain
--    order = seq order even with concurrent writers.
CREATE OR REPLACE FUNCTION audit_entry_digest(prev text, e audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(prev || '|' || jsonb_build_object(
    'seq', e.seq,
    'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'actor', e.actor_user_id, 'actor_name', e.actor_name, 'assignment', e.assignment_id,
    'role', e.role, 'ip', e.ip, 'entity', e.entity, 'entity_id', e.entity_id,
    'action', e.action, 'department', e.department_id, 'before', e.before, 'after', e.after
  )::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7242001);
  NEW.seq := nextval(pg_get_serial_sequence('audit_log', 'seq'));
  NEW.at := clock_timestamp();
  SELECT hash INTO last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.prev_hash := coalesce(last_hash, '');
  NEW.hash := audit_entry_digest(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ROAMS_IMMUTABLE: % on % is not allowed', TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint

-- 2. An office's department is its HOD's department.
CREATE OR REPLACE FUNCTION offices_department_from_hod() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT department_id INTO NEW.department_id FROM hods WHERE id = NEW.hod_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER offices_department_from_hod BEFORE INSERT OR UPDATE OF hod_id, department_id ON offices
  FOR EACH ROW EXECUTE FUNCTION offices_department_from_hod();
--> statement-breakpoint

-- 3. Users are deactivated, never deleted.
CREATE TRIGGER users_never_deleted BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER role_assignments_never_deleted BEFORE DELETE ON role_assignments FOR EACH ROW EXECUTE FUNCTION refuse_change();
