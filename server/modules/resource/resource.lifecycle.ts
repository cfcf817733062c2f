import type { TDecisionInput, TEsicReportInput, TEventInput, TProfileChangeInput, TReplaceInput, TResource } from '../../../shared/contracts/resource.ts';
import { ESIC_REPORT_HOURS } from '../../../shared/contracts/resource.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { createOnce, idempotencyOf } from '../../platform/idempotency/idempotency.ts';
import { checkAge, joiningOutside, requireStatus, resourceInScope, translateDb } from './resource.checks.ts';
import { decided, decideRequest, relieveResource } from './resource.decision.ts';
import * as lc from './resource.lifecycle.repo.ts';
import { resourceOut } from './resource.mappers.ts';
import { resourceAccess } from './resource.policy.ts';
import * as repo from './resource.repo.ts';
import { esicDueAt, istInstant } from './resource.rules.ts';

/**
 * Resources' life cycle after approval (issue 14 item 5): replacement (relieve A, join B on A's
 * position in one transaction), profile-change requests (nothing changes — the bank account in
 * force included — until the department approves), and events with documents (accident with the
 * ESIC reporting deadline, maternity leave, death). Every change of state is audited on the
 * resource, so the timeline shows it.
 */

// --- Replacement ------------------------------------------------------------------------------

/** B for A: in the caller's reach (else "not found" on the field), same agency and contract, ready to join. */
async function checkReplacement(tx: DbOrTx, actor: Actor, a: repo.ResourceRow, body: TReplaceInput) {
  if (body.replacementId === a.id) throw fieldError('replacementId', 'invalid_value');
  try {
    await requireRecord(tx, actor, resourceAccess, body.replacementId);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden')) throw fieldError('replacementId', 'not_found');
    throw e;
  }
  const b = await repo.getResource(tx, body.replacementId, true);
  if (!b) throw fieldError('replacementId', 'not_found');
  if (b.agencyId !== a.agencyId) throw fieldError('replacementId', 'replacement_other_agency');
  if (b.contractId !== a.contractId) throw fieldError('replacementId', 'replacement_other_contract');
  const identified = b.kycStatus === 'verified' || b.kycStatus === 'alternative';
  if (!(b.status === 'submitted' || (b.status === 'draft' && identified)) || !identified) throw fieldError('replacementId', 'replacement_not_ready');
  if (a.joiningDate && body.relieveOn < a.joiningDate) throw fieldError('relieveOn', 'relieve_before_joining');
  if (body.joinOn < body.relieveOn) throw fieldError('joinOn', 'join_before_relieve');
  const c = await repo.contractPlace(tx, a.contractId);
  if (!c || c.status !== 'active' || c.startDate === null || c.endDate === null)
    throw new AppError('contract_not_active', { errors: [{ field: 'joinOn', code: 'contract_not_active' }] });
  if (body.joinOn < c.startDate || body.joinOn > c.endDate) {
    const e = joiningOutside(c.startDate, c.endDate);
    throw new AppError('joining_date_outside_contract', { errors: (e.errors ?? []).map((x) => ({ ...x, field: 'joinOn' })) });
  }
  await checkAge(tx, b.dob, body.joinOn, 'replacementId');
  if (await repo.openRelieving(tx, a.id)) throw new AppError('relieving_pending');
  return b;
}

