CREATE TABLE "agencies" (
	"id" serial PRIMARY KEY NOT NULL,
	"legal_name" text NOT NULL,
	"type" text NOT NULL,
	"pan" text NOT NULL,
	"gstin" text NOT NULL,
	"epfo_code" text NOT NULL,
	"esic_code" text NOT NULL,
	"licence_no" text NOT NULL,
	"licence_workmen" integer NOT NULL,
	"licence_valid_to" date NOT NULL,
	"address" text NOT NULL,
	"district_id" integer NOT NULL,
	"contact_name" text NOT NULL,
	"mobile" text NOT NULL,
	"email" text NOT NULL,
	"bank_account" text NOT NULL,
	"ifsc" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"status_reason" text DEFAULT '' NOT NULL,
	"status_order_ref" text DEFAULT '' NOT NULL,
	"status_from" date,
	"status_to" date,
	"registered_via" text NOT NULL,
	"registered_by" integer,
	"verified_by" integer,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_pan_format" CHECK ("agencies"."pan" ~ '^[A-Z]{5}[0-9]{4}[A-Z]$'),
	CONSTRAINT "agencies_gstin_format" CHECK ("agencies"."gstin" ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
	CONSTRAINT "agencies_gstin_pan" CHECK (substr("agencies"."gstin", 3, 10) = "agencies"."pan"),
	CONSTRAINT "agencies_ifsc_format" CHECK ("agencies"."ifsc" ~ '^[A-Z]{4}0[A-Z0-9]{6}$'),
	CONSTRAINT "agencies_mobile_format" CHECK ("agencies"."mobile" ~ '^[6-9][0-9]{9}$'),
	CONSTRAINT "agencies_licence_workmen_positive" CHECK ("agencies"."licence_workmen" > 0)
);
--> statement-breakpoint
CREATE TABLE "agency_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"kind" text NOT NULL,
	"file_id" integer NOT NULL,
	"uploaded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agency_status_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"order_ref" text DEFAULT '' NOT NULL,
	"period_from" date,
	"period_to" date,
	"by_user" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signup_otps" (
	"id" serial PRIMARY KEY NOT NULL,
	"mobile" text NOT NULL,
	"request_hash" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"ip" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "contract_posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"office_id" integer NOT NULL,
	"skill_level_id" integer NOT NULL,
	"post_name_id" integer NOT NULL,
	"positions" integer NOT NULL,
	"basic_paise" bigint NOT NULL,
	"vda_paise" bigint NOT NULL,
	CONSTRAINT "contract_posts_positions_positive" CHECK ("contract_posts"."positions" > 0),
	CONSTRAINT "contract_posts_basic_positive" CHECK ("contract_posts"."basic_paise" > 0),
	CONSTRAINT "contract_posts_vda_nonnegative" CHECK ("contract_posts"."vda_paise" >= 0)
);
--> statement-breakpoint
CREATE TABLE "contract_version_budget_lines" (
	"version_id" integer NOT NULL,
	"budget_line_id" integer NOT NULL,
	CONSTRAINT "contract_version_budget_lines_version_id_budget_line_id_pk" PRIMARY KEY("version_id","budget_line_id")
);
--> statement-breakpoint
CREATE TABLE "contract_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"version_no" integer NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"ddo_code_id" integer NOT NULL,
	"payment_mode" text NOT NULL,
	"wage_basis" text NOT NULL,
	"service_charge_bp" integer NOT NULL,
	"epf_mode" text NOT NULL,
	"esic_applies" boolean NOT NULL,
	"bonus_bp" integer NOT NULL,
	"file_id" integer,
	"remark" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_by" integer,
	"activated_at" timestamp with time zone,
	CONSTRAINT "contract_versions_period" CHECK ("contract_versions"."end_date" >= "contract_versions"."start_date"),
	CONSTRAINT "contract_versions_service_charge" CHECK ("contract_versions"."service_charge_bp" between 0 and 10000),
	CONSTRAINT "contract_versions_bonus" CHECK ("contract_versions"."bonus_bp" = 0 or "contract_versions"."bonus_bp" between 833 and 2000)
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"office_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"contract_no" text NOT NULL,
	"contract_date" date NOT NULL,
	"procurement_mode" text NOT NULL,
	"gem_contract_no" text DEFAULT '' NOT NULL,
	"gem_bid_no" text DEFAULT '' NOT NULL,
	"is_legacy" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"terminated_on" date,
	"termination_reason" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contracts_gem_no" CHECK (("contracts"."procurement_mode" = 'gem') = ("contracts"."gem_contract_no" <> '')),
	CONSTRAINT "contracts_terminated" CHECK (("contracts"."status" = 'terminated') = ("contracts"."terminated_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "sent_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" integer NOT NULL,
	"about_date" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "minimum_wages" (
	"id" serial PRIMARY KEY NOT NULL,
	"skill_level_id" integer NOT NULL,
	"effective_from" date NOT NULL,
	"basic_paise" bigint NOT NULL,
	"vda_paise" bigint NOT NULL,
	"notification_ref" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "minimum_wages_basic_positive" CHECK ("minimum_wages"."basic_paise" > 0),
	CONSTRAINT "minimum_wages_vda_nonnegative" CHECK ("minimum_wages"."vda_paise" >= 0)
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_documents" ADD CONSTRAINT "agency_documents_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_documents" ADD CONSTRAINT "agency_documents_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_documents" ADD CONSTRAINT "agency_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_status_events" ADD CONSTRAINT "agency_status_events_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_status_events" ADD CONSTRAINT "agency_status_events_by_user_users_id_fk" FOREIGN KEY ("by_user") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_posts" ADD CONSTRAINT "contract_posts_version_id_contract_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."contract_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_posts" ADD CONSTRAINT "contract_posts_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_posts" ADD CONSTRAINT "contract_posts_skill_level_id_skill_levels_id_fk" FOREIGN KEY ("skill_level_id") REFERENCES "public"."skill_levels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_posts" ADD CONSTRAINT "contract_posts_post_name_id_post_names_id_fk" FOREIGN KEY ("post_name_id") REFERENCES "public"."post_names"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_version_budget_lines" ADD CONSTRAINT "contract_version_budget_lines_version_id_contract_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."contract_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_version_budget_lines" ADD CONSTRAINT "contract_version_budget_lines_budget_line_id_budget_lines_id_fk" FOREIGN KEY ("budget_line_id") REFERENCES "public"."budget_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_versions" ADD CONSTRAINT "contract_versions_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_versions" ADD CONSTRAINT "contract_versions_ddo_code_id_ddo_codes_id_fk" FOREIGN KEY ("ddo_code_id") REFERENCES "public"."ddo_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_versions" ADD CONSTRAINT "contract_versions_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_versions" ADD CONSTRAINT "contract_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_versions" ADD CONSTRAINT "contract_versions_activated_by_users_id_fk" FOREIGN KEY ("activated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minimum_wages" ADD CONSTRAINT "minimum_wages_skill_level_id_skill_levels_id_fk" FOREIGN KEY ("skill_level_id") REFERENCES "public"."skill_levels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minimum_wages" ADD CONSTRAINT "minimum_wages_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_pan_uq" ON "agencies" USING btree ("pan");--> statement-breakpoint
CREATE INDEX "agencies_status_idx" ON "agencies" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "agencies_licence_valid_to_idx" ON "agencies" USING btree ("licence_valid_to");--> statement-breakpoint
CREATE INDEX "agency_documents_agency_idx" ON "agency_documents" USING btree ("agency_id","kind");--> statement-breakpoint
CREATE INDEX "agency_status_events_agency_idx" ON "agency_status_events" USING btree ("agency_id","at");--> statement-breakpoint
CREATE INDEX "signup_otps_mobile_idx" ON "signup_otps" USING btree ("mobile","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "signup_otps_request_uq" ON "signup_otps" USING btree ("request_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_posts_line_uq" ON "contract_posts" USING btree ("version_id","office_id","skill_level_id","post_name_id");--> statement-breakpoint
CREATE INDEX "contract_posts_key_idx" ON "contract_posts" USING btree ("office_id","skill_level_id","post_name_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_versions_no_uq" ON "contract_versions" USING btree ("contract_id","version_no");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_versions_in_force_uq" ON "contract_versions" USING btree ("contract_id") WHERE "contract_versions"."state" = 'in_force';--> statement-breakpoint
CREATE INDEX "contract_versions_end_idx" ON "contract_versions" USING btree ("end_date") WHERE "contract_versions"."state" = 'in_force';--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_dept_no_uq" ON "contracts" USING btree ("department_id",lower("contract_no"));--> statement-breakpoint
CREATE INDEX "contracts_department_idx" ON "contracts" USING btree ("department_id","id");--> statement-breakpoint
CREATE INDEX "contracts_office_idx" ON "contracts" USING btree ("office_id");--> statement-breakpoint
CREATE INDEX "contracts_agency_idx" ON "contracts" USING btree ("agency_id","id");--> statement-breakpoint
CREATE INDEX "contracts_status_idx" ON "contracts" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "sent_alerts_uq" ON "sent_alerts" USING btree ("kind","entity","entity_id","about_date");--> statement-breakpoint
CREATE UNIQUE INDEX "minimum_wages_skill_from_uq" ON "minimum_wages" USING btree ("skill_level_id","effective_from");