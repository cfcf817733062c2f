import { createHash } from 'node:crypto';
import type { TInvoice, TInvoiceWorkflow, TWorkflowAction, TWorkflowStage } from '../../../shared/contracts/invoice.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/files.ts';
import { makeBill, type PendingPdf, pdfForBill, settleNothingPayable } from './invoice.bill.ts';
import { type ProofGateVerdict, proofGate } from './invoice.gate.ts';
import { invoiceAccess } from './invoice.policy.ts';
import * as repo from './invoice.repo.ts';
import { getInvoice } from './invoice.service.ts';
import * as wrepo from './invoice.workflow.repo.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * The invoice's way to its bill (spec 06 "Verification, approval, bill, payment", issue 17 item 1):
 * the agency submits → the department manager of the invoice's office verifies or returns it with
 * remarks → the DDO of its DDO code approves (second factor, proof gate; the bill is made in the
 * same transaction) or returns it. Every step:
 * - is found through the access layer first: another office's / DDO's / agency's invoice is 404;
 * - takes an Idempotency-Key (8–100 characters; none → 400): the same key and payload answer the
 *   same invoice without a second event, another payload under the key → 422 (bar M1). The key
 *   is looked up again after the invoice row is locked, so 20 identical requests at once make
 *   exactly one event (and one bill);
 * - keeps maker ≠ checker by user id (bar A3): whoever generated or ever submitted the invoice
 *   cannot verify or approve it, and its verifier cannot approve it;
 * - writes the event, the workflow row and the audit entry in one transaction.
 */

type Step = { action: TWorkflowAction; remarks: string; otp?: string | undefined };

/** Which stage an action starts from, and who may take it there. */
const FROM: Record<TWorkflowAction, TWorkflowStage[]> = {
  submit: ['draft', 'returned'],
  verify: ['submitted'],
  return: ['submitted', 'verified'],
  approve: ['verified'],
};

function requestHash(invoiceId: number, s: Step): string {
  // The code is not part of the request's identity: a retry may carry the same code, and a replay changes nothing.
  return createHash('sha256')
    .update(JSON.stringify({ invoiceId, action: s.action, remarks: s.remarks }))
    .digest('hex');
}

function keyOf(raw: string | undefined): string {
  const key = raw?.trim() ?? '';
  if (key.length < 8 || key.length > 100) throw new AppError('idempotency_key_required');
  return key;
}

/** May this actor take this action on an invoice of these coordinates (beyond the access layer's "may see")? */
function mayAct(actor: Actor, action: TWorkflowAction, h: repo.HeaderRow, stage: TWorkflowStage): boolean {
  if (!FROM[action].includes(stage)) return false;
  if (action === 'submit')
    return actor.scopeKind === 'agency' && actor.scopeId === h.agencyId && (actor.role === 'agency_admin' || actor.role === 'agency_operator');
  const dm = actor.role === 'department_manager' && actor.scopeKind === 'office' && actor.scopeId === h.officeId;
  const ddo = actor.role === 'ddo' && actor.scopeKind === 'ddo' && actor.scopeId === h.ddoCodeId;
  if (action === 'verify') return dm;
  if (action === 'approve') return ddo;
  return stage === 'submitted' ? dm : ddo;
}

/** The desk the action belongs to, whatever the stage: a caller at another desk gets 404, at the right desk but wrong stage 409. */
function isDesk(actor: Actor, action: TWorkflowAction, h: repo.HeaderRow): boolean {
  if (action === 'submit') return actor.scopeKind === 'agency' && actor.scopeId === h.agencyId;
  const dm = actor.role === 'department_manager' && actor.scopeKind === 'office' && actor.scopeId === h.officeId;
  const ddo = actor.role === 'ddo' && actor.scopeKind === 'ddo' && actor.scopeId === h.ddoCodeId;
  return action === 'verify' ? dm : action === 'approve' ? ddo : dm || ddo;
}

/** The actions the caller may take now (what the invoice page offers). */
export function actionsFor(actor: Actor, h: repo.HeaderRow, stage: TWorkflowStage): TWorkflowAction[] {
  if (h.status !== 'active') return [];
  return (['submit', 'verify', 'return', 'approve'] as const).filter((a) => mayAct(actor, a, h, stage));
}

const STAMP: Record<TWorkflowAction, (ctx: Ctx, userId: number, remarks: string) => Partial<wrepo.WorkflowRow>> = {
  submit: (ctx) => ({ stage: 'submitted', updatedAt: ctx.now }),
  verify: (ctx, by) => ({ stage: 'verified', verifiedAt: ctx.now, verifiedBy: by, updatedAt: ctx.now }),
  return: (ctx, by, remarks) => ({ stage: 'returned', returnedAt: ctx.now, returnedBy: by, returnRemarks: remarks, updatedAt: ctx.now }),
  approve: (ctx, by) => ({ stage: 'approved', approvedAt: ctx.now, approvedBy: by, updatedAt: ctx.now }),
};

