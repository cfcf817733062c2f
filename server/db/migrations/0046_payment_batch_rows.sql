-- The rows a saved payment or credit batch answered with (payment.common.ts batchReplay): the
-- same Idempotency-Key sent again — a double click, a retry, twenty at once — answers the same
-- result, row by row, not only its counts. Written once with the batch (the table is immutable);
-- null for batches saved before this column (their replay answers the counts and no rows).
ALTER TABLE "payment_batches" ADD COLUMN "result_rows" jsonb;
