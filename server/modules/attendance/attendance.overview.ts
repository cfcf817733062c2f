import { type SQL, sql } from 'drizzle-orm';
import {
  DEFAULT_DEADLINE_DAY,
  OVERVIEW_LIMIT,
  type TDeadlineSetting,
  type TDeadlineUpdate,
  type TOverview,
  type TOverviewCounts,
  type TOverviewDepartment,
  type TOverviewOffice,
  type TOverviewQuery,
} from '../../../shared/contracts/attendance.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobSpec } from '../../platform/jobs/jobs.ts';
import { claimAlert } from '../../platform/outbox/alerts.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { officeAccess } from '../org/index.ts';
import { deploymentsSql } from '../resource/index.ts';
import { officeManagers } from '../users/index.ts';
import { deadlineOf, monthBounds, monthsPastDeadline, overviewStatus, previousMonth } from './attendance.rules.ts';

/**
 * The attendance overview (issue 15 item 7): for a month, every office-month with resources on
 * the rolls — finalised, pending (sheet open or not begun, deadline not passed) or overdue (not
 * finalised after the deadline) — with counts per department; and the daily reminder of overdue
 * office-months to their department managers through the outbox.
 *
 * The deadline is one statewide setting kept by Finance (`attendance_settings`, migration 0028):
 * the day of the next month (1–28) after which a month not finalised is overdue; no row means
 * the default, the 5th. Changing it is audited.
 */

const SYSTEM = { actor: null, ip: '' };

type OfficeMonthRow = {
  officeId: number;
  nameEn: string;
  nameHi: string;
  departmentId: number;
  departmentNameEn: string;
  departmentNameHi: string;
  resources: number;
  saved: number;
  sheet: 'none' | 'open' | 'finalised';
};

/**
 * Every office-month of `first`…`last` with a resource on the rolls on some day of it (deployed
 * at the office, approved or relieved, joined by the last day, not relieved before the first) or
 * with saved rows, and its sheet's state — limited by `where` over the office (`o`).
 */
async function officeMonths(db: DbOrTx, first: string, last: string, where: SQL): Promise<OfficeMonthRow[]> {
  const r = await db.execute<OfficeMonthRow>(sql`
    with dep as (
      select r.office_id, count(*)::int as resources from ${deploymentsSql()} r
       where r.office_id is not null and r.status in ('approved', 'relieved')
         and r.joining_date <= ${last} and (r.relieved_on is null or r.relieved_on >= ${first})
       group by r.office_id),
    sh as (
      select s.office_id, s.state, (select count(*)::int from attendance_rows ar where ar.sheet_id = s.id) as saved
        from attendance_sheets s where s.month = ${first}),
    om as (
      select coalesce(dep.office_id, sh.office_id) as office_id, coalesce(dep.resources, 0) as resources,
             coalesce(sh.saved, 0) as saved, coalesce(sh.state, 'none') as sheet
        from dep full join sh on sh.office_id = dep.office_id
       where dep.office_id is not null or sh.saved > 0)
    select o.id as "officeId", o.name_en as "nameEn", o.name_hi as "nameHi", o.department_id as "departmentId",
           d.name_en as "departmentNameEn", d.name_hi as "departmentNameHi", om.resources, om.saved, om.sheet
      from om join offices o on o.id = om.office_id join departments d on d.id = o.department_id
     where ${where}
     order by d.name_en, o.name_en, o.id`);
  return r.rows.map((x) => ({
    ...x,
    officeId: Number(x.officeId),
    departmentId: Number(x.departmentId),
    resources: Number(x.resources),
    saved: Number(x.saved),
  }));
}

/** The deadline day in force (the default when Finance has not set one). */
export async function deadlineDay(db: DbOrTx): Promise<number> {
  const r = await db.execute<{ day: number }>(sql`select deadline_day as day from attendance_settings where id = 1`);
  return r.rows[0] ? Number(r.rows[0].day) : DEFAULT_DEADLINE_DAY;
}

const zero = (): TOverviewCounts => ({ offices: 0, finalised: 0, pending: 0, overdue: 0 });

/**
 * The overview for the actor: the office-months within its offices (the access layer's office
 * source: Finance and state-wide readers every office, a department's office admin or auditor
 * its department's, a HOD its HOD's, a department manager its office). DDOs and agencies have no
 * permission. Overdue office-months come first in `offices`; the counts are of every status.
 */
export async function overview(db: Db, ctx: Ctx, q: TOverviewQuery): Promise<TOverview> {
  const actor = actorOf(ctx);
  if (actor.scopeKind === 'agency' || actor.scopeKind === 'ddo') throw new AppError('forbidden');
  const today = todayIst(ctx.now);
  const month = q.month ?? previousMonth(today.slice(0, 7));
  const { first, last } = monthBounds(month);
  if (first > today) throw new AppError('attendance_month_future');
  const day = await deadlineDay(db);
  const deadline = deadlineOf(month, day);
  const conds = [sourceCondition(await reachOf(db, actor), officeAccess)];
  if (q.departmentId !== undefined) conds.push(sql`o.department_id = ${q.departmentId}`);
  const rows = await officeMonths(db, first, last, sql.join(conds, sql` and `));

  const totals = zero();
  const byDept = new Map<number, TOverviewDepartment>();
  const offices: TOverviewOffice[] = [];
  for (const r of rows) {
    const status = overviewStatus(r.sheet, today, deadline);
    let d = byDept.get(r.departmentId);
    if (!d) {
      d = { departmentId: r.departmentId, nameEn: r.departmentNameEn, nameHi: r.departmentNameHi, ...zero() };
      byDept.set(r.departmentId, d);
    }
    for (const c of [totals, d]) {
      c.offices += 1;
      c[status] += 1;
    }
    if (q.overdueOnly === 'true' && status !== 'overdue') continue;
    offices.push({
      officeId: r.officeId,
      nameEn: r.nameEn,
      nameHi: r.nameHi,
      departmentId: r.departmentId,
      resources: r.resources,
      saved: r.saved,
      sheet: r.sheet,
      status,
    });
  }
  const rank = { overdue: 0, pending: 1, finalised: 2 } as const;
  offices.sort((a, b) => rank[a.status] - rank[b.status]);
  return {
    month,
    deadline,
    deadlineDay: day,
    totals,
    departments: [...byDept.values()],
    offices: offices.slice(0, OVERVIEW_LIMIT),
    more: offices.length > OVERVIEW_LIMIT,
  };
}

