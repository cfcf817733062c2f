-- Sanction orders (spec 02): "Lock Now" is enforced by the database, not only the screen.
-- A locked order, its posts and its office-wise numbers can no longer be inserted into,
-- updated or deleted; every attempt raises SQLSTATE P0001 with a message starting
-- 'ROAMS_LOCKED', which the API answers as 409 sanction_locked.

CREATE OR REPLACE FUNCTION sanction_order_locked_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.locked_at IS NOT NULL THEN
    RAISE EXCEPTION 'ROAMS_LOCKED: sanction order % is locked (% refused)', OLD.id, TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sanction_orders_locked BEFORE UPDATE OR DELETE ON sanction_orders
  FOR EACH ROW EXECUTE FUNCTION sanction_order_locked_guard();
--> statement-breakpoint

-- Is the order locked? Reads the order row FOR SHARE, so that a concurrent "Lock Now" either
-- commits first (and this change is refused) or waits for this change to commit.
CREATE OR REPLACE FUNCTION sanction_refuse_if_order_locked(p_order_id integer, op text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  l timestamptz;
BEGIN
  IF p_order_id IS NULL THEN
    RETURN;
  END IF;
  SELECT locked_at INTO l FROM sanction_orders WHERE id = p_order_id FOR SHARE;
  IF l IS NOT NULL THEN
    RAISE EXCEPTION 'ROAMS_LOCKED: sanction order % is locked (% refused)', p_order_id, op USING ERRCODE = 'P0001';
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sanction_post_locked_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM sanction_refuse_if_order_locked(OLD.order_id, TG_OP);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM sanction_refuse_if_order_locked(NEW.order_id, TG_OP);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sanction_posts_locked BEFORE INSERT OR UPDATE OR DELETE ON sanction_posts
  FOR EACH ROW EXECUTE FUNCTION sanction_post_locked_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sanction_post_office_locked_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM sanction_refuse_if_order_locked((SELECT order_id FROM sanction_posts WHERE id = OLD.post_id), TG_OP);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM sanction_refuse_if_order_locked((SELECT order_id FROM sanction_posts WHERE id = NEW.post_id), TG_OP);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sanction_post_offices_locked BEFORE INSERT OR UPDATE OR DELETE ON sanction_post_offices
  FOR EACH ROW EXECUTE FUNCTION sanction_post_office_locked_guard();
--> statement-breakpoint
CREATE TRIGGER sanction_tables_no_truncate BEFORE TRUNCATE ON sanction_orders FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER sanction_posts_no_truncate BEFORE TRUNCATE ON sanction_posts FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER sanction_post_offices_no_truncate BEFORE TRUNCATE ON sanction_post_offices FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint

-- Uploaded files are evidence: a stored file row is never changed or deleted.
CREATE TRIGGER stored_files_immutable BEFORE UPDATE OR DELETE ON stored_files FOR EACH ROW EXECUTE FUNCTION refuse_change();
