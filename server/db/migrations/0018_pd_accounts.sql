-- Treasury personal-deposit (PD) accounts (spec 08, issue 18): accounts, their budget lines /
-- purposes, e-cheques, and an append-only double-entry ledger.
--
-- The ledger: every movement is a posting (pd_postings) of two or more entries (pd_entries) in
-- integer paise whose amounts sum to zero (a deferred constraint trigger checks each posting at
-- commit). Entries and postings are never changed or deleted (trigger: ROAMS_IMMUTABLE, answered
-- as 403); a correction is a new posting that reverses an earlier one.
--
-- Ledger accounts of an entry, all against one PD line:
--   line_available  money on the line that can be spent     (+ = held for the depositor)
--   line_reserved   money held for prepared e-cheques       (+ = held)
--   deposit_source  where deposits came from (BT / challan)  (- = received)
--   payment_out     money paid out by passed e-cheques       (+ = paid, head 8443-106)
-- Deposit: available +X, source -X. Prepare e-cheque: available -X, reserved +X.
-- Pass: reserved -X, payment_out +X. Return: reserved -X, available +X.
--
-- No overdraft (bar M4): the stored balances on pd_lines are moved only by the trigger on
-- pd_entries (in the inserting transaction), and CHECK (available_paise >= 0 AND reserved_paise
-- >= 0). The UPDATE takes the line's row lock, so concurrent e-cheques on one line queue on it;
-- each re-reads the committed balance and the one that would go below zero fails the CHECK
-- (SQLSTATE 23514, answered as 409 pd_insufficient_balance) and its whole transaction rolls back.
CREATE TABLE "pd_accounts" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_no" text NOT NULL,
  "source" text NOT NULL CHECK ("source" IN ('consolidated', 'other')),
  "treasury_id" integer NOT NULL REFERENCES "treasuries"("id"),
  "department_id" integer NOT NULL REFERENCES "departments"("id"),
  "name_en" text NOT NULL,
  "name_hi" text NOT NULL,
  "administrator_en" text NOT NULL,
  "administrator_hi" text NOT NULL,
  "active" boolean NOT NULL DEFAULT true,
  "created_at" timestamp with time zone NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_accounts_no_uq" ON "pd_accounts" ("account_no");--> statement-breakpoint
CREATE INDEX "pd_accounts_treasury_idx" ON "pd_accounts" ("treasury_id");--> statement-breakpoint
CREATE TABLE "pd_lines" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "budget_line_id" integer REFERENCES "budget_lines"("id"),
  "purpose_en" text NOT NULL,
  "purpose_hi" text NOT NULL,
  "available_paise" bigint NOT NULL DEFAULT 0,
  "reserved_paise" bigint NOT NULL DEFAULT 0,
  CONSTRAINT "pd_lines_available_nonneg" CHECK ("available_paise" >= 0),
  CONSTRAINT "pd_lines_reserved_nonneg" CHECK ("reserved_paise" >= 0)
);--> statement-breakpoint
CREATE INDEX "pd_lines_account_idx" ON "pd_lines" ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pd_lines_budget_line_uq" ON "pd_lines" ("account_id", "budget_line_id") WHERE "budget_line_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "pd_echeques" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "line_id" integer NOT NULL REFERENCES "pd_lines"("id"),
  "payee_kind" text NOT NULL CHECK ("payee_kind" IN ('vendor', 'book_transfer')),
  "payee_name" text NOT NULL,
  "payee_account_no" text NOT NULL DEFAULT '',
  "payee_ifsc" text NOT NULL DEFAULT '',
  "head_of_account" text NOT NULL DEFAULT '',
  "amount_paise" bigint NOT NULL CHECK ("amount_paise" > 0),
  "purpose" text NOT NULL DEFAULT '',
  "state" text NOT NULL DEFAULT 'prepared' CHECK ("state" IN ('prepared', 'passed', 'returned')),
  "return_reason" text NOT NULL DEFAULT '',
  "idempotency_key" text NOT NULL,
  "request_hash" text NOT NULL,
  "prepared_by" integer NOT NULL REFERENCES "users"("id"),
  "prepared_at" timestamp with time zone NOT NULL,
  "decided_by" integer REFERENCES "users"("id"),
  "decided_at" timestamp with time zone,
  CONSTRAINT "pd_echeques_maker_checker" CHECK ("decided_by" IS NULL OR "decided_by" <> "prepared_by")
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_echeques_idem_uq" ON "pd_echeques" ("account_id", "idempotency_key");--> statement-breakpoint
CREATE INDEX "pd_echeques_account_idx" ON "pd_echeques" ("account_id", "id");--> statement-breakpoint
CREATE INDEX "pd_echeques_state_idx" ON "pd_echeques" ("state", "id");--> statement-breakpoint
CREATE TABLE "pd_postings" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "line_id" integer NOT NULL REFERENCES "pd_lines"("id"),
  "kind" text NOT NULL CHECK ("kind" IN ('deposit', 'echeque_prepared', 'echeque_passed', 'echeque_returned', 'reversal')),
  "echeque_id" integer REFERENCES "pd_echeques"("id"),
  "reverses_id" integer REFERENCES "pd_postings"("id"),
  "reference" text NOT NULL DEFAULT '',
  "value_date" date NOT NULL,
  "created_by" integer REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "pd_postings_line_idx" ON "pd_postings" ("line_id", "value_date", "id");--> statement-breakpoint
