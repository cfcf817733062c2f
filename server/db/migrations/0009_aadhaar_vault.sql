CREATE TABLE "aadhaar_vault" (
	"ref_key" uuid PRIMARY KEY NOT NULL,
	"ciphertext" text NOT NULL,
	"iv" text NOT NULL,
	"auth_tag" text NOT NULL,
	"key_version" integer NOT NULL,
	"hash" text NOT NULL,
	"last4" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reencrypted_at" timestamp with time zone,
	CONSTRAINT "aadhaar_vault_last4_ck" CHECK ("last4" ~ '^[0-9]{4}$'),
	CONSTRAINT "aadhaar_vault_key_version_ck" CHECK ("key_version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "aadhaar_vault_hash_uq" ON "aadhaar_vault" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "aadhaar_vault_key_version_idx" ON "aadhaar_vault" USING btree ("key_version");--> statement-breakpoint
CREATE TABLE "ekyc_sandbox_txns" (
	"txn_id" text PRIMARY KEY NOT NULL,
	"aadhaar_hash" text NOT NULL,
	"otp_hash" text NOT NULL,
	"consent_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"resends" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "ekyc_sandbox_txns_hash_idx" ON "ekyc_sandbox_txns" USING btree ("aadhaar_hash","created_at");