/**
 * Takes one workflow step. Refusals (nothing written): 404 outside the caller's reach or desk;
 * 400 `idempotency_key_required`; 422 `idempotency_key_reused`; 409 `invoice_not_active` (a
 * cancelled invoice), `invoice_wrong_stage`, `invoice_proof_gate_held` (naming the proof month);
 * 403 `maker_checker`; the second factor's `step_up_required` / `otp_invalid` / `otp_expired` / `otp_not_sent`.
 */
export async function takeStep(
  db: Db,
  store: FileStore,
  ctx: Ctx,
  id: number,
  rawKey: string | undefined,
  step: Step,
): Promise<{ invoice: TInvoice; replayed: boolean }> {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, invoiceAccess, id);
  const head = await repo.getHeader(db, id);
  if (!head || !isDesk(actor, step.action, head)) throw new AppError('not_found');
  const key = keyOf(rawKey);
  const hash = requestHash(id, step);
  const replay = async (): Promise<boolean> => {
    const seen = await wrepo.eventByKey(db, actor.userId, key);
    if (!seen) return false;
    if (seen.requestHash !== hash || seen.invoiceId !== id) throw new AppError('idempotency_key_reused');
    return true;
  };
  if (await replay()) return { invoice: await getInvoice(db, ctx, id), replayed: true };
  // The stage first (checked again under the lock): a code is not asked for, nor spent, on a step that cannot be taken.
  if (head.status !== 'active') throw new AppError('invoice_not_active');
  if (!mayAct(actor, step.action, head, (await wrepo.workflowOf(db, id))?.stage ?? 'draft')) {
    // An identical request may have moved it on since the first look: then this is its replay.
    if (await replay()) return { invoice: await getInvoice(db, ctx, id), replayed: true };
    throw new AppError('invoice_wrong_stage');
  }

  // Approval: the second factor is compared before the transaction (a wrong code counts a try even
  // though the action is refused), and the PDF is rendered outside it.
  let pdf: PendingPdf | null = null;
  if (step.action === 'approve') {
    try {
      await checkStepUp(db, ctx, step.otp, key);
    } catch (e) {
      // A twin under another key (a second click) may have approved it since the first look, and
      // spent the code doing so: that is "already decided" (409), not the code's 422.
      if (!(e instanceof AppError)) throw e;
      if (await replay()) return { invoice: await getInvoice(db, ctx, id), replayed: true };
      const now = await repo.getHeader(db, id);
      if (!now || now.status !== 'active') throw new AppError('invoice_not_active');
      if (!mayAct(actor, step.action, now, (await wrepo.workflowOf(db, id))?.stage ?? 'draft')) throw new AppError('invoice_wrong_stage');
      throw e;
    }
    pdf = await pdfForBill(db, id);
  }
  let replayed = false;
  try {
    replayed = await db.transaction(async (tx) => {
      const h = await repo.getHeader(tx, id, true);
      if (!h) throw new AppError('not_found');
      // After the lock: an identical request that got here first has committed its event.
      const seen = await wrepo.eventByKey(tx, actor.userId, key);
      if (seen) {
        if (seen.requestHash !== hash || seen.invoiceId !== id) throw new AppError('idempotency_key_reused');
        return true;
      }
      if (h.status !== 'active') throw new AppError('invoice_not_active');
      const wf = await wrepo.workflowOf(tx, id);
      const stage: TWorkflowStage = wf?.stage ?? 'draft';
      if (!mayAct(actor, step.action, h, stage)) throw new AppError('invoice_wrong_stage');
      await checkMakerChecker(tx, actor, step.action, h, wf);
      if (step.action === 'approve') {
        await consumeStepUp(tx, ctx, step.otp, key);
        await passGate(tx, ctx, h);
      }
      await wrepo.insertEvent(tx, {
        invoiceId: id,
        action: step.action,
        actorUserId: actor.userId,
        actorRole: actor.role,
        at: ctx.now,
        remarks: step.remarks,
        idempotencyKey: key,
        requestHash: hash,
      });
      if (wf) await wrepo.updateWorkflow(tx, id, STAMP[step.action](ctx, actor.userId, step.remarks));
      else await wrepo.insertWorkflow(tx, { invoiceId: id, stage: 'submitted', submittedAt: ctx.now, submittedBy: actor.userId, updatedAt: ctx.now });
      let bill: { billId: number; billNo: string; netPayablePaise: number } | null = null;
      if (step.action === 'approve') bill = await makeBill(tx, store, ctx, h, await repo.contractVersionOf(tx, id), pdf!);
      await recordAudit(tx, ctx, {
        entity: 'invoice',
        entityId: id,
        action: step.action,
        before: { stage },
        after: { stage: STAMP[step.action](ctx, actor.userId, step.remarks).stage, remarks: step.remarks, ...(bill ? { bill } : {}) },
        departmentId: h.departmentId,
      });
      // A ₹0 invoice: nothing to send to the treasury — settled by this approval (invoice.bill.ts).
      if (bill && bill.netPayablePaise === 0) await settleNothingPayable(tx, ctx, h, bill);
      return false;
    });
  } catch (e) {
    // Two identical requests racing past the lock (another engine's isolation): the unique key decides.
    if (isUniqueViolation(e) && pgConstraint(e) === 'invoice_events_idem_uq' && (await replay())) replayed = true;
    else throw guardRefusal(e) ?? e;
  }
  return { invoice: await getInvoice(db, ctx, id), replayed };
}

