import { sql, type SQL } from 'drizzle-orm';

/**
 * The published relation of finalised attendance for invoices (issue 15 item 6): one row per
 * resource and office-month of a finalised sheet, with the month's **effective** figures — those
 * of the row's latest approved revision, else the figures finalised.
 *
 * Columns: `row_id`, `resource_id`, `office_id`, `month` (date, the first day), `days_on_rolls`,
 * `present`, `paid_leave`, `offs` (weekly offs and holidays), `absent` (unpaid), `paid_days`
 * (present + paid leave + offs, spec 06 step 1), `revision_no` (0: as finalised), `revised_at`
 * (null: as finalised). Use it as a subquery: `select … from ${effectiveAttendanceSql()} ea where …`.
 */
export function effectiveAttendanceSql(): SQL {
  return sql`(select ar.id as row_id, ar.resource_id, s.office_id, s.month, ar.days_on_rolls,
        coalesce(v.present, ar.present) as present,
        coalesce(v.paid_leave, ar.paid_leave) as paid_leave,
        coalesce(v.offs, ar.offs) as offs,
        coalesce(v.absence, ar.absence) as absent,
        coalesce(v.present, ar.present) + coalesce(v.paid_leave, ar.paid_leave) + coalesce(v.offs, ar.offs) as paid_days,
        coalesce(v.revision_no, 0) as revision_no,
        v.approved_at as revised_at
   from attendance_rows ar
   join attendance_sheets s on s.id = ar.sheet_id and s.state = 'finalised'
   left join lateral (select i.present, i.paid_leave, i.offs, i.absence, i.revision_no, i.approved_at
                        from attendance_revision_items i
                       where i.row_id = ar.id and i.state = 'approved'
                       order by i.revision_no desc limit 1) v on true)`;
}

/**
 * Revisions approved after `since` (exclusive), one row each, for arrears and recoveries: an
 * invoice generated before `revised_at` billed `previous_paid_days` (or an earlier revision's);
 * the difference `paid_days - previous_paid_days` is to be paid (arrear, > 0) or recovered (< 0).
 *
 * Columns: `revision_id`, `row_id`, `resource_id`, `office_id`, `month` (date), `revision_no`,
 * `revised_at`, `previous_paid_days` (the figures it replaced: the previous revision, else the
 * finalised row), `paid_days`, `present`, `paid_leave`, `offs`, `absent`. Ordered by nothing:
 * add `order by revised_at, revision_id` outside.
 */
export function approvedRevisionsSinceSql(since: Date): SQL {
  return sql`(select i.id as revision_id, i.row_id, i.resource_id, s.office_id, s.month, i.revision_no, i.approved_at as revised_at,
        coalesce(p.present + p.paid_leave + p.offs, ar.present + ar.paid_leave + ar.offs) as previous_paid_days,
        i.present + i.paid_leave + i.offs as paid_days,
        i.present, i.paid_leave, i.offs, i.absence as absent
   from attendance_revision_items i
   join attendance_rows ar on ar.id = i.row_id
   join attendance_sheets s on s.id = ar.sheet_id
   left join attendance_revision_items p on p.row_id = i.row_id and p.revision_no = i.revision_no - 1
  where i.state = 'approved' and i.approved_at > ${since.toISOString()})`;
}
