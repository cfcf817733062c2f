import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { contracts } from './contract.table.ts';

/** Contracts: what the daily job reads and marks — contracts ending soon, past their end, expired. */

// --- Alerts -------------------------------------------------------------------------------------

/** Active contracts whose in-force version ends within [today, today + days]. */
export async function endingContracts(db: DbOrTx, today: string, days: number) {
  const r = await db.execute<{
    id: number;
    contract_no: string;
    end_date: string;
    office_id: number;
    office_name_en: string;
    office_name_hi: string;
    department_id: number;
    agency_id: number;
  }>(sql`
    select c.id, c.contract_no, to_char(cv.end_date, 'YYYY-MM-DD') as end_date, c.office_id, o.name_en as office_name_en, o.name_hi as office_name_hi,
           c.department_id, c.agency_id
      from contracts c
      join contract_versions cv on cv.contract_id = c.id and cv.state = 'in_force'
      join offices o on o.id = c.office_id
     where c.status = 'active' and cv.end_date between ${today}::date and ${today}::date + ${days}::int
     order by c.id`);
  return r.rows;
}

/** Active contracts whose in-force version ended before today. */
export async function contractsPastEnd(db: DbOrTx, today: string) {
  const r = await db.execute<{ id: number; department_id: number; end_date: string }>(sql`
    select c.id, c.department_id, to_char(cv.end_date, 'YYYY-MM-DD') as end_date from contracts c
      join contract_versions cv on cv.contract_id = c.id and cv.state = 'in_force'
     where c.status = 'active' and cv.end_date < ${today}::date
     order by c.id`);
  return r.rows;
}

export async function markExpired(db: DbOrTx, id: number, now: Date) {
  const rows = await db
    .update(contracts)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(contracts.id, id), eq(contracts.status, 'active')))
    .returning({ id: contracts.id });
  return rows.length > 0;
}
