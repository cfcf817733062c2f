-- A bank return of a worker's direct payment reopens the worker's credit (issue 17, docs/PAYMENTS.md
-- "Worker credits"): the reversal shows the worker short again, and the invoice's `credited_at` —
-- the moment every worker was last whole — is cleared (event `credit_reopened`, the return's UTR in
-- its remarks); payments or credits that make every worker whole again write it again. Before
-- this, the stamp stayed though a worker was short. Approval and billing stamps are still written once.
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
$$;--> statement-breakpoint
ALTER TABLE "invoice_events" DROP CONSTRAINT "invoice_events_action";--> statement-breakpoint
ALTER TABLE "invoice_events" ADD CONSTRAINT "invoice_events_action" CHECK ("action" in ('submit', 'return', 'verify', 'approve', 'gate_waived', 'bill_sent', 'bill_acknowledged', 'bill_rejected', 'paid', 'payment_reopened', 'credited', 'credit_reopened'));
