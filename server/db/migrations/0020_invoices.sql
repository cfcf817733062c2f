-- Invoices (spec 06 "Computing an invoice", issue 16): the agency's invoice of a contract-month
-- from finalised attendance. Header → one detail per resource → typed lines per head, integer
-- paise. What the database itself guarantees:
-- - one active invoice per (contract, month, DDO code) — a cancelled one stays, inactive, with
--   its credit note, and the month may then be generated again;
-- - invoice numbers unique per agency, and gapless per (agency, financial year): the counter row
--   is taken FOR UPDATE in the generating transaction, so a failed generation rolls it back;
-- - details and lines are never changed or removed; of an invoice only the cancel fields may
--   change (once, active → cancelled) and the stored PDF (once, from none).
CREATE TABLE "invoice_series" (
  "agency_id" integer NOT NULL REFERENCES "agencies"("id"),
  "fy" text NOT NULL,
  "last_no" integer DEFAULT 0 NOT NULL,
  CONSTRAINT "invoice_series_pk" PRIMARY KEY ("agency_id", "fy"),
  CONSTRAINT "invoice_series_fy" CHECK ("fy" ~ '^[0-9]{4}-[0-9]{2}$'),
  CONSTRAINT "invoice_series_nonneg" CHECK ("last_no" >= 0)
);--> statement-breakpoint
CREATE TABLE "invoice_prefixes" (
  "agency_id" integer PRIMARY KEY NOT NULL REFERENCES "agencies"("id"),
  "prefix" text NOT NULL,
  CONSTRAINT "invoice_prefixes_format" CHECK ("prefix" ~ '^[A-Z0-9]{1,6}$')
);--> statement-breakpoint
CREATE TABLE "invoices" (
  "id" serial PRIMARY KEY NOT NULL,
  "contract_id" integer NOT NULL REFERENCES "contracts"("id"),
  "contract_version_id" integer NOT NULL REFERENCES "contract_versions"("id"),
  "agency_id" integer NOT NULL REFERENCES "agencies"("id"),
  "department_id" integer NOT NULL REFERENCES "departments"("id"),
  "office_id" integer NOT NULL REFERENCES "offices"("id"),
  "ddo_code_id" integer NOT NULL REFERENCES "ddo_codes"("id"),
  "ddo_code" text NOT NULL,
  "month" date NOT NULL,
  "invoice_no" text NOT NULL,
  "invoice_date" date NOT NULL,
  "status" text DEFAULT 'active' NOT NULL,
  "intra_state" boolean NOT NULL,
  "wage_basis" text NOT NULL,
  "epf_mode" text NOT NULL,
  "esic_applies" boolean NOT NULL,
  "service_charge_bp" integer NOT NULL,
  "bonus_bp" integer NOT NULL,
  "subtotal_paise" bigint NOT NULL,
  "reimbursed_paise" bigint NOT NULL,
  "service_charge_paise" bigint NOT NULL,
  "taxable_paise" bigint NOT NULL,
  "gst_paise" bigint NOT NULL,
  "gross_total_paise" bigint NOT NULL,
  "round_off_paise" bigint NOT NULL,
  "total_paise" bigint NOT NULL,
  "arrears_paise" bigint DEFAULT 0 NOT NULL,
  "content_hash" text NOT NULL,
  "pdf_file_id" integer REFERENCES "stored_files"("id"),
  "pdf_sha256" text,
  "idempotency_key" text,
  "request_hash" text,
  "generated_by" integer REFERENCES "users"("id"),
  "generated_at" timestamp with time zone NOT NULL,
  "cancelled_by" integer REFERENCES "users"("id"),
  "cancelled_at" timestamp with time zone,
  "cancel_reason" text DEFAULT '' NOT NULL,
  "credit_note_no" text,
  "credit_note_date" date,
  CONSTRAINT "invoices_month_first" CHECK (extract(day from "month") = 1),
  CONSTRAINT "invoices_status" CHECK ("status" in ('active', 'cancelled')),
  CONSTRAINT "invoices_no_format" CHECK ("invoice_no" ~ '^[A-Za-z0-9/-]{1,16}$'),
  CONSTRAINT "invoices_credit_note_format" CHECK ("credit_note_no" is null or "credit_note_no" ~ '^[A-Za-z0-9/-]{1,16}$'),
  CONSTRAINT "invoices_cancelled" CHECK (("status" = 'cancelled') = ("cancelled_at" is not null and "credit_note_no" is not null and "credit_note_date" is not null)),
  CONSTRAINT "invoices_pdf" CHECK (("pdf_file_id" is null) = ("pdf_sha256" is null)),
  CONSTRAINT "invoices_amounts" CHECK ("subtotal_paise" >= 0 and "taxable_paise" >= 0 and "gst_paise" >= 0 and "total_paise" >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_active_month_uq" ON "invoices" ("contract_id", "month", "ddo_code_id") WHERE "status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_no_uq" ON "invoices" ("agency_id", "invoice_no");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_credit_note_uq" ON "invoices" ("agency_id", "credit_note_no") WHERE "credit_note_no" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_idem_uq" ON "invoices" ("agency_id", "idempotency_key") WHERE "idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "invoices_contract_idx" ON "invoices" ("contract_id", "month");--> statement-breakpoint
CREATE INDEX "invoices_agency_idx" ON "invoices" ("agency_id", "month", "id");--> statement-breakpoint
CREATE INDEX "invoices_office_idx" ON "invoices" ("office_id", "month", "id");--> statement-breakpoint
CREATE TABLE "invoice_details" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "resource_id" integer NOT NULL REFERENCES "resources"("id"),
  "office_id" integer NOT NULL REFERENCES "offices"("id"),
  "skill_level_id" integer NOT NULL REFERENCES "skill_levels"("id"),
  "post_name_id" integer NOT NULL REFERENCES "post_names"("id"),
  "name_en" text NOT NULL,
  "name_hi" text NOT NULL,
  "aadhaar_last4" text DEFAULT '' NOT NULL,
  "basic_paise" bigint NOT NULL,
  "vda_paise" bigint NOT NULL,
  "minimum_wage_paise" bigint NOT NULL,
  "paid_days" integer NOT NULL,
  "days_in_month" integer NOT NULL,
  "day_rate_paise" bigint,
  "earned_wage_paise" bigint NOT NULL,
  "pf_wage_paise" bigint NOT NULL,
  "esic_wage_paise" bigint NOT NULL,
  "bonus_wage_paise" bigint NOT NULL,
  "esic_covered" boolean NOT NULL,
  "cost_paise" bigint NOT NULL,
  "reimbursed_paise" bigint NOT NULL,
  "employee_deduction_paise" bigint NOT NULL,
  "net_wage_paise" bigint NOT NULL,
  CONSTRAINT "invoice_details_days" CHECK ("paid_days" between 0 and "days_in_month" and "days_in_month" between 28 and 31)
);--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_details_resource_uq" ON "invoice_details" ("invoice_id", "resource_id");--> statement-breakpoint
CREATE INDEX "invoice_details_resource_idx" ON "invoice_details" ("resource_id");--> statement-breakpoint
CREATE TABLE "invoice_lines" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "detail_id" integer REFERENCES "invoice_details"("id"),
  "code" text NOT NULL,
  "kind" text NOT NULL,
  "stage" text NOT NULL,
  "base_paise" bigint NOT NULL,
  "rate_ppm" integer NOT NULL,
  "amount_paise" bigint NOT NULL,
  "arrears_month" date,
  "label_en" text DEFAULT '' NOT NULL,
  "label_hi" text DEFAULT '' NOT NULL,
  "sort_order" integer NOT NULL,
  CONSTRAINT "invoice_lines_kind" CHECK ("kind" in ('payable', 'deduction')),
  CONSTRAINT "invoice_lines_stage" CHECK ("stage" in ('cost', 'reimbursed', 'employee', 'service', 'tax', 'bill', 'arrears', 'recovery')),
  CONSTRAINT "invoice_lines_arrears_month" CHECK ("arrears_month" is null or extract(day from "arrears_month") = 1)
);--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "invoice_lines" ("invoice_id", "detail_id", "sort_order");--> statement-breakpoint

