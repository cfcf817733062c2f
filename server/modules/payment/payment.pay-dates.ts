import type { TPayDate } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { creditInvoiceAccess } from './payment.policy.ts';
import * as repo from './payment.repo.ts';
import { daysBetween, wageDueDate } from './payment.rules.ts';

// --- Pay dates ------------------------------------------------------------------------------------

/**
 * Every reachable invoice with its dates and the wage due date (7th, or 10th for an agency with
 * ≥ 1,000 workers on its rolls, of the month after the wage month). Breached: the workers were
 * wholly credited after the due date, or are not yet and the due date has passed.
 */
export async function payDates(db: Db, ctx: Ctx, breachedOnly: boolean): Promise<{ items: TPayDate[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  const today = todayIst(ctx.now);
  const rows = await repo.payDates(db, sourceCondition(reach, creditInvoiceAccess));
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  const items = rows.map((r) => {
    const due = wageDueDate(r.month, r.workers);
    const creditedOn = r.all_credited ? r.credited_on : null;
    const until = creditedOn ?? today;
    const daysLate = Math.max(0, daysBetween(due, until));
    return {
      invoiceId: r.invoice_id,
      invoiceNo: r.invoice_no,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      month: r.month,
      workersOnRolls: r.workers,
      dueDate: due,
      invoiceDate: r.invoice_date,
      submittedAt: iso(r.submitted_at),
      approvedAt: iso(r.approved_at),
      billedAt: iso(r.billed_at),
      paidAt: iso(r.paid_at),
      creditedOn,
      daysLate,
      breached: daysLate > 0,
    };
  });
  return { items: breachedOnly ? items.filter((i) => i.breached) : items };
}
