import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/**
 * What the invoices billed for statutory contributions, for the statutory-proof module (issue 17
 * item 2), so that it never names this module's tables. Active invoices only (a cancelled one
 * billed nothing); `month` is the first day of the wage month.
 */

/** How many active invoices the agency has for the month (any department). */
export async function activeInvoiceCount(db: DbOrTx, agencyId: number, month: string): Promise<number> {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from invoices i where i.agency_id = ${agencyId} and i.month = ${month} and i.status = 'active'`,
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** One resource billed EPF for the month: the `EPF_ER` lines' base (the PF wage, capped when the contract caps EPF), summed over the month's invoices. */
export type BilledEpf = { resourceId: number; nameEn: string; nameHi: string; epfWagePaise: number };

export async function billedEpf(db: DbOrTx, agencyId: number, month: string): Promise<BilledEpf[]> {
  const r = await db.execute<{ resourceId: number; nameEn: string; nameHi: string; epfWagePaise: string | number }>(sql`
    select d.resource_id as "resourceId", min(d.name_en) as "nameEn", min(d.name_hi) as "nameHi", sum(l.base_paise)::bigint as "epfWagePaise"
      from invoices i
      join invoice_details d on d.invoice_id = i.id
      join invoice_lines l on l.detail_id = d.id and l.code = 'EPF_ER'
     where i.agency_id = ${agencyId} and i.month = ${month} and i.status = 'active'
     group by d.resource_id
     order by min(d.name_en), d.resource_id`);
  return r.rows.map((x) => ({ ...x, resourceId: Number(x.resourceId), epfWagePaise: Number(x.epfWagePaise) }));
}

/** ESIC billed on the month's active invoices: employer and employee lines. */
export async function billedEsic(db: DbOrTx, agencyId: number, month: string): Promise<number> {
  const r = await db.execute<{ s: string | number }>(sql`
    select coalesce(sum(l.amount_paise), 0)::bigint as s
      from invoices i join invoice_lines l on l.invoice_id = i.id
     where i.agency_id = ${agencyId} and i.month = ${month} and i.status = 'active' and l.code in ('ESIC_ER', 'ESIC_EE')`);
  return Number(r.rows[0]?.s ?? 0);
}
