-- The statutory proof (spec 06, issue 17 item 2): the agency's EPFO ECR and ESIC challan per wage
-- month, what the ECR held, what the reconciliation found, and Finance's gate switch per department.
CREATE TABLE "statutory_proofs" (
  "id" serial PRIMARY KEY NOT NULL,
  "agency_id" integer NOT NULL REFERENCES "agencies"("id"),
  "month" date NOT NULL,
  "version" integer NOT NULL,
  "ecr_file_id" integer NOT NULL REFERENCES "stored_files"("id"),
  "trrn" text NOT NULL,
  "payment_date" date NOT NULL,
  "esic_challan_no" text NOT NULL,
  "esic_challan_date" date NOT NULL,
  "esic_amount_paise" bigint NOT NULL,
  "billed_esic_paise" bigint NOT NULL,
  "members" integer NOT NULL,
  "billed_resources" integer NOT NULL,
  "epf_wages_paise" bigint NOT NULL,
  "status" text NOT NULL,
  "uploaded_by" integer REFERENCES "users"("id"),
  "uploaded_at" timestamp with time zone NOT NULL,
  CONSTRAINT "statutory_proofs_month_first" CHECK (extract(day from "month") = 1),
  CONSTRAINT "statutory_proofs_status" CHECK ("status" in ('reconciled', 'differences')),
  CONSTRAINT "statutory_proofs_amounts" CHECK ("esic_amount_paise" >= 0 and "billed_esic_paise" >= 0 and "version" >= 1)
);--> statement-breakpoint
CREATE UNIQUE INDEX "statutory_proofs_version_uq" ON "statutory_proofs" ("agency_id", "month", "version");--> statement-breakpoint
CREATE INDEX "statutory_proofs_month_idx" ON "statutory_proofs" ("month", "agency_id");--> statement-breakpoint
CREATE TABLE "statutory_proof_rows" (
  "id" serial PRIMARY KEY NOT NULL,
  "proof_id" integer NOT NULL REFERENCES "statutory_proofs"("id"),
  "line_no" integer NOT NULL,
  "uan" text NOT NULL,
  "name" text NOT NULL,
  "gross_wages_paise" bigint NOT NULL,
  "epf_wages_paise" bigint NOT NULL,
  "eps_wages_paise" bigint NOT NULL,
  "edli_wages_paise" bigint NOT NULL,
  "ee_share_paise" bigint NOT NULL,
  "eps_share_paise" bigint NOT NULL,
  "er_share_paise" bigint NOT NULL,
  "ncp_days" integer NOT NULL,
  "refund_paise" bigint NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "statutory_proof_rows_uan_uq" ON "statutory_proof_rows" ("proof_id", "uan");--> statement-breakpoint
CREATE INDEX "statutory_proof_rows_line_idx" ON "statutory_proof_rows" ("proof_id", "line_no");--> statement-breakpoint
CREATE TABLE "statutory_proof_differences" (
  "id" serial PRIMARY KEY NOT NULL,
  "proof_id" integer NOT NULL REFERENCES "statutory_proofs"("id"),
  "kind" text NOT NULL,
  "resource_id" integer REFERENCES "resources"("id"),
  "uan" text DEFAULT '' NOT NULL,
  "name_en" text DEFAULT '' NOT NULL,
  "name_hi" text DEFAULT '' NOT NULL,
  "billed_paise" bigint NOT NULL,
  "found_paise" bigint,
  CONSTRAINT "statutory_proof_differences_kind" CHECK ("kind" in ('missing', 'wage_short', 'no_uan', 'esic_short'))
);--> statement-breakpoint
CREATE INDEX "statutory_proof_differences_proof_idx" ON "statutory_proof_differences" ("proof_id", "id");--> statement-breakpoint
CREATE TABLE "proof_gate_settings" (
  "id" serial PRIMARY KEY NOT NULL,
  "department_id" integer NOT NULL REFERENCES "departments"("id"),
  "enabled" boolean NOT NULL,
  "reason" text NOT NULL,
  "changed_by" integer REFERENCES "users"("id"),
  "changed_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "proof_gate_settings_department_idx" ON "proof_gate_settings" ("department_id", "id");--> statement-breakpoint

-- History is append-only: a proof is replaced by a new version, a gate switch by a new row.
CREATE OR REPLACE FUNCTION statutory_proof_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ROAMS_IMMUTABLE: % rows are never changed or removed', TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$;--> statement-breakpoint
CREATE TRIGGER statutory_proofs_append_only BEFORE UPDATE OR DELETE ON statutory_proofs FOR EACH ROW EXECUTE FUNCTION statutory_proof_append_only();--> statement-breakpoint
CREATE TRIGGER statutory_proof_rows_append_only BEFORE UPDATE OR DELETE ON statutory_proof_rows FOR EACH ROW EXECUTE FUNCTION statutory_proof_append_only();--> statement-breakpoint
CREATE TRIGGER statutory_proof_differences_append_only BEFORE UPDATE OR DELETE ON statutory_proof_differences FOR EACH ROW EXECUTE FUNCTION statutory_proof_append_only();--> statement-breakpoint
CREATE TRIGGER proof_gate_settings_append_only BEFORE UPDATE OR DELETE ON proof_gate_settings FOR EACH ROW EXECUTE FUNCTION statutory_proof_append_only();
