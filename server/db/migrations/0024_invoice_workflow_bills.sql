-- The invoice's way to payment (spec 06 "Verification, approval, bill, payment", issue 17):
-- agency submits → department manager verifies (or returns with remarks) → DDO approves (second
-- factor) → a bill for IFMIS. What the database itself guarantees:
-- - one workflow row per invoice; its stage moves only along the allowed transitions, and each
--   timestamp is written once (the first submission stays the first);
-- - every step is an append-only event (who, in which role, when, remarks, idempotency key);
--   a key is used once per user;
-- - an invoice cannot be cancelled once it is in the workflow, unless it was returned;
-- - one bill per invoice; a bill's amounts, deductions and payees never change and the payees
--   add up to the net payable (checked at COMMIT); of a bill only its IFMIS status may change.
-- Second factor: a one-time code is consumed by the money action's own transaction and records
-- the idempotency key it was used for, so a retry of the same action with the same key and code
-- (after a crash before COMMIT, or 20 identical requests at once) finds it used *for that key*.
ALTER TABLE "otps" ADD COLUMN "used_for" text;--> statement-breakpoint

CREATE TABLE "invoice_workflow" (
  "invoice_id" integer PRIMARY KEY NOT NULL REFERENCES "invoices"("id"),
  "stage" text NOT NULL,
  "submitted_at" timestamp with time zone NOT NULL,
  "submitted_by" integer NOT NULL REFERENCES "users"("id"),
  "verified_at" timestamp with time zone,
  "verified_by" integer REFERENCES "users"("id"),
  "returned_at" timestamp with time zone,
  "returned_by" integer REFERENCES "users"("id"),
  "return_remarks" text DEFAULT '' NOT NULL,
  "approved_at" timestamp with time zone,
  "approved_by" integer REFERENCES "users"("id"),
  "billed_at" timestamp with time zone,
  "paid_at" timestamp with time zone,
  "credited_at" timestamp with time zone,
  "updated_at" timestamp with time zone NOT NULL,
  CONSTRAINT "invoice_workflow_stage" CHECK ("stage" in ('submitted', 'returned', 'verified', 'approved', 'billed', 'paid'))
);--> statement-breakpoint
CREATE INDEX "invoice_workflow_stage_idx" ON "invoice_workflow" ("stage", "invoice_id");--> statement-breakpoint

CREATE OR REPLACE FUNCTION invoice_workflow_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice workflow rows are never removed' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.stage <> 'submitted' THEN
      RAISE EXCEPTION 'ROAMS_WORKFLOW: an invoice enters the workflow by its submission' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.invoice_id <> OLD.invoice_id THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a workflow row keeps its invoice' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.stage IS DISTINCT FROM OLD.stage AND NOT (
       (OLD.stage = 'submitted' AND NEW.stage IN ('verified', 'returned'))
    OR (OLD.stage = 'returned' AND NEW.stage = 'submitted')
    OR (OLD.stage = 'verified' AND NEW.stage IN ('approved', 'returned'))
    OR (OLD.stage = 'approved' AND NEW.stage = 'billed')
    OR (OLD.stage = 'billed' AND NEW.stage = 'paid')) THEN
    RAISE EXCEPTION 'ROAMS_WORKFLOW: % cannot become %', OLD.stage, NEW.stage USING ERRCODE = 'P0001';
  END IF;
  -- Stamps of approval, billing, payment and credit are written once.
  IF (OLD.approved_at IS NOT NULL AND NEW.approved_at IS DISTINCT FROM OLD.approved_at)
     OR (OLD.billed_at IS NOT NULL AND NEW.billed_at IS DISTINCT FROM OLD.billed_at)
     OR (OLD.paid_at IS NOT NULL AND NEW.paid_at IS DISTINCT FROM OLD.paid_at)
     OR (OLD.credited_at IS NOT NULL AND NEW.credited_at IS DISTINCT FROM OLD.credited_at) THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a workflow stamp is written once' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoice_workflow_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice_workflow FOR EACH ROW EXECUTE FUNCTION invoice_workflow_guard();--> statement-breakpoint