/** A relieved, B approved on A's position — both under the position's lock, both audited. */
async function carryOut(tx: DbOrTx, ctx: Ctx, actor: Actor, a: repo.ResourceRow, b: repo.ResourceRow, x: lc.ReplacementRow) {
  if (a.officeId === null) throw new AppError('resource_not_approved');
  await repo.lockKey(tx, { officeId: a.officeId, skillLevelId: a.skillLevelId, postNameId: a.postNameId });
  await relieveResource(tx, ctx, a.id, { on: x.relieveOn, reason: x.reasonCode, remark: x.remark });
  const joined = await lc.joinAsReplacement(tx, b.id, {
    status: 'approved',
    contractId: a.contractId,
    officeId: a.officeId,
    skillLevelId: a.skillLevelId,
    postNameId: a.postNameId,
    joiningDate: x.joinOn,
    submittedAt: b.submittedAt ?? ctx.now,
    decidedBy: actor.userId,
    decidedAt: ctx.now,
    updatedAt: ctx.now,
  });
  if (!joined) throw fieldError('replacementId', 'replacement_not_ready');
  await recordAudit(tx, ctx, {
    entity: 'resource',
    entityId: a.id,
    action: 'replaced',
    departmentId: a.departmentId,
    before: { status: 'approved' },
    after: { replacementId: x.id, replacedBy: b.id, relieveOn: x.relieveOn, reasonCode: x.reasonCode, status: 'relieved' },
  });
  await recordAudit(tx, ctx, {
    entity: 'resource',
    entityId: b.id,
    action: 'joined_as_replacement',
    departmentId: b.departmentId,
    before: { status: b.status },
    after: { replacementId: x.id, replaces: a.id, joinOn: x.joinOn, officeId: a.officeId, status: 'approved' },
  });
}

/**
 * Replacement of `id` (A) by `body.replacementId` (B). The agency requests it (nothing changes
 * until the department approves); the department manager replaces at once.
 */
export async function replaceResource(db: Db, ctx: Ctx, id: number, body: TReplaceInput, direct: boolean) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const a = await resourceInScope(tx, actor, id, true);
      requireStatus(a, 'approved');
      if (await lc.openReplacement(tx, id)) throw new AppError('replacement_pending');
      const b = await checkReplacement(tx, actor, a, body);
      if (await lc.openIncoming(tx, b.id)) throw fieldError('replacementId', 'replacement_not_ready');
      const x = await lc.insertReplacement(tx, {
        resourceId: a.id,
        replacementId: b.id,
        state: direct ? 'approved' : 'requested',
        relieveOn: body.relieveOn,
        joinOn: body.joinOn,
        reasonCode: body.reasonCode,
        remark: body.remark,
        requestedBy: actor.userId,
        requestedAt: ctx.now,
        ...(direct ? decided(actor, ctx, body.remark) : {}),
      });
      if (direct) await carryOut(tx, ctx, actor, a, b, x);
      else
        await recordAudit(tx, ctx, {
          entity: 'resource',
          entityId: a.id,
          action: 'replacement_request',
          departmentId: a.departmentId,
          after: { requestId: x.id, ...body },
        });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id, ctx.now);
}

/** The department decides the open replacement request of A: approved → carried out (B is checked again). */
export async function decideReplacement(db: Db, ctx: Ctx, id: number, approve: boolean, body: TDecisionInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      let b: repo.ResourceRow | null = null;
      const { r: a, after: x } = await decideRequest(tx, ctx, actor, id, approve, body.remark, {
        open: () => lc.openReplacement(tx, id, true),
        notPending: 'replacement_not_pending',
        mark: async (open, set, a) => {
          // B is checked again (under its lock) before the request is marked approved.
          if (approve)
            b = await checkReplacement(tx, actor, a, {
              replacementId: open.replacementId,
              relieveOn: open.relieveOn,
              joinOn: open.joinOn,
              reasonCode: open.reasonCode,
              remark: open.remark,
            });
          return lc.decideReplacement(tx, open.id, set);
        },
      });
      if (b) await carryOut(tx, ctx, actor, a, b, x);
      else
        await recordAudit(tx, ctx, {
          entity: 'resource',
          entityId: a.id,
          action: 'replacement_refuse',
          departmentId: a.departmentId,
          after: { replacementId: x.id, remark: body.remark },
        });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id, ctx.now);
}

// --- Profile changes ----------------------------------------------------------------------------

const CHANGE_FIELDS = ['mobile', 'address', 'qualification', 'bankAccount', 'ifsc'] as const;

