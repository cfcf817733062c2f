-- The Idempotency-Key of a record-creating request (server/platform/idempotency): the key is
-- inserted in the transaction that creates the record, so twenty identical requests at once wait
-- on the primary key, one creates the record and the others read the key's row and answer with
-- the same record (no second row, no second audit entry). A key is a user's own; the scope
-- names the route, the hash the validated body (another body under the same key → 422).
CREATE TABLE "idempotency_keys" (
	"user_id" integer NOT NULL,
	"key" text NOT NULL,
	"scope" text NOT NULL,
	"request_hash" text NOT NULL,
	"entity_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("user_id","key")
);
