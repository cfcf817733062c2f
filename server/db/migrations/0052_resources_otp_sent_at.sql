-- When the last e-KYC OTP was sent for a draft (resource.kyc.ts startOtp): another OTP is refused
-- for OTP_RESEND_GAP_MS after it (409 kyc_otp_just_sent), as UIDAI's own pages make a resident
-- wait before "resend". Twenty clicks at once sent one OTP only while the first was in flight; a
-- click that reached the server after the first had finished sent a second SMS (found by
-- resource.races2.test.ts on a loaded machine), and each resend makes the earlier OTP useless.
ALTER TABLE "resources" ADD COLUMN IF NOT EXISTS "otp_sent_at" timestamp with time zone;
