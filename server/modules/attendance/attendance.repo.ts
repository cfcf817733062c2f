import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attendanceRows, attendanceSheets } from './attendance.table.ts';
import { deploymentsSql } from '../resource/index.ts';
import { intArray } from '../../db/query.ts';

export type SheetRow = { id: number; officeId: number; month: string; state: 'open' | 'finalised'; finalisedAt: Date | string | null };

/** The sheet of an office-month, or null; `lock` takes it FOR UPDATE (finalisation). */
/** The sheets of several offices for a month (those that have one). */
export async function getSheets(db: DbOrTx, officeIds: readonly number[], first: string): Promise<SheetRow[]> {
  if (officeIds.length === 0) return [];
  const r = await db.execute<SheetRow>(sql`
    select id, office_id as "officeId", month::text as month, state, finalised_at as "finalisedAt"
      from attendance_sheets where office_id = any(${intArray(officeIds)}) and month = ${first}`);
  return r.rows.map((x) => ({ ...x, id: Number(x.id), officeId: Number(x.officeId) }));
}

export async function getSheet(db: DbOrTx, officeId: number, first: string, lock = false): Promise<SheetRow | null> {
  const r = await db.execute<SheetRow>(sql`
    select id, office_id as "officeId", month::text as month, state, finalised_at as "finalisedAt"
      from attendance_sheets where office_id = ${officeId} and month = ${first}${lock ? sql` for update` : sql``}`);
  return r.rows[0] ?? null;
}

/**
 * The sheets of several offices for a month, each made open when there is none yet: one insert and
 * one read however many offices (an upload's department file names ~130; one insert and one read
 * each held PGlite's only connection for 0.4–1.1 s — bar S5). The offices are inserted in id
 * order, so two uploads sharing offices take the unique index's locks in the same order.
 */
