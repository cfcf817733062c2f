CREATE TABLE "security_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer,
	"user_name" text DEFAULT '' NOT NULL,
	"role" text DEFAULT '' NOT NULL,
	"department_id" integer,
	"ip" text DEFAULT '' NOT NULL,
	"method" text DEFAULT '' NOT NULL,
	"route" text DEFAULT '' NOT NULL,
	"status" smallint NOT NULL,
	"code" text NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE INDEX "security_events_at_idx" ON "security_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "security_events_user_idx" ON "security_events" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "security_events_ip_idx" ON "security_events" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "security_events_code_idx" ON "security_events" USING btree ("code","at");