-- Revisions after finalisation (issue 15): a supporting document added to a pending request after
-- it was made (e.g. when the DDO asks for one). Only by the request's maker, only while it is
-- pending — checked here under a share lock on the request, so an addition and the DDO's decision
-- (which locks the request FOR UPDATE) serialise — and append-only. The bytes are in the file
-- store with one stored_files row, as for the document attached when the request was made.
CREATE TABLE "attendance_revision_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"request_id" integer NOT NULL REFERENCES "attendance_revision_requests"("id"),
	"file_id" integer NOT NULL REFERENCES "stored_files"("id"),
	"added_by" integer NOT NULL REFERENCES "users"("id"),
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "attendance_revision_documents_request_idx" ON "attendance_revision_documents" ("request_id", "id");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attendance_revision_document_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  st text;
  maker integer;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: documents of attendance revision request % cannot be changed or removed', OLD.request_id USING ERRCODE = 'P0001';
  END IF;
  SELECT q.state, q.requested_by INTO st, maker FROM attendance_revision_requests q WHERE q.id = NEW.request_id FOR SHARE;
  IF st IS DISTINCT FROM 'pending' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance revision request % is already %', NEW.request_id, st USING ERRCODE = 'P0001';
  END IF;
  IF NEW.added_by <> maker THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: only the maker of attendance revision request % adds documents to it', NEW.request_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_revision_documents_guard BEFORE INSERT OR UPDATE OR DELETE ON attendance_revision_documents
  FOR EACH ROW EXECUTE FUNCTION attendance_revision_document_guard();
