import { sql } from 'drizzle-orm';
import type { TWorkflowAction } from '../../../shared/contracts/invoice.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/files.ts';
import { makeBill, pdfForBill } from './invoice.bill.ts';
import { generateFor } from './invoice.generate.ts';
import * as repo from './invoice.repo.ts';
import { monthRange } from './invoice.rules.ts';
import * as wrepo from './invoice.workflow.repo.ts';

/**
 * Demo of the workflow (issue 17): the demo office (79) also has the two months before last
 * finalised, and the demo agency's invoices of those months stand at each desk —
 *   contract 1, month −2: returned by the department manager with remarks (the agency's worklist);
 *   contract 1, month −1: submitted, awaiting the department manager (`dm_bhopal`);
 *   contract 2, month −1: verified, awaiting the DDO (`ddo_bhopal`, whose codes reach the developer outbox);
 *   contract 2, month −2: approved, with its bill;
 *   contract 2, month −8: verified, awaiting the DDO but held by the proof gate (issue 17 item 7):
 *     the agency billed month −9 (that invoice is still a draft) and never uploaded its PF / ESI
 *     proof, so the DDO's page says so and the approval is refused.
 * Months −3 to −7 stay without sheets: the attendance tests and the journeys (attendance, the
 * money chain) fill them.
 * Last month's invoices stay drafts for the agency to submit (and the invoice journey to cancel).
 */
type Who = {
  userId: number;
  assignmentId: number;
  name: string;
  role: 'agency_admin' | 'department_manager' | 'ddo';
  scopeKind: 'agency' | 'office' | 'ddo';
  scopeId: number;
};

async function whoIs(tx: DbOrTx, role: string, scopeKind: string, scopeId: number): Promise<Who | null> {
  const r = await tx.execute<Who>(sql`
    select u.id as "userId", ra.id as "assignmentId", u.name, ra.role, ra.scope_kind as "scopeKind", ra.scope_id as "scopeId"
      from role_assignments ra join users u on u.id = ra.user_id
     where ra.role = ${role} and ra.scope_kind = ${scopeKind} and ra.scope_id = ${scopeId} and ra.active order by ra.id limit 1`);
  return r.rows[0] ?? null;
}

const prev = (month: string) => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/** A finalised sheet of `month` for the office: everyone on the rolls the whole month, Sundays off, the rest present. */
async function finaliseMonth(tx: DbOrTx, officeId: number, month: string, dmId: number, now: Date): Promise<void> {
  const { first, last, days } = monthRange(month);
  const exists = await tx.execute(sql`select 1 from attendance_sheets where office_id = ${officeId} and month = ${first}`);
  if (exists.rows.length > 0) return;
  const sheet = await tx.execute<{ id: number }>(
    sql`insert into attendance_sheets (office_id, month, state, created_at) values (${officeId}, ${first}, 'open', ${now.toISOString()}) returning id`,
  );
  const id = sheet.rows[0]!.id;
  let sundays = 0;
  for (let d = 1; d <= days; d++) if (new Date(`${month}-${String(d).padStart(2, '0')}T00:00:00Z`).getUTCDay() === 0) sundays++;
  await tx.execute(sql`
    insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence, updated_by, updated_at)
    select ${id}, r.id, ${days}, ${days - sundays}, 0, ${sundays}, 0, ${dmId}, ${now.toISOString()}
      from resources r where r.office_id = ${officeId} and r.status in ('approved', 'relieved')
       and r.joining_date <= ${first} and (r.relieved_on is null or r.relieved_on >= ${last})`);
  await tx.execute(sql`update attendance_sheets set state = 'finalised', finalised_by = ${dmId}, finalised_at = ${now.toISOString()} where id = ${id}`);
}