/** Bar A3 by user id: the generator and every submitter are makers; the verifier cannot also approve. */
async function checkMakerChecker(tx: Tx, actor: Actor, action: TWorkflowAction, h: repo.HeaderRow, wf: wrepo.WorkflowRow | null): Promise<void> {
  if (action !== 'verify' && action !== 'approve') return;
  const makers = new Set<number>(await wrepo.submittersOf(tx, h.id));
  const generatedBy = await repo.generatedByOf(tx, h.id);
  if (generatedBy !== null) makers.add(generatedBy);
  if (action === 'approve' && wf?.verifiedBy != null) makers.add(wf.verifiedBy);
  if (makers.has(actor.userId)) throw new AppError('maker_checker');
}

/**
 * The proof gate (spec 06 "Statutory proof and the gate"): the invoice of month M waits for the
 * agency's PF / ESI proof of M−1. Held → refused naming the month; switched off by Finance → the
 * approval goes through and the waiver is an event of its own.
 */
async function passGate(tx: Tx, ctx: Ctx, h: repo.HeaderRow): Promise<void> {
  const verdict = await proofGate(tx, { agencyId: h.agencyId, departmentId: h.departmentId, month: h.month });
  if (verdict.held) throw new AppError('invoice_proof_gate_held', { params: { month: verdict.proofMonth } });
  if (verdict.waived) {
    const actor = actorOf(ctx);
    await wrepo.insertEvent(tx, {
      invoiceId: h.id,
      action: 'gate_waived',
      actorUserId: actor.userId,
      actorRole: actor.role,
      at: ctx.now,
      remarks: '',
      idempotencyKey: null,
      requestHash: null,
    });
  }
}

const iso = (v: Date | string | null | undefined) => (v == null ? null : new Date(v).toISOString());

/** The workflow part of the invoice answer. */
export async function workflowAnswer(db: DbOrTx, actor: Actor, h: repo.HeaderRow): Promise<TInvoiceWorkflow> {
  const [wf, events] = await readAll(db, [() => wrepo.workflowOf(db, h.id), () => wrepo.eventsOf(db, h.id)]);
  const stage: TWorkflowStage = wf?.stage ?? 'draft';
  return {
    stage,
    generatedAt: iso(h.generatedAt)!,
    submittedAt: iso(wf?.submittedAt),
    verifiedAt: iso(wf?.verifiedAt),
    returnedAt: iso(wf?.returnedAt),
    returnRemarks: wf?.returnRemarks ?? '',
    approvedAt: iso(wf?.approvedAt),
    billedAt: iso(wf?.billedAt),
    paidAt: iso(wf?.paidAt),
    creditedAt: iso(wf?.creditedAt),
    events: events.map((e) => ({ action: e.action, at: iso(e.at)!, actorName: e.actorName, actorRole: e.actorRole, remarks: e.remarks })),
    actions: actionsFor(actor, h, stage),
    gate: stage === 'verified' ? gateAnswer(await proofGate(db, { agencyId: h.agencyId, departmentId: h.departmentId, month: h.month })) : null,
  };
}

function gateAnswer(v: ProofGateVerdict): NonNullable<TInvoiceWorkflow['gate']> {
  return v.held
    ? { held: true, reason: v.reason, proofMonth: v.proofMonth.slice(0, 7), waived: false }
    : { held: false, reason: null, proofMonth: null, waived: v.waived === true };
}
