-- Arrears from late rate revisions (spec 06 "Rates and heads are data", issue 16 item 2): a
-- minimum wage, statutory head or wage definition recorded after a month was invoiced, effective
-- on or before that month, is billed once, as the difference per resource and head, on a later
-- invoice of the same contract. `invoice_rate_arrears_sources` records which rate row an invoice
-- caught up with for which earlier invoice and resource; what the database itself guarantees:
-- - a (earlier invoice, resource, rate row) is caught up by at most one live row (partial unique
--   index where `released_at` is null): two generations racing — the second fails on the index
--   and rolls back, nothing written;
-- - cancelling the settling invoice releases its rows (`released_at` set once), so the next
--   invoice catches up again; rows are never removed and nothing else of them ever changes.
CREATE TABLE "invoice_rate_arrears_sources" (
  "id" serial PRIMARY KEY NOT NULL,
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "earlier_invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "resource_id" integer NOT NULL REFERENCES "resources"("id"),
  "month" date NOT NULL,
  "rate_table" text NOT NULL,
  "rate_row_id" integer NOT NULL,
  "paid_days" integer NOT NULL,
  "released_at" timestamp with time zone,
  CONSTRAINT "invoice_rate_arrears_sources_month_first" CHECK (extract(day from "month") = 1),
  CONSTRAINT "invoice_rate_arrears_sources_table" CHECK ("rate_table" in ('minimum_wages', 'statutory_heads', 'wage_definitions')),
  CONSTRAINT "invoice_rate_arrears_sources_days" CHECK ("paid_days" >= 0),
  CONSTRAINT "invoice_rate_arrears_sources_not_self" CHECK ("invoice_id" <> "earlier_invoice_id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_rate_arrears_sources_live_uq" ON "invoice_rate_arrears_sources" ("earlier_invoice_id", "resource_id", "rate_table", "rate_row_id") WHERE "released_at" is null;--> statement-breakpoint
CREATE INDEX "invoice_rate_arrears_sources_invoice_idx" ON "invoice_rate_arrears_sources" ("invoice_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_rate_arrears_sources_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice_rate_arrears_sources rows are never removed' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.released_at IS NOT NULL OR NEW.released_at IS NULL
     OR (to_jsonb(NEW) - 'released_at') IS DISTINCT FROM (to_jsonb(OLD) - 'released_at') THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a rate arrears source is only released, once' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoice_rate_arrears_sources_guard BEFORE UPDATE OR DELETE ON invoice_rate_arrears_sources FOR EACH ROW EXECUTE FUNCTION invoice_rate_arrears_sources_guard();
