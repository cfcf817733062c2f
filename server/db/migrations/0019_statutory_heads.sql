-- Statutory heads and the wage definition as effective-dated data (spec 06 "Rates and heads are
-- data, not code"). Seeded with the defaults the spec names, in force since GST (1 July 2017);
-- Finance adds revisions as new rows. A row already in force is never changed or removed.
CREATE TABLE "statutory_heads" (
  "id" serial PRIMARY KEY NOT NULL,
  "code" text NOT NULL,
  "effective_from" date NOT NULL,
  "withdrawn" boolean DEFAULT false NOT NULL,
  "name_en" text NOT NULL,
  "name_hi" text NOT NULL,
  "kind" text NOT NULL,
  "stage" text NOT NULL,
  "base" text NOT NULL,
  "rate_from" text DEFAULT 'head' NOT NULL,
  "rate_ppm" integer DEFAULT 0 NOT NULL,
  "lump_sum_paise" bigint,
  "ceiling_paise" bigint,
  "ceiling_when" text,
  "condition" text,
  "threshold_paise" bigint,
  "rounding" text NOT NULL,
  "sort_order" integer NOT NULL,
  "notification_ref" text DEFAULT '' NOT NULL,
  "created_by" integer REFERENCES "users"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "statutory_heads_rate" CHECK ("rate_ppm" between 0 and 1000000),
  CONSTRAINT "statutory_heads_amounts" CHECK (coalesce("lump_sum_paise", 0) >= 0 and coalesce("ceiling_paise", 0) >= 0 and coalesce("threshold_paise", 0) >= 0),
  CONSTRAINT "statutory_heads_enums" CHECK (
    "kind" in ('payable', 'deduction')
    and "stage" in ('cost', 'reimbursed', 'employee', 'service', 'tax', 'bill')
    and "base" in ('earned_wage', 'pf_wage', 'esic_wage', 'bonus_wage', 'subtotal', 'taxable')
    and "rate_from" in ('head', 'contract_service_charge', 'contract_bonus')
    and ("ceiling_when" is null or "ceiling_when" in ('always', 'contract_epf_capped'))
    and ("condition" is null or "condition" in ('epf', 'esic', 'bonus', 'intra_state', 'inter_state', 'pan_individual', 'pan_other', 'gst_tds'))
    and "rounding" in ('paisa_half_up', 'rupee_half_up', 'rupee_up'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "statutory_heads_code_from_uq" ON "statutory_heads" ("code", "effective_from");--> statement-breakpoint
CREATE TABLE "wage_definitions" (
  "id" serial PRIMARY KEY NOT NULL,
  "effective_from" date NOT NULL,
  "kind" text NOT NULL CHECK ("kind" in ('basic_da', 'labour_code')),
  "allowance_share_ppm" integer DEFAULT 500000 NOT NULL,
  "notification_ref" text DEFAULT '' NOT NULL,
  "created_by" integer REFERENCES "users"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "wage_definitions_share" CHECK ("allowance_share_ppm" between 0 and 1000000)
);--> statement-breakpoint
CREATE UNIQUE INDEX "wage_definitions_from_uq" ON "wage_definitions" ("effective_from");--> statement-breakpoint

-- A row whose date has come (IST) is history: it cannot be changed or deleted.
CREATE OR REPLACE FUNCTION rates_in_force_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.effective_from <= (now() AT TIME ZONE 'Asia/Kolkata')::date THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: % row % is in force since %', TG_TABLE_NAME, OLD.id, OLD.effective_from USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;--> statement-breakpoint
CREATE TRIGGER statutory_heads_frozen BEFORE UPDATE OR DELETE ON statutory_heads FOR EACH ROW EXECUTE FUNCTION rates_in_force_frozen();--> statement-breakpoint
CREATE TRIGGER wage_definitions_frozen BEFORE UPDATE OR DELETE ON wage_definitions FOR EACH ROW EXECUTE FUNCTION rates_in_force_frozen();--> statement-breakpoint

INSERT INTO "wage_definitions" ("effective_from", "kind", "allowance_share_ppm", "notification_ref") VALUES ('2017-07-01', 'basic_da', 500000, 'spec 06 seed');--> statement-breakpoint
INSERT INTO "statutory_heads" ("code", "effective_from", "name_en", "name_hi", "kind", "stage", "base", "rate_from", "rate_ppm", "lump_sum_paise", "ceiling_paise", "ceiling_when", "condition", "threshold_paise", "rounding", "sort_order", "notification_ref") VALUES
  ('EPF_ER', '2017-07-01', 'EPF employer 12%', 'ईपीएफ नियोक्ता 12%', 'payable', 'cost', 'pf_wage', 'head', 120000, NULL, 1500000, 'contract_epf_capped', 'epf', NULL, 'rupee_half_up', 10, 'spec 06 seed'),
  ('EPF_ADMIN', '2017-07-01', 'EPF admin charges 0.5%', 'ईपीएफ प्रशासनिक शुल्क 0.5%', 'payable', 'cost', 'pf_wage', 'head', 5000, NULL, 1500000, 'contract_epf_capped', 'epf', NULL, 'rupee_half_up', 20, 'spec 06 seed'),
  ('EDLI', '2017-07-01', 'EDLI 0.5%', 'ईडीएलआई 0.5%', 'payable', 'cost', 'pf_wage', 'head', 5000, NULL, 1500000, 'contract_epf_capped', 'epf', NULL, 'rupee_half_up', 30, 'spec 06 seed'),
  ('ESIC_ER', '2017-07-01', 'ESIC employer 3.25%', 'ईएसआईसी नियोक्ता 3.25%', 'payable', 'cost', 'esic_wage', 'head', 32500, NULL, NULL, NULL, 'esic', 2100000, 'rupee_up', 40, 'spec 06 seed'),
  ('BONUS', '2017-07-01', 'Bonus', 'बोनस', 'payable', 'reimbursed', 'bonus_wage', 'contract_bonus', 0, NULL, NULL, NULL, 'bonus', 700000, 'paisa_half_up', 50, 'spec 06 seed'),
  ('EPF_EE', '2017-07-01', 'EPF employee 12%', 'ईपीएफ कर्मचारी 12%', 'deduction', 'employee', 'pf_wage', 'head', 120000, NULL, 1500000, 'contract_epf_capped', 'epf', NULL, 'rupee_half_up', 60, 'spec 06 seed'),
  ('ESIC_EE', '2017-07-01', 'ESIC employee 0.75%', 'ईएसआईसी कर्मचारी 0.75%', 'deduction', 'employee', 'esic_wage', 'head', 7500, NULL, NULL, NULL, 'esic', 2100000, 'rupee_up', 70, 'spec 06 seed'),
  ('SERVICE_CHARGE', '2017-07-01', 'Service charge', 'सेवा शुल्क', 'payable', 'service', 'subtotal', 'contract_service_charge', 0, NULL, NULL, NULL, NULL, NULL, 'paisa_half_up', 80, 'spec 06 seed'),
  ('CGST', '2017-07-01', 'CGST 9%', 'सीजीएसटी 9%', 'payable', 'tax', 'taxable', 'head', 90000, NULL, NULL, NULL, 'intra_state', NULL, 'paisa_half_up', 90, 'spec 06 seed'),
  ('SGST', '2017-07-01', 'SGST 9%', 'एसजीएसटी 9%', 'payable', 'tax', 'taxable', 'head', 90000, NULL, NULL, NULL, 'intra_state', NULL, 'paisa_half_up', 100, 'spec 06 seed'),
  ('IGST', '2017-07-01', 'IGST 18%', 'आईजीएसटी 18%', 'payable', 'tax', 'taxable', 'head', 180000, NULL, NULL, NULL, 'inter_state', NULL, 'paisa_half_up', 110, 'spec 06 seed'),
  ('TDS_194C_IND', '2017-07-01', 'TDS 194C (individual / HUF) 1%', 'टीडीएस 194सी (व्यक्ति / एचयूएफ) 1%', 'deduction', 'bill', 'taxable', 'head', 10000, NULL, NULL, NULL, 'pan_individual', NULL, 'rupee_half_up', 120, 'spec 06 seed'),
  ('TDS_194C', '2017-07-01', 'TDS 194C (others) 2%', 'टीडीएस 194सी (अन्य) 2%', 'deduction', 'bill', 'taxable', 'head', 20000, NULL, NULL, NULL, 'pan_other', NULL, 'rupee_half_up', 130, 'spec 06 seed'),
  ('GST_TDS_CGST', '2017-07-01', 'GST TDS (CGST 1%)', 'जीएसटी टीडीएस (सीजीएसटी 1%)', 'deduction', 'bill', 'taxable', 'head', 10000, NULL, NULL, NULL, 'gst_tds', 25000000, 'rupee_half_up', 140, 'spec 06 seed'),
  ('GST_TDS_SGST', '2017-07-01', 'GST TDS (SGST 1%)', 'जीएसटी टीडीएस (एसजीएसटी 1%)', 'deduction', 'bill', 'taxable', 'head', 10000, NULL, NULL, NULL, 'gst_tds', 25000000, 'rupee_half_up', 150, 'spec 06 seed');