/** The agency asks; the resource (its bank account in force included) changes only when the department approves. */
export async function requestProfileChange(db: Db, ctx: Ctx, id: number, body: TProfileChangeInput) {
  const actor = actorOf(ctx);
  if (body.bankAccount !== undefined && body.ifsc === undefined) throw fieldError('ifsc', 'required');
  if (body.ifsc !== undefined && body.bankAccount === undefined) throw fieldError('bankAccount', 'required');
  try {
    await db.transaction(async (tx) => {
      const r = await resourceInScope(tx, actor, id, true);
      requireStatus(r, 'approved');
      const changes = Object.fromEntries(CHANGE_FIELDS.filter((f) => body[f] !== undefined && body[f] !== r[f]).map((f) => [f, body[f]]));
      if (body.bankAccount !== undefined && (body.bankAccount !== r.bankAccount || body.ifsc !== r.ifsc)) {
        changes.bankAccount = body.bankAccount;
        changes.ifsc = body.ifsc;
      }
      if (Object.keys(changes).length === 0) throw fieldError(CHANGE_FIELDS.find((f) => body[f] !== undefined) ?? 'mobile', 'nothing_to_change');
      if (await lc.openProfileChange(tx, id)) throw new AppError('profile_change_pending');
      const x = await lc.insertProfileChange(tx, { resourceId: id, ...changes, remark: body.remark, requestedBy: actor.userId, requestedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: id,
        action: 'profile_change_request',
        departmentId: r.departmentId,
        after: { profileChangeId: x.id, ...changes, ...(changes.bankAccount ? { bankAccount: maskAccount(String(changes.bankAccount)) } : {}) },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id, ctx.now);
}

/** A new photo for the open profile-change request (JPEG / PNG, checked by the route). */
export async function attachProfilePhoto(db: Db, ctx: Ctx, store: FileStore, id: number, file: AcceptedFile) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    requireStatus(r, 'approved');
    const open = await lc.openProfileChange(tx, id, true);
    // The same photo as the open request's (a double click, a retry): already asked, nothing to store.
    if (open?.photoFileId && (await getStoredFile(tx, open.photoFileId))?.sha256 === file.sha256) return;
    const { file: row } = await saveUpload(tx, store, file, actor.userId, ctx.now);
    const x = open
      ? await lc.updateProfileChange(tx, open.id, { photoFileId: row.id })
      : await lc.insertProfileChange(tx, { resourceId: id, photoFileId: row.id, requestedBy: actor.userId, requestedAt: ctx.now });
    if (!x) throw new AppError('profile_change_not_pending');
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: 'profile_change_request',
      departmentId: r.departmentId,
      after: { profileChangeId: x.id, photo: { fileId: row.id, sha256: file.sha256, mime: file.mime } },
    });
  });
  return resourceOut(db, actor, id, ctx.now);
}

/** The department decides the open request: approved → the changes take effect now (the bank account from now on). */
export async function decideProfileChange(db: Db, ctx: Ctx, id: number, approve: boolean, body: TDecisionInput) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const { r, open } = await decideRequest(tx, ctx, actor, id, approve, body.remark, {
      open: () => lc.openProfileChange(tx, id, true),
      notPending: 'profile_change_not_pending',
      mark: (x, set) => lc.updateProfileChange(tx, x.id, set),
    });
    const patch: Partial<repo.ResourceRow> = {};
    for (const f of CHANGE_FIELDS) if (open[f] !== null) Object.assign(patch, { [f]: open[f] });
    if (open.photoFileId !== null) patch.photoFileId = open.photoFileId;
    if (approve) await repo.updateResource(tx, id, { ...patch, updatedAt: ctx.now });
    const mask = (v: Record<string, unknown>) => ('bankAccount' in v ? { ...v, bankAccount: maskAccount(String(v.bankAccount)) } : v);
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, r[k as keyof repo.ResourceRow]]));
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: approve ? 'profile_change_approve' : 'profile_change_refuse',
      departmentId: r.departmentId,
      before: approve ? mask(before) : null,
      after: { profileChangeId: open.id, remark: body.remark, ...(approve ? mask(patch) : {}) },
    });
  });
  return resourceOut(db, actor, id, ctx.now);
}

