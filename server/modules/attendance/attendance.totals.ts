import { sql } from 'drizzle-orm';
import type { TTotals, TTotalsMonth, TTotalsQuery } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { officeAccess } from '../org/index.ts';
import { previousMonth } from './attendance.rules.ts';

/**
 * The attendance dashboard (bar S4): per month, the finalised office-months within the reader's
 * offices and the days they hold — on the rolls, present, paid leave, offs and holidays, unpaid
 * absence, paid — as corrected by approved revisions. Read from the maintained per-sheet totals
 * (migration 0033, kept by the database), never from the rows, so 24 months statewide sum at most
 * 24 × 12,000 rows. The same readers as the overview (the access layer's office source); DDOs and
 * agencies are refused. Months with nothing finalised are listed with zeros, oldest first.
 */
export async function monthlyTotals(db: Db, ctx: Ctx, q: TTotalsQuery): Promise<TTotals> {
  const actor = actorOf(ctx);
  if (actor.scopeKind === 'agency' || actor.scopeKind === 'ddo') throw new AppError('forbidden');
  const to = q.to ?? previousMonth(todayIst(ctx.now).slice(0, 7));
  const count = q.months ?? 24;
  const months: string[] = [to];
  while (months.length < count) months.unshift(previousMonth(months[0]!));
  const from = months[0]!;
  const conds = [sourceCondition(await reachOf(db, actor), officeAccess)];
  if (q.departmentId !== undefined) conds.push(sql`o.department_id = ${q.departmentId}`);
  const r = await db.execute<Record<keyof TTotalsMonth, string | number>>(sql`
    select to_char(t.month, 'YYYY-MM') as month, count(*)::int as sheets, sum(t.rows)::int as rows,
           sum(t.days_on_rolls)::int as "daysOnRolls", sum(t.present)::int as present, sum(t.paid_leave)::int as "paidLeave",
           sum(t.offs)::int as offs, sum(t.absence)::int as absence
      from attendance_sheet_totals t join offices o on o.id = t.office_id
     where t.month between ${`${from}-01`} and ${`${to}-01`} and ${sql.join(conds, sql` and `)}
     group by t.month`);
  const byMonth = new Map(r.rows.map((x) => [String(x.month), x]));
  return {
    from,
    to,
    months: months.map((month) => {
      const x = byMonth.get(month);
      const n = (k: keyof TTotalsMonth) => (x ? Number(x[k]) : 0);
      return {
        month,
        sheets: n('sheets'),
        rows: n('rows'),
        daysOnRolls: n('daysOnRolls'),
        present: n('present'),
        paidLeave: n('paidLeave'),
        offs: n('offs'),
        absence: n('absence'),
        paidDays: n('present') + n('paidLeave') + n('offs'),
      };
    }),
  };
}
