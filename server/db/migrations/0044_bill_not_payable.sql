-- A bill with nothing payable (docs/PAYMENTS.md "A bill of ₹0"): an invoice whose recoveries carried
-- forward take the whole month (invoice.recovery-carry.ts) totals ₹0, and so does its bill. A
-- treasury passes no nil bill and a payment must be > 0, so such a bill could never be paid and the
-- invoice never closed. Now:
-- - the bill is made at the DDO's approval like any other (the record of the approval: gross,
--   deductions and net payable all 0) with status `not_payable`, and never goes to IFMIS — the
--   database holds the pair: `not_payable` exactly when the net payable is 0 (NOT VALID: rows made
--   before this migration are not re-checked), and `not_payable` has no way out in `bills_guard`
--   (its allowed moves do not name it);
-- - the workflow goes approved → paid in the approving transaction, only when the invoice's bill is
--   `not_payable` (event `nothing_payable`): there is nothing to bill, so `billed_at` stays empty.
ALTER TABLE "bills" DROP CONSTRAINT "bills_status";--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_status" CHECK ("status" in ('prepared', 'sent', 'acknowledged', 'rejected', 'not_payable'));--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_not_payable" CHECK (("status" = 'not_payable') = ("net_payable_paise" = 0)) NOT VALID;--> statement-breakpoint
ALTER TABLE "invoice_events" DROP CONSTRAINT "invoice_events_action";--> statement-breakpoint
ALTER TABLE "invoice_events" ADD CONSTRAINT "invoice_events_action" CHECK ("action" in ('submit', 'return', 'verify', 'approve', 'gate_waived', 'bill_sent', 'bill_acknowledged', 'bill_rejected', 'paid', 'payment_reopened', 'credited', 'credit_reopened', 'nothing_payable'));--> statement-breakpoint
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
    OR (OLD.stage = 'approved' AND NEW.stage = 'paid'
        AND EXISTS (SELECT 1 FROM bills b WHERE b.invoice_id = NEW.invoice_id AND b.status = 'not_payable'))
    OR (OLD.stage = 'billed' AND NEW.stage = 'paid')
    OR (OLD.stage = 'paid' AND NEW.stage = 'billed')) THEN
    RAISE EXCEPTION 'ROAMS_WORKFLOW: % cannot become %', OLD.stage, NEW.stage USING ERRCODE = 'P0001';
  END IF;
  -- Stamps of approval and billing are written once. The credit stamp is written when every worker
  -- is whole and cleared when a bank return leaves one short (written again when whole again);
  -- while set it is never moved.
  IF (OLD.approved_at IS NOT NULL AND NEW.approved_at IS DISTINCT FROM OLD.approved_at)
     OR (OLD.billed_at IS NOT NULL AND NEW.billed_at IS DISTINCT FROM OLD.billed_at)
     OR (OLD.credited_at IS NOT NULL AND NEW.credited_at IS NOT NULL AND NEW.credited_at IS DISTINCT FROM OLD.credited_at) THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: a workflow stamp is written once' USING ERRCODE = 'P0001';
  END IF;
  -- The payment stamp moves only with the stage: set exactly while the invoice is paid (written on
  -- billed → paid, cleared on paid → billed), and unchanged while it stays paid.
  IF (NEW.stage = 'paid') <> (NEW.paid_at IS NOT NULL)
     OR (OLD.stage = 'paid' AND NEW.stage = 'paid' AND NEW.paid_at IS DISTINCT FROM OLD.paid_at) THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: paid_at is written when the invoice becomes paid and cleared when it is reopened' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
