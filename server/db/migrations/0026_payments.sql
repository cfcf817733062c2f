-- Payments of a bill, the workers' credits and the IFMIS sandbox's memory (spec 06 "Verification,
-- approval, bill, payment" and "Who pays the worker", issue 17 items 3–6; docs/PAYMENTS.md).
-- What the database itself guarantees (bars M1, M2, M5):
-- - payments and worker credits are append-only: a bank return or a correction is a new row that
--   reverses one earlier row, for its whole amount, at most once;
-- - a UTR is used once per bill payee line (per invoice detail for credits);
-- - what is paid to a payee line (credited less returned) never exceeds its amount: checked by the
--   insert's own trigger under the payee line's row lock, so two transactions cannot both pay the
--   last rupee;
-- - an idempotency key is used once per user (a retry finds the first result).
-- Paid and credited totals are never stored: they are sums over these rows.

CREATE TABLE "payment_batches" (
  "id" serial PRIMARY KEY NOT NULL,
  "kind" text NOT NULL,
  "file_name" text NOT NULL,
  "file_sha256" text NOT NULL,
  "invoice_id" integer REFERENCES "invoices"("id"),
  "rows_total" integer NOT NULL,
  "rows_saved" integer NOT NULL,
  "rows_refused" integer NOT NULL,
  "idempotency_key" text NOT NULL,
  "request_hash" text NOT NULL,
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL,
  CONSTRAINT "payment_batches_kind" CHECK ("kind" in ('treasury_payments', 'agency_credits')),
  CONSTRAINT "payment_batches_counts" CHECK ("rows_total" >= 0 and "rows_saved" >= 0 and "rows_refused" >= 0 and "rows_saved" + "rows_refused" = "rows_total")
);--> statement-breakpoint
CREATE UNIQUE INDEX "payment_batches_idem_uq" ON "payment_batches" ("created_by", "idempotency_key");--> statement-breakpoint
CREATE TRIGGER payment_batches_immutable BEFORE UPDATE OR DELETE ON payment_batches FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint

CREATE TABLE "payments" (
  "id" serial PRIMARY KEY NOT NULL,
  "bill_id" integer NOT NULL REFERENCES "bills"("id"),
  "payee_id" integer NOT NULL REFERENCES "bill_payees"("id"),
  "pay_date" date NOT NULL,
  "utr" text NOT NULL,
  "amount_paise" bigint NOT NULL,
  "status" text NOT NULL,
  "reverses_id" integer REFERENCES "payments"("id"),
  "reason" text DEFAULT '' NOT NULL,
  "source" text NOT NULL,
  "batch_id" integer REFERENCES "payment_batches"("id"),
  "idempotency_key" text,
  "request_hash" text,
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL,
  CONSTRAINT "payments_amount" CHECK ("amount_paise" > 0),
  CONSTRAINT "payments_status" CHECK ("status" in ('credited', 'returned')),
  CONSTRAINT "payments_reverses" CHECK (("status" = 'returned') = ("reverses_id" is not null)),
  CONSTRAINT "payments_source" CHECK ("source" in ('import', 'hand') and (("source" = 'import') = ("batch_id" is not null))),
  CONSTRAINT "payments_utr" CHECK ("utr" ~ '^[A-Z0-9]{6,22}$')
);--> statement-breakpoint
CREATE UNIQUE INDEX "payments_utr_uq" ON "payments" ("payee_id", "utr") WHERE "status" = 'credited';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_reverses_uq" ON "payments" ("reverses_id") WHERE "reverses_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idem_uq" ON "payments" ("created_by", "idempotency_key") WHERE "idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "payments_bill_idx" ON "payments" ("bill_id", "payee_id");--> statement-breakpoint
CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint

CREATE OR REPLACE FUNCTION payments_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  p bill_payees%ROWTYPE;
  orig payments%ROWTYPE;
  paid bigint;
BEGIN
  -- The payee line's row lock serialises every payment of that line.
  SELECT * INTO p FROM bill_payees WHERE id = NEW.payee_id FOR UPDATE;
  IF p.bill_id <> NEW.bill_id THEN
    RAISE EXCEPTION 'ROAMS_PAYMENT: payee % is not on bill %', NEW.payee_id, NEW.bill_id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.status = 'returned' THEN
    SELECT * INTO orig FROM payments WHERE id = NEW.reverses_id;
    IF orig.status <> 'credited' OR orig.payee_id <> NEW.payee_id OR orig.amount_paise <> NEW.amount_paise OR orig.utr <> NEW.utr THEN
      RAISE EXCEPTION 'ROAMS_PAYMENT: a return reverses one credit of the same line, UTR and amount' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  SELECT coalesce(sum(CASE WHEN status = 'credited' THEN amount_paise ELSE -amount_paise END), 0) INTO paid FROM payments WHERE payee_id = NEW.payee_id;
  IF paid + NEW.amount_paise > p.amount_paise THEN
    RAISE EXCEPTION 'ROAMS_OVERPAID: payee % would be paid % of %', NEW.payee_id, paid + NEW.amount_paise, p.amount_paise USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER payments_check BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION payments_check();--> statement-breakpoint

-- What each worker received for an invoice: recorded by the agency (through the agency), or made
-- from the worker's own payee line's payment (direct). A reversal undoes one credit.
CREATE TABLE "worker_credits" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "invoice_detail_id" integer NOT NULL REFERENCES "invoice_details"("id"),
  "resource_id" integer NOT NULL REFERENCES "resources"("id"),
  "agency_id" integer NOT NULL REFERENCES "agencies"("id"),
  "utr" text NOT NULL,
  "amount_paise" bigint NOT NULL,
  "credit_date" date NOT NULL,
  "kind" text NOT NULL,
  "reverses_id" integer REFERENCES "worker_credits"("id"),
  "source" text NOT NULL,
  "payment_id" integer REFERENCES "payments"("id"),
  "batch_id" integer REFERENCES "payment_batches"("id"),
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL,
  CONSTRAINT "worker_credits_amount" CHECK ("amount_paise" > 0),
  CONSTRAINT "worker_credits_kind" CHECK ("kind" in ('credit', 'reversal') and (("kind" = 'reversal') = ("reverses_id" is not null))),
  CONSTRAINT "worker_credits_source" CHECK ("source" in ('agency', 'bill_payment') and (("source" = 'bill_payment') = ("payment_id" is not null)) and (("source" = 'agency') = ("batch_id" is not null))),
  CONSTRAINT "worker_credits_utr" CHECK ("utr" ~ '^[A-Z0-9]{6,22}$')
);--> statement-breakpoint
CREATE UNIQUE INDEX "worker_credits_utr_uq" ON "worker_credits" ("invoice_detail_id", "utr") WHERE "kind" = 'credit';--> statement-breakpoint
CREATE UNIQUE INDEX "worker_credits_reverses_uq" ON "worker_credits" ("reverses_id") WHERE "reverses_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "worker_credits_payment_uq" ON "worker_credits" ("payment_id") WHERE "payment_id" is not null;--> statement-breakpoint
CREATE INDEX "worker_credits_invoice_idx" ON "worker_credits" ("invoice_id", "invoice_detail_id");--> statement-breakpoint
CREATE INDEX "worker_credits_agency_idx" ON "worker_credits" ("agency_id", "invoice_id");--> statement-breakpoint
CREATE TRIGGER worker_credits_immutable BEFORE UPDATE OR DELETE ON worker_credits FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint

