-- The e-KYC call in flight on a resource (resource.kyc.ts): an OTP request or its verification
-- claims the row (UPDATE … WHERE kyc_call_at IS NULL RETURNING) before calling the provider and
-- clears it with its answer, so twenty clicks at once make one call — one OTP sent, the resource
-- holding the transaction whose OTP the resident received — and the others are told 409
-- kyc_in_progress. A claim older than two minutes (a crash between the two) may be taken over.
ALTER TABLE "resources" ADD COLUMN "kyc_call_at" timestamp with time zone;
