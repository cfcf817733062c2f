-- Issue 18 item 1: the opening of a PD account (seed 004, annexure "परिशिष्ट-क" para 1(a) and
-- its form "प्रपत्र-अ"). A proposal of an administrative department (HOD designation, one source
-- of money) with its rows (administrator's designation and office, treasury, purpose, items
-- deposited, validity date, remark) and each row's budget lines (consolidated fund: down to
-- scheme head) or purposes (other than consolidated fund).
--   draft → submitted (maker) → recommended (HOD, another user) → sanctioned | refused (Finance)
--   → applied (the administrator's application to the treasury) → registered (every row
--   registered by its treasury's officer: the PD account and its login exist).
-- What the database protects here:
--   * maker ≠ HOD: pd_proposals_maker_checker (a recommendation by the proposal's maker);
--   * a sanction carries its order number and date, a refusal its reason (CHECKs);
--   * a proposal's rows and lines are frozen once it leaves the draft (trigger
--     pd_proposal_frozen: ROAMS_FROZEN → 409 record_frozen); only the registration columns of a
--     row (account_id, login_user_id, registered_*) may still be written, once;
--   * one PD account per row (unique account_id); account numbers are unique (pd_accounts_no_uq).
CREATE TABLE "pd_proposals" (
  "id" serial PRIMARY KEY,
  "department_id" integer NOT NULL REFERENCES "departments"("id"),
  "hod_designation" text NOT NULL,
  "source" text NOT NULL CHECK ("source" IN ('consolidated', 'other')),
  "state" text NOT NULL DEFAULT 'draft'
    CHECK ("state" IN ('draft', 'submitted', 'recommended', 'sanctioned', 'refused', 'applied', 'registered')),
  "sanction_no" text NOT NULL DEFAULT '',
  "sanction_date" date,
  "refusal_reason" text NOT NULL DEFAULT '',
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL,
  "updated_at" timestamp with time zone NOT NULL,
  "submitted_by" integer REFERENCES "users"("id"),
  "submitted_at" timestamp with time zone,
  "recommended_by" integer REFERENCES "users"("id"),
  "recommended_at" timestamp with time zone,
  "decided_by" integer REFERENCES "users"("id"),
  "decided_at" timestamp with time zone,
  "applied_by" integer REFERENCES "users"("id"),
  "applied_at" timestamp with time zone,
  CONSTRAINT "pd_proposals_maker_checker" CHECK ("recommended_by" IS NULL OR "recommended_by" <> "created_by"),
  CONSTRAINT "pd_proposals_sanction_recorded" CHECK ("state" NOT IN ('sanctioned', 'applied', 'registered') OR ("sanction_no" <> '' AND "sanction_date" IS NOT NULL)),
  CONSTRAINT "pd_proposals_refusal_reason" CHECK ("state" <> 'refused' OR "refusal_reason" <> '')
);--> statement-breakpoint
CREATE INDEX "pd_proposals_department_idx" ON "pd_proposals" ("department_id", "state");--> statement-breakpoint
CREATE TABLE "pd_proposal_rows" (
  "id" serial PRIMARY KEY,
  "proposal_id" integer NOT NULL REFERENCES "pd_proposals"("id"),
  "position" integer NOT NULL,
  "institution" text NOT NULL DEFAULT 'government' CHECK ("institution" IN ('government', 'non_government')),
  "administrator_designation" text NOT NULL,
  "administrator_office" text NOT NULL,
  "administrator_mobile" text NOT NULL DEFAULT '' CHECK ("administrator_mobile" = '' OR "administrator_mobile" ~ '^[6-9][0-9]{9}$'),
  "treasury_id" integer NOT NULL REFERENCES "treasuries"("id"),
  "purpose" text NOT NULL,
  "items" text NOT NULL,
  "validity_date" date,
  "remark" text NOT NULL DEFAULT '',
  "account_id" integer REFERENCES "pd_accounts"("id"),
  "login_user_id" integer REFERENCES "users"("id"),
  "password_issued_at" timestamp with time zone,
  -- SHA-256 of the issued password's (argon2id, salted) hash: while the login's hash still matches, the
  -- issued password has not been changed (assertMayWithdraw). Reveals nothing about the password.
  "issued_password_digest" text,
  "registered_by" integer REFERENCES "users"("id"),
  "registered_at" timestamp with time zone,
  CONSTRAINT "pd_proposal_rows_no_login_for_non_government" CHECK ("institution" = 'government' OR "login_user_id" IS NULL)
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_proposal_rows_position_uq" ON "pd_proposal_rows" ("proposal_id", "position");--> statement-breakpoint
CREATE UNIQUE INDEX "pd_proposal_rows_account_uq" ON "pd_proposal_rows" ("account_id") WHERE "account_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "pd_proposal_rows_treasury_idx" ON "pd_proposal_rows" ("treasury_id");--> statement-breakpoint
CREATE INDEX "pd_proposal_rows_login_idx" ON "pd_proposal_rows" ("login_user_id") WHERE "login_user_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "pd_proposal_lines" (
  "id" serial PRIMARY KEY,
  "row_id" integer NOT NULL REFERENCES "pd_proposal_rows"("id"),
  "budget_line_id" integer REFERENCES "budget_lines"("id"),
  "purpose" text NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_proposal_lines_budget_uq" ON "pd_proposal_lines" ("row_id", "budget_line_id") WHERE "budget_line_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "pd_proposal_lines_row_idx" ON "pd_proposal_lines" ("row_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "pd_proposal_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pid integer;
  st text;
BEGIN
  IF TG_TABLE_NAME = 'pd_proposal_rows' THEN
    pid := COALESCE(NEW.proposal_id, OLD.proposal_id);
  ELSE
    SELECT r.proposal_id INTO pid FROM pd_proposal_rows r WHERE r.id = COALESCE(NEW.row_id, OLD.row_id);
  END IF;
  SELECT p.state INTO st FROM pd_proposals p WHERE p.id = pid;
  IF st IS NULL OR st = 'draft' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  -- Out of the draft only a row's registration may be written, once, while the proposal is applied.
  IF TG_TABLE_NAME = 'pd_proposal_rows' AND TG_OP = 'UPDATE' AND st = 'applied' AND OLD.account_id IS NULL
     AND (NEW.proposal_id, NEW.position, NEW.institution, NEW.administrator_designation, NEW.administrator_office,
          NEW.administrator_mobile, NEW.treasury_id, NEW.purpose, NEW.items, NEW.validity_date, NEW.remark)
         IS NOT DISTINCT FROM
         (OLD.proposal_id, OLD.position, OLD.institution, OLD.administrator_designation, OLD.administrator_office,
          OLD.administrator_mobile, OLD.treasury_id, OLD.purpose, OLD.items, OLD.validity_date, OLD.remark) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ROAMS_FROZEN: PD proposal % is %, its rows cannot change', pid, st;
END $$;--> statement-breakpoint
CREATE TRIGGER "pd_proposal_rows_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "pd_proposal_rows"
  FOR EACH ROW EXECUTE FUNCTION "pd_proposal_frozen"();--> statement-breakpoint
CREATE TRIGGER "pd_proposal_lines_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "pd_proposal_lines"
  FOR EACH ROW EXECUTE FUNCTION "pd_proposal_frozen"();
