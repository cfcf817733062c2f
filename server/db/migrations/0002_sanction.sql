CREATE TABLE "sanction_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"order_no" text NOT NULL,
	"order_date" date NOT NULL,
	"issuing_officer_name" text NOT NULL,
	"issuing_officer_designation" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'original' NOT NULL,
	"ref_order_id" integer,
	"file_id" integer NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_by" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sanction_orders_ref_kind" CHECK (("sanction_orders"."kind" = 'original') = ("sanction_orders"."ref_order_id" is null)),
	CONSTRAINT "sanction_orders_locked_by" CHECK (("sanction_orders"."locked_at" is null) = ("sanction_orders"."locked_by" is null))
);
--> statement-breakpoint
CREATE TABLE "sanction_post_offices" (
	"id" serial PRIMARY KEY NOT NULL,
	"post_id" integer NOT NULL,
	"office_id" integer NOT NULL,
	"posts" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sanction_posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"hod_id" integer NOT NULL,
	"skill_level_id" integer NOT NULL,
	"post_name_id" integer NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sanction_posts_total_nonzero" CHECK ("sanction_posts"."total" <> 0)
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"mime" text NOT NULL,
	"original_name" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_files_sha256_hex" CHECK ("stored_files"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "stored_files_size_positive" CHECK ("stored_files"."size_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "sanction_orders" ADD CONSTRAINT "sanction_orders_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_orders" ADD CONSTRAINT "sanction_orders_ref_order_id_sanction_orders_id_fk" FOREIGN KEY ("ref_order_id") REFERENCES "public"."sanction_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_orders" ADD CONSTRAINT "sanction_orders_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_orders" ADD CONSTRAINT "sanction_orders_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_orders" ADD CONSTRAINT "sanction_orders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_post_offices" ADD CONSTRAINT "sanction_post_offices_post_id_sanction_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."sanction_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_post_offices" ADD CONSTRAINT "sanction_post_offices_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_posts" ADD CONSTRAINT "sanction_posts_order_id_sanction_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sanction_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_posts" ADD CONSTRAINT "sanction_posts_hod_id_hods_id_fk" FOREIGN KEY ("hod_id") REFERENCES "public"."hods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_posts" ADD CONSTRAINT "sanction_posts_skill_level_id_skill_levels_id_fk" FOREIGN KEY ("skill_level_id") REFERENCES "public"."skill_levels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sanction_posts" ADD CONSTRAINT "sanction_posts_post_name_id_post_names_id_fk" FOREIGN KEY ("post_name_id") REFERENCES "public"."post_names"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sanction_orders_dept_order_no_uq" ON "sanction_orders" USING btree ("department_id",lower("order_no"));--> statement-breakpoint
CREATE INDEX "sanction_orders_department_idx" ON "sanction_orders" USING btree ("department_id","created_at");--> statement-breakpoint
CREATE INDEX "sanction_orders_ref_idx" ON "sanction_orders" USING btree ("ref_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sanction_post_offices_uq" ON "sanction_post_offices" USING btree ("post_id","office_id");--> statement-breakpoint
CREATE INDEX "sanction_post_offices_office_idx" ON "sanction_post_offices" USING btree ("office_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sanction_posts_line_uq" ON "sanction_posts" USING btree ("order_id","hod_id","skill_level_id","post_name_id");--> statement-breakpoint
CREATE INDEX "stored_files_sha256_idx" ON "stored_files" USING btree ("sha256");