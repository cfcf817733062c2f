-- Revisions after finalisation (issue 15 item 6): an optional supporting document on a request
-- (PDF, JPEG or PNG, checked by content; the bytes in the file store, one stored_files row). Set
-- when the request is made and never changed: the append-only guard now also freezes it.
ALTER TABLE "attendance_revision_requests" ADD COLUMN "document_file_id" integer REFERENCES "stored_files"("id");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attendance_revision_request_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision request % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.state <> 'pending' THEN
    RAISE EXCEPTION 'ROAMS_FROZEN: attendance revision request % is already %', OLD.id, OLD.state USING ERRCODE = 'P0001';
  END IF;
  IF NEW.sheet_id <> OLD.sheet_id OR NEW.office_id <> OLD.office_id OR NEW.month <> OLD.month OR NEW.reason <> OLD.reason OR NEW.requested_by <> OLD.requested_by OR NEW.requested_at <> OLD.requested_at
     OR NEW.document_file_id IS DISTINCT FROM OLD.document_file_id THEN
    RAISE EXCEPTION 'ROAMS_IMMUTABLE: attendance revision request % can only be decided', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
