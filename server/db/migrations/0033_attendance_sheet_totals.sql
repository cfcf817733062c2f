-- Maintained monthly totals of finalised attendance (issue 15, bar S4: the state dashboard over 24
-- months at p95 < 100 ms needs totals kept, not a live scan of ~200,000 rows a month). One row per
-- finalised sheet: its rows and the sums of its effective figures (the latest approved revision of
-- each row, else the row as finalised — the relation in attendance.effective.ts). Kept by the
-- database itself, so no path can miss it: written when a sheet becomes finalised (its rows can no
-- longer change), and moved by the difference when a revision of one of its rows is approved — the
-- only change a finalised sheet ever sees. A statewide month is then ≤ 12,000 rows to sum, not
-- ~200,000. The application reads it only (attendance.totals.ts).
CREATE TABLE "attendance_sheet_totals" (
	"sheet_id" integer PRIMARY KEY NOT NULL REFERENCES "attendance_sheets"("id"),
	"office_id" integer NOT NULL REFERENCES "offices"("id"),
	"month" date NOT NULL,
	"rows" integer NOT NULL,
	"days_on_rolls" integer NOT NULL,
	"present" integer NOT NULL,
	"paid_leave" integer NOT NULL,
	"offs" integer NOT NULL,
	"absence" integer NOT NULL,
	CONSTRAINT "attendance_sheet_totals_balance" CHECK ("present" + "paid_leave" + "offs" + "absence" = "days_on_rolls"),
	CONSTRAINT "attendance_sheet_totals_nonnegative" CHECK ("rows" >= 0 and "present" >= 0 and "paid_leave" >= 0 and "offs" >= 0 and "absence" >= 0)
);
--> statement-breakpoint
CREATE INDEX "attendance_sheet_totals_month_idx" ON "attendance_sheet_totals" ("month", "office_id");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attendance_sheet_totals_on_finalise() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state = 'finalised' AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM 'finalised') THEN
    INSERT INTO attendance_sheet_totals (sheet_id, office_id, month, rows, days_on_rolls, present, paid_leave, offs, absence)
    SELECT NEW.id, NEW.office_id, NEW.month, count(*)::int, coalesce(sum(days_on_rolls), 0)::int, coalesce(sum(present), 0)::int,
           coalesce(sum(paid_leave), 0)::int, coalesce(sum(offs), 0)::int, coalesce(sum(absence), 0)::int
      FROM attendance_rows WHERE sheet_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_sheets_totals AFTER INSERT OR UPDATE OF state ON attendance_sheets
  FOR EACH ROW EXECUTE FUNCTION attendance_sheet_totals_on_finalise();
--> statement-breakpoint
-- An approved revision replaces the row's figures in force: the previous approved revision of the
-- row (revision_no − 1), else the row as finalised. The sheet's totals move by the difference.
CREATE OR REPLACE FUNCTION attendance_sheet_totals_on_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  IF NEW.state = 'approved' AND OLD.state = 'pending' THEN
    SELECT coalesce(v.present, r.present) AS present, coalesce(v.paid_leave, r.paid_leave) AS paid_leave,
           coalesce(v.offs, r.offs) AS offs, coalesce(v.absence, r.absence) AS absence, r.sheet_id
      INTO p
      FROM attendance_rows r
      LEFT JOIN attendance_revision_items v ON v.row_id = r.id AND v.state = 'approved' AND v.revision_no = NEW.revision_no - 1
     WHERE r.id = NEW.row_id;
    UPDATE attendance_sheet_totals
       SET present = present + NEW.present - p.present,
           paid_leave = paid_leave + NEW.paid_leave - p.paid_leave,
           offs = offs + NEW.offs - p.offs,
           absence = absence + NEW.absence - p.absence
     WHERE sheet_id = p.sheet_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_revision_items_totals AFTER UPDATE OF state ON attendance_revision_items
  FOR EACH ROW EXECUTE FUNCTION attendance_sheet_totals_on_revision();
--> statement-breakpoint
-- The sheets finalised before this migration, from their effective figures.
INSERT INTO attendance_sheet_totals (sheet_id, office_id, month, rows, days_on_rolls, present, paid_leave, offs, absence)
SELECT s.id, s.office_id, s.month, count(ar.id)::int, coalesce(sum(ar.days_on_rolls), 0)::int,
       coalesce(sum(coalesce(v.present, ar.present)), 0)::int, coalesce(sum(coalesce(v.paid_leave, ar.paid_leave)), 0)::int,
       coalesce(sum(coalesce(v.offs, ar.offs)), 0)::int, coalesce(sum(coalesce(v.absence, ar.absence)), 0)::int
  FROM attendance_sheets s
  LEFT JOIN attendance_rows ar ON ar.sheet_id = s.id
  LEFT JOIN LATERAL (SELECT i.present, i.paid_leave, i.offs, i.absence FROM attendance_revision_items i
                      WHERE i.row_id = ar.id AND i.state = 'approved' ORDER BY i.revision_no DESC LIMIT 1) v ON true
 WHERE s.state = 'finalised'
 GROUP BY s.id, s.office_id, s.month;