CREATE OR REPLACE FUNCTION worker_credits_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  d invoice_details%ROWTYPE;
  orig worker_credits%ROWTYPE;
BEGIN
  SELECT * INTO d FROM invoice_details WHERE id = NEW.invoice_detail_id;
  IF d.invoice_id <> NEW.invoice_id OR d.resource_id <> NEW.resource_id THEN
    RAISE EXCEPTION 'ROAMS_CREDIT: detail % is not resource % of invoice %', NEW.invoice_detail_id, NEW.resource_id, NEW.invoice_id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.kind = 'reversal' THEN
    SELECT * INTO orig FROM worker_credits WHERE id = NEW.reverses_id;
    IF orig.kind <> 'credit' OR orig.invoice_detail_id <> NEW.invoice_detail_id OR orig.amount_paise <> NEW.amount_paise THEN
      RAISE EXCEPTION 'ROAMS_CREDIT: a reversal undoes one credit of the same worker and amount' USING ERRCODE = 'P0001';
    END IF;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER worker_credits_check BEFORE INSERT ON worker_credits FOR EACH ROW EXECUTE FUNCTION worker_credits_check();--> statement-breakpoint

-- The sandbox treasury's memory (what IFMIS keeps on its side): one acknowledgement per bill number.
CREATE TABLE "ifmis_sandbox_bills" (
  "bill_no" text PRIMARY KEY NOT NULL,
  "ack_no" text NOT NULL,
  "payload_sha256" text NOT NULL,
  "received_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "ifmis_sandbox_bills_ack_uq" ON "ifmis_sandbox_bills" ("ack_no");
