import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { effectiveAttendanceSql } from './attendance.effective.ts';

export type MonthSheetState = { officeId: number; state: 'open' | 'finalised' | null };
export type FinalisedDays = { resourceId: number; officeId: number; daysOnRolls: number; paidDays: number };

/**
 * What invoices read of attendance (spec 05, 06): the state of each office's sheet for a month
 * (null when none was opened), and the finalised rows of the given resources in that month with
 * their effective paid days (present + paid leave + weekly offs / holidays while on the rolls; the
 * latest approved revision's figures where there is one).
 */
export async function sheetStates(db: DbOrTx, officeIds: number[], first: string): Promise<MonthSheetState[]> {
  if (officeIds.length === 0) return [];
  const ids = [...new Set(officeIds)];
  const r = await db.execute<{ officeId: number; state: 'open' | 'finalised' }>(sql`
    select office_id as "officeId", state from attendance_sheets
     where month = ${first} and office_id in (${sql.join(
       ids.map((i) => sql`${i}`),
       sql`, `,
     )})`);
  const byOffice = new Map(r.rows.map((x) => [x.officeId, x.state]));
  return ids.map((officeId) => ({ officeId, state: byOffice.get(officeId) ?? null }));
}

export async function finalisedDays(db: DbOrTx, resourceIds: number[], first: string): Promise<FinalisedDays[]> {
  if (resourceIds.length === 0) return [];
  // The effective figures: a revision approved before the invoice is generated is what it bills.
  const r = await db.execute<FinalisedDays>(sql`
    select ea.resource_id as "resourceId", ea.office_id as "officeId", ea.days_on_rolls as "daysOnRolls", ea.paid_days as "paidDays"
      from ${effectiveAttendanceSql()} ea
     where ea.month = ${first}
       and ea.resource_id in (${sql.join(
         resourceIds.map((i) => sql`${i}`),
         sql`, `,
       )})
     order by ea.resource_id`);
  return r.rows.map((x) => ({ ...x, paidDays: Number(x.paidDays), daysOnRolls: Number(x.daysOnRolls) }));
}