CREATE UNIQUE INDEX "pd_postings_reverses_uq" ON "pd_postings" ("reverses_id") WHERE "reverses_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "pd_entries" (
  "id" bigserial PRIMARY KEY NOT NULL,
  "posting_id" integer NOT NULL REFERENCES "pd_postings"("id"),
  "line_id" integer NOT NULL REFERENCES "pd_lines"("id"),
  "ledger_account" text NOT NULL CHECK ("ledger_account" IN ('line_available', 'line_reserved', 'deposit_source', 'payment_out')),
  "amount_paise" bigint NOT NULL CHECK ("amount_paise" <> 0)
);--> statement-breakpoint
CREATE INDEX "pd_entries_posting_idx" ON "pd_entries" ("posting_id");--> statement-breakpoint
CREATE INDEX "pd_entries_line_idx" ON "pd_entries" ("line_id", "ledger_account");--> statement-breakpoint

-- Append-only: postings and entries refuse UPDATE, DELETE and TRUNCATE.
CREATE OR REPLACE FUNCTION pd_ledger_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ROAMS_IMMUTABLE: % is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_entries_immutable BEFORE UPDATE OR DELETE ON pd_entries FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_entries_no_truncate BEFORE TRUNCATE ON pd_entries FOR EACH STATEMENT EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_postings_immutable BEFORE UPDATE OR DELETE ON pd_postings FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_postings_no_truncate BEFORE TRUNCATE ON pd_postings FOR EACH STATEMENT EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint

-- The stored balances follow the entries, in the same transaction (and take the line's row lock).
CREATE OR REPLACE FUNCTION pd_entry_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.ledger_account = 'line_available' THEN
    UPDATE pd_lines SET available_paise = available_paise + NEW.amount_paise WHERE id = NEW.line_id;
  ELSIF NEW.ledger_account = 'line_reserved' THEN
    UPDATE pd_lines SET reserved_paise = reserved_paise + NEW.amount_paise WHERE id = NEW.line_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_entries_apply AFTER INSERT ON pd_entries FOR EACH ROW EXECUTE FUNCTION pd_entry_apply();--> statement-breakpoint

-- Double entry: each posting's entries sum to zero, checked at commit.
CREATE OR REPLACE FUNCTION pd_posting_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  total bigint;
BEGIN
  SELECT coalesce(sum(amount_paise), 0) INTO total FROM pd_entries WHERE posting_id = NEW.posting_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ROAMS_UNBALANCED: posting % sums to %', NEW.posting_id, total USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER pd_entries_balanced AFTER INSERT ON pd_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION pd_posting_balanced();
