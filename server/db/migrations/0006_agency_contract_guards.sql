-- Agencies and contracts (spec 03): what the database itself refuses.
-- A contract version that has left 'draft' is frozen: only its state may move forward
-- (in_force → superseded), and its posts and budget lines can no longer be inserted, changed or
-- deleted. Status history and minimum wages already in force are append-only. Every refusal
-- raises SQLSTATE P0001 'ROAMS_FROZEN…', answered by the API as 409 record_frozen.

CREATE OR REPLACE FUNCTION contract_version_frozen_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.state <> 'draft' THEN
      RAISE EXCEPTION 'ROAMS_FROZEN: contract version % is %', OLD.id, OLD.state USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.state = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.state = 'in_force' AND NEW.state = 'superseded'
     AND (to_jsonb(NEW) - 'state') = (to_jsonb(OLD) - 'state') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ROAMS_FROZEN: contract version % is % (% refused)', OLD.id, OLD.state, TG_OP USING ERRCODE = 'P0001';
END
$$;
--> statement-breakpoint
CREATE TRIGGER contract_versions_frozen BEFORE UPDATE OR DELETE ON contract_versions
  FOR EACH ROW EXECUTE FUNCTION contract_version_frozen_guard();
--> statement-breakpoint

-- Posts and budget lines of a version: only while the version is a draft. Reads the version
-- FOR SHARE so that a concurrent activation and an edit serialise.
CREATE OR REPLACE FUNCTION contract_version_child_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_id integer;
  s text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    v_id := OLD.version_id;
  ELSE
    v_id := NEW.version_id;
  END IF;
  SELECT state INTO s FROM contract_versions WHERE id = v_id FOR SHARE;
  IF s IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: contract version % is % (% on %)', v_id, s, TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.version_id <> NEW.version_id THEN
    SELECT state INTO s FROM contract_versions WHERE id = OLD.version_id FOR SHARE;
    IF s IS DISTINCT FROM 'draft' THEN
      RAISE EXCEPTION 'ROAMS_FROZEN: contract version % is %', OLD.version_id, s USING ERRCODE = 'P0001';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER contract_posts_frozen BEFORE INSERT OR UPDATE OR DELETE ON contract_posts
  FOR EACH ROW EXECUTE FUNCTION contract_version_child_guard();
--> statement-breakpoint
CREATE TRIGGER contract_version_budget_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON contract_version_budget_lines
  FOR EACH ROW EXECUTE FUNCTION contract_version_child_guard();
--> statement-breakpoint

CREATE OR REPLACE FUNCTION roams_append_only_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ROAMS_FROZEN: % is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END
$$;
--> statement-breakpoint
CREATE TRIGGER agency_status_events_append_only BEFORE UPDATE OR DELETE ON agency_status_events
  FOR EACH ROW EXECUTE FUNCTION roams_append_only_guard();
--> statement-breakpoint
CREATE TRIGGER agency_documents_append_only BEFORE UPDATE OR DELETE ON agency_documents
  FOR EACH ROW EXECUTE FUNCTION roams_append_only_guard();
--> statement-breakpoint

-- A minimum-wage row already in force (effective on or before today, IST) cannot be changed or
-- removed: periods may already be invoiced on it. A correction is a new row.
CREATE OR REPLACE FUNCTION minimum_wage_in_force_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.effective_from <= (now() AT TIME ZONE 'Asia/Kolkata')::date THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: minimum wage % is in force since % (% refused)', OLD.id, OLD.effective_from, TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER minimum_wages_in_force BEFORE UPDATE OR DELETE ON minimum_wages
  FOR EACH ROW EXECUTE FUNCTION minimum_wage_in_force_guard();
