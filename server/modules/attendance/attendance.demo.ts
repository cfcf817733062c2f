import { sql } from 'drizzle-orm';
import { deploymentsSql } from '../resource/index.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, previousMonth, rollsInMonth } from './attendance.rules.ts';

/** Sundays (the weekly off) between two dates, both inclusive. */
export function sundaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) if (d.getUTCDay() === 0) n++;
  return n;
}

/** A plausible row: Sundays off, one day of paid leave, the rest present. */
export function demoRow(days: number, sundays: number) {
  const leave = days - sundays > 1 ? 1 : 0;
  return { daysOnRolls: days, present: days - sundays - leave, paidLeave: leave, offs: sundays, absence: 0 };
}

/**
 * Demo attendance for every office with deployed resources: last month filled and finalised,
 * the current month open with the first half of the roster saved (the rest still to do).
 */
export async function seedAttendanceDemo(tx: DbOrTx, now: Date): Promise<void> {
  const current = todayIst(now).slice(0, 7);
  const last = previousMonth(current);
  const offices = await tx.execute<{ id: number }>(
    sql`select distinct office_id as id from ${deploymentsSql()} r where office_id is not null and status in ('approved', 'relieved') order by 1`,
  );
  for (const { id: officeId } of offices.rows) {
    // The office's department manager enters and finalises (none: the rows name no one).
    const by = await tx.execute<{ id: number }>(
      sql`select user_id as id from role_assignments where role = 'department_manager' and scope_kind = 'office' and scope_id = ${officeId} and active order by id limit 1`,
    );
    const userId = by.rows[0]?.id ?? null;
    for (const month of [last, current]) {
      const b = monthBounds(month);
      const rows = await repo.roster(tx, { officeId, first: b.first, last: b.last });
      if (rows.length === 0) continue;
      const sheet = await repo.ensureSheet(tx, officeId, b.first, now);
      const fill = month === last ? rows : rows.slice(0, Math.ceil(rows.length / 2));
      for (const r of fill) {
        const rolls = rollsInMonth(month, r.joiningDate, r.relievedOn);
        if (!rolls) continue;
        await repo.insertRow(tx, sheet.id, r.resourceId, demoRow(rolls.days, sundaysBetween(rolls.from, rolls.to)), userId, now);
      }
      if (month === last) await repo.finaliseSheet(tx, sheet.id, userId, now);
    }
  }
}