async function step(tx: Tx, who: Who, invoiceId: number, action: TWorkflowAction, at: Date, remarks = ''): Promise<void> {
  const ctx: Ctx = { actor: { ...who }, ip: '127.0.0.1', locale: 'en', now: at };
  const wf = await wrepo.workflowOf(tx, invoiceId);
  await wrepo.insertEvent(tx, { invoiceId, action, actorUserId: who.userId, actorRole: who.role, at, remarks });
  const stage = { submit: 'submitted', verify: 'verified', return: 'returned', approve: 'approved' }[action] as 'submitted';
  if (!wf) await wrepo.insertWorkflow(tx, { invoiceId, stage, submittedAt: at, submittedBy: who.userId, updatedAt: at });
  else
    await wrepo.updateWorkflow(tx, invoiceId, {
      stage,
      updatedAt: at,
      ...(action === 'verify' ? { verifiedAt: at, verifiedBy: who.userId } : {}),
      ...(action === 'return' ? { returnedAt: at, returnedBy: who.userId, returnRemarks: remarks } : {}),
      ...(action === 'approve' ? { approvedAt: at, approvedBy: who.userId } : {}),
    });
  await recordAudit(tx, ctx, { entity: 'invoice', entityId: invoiceId, action, after: { stage, remarks } });
}

export async function seedWorkflowDemo(tx: DbOrTx, files: FileStore, agencyCtx: Ctx, lastMonth: string, now: Date): Promise<void> {
  const agency = agencyCtx.actor;
  const [dm, ddo] = [await whoIs(tx, 'department_manager', 'office', 79), null as Who | null];
  if (!agency || !dm) return;
  const ddoCode = await tx.execute<{ id: number }>(sql`select id from ddo_codes where office_id = 79 order by id limit 1`);
  const ddoWho = ddoCode.rows[0] ? await whoIs(tx, 'ddo', 'ddo', ddoCode.rows[0].id) : ddo;
  if (!ddoWho) return;
  const agencyWho: Who = { ...agency, role: 'agency_admin', scopeKind: 'agency' };
  const m1 = prev(lastMonth);
  const m2 = prev(m1);
  const db = tx as Db;
  const made: Record<string, number> = {};
  // Generated three days ago, so the steps below (hours ago) come after the invoice's own date.
  const generatedCtx: Ctx = { ...agencyCtx, now: new Date(now.getTime() - 72 * 3_600_000) };
  for (const month of [m2, m1]) {
    await finaliseMonth(tx, 79, month, dm.userId, now);
    for (const contractId of [1, 2]) {
      try {
        made[`${contractId}:${month}`] = (await generateFor(db, generatedCtx, agency.scopeId, undefined, { contractId, month })).id;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
      }
    }
  }
  const hour = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const t = tx as Tx;
  const c1m2 = made[`1:${m2}`];
  if (c1m2) {
    await step(t, agencyWho, c1m2, 'submit', hour(30));
    await step(t, dm, c1m2, 'return', hour(28), 'Paid days of two guards do not match the attendance register; correct and resubmit.');
  }
  const c1m1 = made[`1:${m1}`];
  if (c1m1) await step(t, agencyWho, c1m1, 'submit', hour(6));
  const c2m1 = made[`2:${m1}`];
  if (c2m1) {
    await step(t, agencyWho, c2m1, 'submit', hour(26));
    await step(t, dm, c2m1, 'verify', hour(20), 'Checked against the finalised attendance.');
  }
  const c2m2 = made[`2:${m2}`];
  if (c2m2) {
    await step(t, agencyWho, c2m2, 'submit', hour(60));
    await step(t, dm, c2m2, 'verify', hour(50));
    const at = hour(40);
    const ddoCtx: Ctx = { actor: { ...ddoWho }, ip: '127.0.0.1', locale: 'en', now: at };
    const h = await repo.getHeader(tx, c2m2);
    // The demo approves without a code (no login to bind it to) and with the proof gate clear.
    const pdf = await pdfForBill(db, c2m2);
    await step(t, ddoWho, c2m2, 'approve', at);
    await makeBill(t, files, ddoCtx, h!, await repo.contractVersionOf(tx, c2m2), pdf);
  }
  // Generated last, so the invoices above keep their ids (tests and the authorisation matrix read them).
  const held = prev(prev(prev(prev(prev(prev(m2)))))); // month −8
  const unproven = prev(held); // month −9
  const ids: number[] = [];
  for (const month of [unproven, held]) {
    await finaliseMonth(tx, 79, month, dm.userId, now);
    try {
      ids.push((await generateFor(db, generatedCtx, agency.scopeId, undefined, { contractId: 2, month })).id);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  const heldId = ids[1];
  if (heldId) {
    await step(t, agencyWho, heldId, 'submit', hour(12));
    await step(t, dm, heldId, 'verify', hour(9), 'Checked against the finalised attendance.');
  }
}
