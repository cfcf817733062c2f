-- Bulk onboarding of resources (issue 14 item 1): one row per imported file under a contract;
-- the file's SHA-256 is unique per contract, so the same file imported twice creates its
-- resources once (the unique index decides between two uploads at the same moment).
CREATE TABLE IF NOT EXISTS "resource_bulk_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"contract_id" integer NOT NULL,
	"file_sha256" text NOT NULL,
	"rows" integer NOT NULL,
	"created" integer NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resource_bulk_batches" ADD CONSTRAINT "resource_bulk_batches_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_bulk_batches" ADD CONSTRAINT "resource_bulk_batches_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_bulk_batches" ADD CONSTRAINT "resource_bulk_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "resource_bulk_batches_file_uq" ON "resource_bulk_batches" USING btree ("contract_id","file_sha256");
