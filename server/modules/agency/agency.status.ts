import type { TAgencyBadge, TStatusAction } from '../../../shared/contracts/agency.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { claimAlert } from '../../platform/outbox/alerts.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { agencyAccess } from './agency.policy.ts';
import * as repo from './agency.repo.ts';
import { alertHorizon, canMove, contractability, licenceAlert, roleMayMove, STATUS_MOVES, type TContractability } from './agency.rules.ts';
import { agencyLocale, agencyOut, alertFor } from './agency.view.ts';

/**
 * An agency's standing: the status moves (verify, reject, suspend, blacklist, reinstate), what
 * other modules ask of it (may it get a contract, its badge on contract pages) and the daily
 * licence-expiry alerts.
 */

export type StatusBody = { remark?: string; reason?: string; orderRef?: string; periodFrom?: string; periodTo?: string };

/**
 * verify / reject (pending), suspend / blacklist (verified; blacklist also from suspended),
 * reinstate (Finance only). The move is a conditional UPDATE … WHERE status = the status read
 * RETURNING: a double click moves once, the second click gets 409 agency_status_conflict.
 * Each move writes a status event, an audit entry and an SMS to the agency.
 */
export async function moveStatus(db: Db, ctx: Ctx, id: number, action: TStatusAction, body: StatusBody) {
  const actor = actorOf(ctx);
  if (!roleMayMove(action, actor.role)) throw new AppError('forbidden');
  await requireRecord(db, actor, agencyAccess, id);
  const current = await repo.getAgencyRow(db, id);
  if (!current) throw new AppError('not_found');
  if (!canMove(action, current.status)) throw new AppError('agency_status_conflict');
  const to = STATUS_MOVES[action].to;
  const sanction = action === 'suspend' || action === 'blacklist';
  await db.transaction(async (tx) => {
    const moved = await repo.moveStatus(tx, id, [current.status], {
      status: to,
      statusReason: body.reason ?? body.remark ?? '',
      statusOrderRef: sanction ? (body.orderRef ?? '') : '',
      statusFrom: sanction ? (body.periodFrom ?? null) : null,
      statusTo: sanction ? (body.periodTo ?? null) : null,
      updatedAt: ctx.now,
      ...(action === 'verify' ? { verifiedBy: actor.userId, verifiedAt: ctx.now } : {}),
    });
    if (!moved) throw new AppError('agency_status_conflict');
    const event = {
      reason: body.reason ?? body.remark ?? '',
      orderRef: sanction ? (body.orderRef ?? '') : '',
      periodFrom: sanction ? (body.periodFrom ?? null) : null,
      periodTo: sanction ? (body.periodTo ?? null) : null,
    };
    await repo.insertStatusEvent(tx, { agencyId: id, fromStatus: current.status, toStatus: to, ...event, byUser: actor.userId, at: ctx.now });
    await recordAudit(tx, ctx, {
      entity: 'agency',
      entityId: id,
      action: `status_${action === 'reinstate' ? 'reinstated' : to}`,
      before: { status: current.status },
      after: { status: to, ...event },
    });
    await enqueueMessage(tx, {
      channel: 'sms',
      recipient: current.mobile,
      template: `agency.sms.status_${action}`,
      params: { name: current.legalName, reason: event.reason, orderRef: event.orderRef, from: event.periodFrom ?? '', to: event.periodTo ?? '' },
      locale: await agencyLocale(tx, id),
    });
  });
  return agencyOut(db, actor, id, todayIst(ctx.now));
}

/** May the agency get (or work under) a contract on `onDate` ('YYYY-MM-DD')? See rules.contractability. */
export async function agencyContractability(db: DbOrTx, agencyId: number, onDate: string): Promise<TContractability> {
  const a = await repo.getAgencyRow(db, agencyId);
  if (!a) throw new AppError('not_found');
  return contractability(a, onDate);
}

/** The standing shown beside an agency on contracts: status (with the order and period) and the licence alert. */
export async function getAgencyStatusBadge(db: DbOrTx, agencyId: number, today: string): Promise<TAgencyBadge | null> {
  const a = await repo.getAgencyRow(db, agencyId);
  if (!a) return null;
  return {
    id: a.id,
    legalName: a.legalName,
    status: a.status,
    statusOrderRef: a.statusOrderRef,
    statusFrom: a.statusFrom,
    statusTo: a.statusTo,
    licenceAlert: alertFor(a.status, a.licenceValidTo, today),
  };
}

/**
 * Daily: an SMS and an e-mail to each agency whose contract-labour licence expires within 30
 * days, and again once it has expired — at most once per (agency, licence date, threshold), so
 * a renewed licence alerts afresh. Returns how many alerts were queued.
 */
export async function sendLicenceAlerts(db: Db, now: Date): Promise<number> {
  const today = todayIst(now);
  const due = await repo.agenciesWithLicenceBy(db, alertHorizon(today));
  let sent = 0;
  for (const a of due) {
    const alert = licenceAlert(a.licenceValidTo, today);
    if (!alert) continue;
    const kind = alert.kind === 'expired' ? 'licence_expired' : 'licence_expiring_30';
    const queued = await db.transaction(async (tx) => {
      if (!(await claimAlert(tx, { kind, entity: 'agency', entityId: a.id, aboutDate: a.licenceValidTo, at: now }))) return false;
      const locale = await agencyLocale(tx, a.id);
      const params = { name: a.legalName, licenceNo: a.licenceNo, date: a.licenceValidTo.split('-').reverse().join('/'), days: alert.days };
      const template = alert.kind === 'expired' ? 'agency.sms.licence_expired' : 'agency.sms.licence_expiring';
      await enqueueMessage(tx, { channel: 'sms', recipient: a.mobile, template, params, locale });
      await enqueueMessage(tx, { channel: 'email', recipient: a.email, template, params, locale });
      await recordAudit(
        tx,
        { actor: null, ip: '' },
        { entity: 'agency', entityId: a.id, action: kind, after: { licenceValidTo: a.licenceValidTo, days: alert.days } },
      );
      return true;
    });
    if (queued) sent++;
  }
  return sent;
}
