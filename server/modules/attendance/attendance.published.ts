import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

export type MonthSheetState = { officeId: number; state: 'open' | 'finalised' | null };
export type FinalisedDays = { resourceId: number; officeId: number; daysOnRolls: number; paidDays: number };

/**
 * What invoices read of attendance (spec 05, 06): the state of each office's sheet for a month
 * (null when none was opened), and the finalised rows of the given resources in that month with
 * their paid days (present + paid leave + weekly offs / holidays while on the rolls).
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
  const r = await db.execute<FinalisedDays>(sql`
    select ar.resource_id as "resourceId", s.office_id as "officeId", ar.days_on_rolls as "daysOnRolls",
           (ar.present + ar.paid_leave + ar.offs) as "paidDays"
      from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
     where s.month = ${first} and s.state = 'finalised'
       and ar.resource_id in (${sql.join(
         resourceIds.map((i) => sql`${i}`),
         sql`, `,
       )})
     order by ar.resource_id`);
  return r.rows;
}