export async function getDeadline(db: DbOrTx): Promise<TDeadlineSetting> {
  const r = await db.execute<{ day: number; at: Date | string; by: string | null }>(sql`
    select s.deadline_day as day, s.updated_at as at, u.name as by from attendance_settings s left join users u on u.id = s.updated_by where s.id = 1`);
  const row = r.rows[0];
  if (!row) return { deadlineDay: DEFAULT_DEADLINE_DAY, updatedAt: null, updatedBy: null };
  return { deadlineDay: Number(row.day), updatedAt: new Date(row.at).toISOString(), updatedBy: row.by };
}

/** Finance sets the deadline day (1–28, checked by the contract and a CHECK); audited with before and after. */
export async function setDeadline(db: Db, ctx: Ctx, body: TDeadlineUpdate): Promise<TDeadlineSetting> {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'state') throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    // One change at a time, even before the row exists (FOR UPDATE locks nothing then): each audit entry's
    // "before" is what the change before it wrote.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('attendance-deadline'))`);
    const before = await tx.execute<{ day: number }>(sql`select deadline_day as day from attendance_settings where id = 1 for update`);
    const was = before.rows[0] ? Number(before.rows[0].day) : DEFAULT_DEADLINE_DAY;
    await tx.execute(sql`
      insert into attendance_settings (id, deadline_day, updated_by, updated_at) values (1, ${body.deadlineDay}, ${actor.userId}, ${ctx.now.toISOString()})
      on conflict (id) do update set deadline_day = excluded.deadline_day, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
    await recordAudit(tx, ctx, {
      entity: 'attendance_settings',
      entityId: 1,
      action: 'update',
      before: { deadlineDay: was },
      after: { deadlineDay: body.deadlineDay },
    });
  });
  return getDeadline(db);
}

/** "November 2026" / "नवंबर 2026" for a message. */
function monthName(month: string, locale: TLocale): string {
  return new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

/**
 * Reminders of overdue office-months: for each month whose deadline has passed (the latest and up
 * to eleven before it, none before April 2026) and each office-month of it not finalised, one SMS
 * (and one e-mail where the assignment has an official e-mail) to every department manager of the
 * office, in the manager's language. At most once per office-month per day (IST): the reminder is
 * claimed in `sent_alerts` (kind `attendance_overdue_<month>`, the office, today) in the same
 * transaction as its outbox rows and audit entry, so a second run the same day — or a second
 * instance running at the same moment — sends nothing. An office without a department manager is
 * skipped (nothing claimed). Returns how many office-months were reminded.
 */
export async function sendOverdueReminders(db: Db, now: Date): Promise<number> {
  const today = todayIst(now);
  const day = await deadlineDay(db);
  let n = 0;
  for (const month of monthsPastDeadline(today, day)) {
    const { first, last } = monthBounds(month);
    const deadline = deadlineOf(month, day);
    for (const o of await officeMonths(db, first, last, sql`true`)) {
      if (o.sheet === 'finalised') continue;
      const sent = await db.transaction(async (tx) => {
        // Finalised meanwhile: no reminder (read under the sheet's lock, which finalisation takes).
        const s = await tx.execute<{ state: string }>(sql`select state from attendance_sheets where office_id = ${o.officeId} and month = ${first} for share`);
        if (s.rows[0]?.state === 'finalised') return false;
        const managers = await officeManagers(tx, o.officeId);
        if (managers.length === 0) return false;
        if (!(await claimAlert(tx, { kind: `attendance_overdue_${month}`, entity: 'office', entityId: o.officeId, aboutDate: today, at: now }))) return false;
        const params = (locale: TLocale) => ({
          office: `${locale === 'hi' ? o.nameHi : o.nameEn} (${o.officeId})`,
          month: monthName(month, locale),
          deadline: formatDate(deadline),
          resources: o.resources,
        });
        for (const m of managers) {
          await enqueueMessage(tx, { channel: 'sms', recipient: m.mobile, template: 'attendance.reminder.sms', params: params(m.locale), locale: m.locale });
          if (m.officialEmail)
            await enqueueMessage(tx, {
              channel: 'email',
              recipient: m.officialEmail,
              template: 'attendance.reminder.email',
              params: params(m.locale),
              locale: m.locale,
            });
        }
        await recordAudit(tx, SYSTEM, {
          entity: 'office',
          entityId: o.officeId,
          action: 'alert_sent',
          departmentId: o.departmentId,
          after: { kind: 'attendance_overdue', month, deadline, managers: managers.length },
        });
        return true;
      });
      if (sent) n += 1;
    }
  }
  return n;
}

/**
 * The reminders as a scheduled job: one run per 6-hour slot across all instances (claimed in
 * `job_runs`, server/platform/jobs/jobs.ts); each office-month is reminded at most once a day
 * whatever the slots (claimed in `sent_alerts`).
 */
export const overdueRemindersJob: JobSpec = {
  name: 'attendance.overdue_reminders',
  everyMs: 6 * 3600_000,
  run: ({ db, now }) => sendOverdueReminders(db, now),
};
