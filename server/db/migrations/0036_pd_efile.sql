-- PD e-file to the bank and the bank's payment scroll (issue 18 item 4 end, item 5 treasury side;
-- seed 004 para 3(7)-(8) and para 5; docs/PD-EFILE.md).
--
-- pd_efiles       an e-file the treasury officer generated: its number, the treasury, the file's
--                 exact text (downloads are byte-identical), count and total, and the
--                 Idempotency-Key it was made with (unique per treasury: a retry replays it).
-- pd_efile_items  the e-cheques in an e-file. UNIQUE (echeque_id): an e-cheque is in at most one
--                 e-file, whatever two generations do at the same moment.
-- pd_scrolls      a bank scroll imported against an e-file; UNIQUE (efile_id, sha256): the same
--                 file twice is the same import (replayed, no double effect).
-- pd_scroll_rows  what the scroll said of each e-cheque: paid (bank reference, date) or failed
--                 (the bank's reason). UNIQUE (echeque_id): an e-cheque is settled once.
-- pd_bankers_cheques  the banker's cheque the bank issued for a failed e-payment, recorded
--                 against the account (number, date, amount = the e-cheque's), one per e-cheque.
--
-- No ledger posting here: the e-cheque's money left the line when it was passed (posting
-- echeque_passed: line_reserved → payment_out, head 8443-106). Discharge, failure and the
-- banker's cheque settle that same payment with the bank; they move no PD money.
--
-- The e-cheque's state after pass is guarded here (trigger, ROAMS_PD_TRANSITION → 409
-- pd_echeque_transition): passed → in_efile (vendor e-cheques only) → discharged | failed; nothing
-- else enters, leaves or skips those states.
CREATE TABLE "pd_efiles" (
  "id" serial PRIMARY KEY NOT NULL,
  "file_no" text NOT NULL,
  "treasury_id" integer NOT NULL REFERENCES "treasuries"("id"),
  "echeque_count" integer NOT NULL CHECK ("echeque_count" > 0),
  "total_paise" bigint NOT NULL CHECK ("total_paise" > 0),
  "content" text NOT NULL,
  "sha256" text NOT NULL,
  "idempotency_key" text NOT NULL,
  "request_hash" text NOT NULL,
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_efiles_no_uq" ON "pd_efiles" ("file_no");--> statement-breakpoint
CREATE UNIQUE INDEX "pd_efiles_idem_uq" ON "pd_efiles" ("treasury_id", "idempotency_key");--> statement-breakpoint
CREATE INDEX "pd_efiles_treasury_idx" ON "pd_efiles" ("treasury_id", "id");--> statement-breakpoint
CREATE TABLE "pd_efile_items" (
  "efile_id" integer NOT NULL REFERENCES "pd_efiles"("id"),
  "seq" integer NOT NULL CHECK ("seq" > 0),
  "echeque_id" integer NOT NULL REFERENCES "pd_echeques"("id"),
  "amount_paise" bigint NOT NULL CHECK ("amount_paise" > 0),
  PRIMARY KEY ("efile_id", "seq")
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_efile_items_echeque_uq" ON "pd_efile_items" ("echeque_id");--> statement-breakpoint
CREATE TABLE "pd_scrolls" (
  "id" serial PRIMARY KEY NOT NULL,
  "efile_id" integer NOT NULL REFERENCES "pd_efiles"("id"),
  "file_name" text NOT NULL,
  "sha256" text NOT NULL,
  "rows_total" integer NOT NULL,
  "paid" integer NOT NULL,
  "failed" integer NOT NULL,
  "imported_by" integer NOT NULL REFERENCES "users"("id"),
  "imported_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_scrolls_file_uq" ON "pd_scrolls" ("efile_id", "sha256");--> statement-breakpoint
CREATE TABLE "pd_scroll_rows" (
  "scroll_id" integer NOT NULL REFERENCES "pd_scrolls"("id"),
  "row_no" integer NOT NULL,
  "echeque_id" integer NOT NULL REFERENCES "pd_echeques"("id"),
  "outcome" text NOT NULL CHECK ("outcome" IN ('paid', 'failed')),
  "amount_paise" bigint NOT NULL CHECK ("amount_paise" > 0),
  "bank_ref" text NOT NULL DEFAULT '',
  "value_date" date,
  "reason" text NOT NULL DEFAULT '',
  PRIMARY KEY ("scroll_id", "row_no"),
  CONSTRAINT "pd_scroll_rows_paid_ref" CHECK ("outcome" <> 'paid' OR ("bank_ref" <> '' AND "value_date" IS NOT NULL)),
  CONSTRAINT "pd_scroll_rows_failed_reason" CHECK ("outcome" <> 'failed' OR "reason" <> '')
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_scroll_rows_echeque_uq" ON "pd_scroll_rows" ("echeque_id");--> statement-breakpoint
CREATE TABLE "pd_bankers_cheques" (
  "id" serial PRIMARY KEY NOT NULL,
  "echeque_id" integer NOT NULL REFERENCES "pd_echeques"("id"),
  "account_id" integer NOT NULL REFERENCES "pd_accounts"("id"),
  "cheque_no" text NOT NULL,
  "cheque_date" date NOT NULL,
  "bank_name" text NOT NULL,
  "amount_paise" bigint NOT NULL CHECK ("amount_paise" > 0),
  "recorded_by" integer NOT NULL REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "pd_bankers_cheques_echeque_uq" ON "pd_bankers_cheques" ("echeque_id");--> statement-breakpoint
CREATE INDEX "pd_bankers_cheques_account_idx" ON "pd_bankers_cheques" ("account_id");--> statement-breakpoint

-- The banker's cheque replaces a FAILED e-payment, for exactly its amount, on its account.
CREATE OR REPLACE FUNCTION pd_bankers_cheque_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e record;
BEGIN
  SELECT state, amount_paise, account_id INTO e FROM pd_echeques WHERE id = NEW.echeque_id FOR SHARE;
  IF e.state IS DISTINCT FROM 'failed' OR e.amount_paise <> NEW.amount_paise OR e.account_id <> NEW.account_id THEN
    RAISE EXCEPTION 'ROAMS_PD_TRANSITION: a banker''s cheque replaces only a failed e-cheque, for its amount (e-cheque %)', NEW.echeque_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_bankers_cheques_check BEFORE INSERT ON pd_bankers_cheques FOR EACH ROW EXECUTE FUNCTION pd_bankers_cheque_check();--> statement-breakpoint

-- The states after pass: passed → in_efile (vendor only) → discharged | failed, and nothing else.
CREATE OR REPLACE FUNCTION pd_echeque_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
    RETURN NEW;
  END IF;
  IF (OLD.state = 'passed' AND NEW.state = 'in_efile' AND NEW.payee_kind = 'vendor')
     OR (OLD.state = 'in_efile' AND NEW.state IN ('discharged', 'failed')) THEN
    RETURN NEW;
  END IF;
  IF OLD.state IN ('passed', 'in_efile', 'discharged', 'failed') OR NEW.state IN ('in_efile', 'discharged', 'failed') THEN
    RAISE EXCEPTION 'ROAMS_PD_TRANSITION: e-cheque % cannot go from % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER pd_echeques_transition BEFORE UPDATE OF "state" ON pd_echeques FOR EACH ROW EXECUTE FUNCTION pd_echeque_transition();--> statement-breakpoint

-- What the e-file, its scroll and the banker's cheque record is never changed or deleted.
CREATE TRIGGER pd_efiles_immutable BEFORE UPDATE OR DELETE ON pd_efiles FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_efile_items_immutable BEFORE UPDATE OR DELETE ON pd_efile_items FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_scrolls_immutable BEFORE UPDATE OR DELETE ON pd_scrolls FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_scroll_rows_immutable BEFORE UPDATE OR DELETE ON pd_scroll_rows FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();--> statement-breakpoint
CREATE TRIGGER pd_bankers_cheques_immutable BEFORE UPDATE OR DELETE ON pd_bankers_cheques FOR EACH ROW EXECUTE FUNCTION pd_ledger_immutable();