export async function ensureSheets(db: DbOrTx, officeIds: readonly number[], first: string, now: Date): Promise<SheetRow[]> {
  const ids = [...new Set(officeIds)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  await db
    .insert(attendanceSheets)
    .values(ids.map((officeId) => ({ officeId, month: first, createdAt: now })))
    .onConflictDoNothing();
  return getSheets(db, ids, first);
}

/** The sheet of an office-month, made open when there is none yet. */
export async function ensureSheet(db: DbOrTx, officeId: number, first: string, now: Date): Promise<SheetRow> {
  await db.insert(attendanceSheets).values({ officeId, month: first, createdAt: now }).onConflictDoNothing();
  return (await getSheet(db, officeId, first))!;
}

export async function finaliseSheet(db: DbOrTx, id: number, userId: number | null, now: Date): Promise<void> {
  await db.execute(sql`update attendance_sheets set state = 'finalised', finalised_by = ${userId}, finalised_at = ${now.toISOString()} where id = ${id}`);
}

export type OfficeName = { id: number; nameEn: string; nameHi: string; departmentId: number };

export async function officeName(db: DbOrTx, officeId: number): Promise<OfficeName | null> {
  const r = await db.execute<OfficeName>(
    sql`select id, name_en as "nameEn", name_hi as "nameHi", department_id as "departmentId" from offices where id = ${officeId}`,
  );
  return r.rows[0] ?? null;
}

/** One resource of an office-month's roster with its saved row (nulls when never saved). */
export type RosterRow = {
  resourceId: number;
  officeId: number;
  nameEn: string;
  nameHi: string;
  agencyId: number;
  postNameEn: string;
  postNameHi: string;
  joiningDate: string;
  relievedOn: string | null;
  rowId: number | null;
  daysOnRolls: number | null;
  present: number | null;
  paidLeave: number | null;
  offs: number | null;
  absence: number | null;
  version: number | null;
  /** The latest approved revision of the row (null: none), and whether one awaits the DDO. */
  revisionNo: number | null;
  revPresent: number | null;
  revPaidLeave: number | null;
  revOffs: number | null;
  revAbsence: number | null;
  revisionPending: boolean;
};

/**
 * The roster of an office-month: every resource deployed at the office (approved, or relieved)
 * who was on the rolls on some day of the month — joined on or before its last day, not relieved
 * before its first — and every resource that already has a row in the sheet. `savedOnly` keeps
 * only saved rows (a finalised month is exactly what was finalised); `agencyId` one agency's.
 * In name order, so that row numbers are stable for messages.
 */
export async function roster(
  db: DbOrTx,
  p: { officeId: number; first: string; last: string; savedOnly?: boolean; agencyId?: number; resourceIds?: number[] },
): Promise<RosterRow[]> {
  const conds: SQL[] = [
    p.savedOnly
      ? sql`ar.id is not null`
      : sql`(ar.id is not null or (r.status in ('approved', 'relieved') and r.joining_date <= ${p.last} and (r.relieved_on is null or r.relieved_on >= ${p.first})))`,
  ];
  if (p.agencyId !== undefined) conds.push(sql`r.agency_id = ${p.agencyId}`);
  if (p.resourceIds)
    conds.push(
      p.resourceIds.length
        ? sql`r.id in (${sql.join(
            p.resourceIds.map((i) => sql`${i}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  const r = await db.execute<RosterRow>(sql`
    select r.id as "resourceId", r.office_id as "officeId", r.name_en as "nameEn", r.name_hi as "nameHi", r.agency_id as "agencyId",
           pn.name_en as "postNameEn", pn.name_hi as "postNameHi",
           r.joining_date::text as "joiningDate", r.relieved_on::text as "relievedOn",
           ar.id as "rowId", ar.days_on_rolls as "daysOnRolls", ar.present, ar.paid_leave as "paidLeave", ar.offs, ar.absence, ar.version,
           rv.revision_no as "revisionNo", rv.present as "revPresent", rv.paid_leave as "revPaidLeave", rv.offs as "revOffs", rv.absence as "revAbsence",
           exists (select 1 from attendance_revision_items pi where pi.row_id = ar.id and pi.state = 'pending') as "revisionPending"
      from ${deploymentsSql()} r
      join post_names pn on pn.id = r.post_name_id
      left join attendance_sheets s on s.office_id = r.office_id and s.month = ${p.first}
      left join attendance_rows ar on ar.sheet_id = s.id and ar.resource_id = r.id
      left join lateral (select i.revision_no, i.present, i.paid_leave, i.offs, i.absence from attendance_revision_items i
                          where i.row_id = ar.id and i.state = 'approved' order by i.revision_no desc limit 1) rv on true
     where r.office_id = ${p.officeId} and r.joining_date is not null and ${sql.join(conds, sql` and `)}
     order by coalesce(nullif(r.name_en, ''), r.name_hi), r.id`);
  return r.rows.map((x) => ({ ...x, resourceId: Number(x.resourceId), officeId: Number(x.officeId), agencyId: Number(x.agencyId) }));
}

/** What an upload checks a row against: a resource of the roster with its saved row's version (null: never saved). */
export type UploadRosterRow = {
  resourceId: number;
  officeId: number;
  nameEn: string;
  nameHi: string;
  joiningDate: string;
  relievedOn: string | null;
  version: number | null;
};

/**
 * The rosters of several offices for a month in one statement (an upload's offices; a department
 * file names ~150): the same resources as `roster` — on the rolls some day of the month, or with a
 * saved row in it — with only what the check needs. The saved rows are found through the month's
 * sheets of those offices and the rows' `(sheet_id, resource_id)` index: joined from the resources
 * side, the planner hashed all of `attendance_rows` (~0.5 s at 780,000 rows against 38 ms; bar S3).
 */
export async function uploadRosters(db: DbOrTx, p: { officeIds: readonly number[]; first: string; last: string }): Promise<UploadRosterRow[]> {
  if (p.officeIds.length === 0) return [];
  const ids = `{${p.officeIds.join(',')}}`;
  const r = await db.execute<UploadRosterRow>(sql`
    with saved as (
      select ar.resource_id, ar.id, ar.version
        from attendance_sheets s join attendance_rows ar on ar.sheet_id = s.id
       where s.office_id = any(${ids}::int[]) and s.month = ${p.first})
    select r.id as "resourceId", r.office_id as "officeId", r.name_en as "nameEn", r.name_hi as "nameHi",
           r.joining_date::text as "joiningDate", r.relieved_on::text as "relievedOn", sv.version
      from ${deploymentsSql()} r
      left join saved sv on sv.resource_id = r.id
     where r.office_id = any(${ids}::int[]) and r.joining_date is not null
       and (sv.id is not null or (r.status in ('approved', 'relieved') and r.joining_date <= ${p.last} and (r.relieved_on is null or r.relieved_on >= ${p.first})))`);
  return r.rows.map((x) => ({
    ...x,
    resourceId: Number(x.resourceId),
    officeId: Number(x.officeId),
    version: x.version === null ? null : Number(x.version),
  }));
}

export type RowValues = { daysOnRolls: number; present: number; paidLeave: number; offs: number; absence: number };

/** A first save of a row: inserted, or null when another save got there first (a conflict). */
export async function insertRow(db: DbOrTx, sheetId: number, resourceId: number, v: RowValues, userId: number | null, now: Date) {
  const [row] = await db
    .insert(attendanceRows)
    .values({ sheetId, resourceId, ...v, version: 1, updatedBy: userId, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: attendanceRows.id, version: attendanceRows.version });
  return row ?? null;
}

/** A later save: updated only if the row is still at the version the clerk read; null otherwise (a conflict). */
export async function updateRow(db: DbOrTx, sheetId: number, resourceId: number, version: number, v: RowValues, userId: number, now: Date) {
  const r = await db.execute<{ id: number; version: number }>(sql`
    update attendance_rows
       set days_on_rolls = ${v.daysOnRolls}, present = ${v.present}, paid_leave = ${v.paidLeave}, offs = ${v.offs}, absence = ${v.absence},
           version = version + 1, updated_by = ${userId}, updated_at = ${now.toISOString()}
     where sheet_id = ${sheetId} and resource_id = ${resourceId} and version = ${version}
     returning id, version`);
  return r.rows[0] ?? null;
}

export type RowWrite = { sheetId: number; resourceId: number; version: number | null; values: RowValues };

/**
 * Many saves in two statements (an upload: bar S3): first saves inserted, later saves updated at
 * the version read, each from one JSON recordset. Returns the rows written ({ resourceId, id,
 * version }); fewer than given means another save got to some first (the caller refuses the lot).
 */
export async function writeRows(db: DbOrTx, rows: readonly RowWrite[], userId: number, now: Date) {
  const at = now.toISOString();
  const json = (xs: readonly RowWrite[]) =>
    JSON.stringify(
      xs.map((r) => ({
        sheet_id: r.sheetId,
        resource_id: r.resourceId,
        version: r.version,
        days_on_rolls: r.values.daysOnRolls,
        present: r.values.present,
        paid_leave: r.values.paidLeave,
        offs: r.values.offs,
        absence: r.values.absence,
      })),
    );
  // In (sheet, resource) order: two uploads of the same rows at once take their locks in one order (no deadlock).
  const sorted = [...rows].sort((a, b) => a.sheetId - b.sheetId || a.resourceId - b.resourceId);
  const fresh = sorted.filter((r) => r.version === null);
  const later = sorted.filter((r) => r.version !== null);
  const out: { resourceId: number; id: number; version: number }[] = [];
  const cols = sql`sheet_id int, resource_id int, version int, days_on_rolls int, present int, paid_leave int, offs int, absence int`;
  if (fresh.length > 0) {
    const r = await db.execute<{ resourceId: number; id: number; version: number }>(sql`
      insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence, version, updated_by, updated_at)
      select x.sheet_id, x.resource_id, x.days_on_rolls, x.present, x.paid_leave, x.offs, x.absence, 1, ${userId}, ${at}::timestamptz
        from json_to_recordset(${json(fresh)}::json) as x(${cols})
      on conflict do nothing
      returning resource_id as "resourceId", id, version`);
    out.push(...r.rows);
  }
  if (later.length > 0) {
    const r = await db.execute<{ resourceId: number; id: number; version: number }>(sql`
      update attendance_rows a
         set days_on_rolls = x.days_on_rolls, present = x.present, paid_leave = x.paid_leave, offs = x.offs, absence = x.absence,
             version = a.version + 1, updated_by = ${userId}, updated_at = ${at}::timestamptz
        from json_to_recordset(${json(later)}::json) as x(${cols})
       where a.sheet_id = x.sheet_id and a.resource_id = x.resource_id and a.version = x.version
      returning a.resource_id as "resourceId", a.id, a.version`);
    out.push(...r.rows);
  }
  return out.map((r) => ({ resourceId: Number(r.resourceId), id: Number(r.id), version: Number(r.version) }));
}

/** Offices where resources are (or were) deployed, within a list condition on `o` (the access layer's office alias). */
export async function officesWithResources(db: DbOrTx, where: SQL, agencyId?: number) {
  const r = await db.execute<{ officeId: number; nameEn: string; nameHi: string }>(sql`
    select o.id as "officeId", o.name_en as "nameEn", o.name_hi as "nameHi"
      from offices o
     where ${where}
       and exists (select 1 from ${deploymentsSql()} r where r.office_id = o.id and r.status in ('approved', 'relieved')
                   ${agencyId === undefined ? sql`` : sql`and r.agency_id = ${agencyId}`})
     order by o.name_en, o.id
     limit 500`);
  return r.rows;
}

/** Removes a row of an open sheet (the database refuses it for a finalised one); its id, or null when there was none. */
export async function deleteRow(db: DbOrTx, sheetId: number, resourceId: number): Promise<number | null> {
  const r = await db.execute<{ id: number }>(sql`delete from attendance_rows where sheet_id = ${sheetId} and resource_id = ${resourceId} returning id`);
  return r.rows[0]?.id ?? null;
}
