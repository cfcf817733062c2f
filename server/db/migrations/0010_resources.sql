CREATE TABLE "resources" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"contract_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"contract_office_id" integer NOT NULL,
	"office_id" integer,
	"skill_level_id" integer NOT NULL,
	"post_name_id" integer NOT NULL,
	"name_en" text DEFAULT '' NOT NULL,
	"name_hi" text DEFAULT '' NOT NULL,
	"relation" text NOT NULL,
	"relative_name" text NOT NULL,
	"dob" date NOT NULL,
	"gender" text NOT NULL,
	"mobile" text NOT NULL,
	"address" text NOT NULL,
	"qualification" text NOT NULL,
	"bank_account" text NOT NULL,
	"ifsc" text NOT NULL,
	"uan" text DEFAULT '' NOT NULL,
	"esic_ip" text DEFAULT '' NOT NULL,
	"photo_file_id" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"aadhaar_ref" text,
	"aadhaar_last4" text,
	"aadhaar_hash" text,
	"kyc_status" text DEFAULT 'none' NOT NULL,
	"consent_given_by" text,
	"consent_at" timestamp with time zone,
	"consent_text_version" text,
	"consent_language" text,
	"consent_by" integer,
	"otp_txn_id" text,
	"otp_masked_mobile" text,
	"kyc_name" text,
	"kyc_dob" date,
	"kyc_gender" text,
	"kyc_ref_id" text,
	"kyc_at" timestamp with time zone,
	"kyc_mismatches" jsonb,
	"kyc_resolution" text,
	"kyc_resolution_remark" text DEFAULT '' NOT NULL,
	"verification_method" text,
	"alt_doc_type" text,
	"alt_doc_last4" text,
	"alt_doc_file_id" integer,
	"alt_remark" text DEFAULT '' NOT NULL,
	"alt_by" integer,
	"alt_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"joining_date" date,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"rejection_reason" text DEFAULT '' NOT NULL,
	"relieved_on" date,
	"relieve_reason" text,
	"relieve_remark" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_name_present" CHECK ("resources"."name_en" <> '' or "resources"."name_hi" <> ''),
	CONSTRAINT "resources_aadhaar_last4" CHECK ("resources"."aadhaar_last4" is null or "resources"."aadhaar_last4" ~ '^[0-9]{4}$'),
	CONSTRAINT "resources_approved_placed" CHECK ("resources"."status" not in ('approved', 'relieved') or ("resources"."office_id" is not null and "resources"."joining_date" is not null)),
	CONSTRAINT "resources_relieved" CHECK (("resources"."status" = 'relieved') = ("resources"."relieved_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "resource_relievings" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" integer NOT NULL,
	"state" text DEFAULT 'requested' NOT NULL,
	"relieve_on" date NOT NULL,
	"reason_code" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"requested_by" integer,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"decision_remark" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_contract_office_id_offices_id_fk" FOREIGN KEY ("contract_office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_skill_level_id_skill_levels_id_fk" FOREIGN KEY ("skill_level_id") REFERENCES "public"."skill_levels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_post_name_id_post_names_id_fk" FOREIGN KEY ("post_name_id") REFERENCES "public"."post_names"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_photo_file_id_stored_files_id_fk" FOREIGN KEY ("photo_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_consent_by_users_id_fk" FOREIGN KEY ("consent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_alt_doc_file_id_stored_files_id_fk" FOREIGN KEY ("alt_doc_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_alt_by_users_id_fk" FOREIGN KEY ("alt_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_relievings" ADD CONSTRAINT "resource_relievings_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_relievings" ADD CONSTRAINT "resource_relievings_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_relievings" ADD CONSTRAINT "resource_relievings_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "resources_aadhaar_active_uq" ON "resources" USING btree ("aadhaar_hash") WHERE "resources"."aadhaar_hash" is not null and "resources"."status" not in ('rejected', 'relieved');--> statement-breakpoint
CREATE INDEX "resources_agency_idx" ON "resources" USING btree ("agency_id","id");--> statement-breakpoint
CREATE INDEX "resources_department_idx" ON "resources" USING btree ("department_id","id");--> statement-breakpoint
CREATE INDEX "resources_contract_office_idx" ON "resources" USING btree ("contract_office_id","id");--> statement-breakpoint
CREATE INDEX "resources_contract_idx" ON "resources" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "resources_deployed_idx" ON "resources" USING btree ("office_id","skill_level_id","post_name_id") WHERE "resources"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "resources_bank_idx" ON "resources" USING btree ("bank_account") WHERE "resources"."status" not in ('rejected', 'relieved');--> statement-breakpoint
CREATE INDEX "resources_mobile_idx" ON "resources" USING btree ("mobile") WHERE "resources"."status" not in ('rejected', 'relieved');--> statement-breakpoint
CREATE UNIQUE INDEX "resource_relievings_open_uq" ON "resource_relievings" USING btree ("resource_id") WHERE "resource_relievings"."state" = 'requested';--> statement-breakpoint
CREATE INDEX "resource_relievings_resource_idx" ON "resource_relievings" USING btree ("resource_id","id");
