-- Recoveries carried forward (spec 06 "Arrears and recoveries", issue 16): when an invoice's
-- recoveries of earlier months (negative arrears from attendance or rate revisions) exceed what
-- the month can carry — its own cost and reimbursed amounts plus its arrears — the invoice is still
-- generated, never negative, and the unrecovered remainder is carried forward to the next invoice of
-- the same contract (and agency) until fully recovered.
--
-- A ledger of two append-only tables:
-- - `invoice_recovery_balances`: what an invoice could not recover and carried forward, one row per
--   (invoice, month the recovery belongs to, part: `cost` — the sub-total — or `reimbursed` — the
--   bonus), amount > 0 in integer paise. Written in the generating transaction;
-- - `invoice_recovery_settlements`: an invoice taking over an open balance — it recovers
--   `recovered_paise` (0 … the balance) and carries the rest in its own balance row. What the
--   database itself guarantees:
--   - a balance is taken over by at most one live settlement (partial unique index on `balance_id`
--     where `released_at` is null): two generations racing for the same balance — the second fails
--     on the index and rolls back whole, nothing written; so no paisa is recovered twice;
--   - a settlement never recovers more than its balance, nor takes over its own invoice's balance
--     (trigger, on insert);
--   - cancelling an invoice releases its settlements (the balances it took over are open again)
--     and its own balances (void: its recoveries are pending again and the next invoice recomputes
--     them) — `released_at` set once, in the cancelling transaction; rows are never removed and
--     nothing else of them ever changes.
ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_stage";--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_stage"
  CHECK ("stage" in ('cost', 'reimbursed', 'employee', 'service', 'tax', 'bill', 'arrears', 'recovery', 'carry_forward'));--> statement-breakpoint
CREATE TABLE "invoice_recovery_balances" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "contract_id" integer NOT NULL REFERENCES "contracts"("id"),
  "agency_id" integer NOT NULL REFERENCES "agencies"("id"),
  "month" date NOT NULL,
  "part" text NOT NULL,
  "amount_paise" bigint NOT NULL,
  "released_at" timestamp with time zone,
  CONSTRAINT "invoice_recovery_balances_month_first" CHECK (extract(day from "month") = 1),
  CONSTRAINT "invoice_recovery_balances_part" CHECK ("part" in ('cost', 'reimbursed')),
  CONSTRAINT "invoice_recovery_balances_amount" CHECK ("amount_paise" > 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_recovery_balances_uq" ON "invoice_recovery_balances" ("invoice_id", "month", "part");--> statement-breakpoint
CREATE INDEX "invoice_recovery_balances_contract_idx" ON "invoice_recovery_balances" ("contract_id", "agency_id") WHERE "released_at" is null;--> statement-breakpoint
CREATE TABLE "invoice_recovery_settlements" (
  "id" serial PRIMARY KEY NOT NULL,
  "balance_id" integer NOT NULL REFERENCES "invoice_recovery_balances"("id"),
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "recovered_paise" bigint NOT NULL,
  "released_at" timestamp with time zone,
  CONSTRAINT "invoice_recovery_settlements_recovered" CHECK ("recovered_paise" >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_recovery_settlements_live_uq" ON "invoice_recovery_settlements" ("balance_id") WHERE "released_at" is null;--> statement-breakpoint
CREATE INDEX "invoice_recovery_settlements_invoice_idx" ON "invoice_recovery_settlements" ("invoice_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_recovery_ledger_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: % rows are never removed', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  IF OLD.released_at IS NOT NULL OR NEW.released_at IS NULL
     OR (to_jsonb(NEW) - 'released_at') IS DISTINCT FROM (to_jsonb(OLD) - 'released_at') THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a % row is only released, once', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoice_recovery_balances_guard BEFORE UPDATE OR DELETE ON invoice_recovery_balances FOR EACH ROW EXECUTE FUNCTION invoice_recovery_ledger_guard();--> statement-breakpoint
CREATE TRIGGER invoice_recovery_settlements_guard BEFORE UPDATE OR DELETE ON invoice_recovery_settlements FOR EACH ROW EXECUTE FUNCTION invoice_recovery_ledger_guard();--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_recovery_settlements_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE b record;
BEGIN
  SELECT * INTO b FROM invoice_recovery_balances WHERE id = NEW.balance_id;
  IF b.released_at IS NOT NULL OR NEW.released_at IS NOT NULL THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a released recovery balance cannot be settled' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.recovered_paise > b.amount_paise THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a settlement recovers at most its balance' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.invoice_id = b.invoice_id THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: an invoice cannot settle its own balance' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoice_recovery_settlements_check BEFORE INSERT ON invoice_recovery_settlements FOR EACH ROW EXECUTE FUNCTION invoice_recovery_settlements_check();
