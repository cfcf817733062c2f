-- Issue 18, the rest of the PD chain: the value lists that its pieces (advices, e-file and bank
-- scroll, opening, year-end) share are widened once here, so that no later migration has to
-- drop and re-create the same CHECK with a different list.
--   e-cheque states: prepared → passed → in_efile (sent to the bank) → discharged (the bank's
--     scroll paid it) or failed (replaced by a banker's cheque); prepared → returned.
--   posting kinds: lapse (31 March: a consolidated-fund line's balance back to its service
--     head) and unclaimed (a dormant other account's balance credited to government).
--   ledger accounts: service_head (+ = lapsed to the budget) and government (+ = unclaimed
--     money credited to government receipts).
ALTER TABLE "pd_echeques" DROP CONSTRAINT IF EXISTS "pd_echeques_state_check";--> statement-breakpoint
ALTER TABLE "pd_echeques" ADD CONSTRAINT "pd_echeques_state_check"
  CHECK ("state" IN ('prepared', 'passed', 'returned', 'in_efile', 'discharged', 'failed'));--> statement-breakpoint
ALTER TABLE "pd_postings" DROP CONSTRAINT IF EXISTS "pd_postings_kind_check";--> statement-breakpoint
ALTER TABLE "pd_postings" ADD CONSTRAINT "pd_postings_kind_check"
  CHECK ("kind" IN ('deposit', 'echeque_prepared', 'echeque_passed', 'echeque_returned', 'reversal', 'lapse', 'unclaimed'));--> statement-breakpoint
ALTER TABLE "pd_entries" DROP CONSTRAINT IF EXISTS "pd_entries_ledger_account_check";--> statement-breakpoint
ALTER TABLE "pd_entries" ADD CONSTRAINT "pd_entries_ledger_account_check"
  CHECK ("ledger_account" IN ('line_available', 'line_reserved', 'deposit_source', 'payment_out', 'service_head', 'government'));
