-- The attendance overview's deadline (issue 15 item 7): the day of the next month by which an
-- office-month must be finalised. One statewide row kept by Finance; no row means the default, the 5th.
CREATE TABLE "attendance_settings" (
  "id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
  "deadline_day" integer DEFAULT 5 NOT NULL,
  "updated_by" integer REFERENCES "users"("id"),
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "attendance_settings_one_row" CHECK ("id" = 1),
  CONSTRAINT "attendance_settings_deadline_day" CHECK ("deadline_day" between 1 and 28)
);
