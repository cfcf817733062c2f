import { sql } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/files.ts';
import { generateFor } from './invoice.generate.ts';
import { cancelInvoice, lastMonthOver } from './invoice.service.ts';
import { seedWorkflowDemo } from './invoice.workflow.demo.ts';

/** The demo agency (login `agency_admin`, agency 1). */
const DEMO_AGENCY = 1;

/**
 * Demo invoices: the demo agency has generated the invoice of last month (finalised by the
 * attendance demo) for each of its contracts with paid days; the first was generated once before,
 * cancelled with a credit note, and generated again — so a newcomer opens an invoice at once and
 * sees a cancelled one too. Contracts the engine refuses (no finalised attendance, a wage below
 * the minimum) are left without an invoice.
 */
export async function seedInvoiceDemo(tx: DbOrTx, files: FileStore, now: Date): Promise<void> {
  const who = await tx.execute<{ userId: number; assignmentId: number; name: string }>(sql`
    select u.id as "userId", ra.id as "assignmentId", u.name
      from role_assignments ra join users u on u.id = ra.user_id
     where ra.role = 'agency_admin' and ra.scope_kind = 'agency' and ra.scope_id = ${DEMO_AGENCY} and ra.active
     order by ra.id limit 1`);
  const a = who.rows[0];
  if (!a) return;
  const ctx: Ctx = {
    actor: { userId: a.userId, name: a.name, assignmentId: a.assignmentId, role: 'agency_admin', scopeKind: 'agency', scopeId: DEMO_AGENCY },
    ip: '127.0.0.1',
    locale: 'en',
    now,
  };
  const month = lastMonthOver(todayIst(now));
  // The demo agency's contracts first, then one other agency's (an invoice outside every demo
  // user's scope below the state: the authorisation matrix's foreign invoice, id 4).
  const contracts = await tx.execute<{ id: number; agencyId: number }>(sql`
    select c.id, c.agency_id as "agencyId" from contracts c where c.status = 'active'
       and exists (select 1 from resources r where r.contract_id = c.id and r.status in ('approved', 'relieved'))
     order by c.agency_id <> ${DEMO_AGENCY}, c.id limit 6`);
  const db = tx as Db;
  let first = true;
  for (const { id, agencyId } of contracts.rows) {
    try {
      // Another agency has no demo login: its invoice is generated without an actor.
      const as = agencyId === DEMO_AGENCY ? ctx : { ...ctx, actor: null };
      const made = await generateFor(db, as, agencyId, undefined, { contractId: id, month });
      if (first && agencyId === DEMO_AGENCY) {
        await cancelInvoice(db, ctx, made.id, 'Demo: wrong month entered, issued again');
        await generateFor(db, ctx, agencyId, undefined, { contractId: id, month });
        first = false;
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  // The workflow's desks (issue 17), on the two months before: invoice.workflow.demo.ts.
  await seedWorkflowDemo(tx, files, ctx, month, now);
}