CREATE TABLE "invoice_events" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "action" text NOT NULL,
  "actor_user_id" integer NOT NULL REFERENCES "users"("id"),
  "actor_role" text NOT NULL,
  "at" timestamp with time zone NOT NULL,
  "remarks" text DEFAULT '' NOT NULL,
  "idempotency_key" text,
  "request_hash" text,
  CONSTRAINT "invoice_events_action" CHECK ("action" in ('submit', 'return', 'verify', 'approve', 'gate_waived', 'bill_sent', 'bill_acknowledged', 'bill_rejected', 'paid', 'credited'))
);--> statement-breakpoint
CREATE INDEX "invoice_events_invoice_idx" ON "invoice_events" ("invoice_id", "id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_events_idem_uq" ON "invoice_events" ("actor_user_id", "idempotency_key") WHERE "idempotency_key" is not null;--> statement-breakpoint
CREATE TRIGGER invoice_events_immutable BEFORE UPDATE OR DELETE ON invoice_events FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint

-- Once an invoice is in the workflow (and not returned to the agency) it cannot be cancelled.
CREATE OR REPLACE FUNCTION invoices_cancel_outside_workflow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'active' AND NEW.status = 'cancelled'
     AND EXISTS (SELECT 1 FROM invoice_workflow w WHERE w.invoice_id = OLD.id AND w.stage <> 'returned') THEN
    RAISE EXCEPTION 'ROAMS_WORKFLOW: invoice % is submitted and cannot be cancelled', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoices_cancel_outside_workflow BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_cancel_outside_workflow();--> statement-breakpoint

CREATE TABLE "bills" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "bill_no" text NOT NULL,
  "agency_id" integer NOT NULL REFERENCES "agencies"("id"),
  "department_id" integer NOT NULL REFERENCES "departments"("id"),
  "office_id" integer NOT NULL REFERENCES "offices"("id"),
  "ddo_code_id" integer NOT NULL REFERENCES "ddo_codes"("id"),
  "ddo_code" text NOT NULL,
  "budget_line_id" integer NOT NULL REFERENCES "budget_lines"("id"),
  "payment_mode" text NOT NULL,
  "gross_paise" bigint NOT NULL,
  "gst_paise" bigint NOT NULL,
  "tds_base_paise" bigint NOT NULL,
  "deductions_paise" bigint NOT NULL,
  "net_payable_paise" bigint NOT NULL,
  "invoice_pdf_sha256" text NOT NULL,
  "status" text DEFAULT 'prepared' NOT NULL,
  "ifmis_ref" text,
  "ifmis_reason" text DEFAULT '' NOT NULL,
  "sent_at" timestamp with time zone,
  "answered_at" timestamp with time zone,
  "created_by" integer NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone NOT NULL,
  CONSTRAINT "bills_payment_mode" CHECK ("payment_mode" in ('through_agency', 'direct')),
  CONSTRAINT "bills_status" CHECK ("status" in ('prepared', 'sent', 'acknowledged', 'rejected')),
  CONSTRAINT "bills_no_format" CHECK ("bill_no" ~ '^[A-Za-z0-9/-]{1,24}$'),
  CONSTRAINT "bills_amounts" CHECK ("gross_paise" >= 0 and "gst_paise" >= 0 and "tds_base_paise" >= 0 and "deductions_paise" >= 0
    and "net_payable_paise" = "gross_paise" - "deductions_paise" and "net_payable_paise" >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "bills_invoice_uq" ON "bills" ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bills_no_uq" ON "bills" ("bill_no");--> statement-breakpoint
CREATE UNIQUE INDEX "bills_ifmis_ref_uq" ON "bills" ("ifmis_ref") WHERE "ifmis_ref" is not null;--> statement-breakpoint
CREATE INDEX "bills_ddo_idx" ON "bills" ("ddo_code_id", "id");--> statement-breakpoint
CREATE INDEX "bills_agency_idx" ON "bills" ("agency_id", "id");--> statement-breakpoint

-- Deductions at the bill (TDS 194C, GST TDS), each a line with its base, rate and amount.
CREATE TABLE "bill_deductions" (
  "id" serial PRIMARY KEY NOT NULL,
  "bill_id" integer NOT NULL REFERENCES "bills"("id"),
  "code" text NOT NULL,
  "base_paise" bigint NOT NULL,
  "rate_ppm" integer NOT NULL,
  "amount_paise" bigint NOT NULL,
  CONSTRAINT "bill_deductions_amount" CHECK ("amount_paise" >= 0 and "base_paise" >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "bill_deductions_code_uq" ON "bill_deductions" ("bill_id", "code");--> statement-breakpoint

-- Who receives the net payable: the agency alone (through the agency), or each worker their net
-- wage to their own account and the agency the rest (direct).
CREATE TABLE "bill_payees" (
  "id" serial PRIMARY KEY NOT NULL,
  "bill_id" integer NOT NULL REFERENCES "bills"("id"),
  "seq" integer NOT NULL,
  "kind" text NOT NULL,
  "resource_id" integer REFERENCES "resources"("id"),
  "invoice_detail_id" integer REFERENCES "invoice_details"("id"),
  "name" text NOT NULL,
  "bank_account" text NOT NULL,
  "ifsc" text NOT NULL,
  "amount_paise" bigint NOT NULL,
  CONSTRAINT "bill_payees_kind" CHECK ("kind" in ('agency', 'worker')),
  CONSTRAINT "bill_payees_worker" CHECK (("kind" = 'worker') = ("resource_id" is not null and "invoice_detail_id" is not null)),
  CONSTRAINT "bill_payees_amount" CHECK ("amount_paise" >= 0),
  CONSTRAINT "bill_payees_ifsc" CHECK ("ifsc" ~ '^[A-Z]{4}0[A-Z0-9]{6}$')
);--> statement-breakpoint
CREATE UNIQUE INDEX "bill_payees_seq_uq" ON "bill_payees" ("bill_id", "seq");--> statement-breakpoint
CREATE INDEX "bill_payees_resource_idx" ON "bill_payees" ("resource_id") WHERE "resource_id" is not null;--> statement-breakpoint
CREATE TRIGGER bill_deductions_immutable BEFORE UPDATE OR DELETE ON bill_deductions FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint
CREATE TRIGGER bill_payees_immutable BEFORE UPDATE OR DELETE ON bill_payees FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint

-- A bill is never removed; only its IFMIS status moves: prepared → sent → acknowledged | rejected,
-- and a rejected bill may be sent again (after the reason is mended outside the bill's amounts).
CREATE OR REPLACE FUNCTION bills_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  status_cols text[] := array['status', 'ifmis_ref', 'ifmis_reason', 'sent_at', 'answered_at'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: bills are never removed (bill %)', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (to_jsonb(NEW) - status_cols) IS DISTINCT FROM (to_jsonb(OLD) - status_cols) THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: bill % changes only its IFMIS status', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'prepared' AND NEW.status = 'sent')
    OR (OLD.status = 'sent' AND NEW.status IN ('acknowledged', 'rejected', 'prepared'))
    OR (OLD.status = 'rejected' AND NEW.status = 'sent')) THEN
    RAISE EXCEPTION 'ROAMS_WORKFLOW: bill % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'P0001';
  END IF;
  IF OLD.ifmis_ref IS NOT NULL AND NEW.ifmis_ref IS DISTINCT FROM OLD.ifmis_ref THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: bill % keeps its IFMIS reference', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER bills_guard BEFORE UPDATE OR DELETE ON bills FOR EACH ROW EXECUTE FUNCTION bills_guard();--> statement-breakpoint

-- The payees add up to the net payable, and the deductions to the bill's deductions: checked at
-- COMMIT, so the bill, its lines and its payees are written in one transaction or not at all.
CREATE OR REPLACE FUNCTION bills_balance() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  b bills%ROWTYPE;
  payees bigint;
  deds bigint;
BEGIN
  SELECT * INTO b FROM bills WHERE id = NEW.id;
  SELECT coalesce(sum(amount_paise), 0) INTO payees FROM bill_payees WHERE bill_id = NEW.id;
  SELECT coalesce(sum(amount_paise), 0) INTO deds FROM bill_deductions WHERE bill_id = NEW.id;
  IF payees <> b.net_payable_paise OR deds <> b.deductions_paise THEN
    RAISE EXCEPTION 'ROAMS_UNBALANCED: bill % payees % / net %, deductions % / %', NEW.id, payees, b.net_payable_paise, deds, b.deductions_paise USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER bills_balance AFTER INSERT ON bills DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bills_balance();
