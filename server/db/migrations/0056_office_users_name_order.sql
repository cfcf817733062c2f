-- The office-users list (issue 13, bar S1): its page is ordered by the user's name, which lives
-- in `users`, so every request looked up each of an office's assignments (≈ 400 in a large
-- office), sorted them all and numbered them to show 25 (1.5 ms of execution at state scale;
-- bench/RESULTS.md). The assignment now carries its user's name, kept equal to `users.name` by the
-- two triggers below (on the assignment's insert or change of user, and on any change of a
-- user's name), and an index in the list's order serves the page's 25 rows directly.
-- The name here is a copy for ordering only: what the page shows is still read from `users`.
ALTER TABLE "role_assignments" ADD COLUMN IF NOT EXISTS "user_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE "role_assignments" ra SET "user_name" = u."name" FROM "users" u WHERE u."id" = ra."user_id" AND ra."user_name" IS DISTINCT FROM u."name";--> statement-breakpoint
CREATE OR REPLACE FUNCTION role_assignment_user_name() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.user_name := coalesce((SELECT u.name FROM users u WHERE u.id = NEW.user_id), '');
  RETURN NEW;
END
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS role_assignments_user_name ON role_assignments;--> statement-breakpoint
CREATE TRIGGER role_assignments_user_name BEFORE INSERT OR UPDATE OF user_id, user_name ON role_assignments
  FOR EACH ROW EXECUTE FUNCTION role_assignment_user_name();--> statement-breakpoint
CREATE OR REPLACE FUNCTION users_name_to_assignments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE role_assignments SET user_name = NEW.name WHERE user_id = NEW.id AND user_name IS DISTINCT FROM NEW.name;
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS users_name_to_assignments ON users;--> statement-breakpoint
CREATE TRIGGER users_name_to_assignments AFTER UPDATE OF name ON users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION users_name_to_assignments();--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "role_assignments_office_name_idx" ON "role_assignments" USING btree ("office_id", "active" DESC, "user_name", "id");