// --- Events -------------------------------------------------------------------------------------

function eventAudit(e: lc.EventRow) {
  return {
    eventId: e.id,
    kind: e.kind,
    state: e.state,
    onDate: e.occurredOn,
    occurredAt: e.occurredAt?.toISOString() ?? null,
    toDate: e.toDate,
    esicReportedAt: e.esicReportedAt?.toISOString() ?? null,
    documentFileId: e.documentFileId,
    remark: e.remark,
  };
}

/** Death approved: the worker is relieved on the date of death, reason `deceased`. */
async function relieveOnDeath(tx: DbOrTx, ctx: Ctx, r: repo.ResourceRow, e: lc.EventRow) {
  await relieveResource(tx, ctx, r.id, { on: e.occurredOn, reason: 'deceased', remark: e.remark });
}

/**
 * Records an event of a working resource (the agency or the department), with an optional
 * document. A death reported by the agency awaits the department's approval; recorded by the
 * department it takes effect at once.
 */
export async function recordEvent(
  db: Db,
  ctx: Ctx,
  store: FileStore,
  id: number,
  body: TEventInput,
  file: AcceptedFile | null,
  key?: string,
): Promise<{ resource: TResource; replayed: boolean }> {
  const actor = actorOf(ctx);
  const today = todayIst(ctx.now);
  if (body.onDate > today) throw fieldError('onDate', 'date_in_future');
  let occurredAt: Date | null = null;
  let reportedAt: Date | null = null;
  if (body.kind === 'accident') {
    if (!body.atTime) throw fieldError('atTime', 'required');
    occurredAt = istInstant(body.onDate, body.atTime);
    if (occurredAt > ctx.now) throw fieldError('atTime', 'date_in_future');
    if (body.esicReportedOn && !body.esicReportedTime) throw fieldError('esicReportedTime', 'required');
    if (body.esicReportedTime && !body.esicReportedOn) throw fieldError('esicReportedOn', 'required');
    if (body.esicReportedOn && body.esicReportedTime) {
      reportedAt = istInstant(body.esicReportedOn, body.esicReportedTime);
      if (reportedAt < occurredAt) throw fieldError('esicReportedOn', 'before_accident');
      if (reportedAt > ctx.now) throw fieldError('esicReportedOn', 'date_in_future');
    }
  }
  if (body.kind === 'maternity') {
    if (!body.toDate) throw fieldError('toDate', 'required');
    if (body.toDate < body.onDate) throw fieldError('toDate', 'end_before_start');
  }
  const reach = await reachOf(db, actor);
  const department = reach.scopeKind !== 'agency';
  // Idempotent on the optional Idempotency-Key (the event dialog sends one): a double click records one event.
  const idem = idempotencyOf(ctx, `resource.event:${id}`, key, { ...body, document: file?.sha256 ?? null });
  let replayed = false;
  try {
    ({ replayed } = await createOnce(db, idem, async (tx) => {
      const r = await resourceInScope(tx, actor, id, true);
      requireStatus(r, 'approved');
      if (r.joiningDate && body.onDate < r.joiningDate) throw fieldError('onDate', 'event_before_joining');
      const doc = file ? (await saveUpload(tx, store, file, actor.userId, ctx.now)).file : null;
      const death = body.kind === 'death';
      const e = await lc.insertEvent(tx, {
        resourceId: id,
        kind: body.kind,
        state: death ? (department ? 'approved' : 'requested') : 'recorded',
        occurredOn: body.onDate,
        occurredAt,
        toDate: body.kind === 'maternity' ? (body.toDate ?? null) : null,
        esicReportedAt: reportedAt,
        documentFileId: doc?.id ?? null,
        remark: body.remark,
        recordedBy: actor.userId,
        recordedAt: ctx.now,
        ...(death && department ? decided(actor, ctx, body.remark) : {}),
      });
      await recordAudit(tx, ctx, { entity: 'resource', entityId: id, action: `event_${body.kind}`, departmentId: r.departmentId, after: eventAudit(e) });
      if (death && department) await relieveOnDeath(tx, ctx, r, e);
      return e.id;
    }));
  } catch (e) {
    translateDb(e);
  }
  return { resource: await resourceOut(db, actor, id, ctx.now), replayed };
}

