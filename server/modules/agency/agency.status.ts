import type { TAgencyBadge, TStatusAction } from '../../../shared/contracts/agency.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { coordsOf, reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { claimAlert } from '../../platform/outbox/alerts.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { agencyAccess, agencyOversight, mayMoveStatus, statusSeenBy } from './agency.policy.ts';
import * as repo from './agency.repo.ts';
import { alertHorizon, contractability, licenceAlert, roleMayMove, STATUS_MOVES, type TContractability } from './agency.rules.ts';
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
 * Who may make which move on which agency is `agency.policy.mayMoveStatus` (issue 11 finding 7):
 * not answerable for the agency → 403 `agency_not_in_charge`; verifying an agency that has
 * uploaded no document → 409 `agency_no_documents`. A department's suspension records the
 * department (`status_department_id`); Finance's is statewide.
 */
export async function moveStatus(db: Db, ctx: Ctx, id: number, action: TStatusAction, body: StatusBody) {
  const actor = actorOf(ctx);
  if (!roleMayMove(action, actor.role)) throw new AppError('forbidden');
  await requireRecord(db, actor, agencyAccess, id);
  const current = await repo.getAgencyRow(db, id);
  const oversight = await coordsOf(db, agencyOversight, id);
  if (!current || !oversight) throw new AppError('not_found');
  const reach = await reachOf(db, actor);
  const seen = statusSeenBy(reach, current.status, current.statusDepartmentId);
  if (!STATUS_MOVES[action].from.includes(seen)) throw new AppError('agency_status_conflict');
  if (!mayMoveStatus(reach, actor.role, action, { status: current.status, statusDepartmentId: current.statusDepartmentId, oversight }))
    throw new AppError('agency_not_in_charge');
  if (action === 'verify' && (await repo.listDocuments(db, id)).length === 0) throw new AppError('agency_no_documents');
  const to = STATUS_MOVES[action].to;
  const sanction = action === 'suspend' || action === 'blacklist';
  // A department's suspension is its own; Finance's (state scope) is statewide (null).
  const statusDepartmentId = action === 'suspend' && reach.scopeKind !== 'state' ? reach.departmentId : null;
  await db.transaction(async (tx) => {
    const moved = await repo.moveStatus(tx, id, [current.status], {
      status: to,
      statusReason: body.reason ?? body.remark ?? '',
      statusOrderRef: sanction ? (body.orderRef ?? '') : '',
      statusFrom: sanction ? (body.periodFrom ?? null) : null,
      statusTo: sanction ? (body.periodTo ?? null) : null,
      statusDepartmentId,
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
      after: { status: to, ...event, ...(statusDepartmentId === null ? {} : { departmentId: statusDepartmentId }) },
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

/**
 * May the agency get (or work under) a contract of `departmentId` on `onDate` ('YYYY-MM-DD')?
 * See rules.contractability; another department's suspension does not count (finding 7).
 */
export async function agencyContractability(db: DbOrTx, agencyId: number, onDate: string, departmentId: number | null): Promise<TContractability> {
  const a = await repo.getAgencyRow(db, agencyId);
  if (!a) throw new AppError('not_found');
  return contractability({ ...a, status: statusSeenBy({ scopeKind: 'department', departmentId }, a.status, a.statusDepartmentId) }, onDate);
}

/**
 * The standing shown beside an agency on a contract of `departmentId`: status (with the order and
 * period) and the licence alert. Another department's suspension shows as verified.
 */
export async function getAgencyStatusBadge(db: DbOrTx, agencyId: number, today: string, departmentId: number | null): Promise<TAgencyBadge | null> {
  const a = await repo.getAgencyRow(db, agencyId);
  if (!a) return null;
  const status = statusSeenBy({ scopeKind: 'department', departmentId }, a.status, a.statusDepartmentId);
  const own = status === a.status; // another department's suspension order is not shown as this one's
  return {
    id: a.id,
    legalName: a.legalName,
    status,
    statusOrderRef: own ? a.statusOrderRef : '',
    statusFrom: own ? a.statusFrom : null,
    statusTo: own ? a.statusTo : null,
    licenceAlert: alertFor(status, a.licenceValidTo, today),
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
