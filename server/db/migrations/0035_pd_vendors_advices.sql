-- Issue 18 item 4 (middle part): the vendor master of a PD account and advices (seed 004,
-- annexure para 3(4) and 3(6)).
--
-- Vendor master: a payee of a PD account — name, bank account number, bank, IFSC — with the
-- proof the administrator answers for (cancelled cheque, bank statement or passbook; a PDF, JPEG
-- or PNG kept in stored_files). One vendor per account, bank account and IFSC. A vendor e-cheque
-- names its vendor (pd_echeques.vendor_id); the payee's name, account and IFSC are copied onto
-- the e-cheque when it is made, so a later change of the master cannot change a prepared cheque.
--
-- Advice: the administrator selects prepared e-cheques of ONE account into an advice (draft) and
-- approves it with the second factor; only then do its e-cheques reach the treasury officer.
-- The database holds these rules itself:
--   * an item's e-cheque belongs to the advice's account and is prepared when it is added, and
--     only a draft advice takes items (trigger pd_advice_items_check, ROAMS_PD_ADVICE);
--   * an e-cheque is in at most one advice (unique index pd_advice_items_echeque_uq): advices
--     are never cancelled in this slice, so every advice is live;
--   * an e-cheque moves from prepared to passed or returned only when an APPROVED advice holds
--     it (trigger pd_echeques_need_advice, ROAMS_PD_NO_ADVICE, answered as 409
--     pd_echeque_not_advised);
--   * an advice goes only draft → approved, and its items are never changed or removed
--     (pd_advices_state_check, trigger pd_advice_items_immutable).
CREATE TABLE "pd_vendors" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "name" text NOT NULL,
  "bank_account_no" text NOT NULL,
  "bank_name" text NOT NULL,
  "ifsc" text NOT NULL CHECK ("ifsc" ~ '^[A-Z]{4}0[A-Z0-9]{6}$'),
  "proof_kind" text NOT NULL CHECK ("proof_kind" IN ('cancelled_cheque', 'bank_statement', 'passbook')),
  "proof_file_id" integer NOT NULL REFERENCES "stored_files"("id"),
  "created_by" integer REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_vendors_bank_uq" ON "pd_vendors" ("account_id", "bank_account_no", "ifsc");--> statement-breakpoint
CREATE INDEX "pd_vendors_account_idx" ON "pd_vendors" ("account_id", "id");--> statement-breakpoint
ALTER TABLE "pd_echeques" ADD COLUMN "vendor_id" integer REFERENCES "pd_vendors"("id");--> statement-breakpoint
CREATE TABLE "pd_advices" (
  "id" serial PRIMARY KEY NOT NULL,
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "state" text NOT NULL DEFAULT 'draft',
  "idempotency_key" text NOT NULL,
  "request_hash" text NOT NULL,
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL,
  "approve_key" text,
  "approve_hash" text,
  "approved_by" integer REFERENCES "users"("id"),
  "approved_at" timestamp with time zone,
  CONSTRAINT "pd_advices_state_check" CHECK ("state" IN ('draft', 'approved')),
  CONSTRAINT "pd_advices_approved_complete" CHECK (("state" = 'approved') = ("approved_by" IS NOT NULL AND "approved_at" IS NOT NULL AND "approve_key" IS NOT NULL))
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_advices_idem_uq" ON "pd_advices" ("account_id", "idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "pd_advices_approve_uq" ON "pd_advices" ("account_id", "approve_key") WHERE "approve_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "pd_advices_account_idx" ON "pd_advices" ("account_id", "id");--> statement-breakpoint
CREATE TABLE "pd_advice_items" (
  "advice_id" integer NOT NULL REFERENCES "pd_advices"("id"),
  "echeque_id" integer NOT NULL REFERENCES "pd_echeques"("id"),
  PRIMARY KEY ("advice_id", "echeque_id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_advice_items_echeque_uq" ON "pd_advice_items" ("echeque_id");--> statement-breakpoint

-- An item: the e-cheque is of the advice's account and prepared, and the advice is a draft.
CREATE OR REPLACE FUNCTION pd_advice_item_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  adv record;
  ech record;
BEGIN
  SELECT account_id, state INTO adv FROM pd_advices WHERE id = NEW.advice_id FOR SHARE;
  SELECT account_id, state INTO ech FROM pd_echeques WHERE id = NEW.echeque_id FOR SHARE;
  IF adv.state <> 'draft' THEN
    RAISE EXCEPTION 'ROAMS_PD_ADVICE: advice % is not a draft', NEW.advice_id USING ERRCODE = 'P0001';
  END IF;
  IF ech.account_id <> adv.account_id OR ech.state <> 'prepared' THEN
    RAISE EXCEPTION 'ROAMS_PD_ADVICE: e-cheque % is not a prepared e-cheque of the advice''s account', NEW.echeque_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_advice_items_check BEFORE INSERT ON pd_advice_items FOR EACH ROW EXECUTE FUNCTION pd_advice_item_check();--> statement-breakpoint
CREATE TRIGGER pd_advice_items_immutable BEFORE UPDATE OR DELETE ON pd_advice_items FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint

-- An advice goes draft → approved only, and never changes its account.
CREATE OR REPLACE FUNCTION pd_advice_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.account_id <> OLD.account_id OR NOT (OLD.state = NEW.state OR (OLD.state = 'draft' AND NEW.state = 'approved')) THEN
    RAISE EXCEPTION 'ROAMS_PD_ADVICE: advice % cannot go from % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_advices_transition BEFORE UPDATE ON pd_advices FOR EACH ROW EXECUTE FUNCTION pd_advice_transition();--> statement-breakpoint

-- Only e-cheques of an approved advice are passed or returned by the treasury.
CREATE OR REPLACE FUNCTION pd_echeque_needs_advice() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'prepared' AND NEW.state IN ('passed', 'returned') AND NOT EXISTS (
    SELECT 1 FROM pd_advice_items i JOIN pd_advices a ON a.id = i.advice_id
     WHERE i.echeque_id = NEW.id AND a.state = 'approved'
  ) THEN
    RAISE EXCEPTION 'ROAMS_PD_NO_ADVICE: e-cheque % is not in an approved advice', NEW.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_echeques_need_advice BEFORE UPDATE OF "state" ON pd_echeques FOR EACH ROW EXECUTE FUNCTION pd_echeque_needs_advice();
