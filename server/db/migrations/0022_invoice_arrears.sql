-- Arrears and recoveries (spec 06, issue 16 item 2): an attendance revision approved after the
-- month it revises was invoiced is billed once, as the difference, on a later invoice of the same
-- contract. `invoice_arrears_sources` records which revision an invoice settled; what the
-- database itself guarantees:
-- - a revision is settled by at most one live row (partial unique index on `revision_id` where
--   `released_at` is null): two generations racing for the same revision — the second fails on
--   the index and rolls back, nothing written;
-- - cancelling the settling invoice releases its rows (`released_at` set once, in the cancelling
--   transaction), so the revision may be settled again by the next invoice; rows are never removed
--   and nothing else of them ever changes.
CREATE TABLE "invoice_arrears_sources" (
  "id" serial PRIMARY KEY NOT NULL,
  "revision_id" integer NOT NULL REFERENCES "attendance_revision_items"("id"),
  "invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "earlier_invoice_id" integer NOT NULL REFERENCES "invoices"("id"),
  "resource_id" integer NOT NULL REFERENCES "resources"("id"),
  "month" date NOT NULL,
  "billed_paid_days" integer NOT NULL,
  "paid_days" integer NOT NULL,
  "released_at" timestamp with time zone,
  CONSTRAINT "invoice_arrears_sources_month_first" CHECK (extract(day from "month") = 1),
  CONSTRAINT "invoice_arrears_sources_days" CHECK ("billed_paid_days" >= 0 and "paid_days" >= 0),
  CONSTRAINT "invoice_arrears_sources_not_self" CHECK ("invoice_id" <> "earlier_invoice_id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_arrears_sources_live_uq" ON "invoice_arrears_sources" ("revision_id") WHERE "released_at" is null;--> statement-breakpoint
CREATE INDEX "invoice_arrears_sources_invoice_idx" ON "invoice_arrears_sources" ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_arrears_sources_resource_idx" ON "invoice_arrears_sources" ("resource_id", "month");--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_arrears_sources_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: invoice_arrears_sources rows are never removed' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.released_at IS NOT NULL OR NEW.released_at IS NULL
     OR (to_jsonb(NEW) - 'released_at') IS DISTINCT FROM (to_jsonb(OLD) - 'released_at') THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: an arrears source is only released, once' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoice_arrears_sources_guard BEFORE UPDATE OR DELETE ON invoice_arrears_sources FOR EACH ROW EXECUTE FUNCTION invoice_arrears_sources_guard();