-- Details and lines are written once, with their invoice, and never changed or removed.
CREATE OR REPLACE FUNCTION invoice_parts_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ROAMS_IMMUTABLE: % rows are never changed or removed', TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$;--> statement-breakpoint
CREATE TRIGGER invoice_details_immutable BEFORE UPDATE OR DELETE ON invoice_details FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_parts_immutable();--> statement-breakpoint

-- An invoice is never removed; of its columns only the cancellation (once, active → cancelled)
-- and the stored PDF (once, from none) may change, and the content hash once from '' (generation).
CREATE OR REPLACE FUNCTION invoices_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cancel_cols text[] := array['status', 'cancelled_by', 'cancelled_at', 'cancel_reason', 'credit_note_no', 'credit_note_date'];
  -- The content hash is written once, in the generating transaction, after the lines it covers.
  pdf_cols text[] := array['pdf_file_id', 'pdf_sha256', 'content_hash'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoices are never removed (invoice %)', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (to_jsonb(NEW) - cancel_cols - pdf_cols) IS DISTINCT FROM (to_jsonb(OLD) - cancel_cols - pdf_cols) THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice % may change only by its cancellation', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (to_jsonb(NEW) - pdf_cols) IS DISTINCT FROM (to_jsonb(OLD) - pdf_cols) AND NOT (OLD.status = 'active' AND NEW.status = 'cancelled') THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice % is cancelled once, from active', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.content_hash IS DISTINCT FROM OLD.content_hash AND OLD.content_hash <> '' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice % already has its content hash', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.pdf_file_id IS NOT NULL AND (NEW.pdf_file_id IS DISTINCT FROM OLD.pdf_file_id OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256) THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice % already has its stored PDF', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoices_guard BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_guard();