/** Records when an accident was reported to ESIC (once). */
export async function reportToEsic(db: Db, ctx: Ctx, id: number, eventId: number, body: TEsicReportInput) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    const e = await lc.getEvent(tx, id, eventId, true);
    if (!e) throw new AppError('not_found');
    if (e.kind !== 'accident' || e.occurredAt === null) throw new AppError('event_not_accident');
    if (e.esicReportedAt !== null) throw new AppError('esic_already_reported');
    const at = istInstant(body.reportedOn, body.reportedTime);
    if (at < e.occurredAt) throw fieldError('reportedOn', 'before_accident');
    if (at > ctx.now) throw fieldError('reportedOn', 'date_in_future');
    const after = await lc.updateEvent(tx, e.id, { esicReportedAt: at });
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: 'event_esic_reported',
      departmentId: r.departmentId,
      before: eventAudit(e),
      after: eventAudit(after),
    });
  });
  return resourceOut(db, actor, id, ctx.now);
}

/** The department decides a death the agency reported: approved → the worker is relieved (deceased). */
export async function decideEvent(db: Db, ctx: Ctx, id: number, eventId: number, approve: boolean, body: TDecisionInput) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const {
      r,
      open: e,
      after,
    } = await decideRequest(tx, ctx, actor, id, approve, body.remark, {
      requestFirst: true,
      open: async () => {
        const e = await lc.getEvent(tx, id, eventId, true);
        if (!e) throw new AppError('not_found');
        return e.state === 'requested' ? e : null;
      },
      notPending: 'event_not_pending',
      mark: (x, set) => lc.updateEvent(tx, x.id, set),
    });
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: approve ? 'event_approve' : 'event_refuse',
      departmentId: r.departmentId,
      before: { state: e.state, status: r.status },
      after: { ...eventAudit(after), status: approve ? 'relieved' : r.status },
    });
    if (approve) await relieveOnDeath(tx, ctx, r, after);
  });
  return resourceOut(db, actor, id, ctx.now);
}

export async function getEventDocument(db: Db, ctx: Ctx, store: FileStore, id: number, eventId: number) {
  await resourceInScope(db, actorOf(ctx), id);
  const e = await lc.getEvent(db, id, eventId);
  const f = e?.documentFileId ? await getStoredFile(db, e.documentFileId) : null;
  if (!f) throw new AppError('not_found');
  return { bytes: await store.get(f.storageKey), mime: f.mime, name: f.originalName };
}

/** Accidents overdue for ESIC reporting among the caller's resources (the department's list and badge). */
export async function esicOverdue(db: Db, ctx: Ctx) {
  const { items, total } = await lc.esicOverdue(db, await reachOf(db, actorOf(ctx)), ctx.now, ESIC_REPORT_HOURS);
  return {
    items: items.map((x) => {
      const at = new Date(x.occurredAt);
      return {
        eventId: x.eventId,
        resourceId: x.resourceId,
        nameEn: x.nameEn,
        nameHi: x.nameHi,
        agencyName: x.agencyName,
        occurredAt: at.toISOString(),
        esicDueAt: esicDueAt(at, ESIC_REPORT_HOURS).toISOString(),
      };
    }),
    total,
  };
}
