import type {
  TApproveInput,
  TGhostQuery,
  TRejectInput,
  TRelieveDecision,
  TRelieveRequest,
  TResourceExportQuery,
  TResource,
  TResourceInput,
  TResourceListQuery,
  TResourceOptions,
} from '../../../shared/contracts/resource.ts';
import { CONSENT_TEXT_VERSION } from '../../../shared/contracts/resource.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { createOnce, idempotencyOf } from '../../platform/idempotency/idempotency.ts';
import { writeReport } from '../../platform/tabular/report.ts';
import { sanctionedFor } from '../sanction/index.ts';
import { sql } from 'drizzle-orm';
import {
  assertVisible,
  checkAge,
  checkAgencyFor,
  checkParticulars,
  joiningOutside,
  requireStatus,
  resourceInScope,
  retirementAge,
  translateDb,
} from './resource.checks.ts';
import { resourceExportColumns, resourceExportFilters } from './resource.export.ts';
import { resourceOut, summaryOut } from './resource.mappers.ts';
import { resourceAccess } from './resource.policy.ts';
import { decideRequest, relieveResource } from './resource.decision.ts';
import { openReplacement } from './resource.lifecycle.repo.ts';
import * as repo from './resource.repo.ts';
import { kycMismatches } from './resource.rules.ts';

export * from './resource.kyc.ts';
export * from './resource.lifecycle.ts';
export { assertVisible } from './resource.checks.ts';

/** Resources: adding, reading, submission, approval and relieving (e-KYC in resource.kyc.ts). */

const audited = (r: { bankAccount: string } & Record<string, unknown>) => ({ ...r, bankAccount: maskAccount(r.bankAccount) });

function particulars(body: TResourceInput) {
  const { contractId: _c, ...rest } = body;
  return rest;
}

// --- Reading ----------------------------------------------------------------------------------

export async function listResources(db: Db, ctx: Ctx, q: TResourceListQuery, countCap?: number) {
  const { items, total, totalCapped } = await repo.listResources(db, await reachOf(db, actorOf(ctx)), q, countCap);
  return { items: items.map(summaryOut), total, totalCapped, page: q.page, pageSize: q.pageSize };
}

export async function getResource(db: Db, ctx: Ctx, id: number) {
  // The scope check alone (404 outside it): resourceOut reads the row itself (and 404s if it is gone).
  await assertVisible(db, ctx, id);
  return resourceOut(db, actorOf(ctx), id);
}

export async function exportResources(db: Db, ctx: Ctx, q: TResourceExportQuery) {
  const actor = actorOf(ctx);
  const rows = await repo.listResourcesForExport(db, await reachOf(db, actor), q);
  const meta = {
    title: 'export.title.resources',
    actor,
    locale: ctx.locale,
    now: ctx.now,
    filters: resourceExportFilters(ctx.locale, q, rows),
    sheetName: 'resources',
  };
  const body = await writeReport(q.format, meta, resourceExportColumns(ctx.locale), rows);
  const { format, ...filters } = q;
  await recordAudit(db, ctx, { entity: 'resource', action: 'export', after: { format, rows: rows.length, filters } });
  return { body, filename: `resources-${todayIst(ctx.now)}.${format}` };
}

/** The add form's choices: the caller's active contracts (its agency's, or its offices') with their posts. */
export async function options(db: Db, ctx: Ctx): Promise<TResourceOptions> {
  const reach = await reachOf(db, actorOf(ctx));
  const cond =
    reach.scopeKind === 'agency'
      ? sql`c.agency_id = ${reach.scopeId}`
      : sourceCondition(reach, {
          ...resourceAccess,
          columns: {
            departmentId: sql`c.department_id`,
            officeId: sql`c.office_id`,
            agencyId: sql`c.agency_id`,
            hodId: sql`(select o.hod_id from offices o where o.id = c.office_id)`,
          },
        });
  const contracts = await repo.activeContractsFor(db, cond);
  const out: TResourceOptions['contracts'] = [];
  for (const c of contracts)
    out.push({
      id: c.id,
      contractNo: c.contractNo,
      departmentId: c.departmentId,
      startDate: c.startDate ?? '',
      endDate: c.endDate ?? '',
      posts: await repo.contractPosts(db, c.id),
    });
  return { contracts: out, retirementAge: await retirementAge(db), consentTextVersion: CONSENT_TEXT_VERSION };
}

export async function timeline(db: Db, ctx: Ctx, id: number) {
  await resourceInScope(db, actorOf(ctx), id);
  const rows = await repo.timeline(db, id);
  return {
    items: rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      action: r.action,
      actorName: r.actorName,
      role: r.role,
      details: (r.details ?? null) as Record<string, unknown> | null,
    })),
  };
}

export async function ghosts(db: Db, ctx: Ctx, q: TGhostQuery) {
  const { groups, members, total } = await repo.ghostGroups(db, await reachOf(db, actorOf(ctx)), q);
  return {
    items: groups.map((g) => ({
      kind: g.kind,
      value: g.kind === 'bank_account' ? maskAccount(g.value) : g.value,
      resources: members
        .filter((m) => m.kind === g.kind && m.value === g.value)
        .map((m) => ({ id: m.id, nameEn: m.nameEn, nameHi: m.nameHi, agencyName: m.agencyName, status: m.status, departmentId: m.departmentId })),
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getPhoto(db: Db, ctx: Ctx, store: FileStore, id: number) {
  const r = await resourceInScope(db, actorOf(ctx), id);
  const f = r.photoFileId === null ? null : await getStoredFile(db, r.photoFileId);
  if (!f) throw new AppError('not_found');
  return { bytes: await store.get(f.storageKey), mime: f.mime };
}

// --- Adding and editing (agency) -------------------------------------------------------------

export async function createResource(db: Db, ctx: Ctx, body: TResourceInput, key?: string): Promise<{ resource: TResource; replayed: boolean }> {
  const actor = actorOf(ctx);
  try {
    const { id, replayed } = await createOnce(db, idempotencyOf(ctx, 'resource.create', key, body), async (tx) => {
      const c = await checkParticulars(tx, ctx, actor, body);
      const r = await repo.insertResource(tx, {
        ...particulars(body),
        contractId: c.id,
        agencyId: c.agencyId,
        departmentId: c.departmentId,
        contractOfficeId: c.officeId,
        status: 'draft',
        createdBy: actor.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: r.id,
        action: 'create',
        departmentId: c.departmentId,
        after: audited({ ...particulars(body), contractId: c.id }),
      });
      return r.id;
    });
    return { resource: await resourceOut(db, actor, id), replayed };
  } catch (e) {
    return translateDb(e);
  }
}

/** Corrects a draft. When e-KYC found mismatches, they are compared again (a correction can clear them). */
export async function updateResource(db: Db, ctx: Ctx, id: number, body: TResourceInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const before = await resourceInScope(tx, actor, id, true);
      requireStatus(before, 'draft');
      const c = await checkParticulars(tx, ctx, actor, body);
      if (c.agencyId !== before.agencyId) throw new AppError('not_found');
      const patch: Parameters<typeof repo.updateResource>[2] = {
        ...particulars(body),
        contractId: c.id,
        departmentId: c.departmentId,
        contractOfficeId: c.officeId,
        updatedAt: ctx.now,
      };
      if (before.kycName !== null && before.kycDob !== null && before.verificationMethod !== 'alternative_document') {
        const mismatches = kycMismatches(body, { name: before.kycName, dob: before.kycDob });
        patch.kycMismatches = mismatches;
        if (before.kycStatus === 'verified' && before.kycResolution !== 'explained' && mismatches.length) patch.kycStatus = 'mismatch';
      }
      await repo.updateResource(tx, id, patch);
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: id,
        action: 'update',
        departmentId: c.departmentId,
        before: audited({ ...before }),
        after: audited({ ...particulars(body), contractId: c.id }),
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id);
}

/**
 * The draft's photo. The same content as the photo in force changes nothing (no file row, no audit
 * entry): a double click, a retry or twenty at once store it once — the row lock orders them.
 */
export async function uploadPhoto(db: Db, ctx: Ctx, store: FileStore, id: number, file: AcceptedFile) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const before = await resourceInScope(tx, actor, id, true);
    requireStatus(before, 'draft');
    if (before.photoFileId !== null && (await getStoredFile(tx, before.photoFileId))?.sha256 === file.sha256) return;
    const { file: row } = await saveUpload(tx, store, file, actor.userId, ctx.now);
    await repo.updateResource(tx, id, { photoFileId: row.id, updatedAt: ctx.now });
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: 'photo',
      departmentId: before.departmentId,
      after: { fileId: row.id, sha256: file.sha256, sizeBytes: file.sizeBytes, mime: file.mime },
    });
  });
  return resourceOut(db, actor, id);
}

// --- Submission and decision ------------------------------------------------------------------

export async function submitResource(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    requireStatus(r, 'draft');
    if (r.kycStatus === 'mismatch') throw new AppError('kyc_mismatch_unresolved');
    if (r.kycStatus !== 'verified' && r.kycStatus !== 'alternative') throw new AppError('kyc_incomplete');
    const moved = await repo.moveStatus(tx, id, 'draft', { status: 'submitted', submittedAt: ctx.now, updatedAt: ctx.now });
    if (!moved) throw new AppError('resource_not_draft');
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: 'submit',
      departmentId: r.departmentId,
      before: { status: 'draft' },
      after: { status: 'submitted' },
    });
  });
  return resourceOut(db, actor, id);
}

/**
 * Approval (department manager): the contract of the resource's agency in the manager's reach,
 * active with the joining date inside its in-force period; the agency verified, not suspended
 * or blacklisted, its licence valid and covering one more workman; a vacancy on the post in the
 * contract and in the sanction (under a per-key lock, so two approvals cannot both take the last
 * one). The row is locked and moved only from `submitted`: a double click approves once.
 */
export async function approveResource(db: Db, ctx: Ctx, id: number, body: TApproveInput) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const r = await resourceInScope(tx, actor, id, true);
      requireStatus(r, 'submitted');
      const c = await repo.contractPlace(tx, body.contractId);
      if (!c || c.agencyId !== r.agencyId || c.departmentId !== r.departmentId)
        throw new AppError('validation_failed', { errors: [{ field: 'contractId', code: 'not_found' }] });
      if (c.status !== 'active' || c.startDate === null || c.endDate === null)
        throw new AppError('contract_not_active', { errors: [{ field: 'contractId', code: 'contract_not_active' }] });
      if (body.joiningDate < c.startDate || body.joiningDate > c.endDate) throw joiningOutside(c.startDate, c.endDate);
      await checkAge(tx, r.dob, body.joiningDate, 'joiningDate');
      const key = { officeId: body.officeId, skillLevelId: body.skillLevelId, postNameId: body.postNameId };
      await repo.lockKey(tx, key);
      await checkAgencyFor(tx, r.agencyId, body.joiningDate, c.departmentId);
      const post = (await repo.contractPosts(tx, c.id)).find(
        (p) => p.officeId === key.officeId && p.skillLevelId === key.skillLevelId && p.postNameId === key.postNameId,
      );
      if (!post) throw new AppError('validation_failed', { errors: [{ field: 'postNameId', code: 'post_not_in_contract' }] });
      if (post.deployed >= post.positions)
        throw new AppError('no_vacancy', {
          params: { positions: post.positions, deployed: post.deployed },
          errors: [{ field: 'postNameId', code: 'no_vacancy' }],
        });
      const k = `${key.officeId}:${key.skillLevelId}:${key.postNameId}`;
      const sanctioned = (await sanctionedFor(tx, [key])).get(k) ?? 0;
      const deployed = (await repo.deployedByKey(tx, [key])).get(k) ?? 0;
      if (deployed >= sanctioned)
        throw new AppError('no_vacancy', { params: { positions: sanctioned, deployed }, errors: [{ field: 'postNameId', code: 'no_vacancy' }] });
      const moved = await repo.moveStatus(tx, id, 'submitted', {
        status: 'approved',
        contractId: c.id,
        officeId: key.officeId,
        skillLevelId: key.skillLevelId,
        postNameId: key.postNameId,
        joiningDate: body.joiningDate,
        decidedBy: actor.userId,
        decidedAt: ctx.now,
        updatedAt: ctx.now,
      });
      if (!moved) throw new AppError('resource_not_submitted');
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: id,
        action: 'approve',
        departmentId: r.departmentId,
        before: { status: 'submitted' },
        after: { status: 'approved', ...body },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id);
}

export async function rejectResource(db: Db, ctx: Ctx, id: number, body: TRejectInput) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    requireStatus(r, 'submitted');
    const moved = await repo.moveStatus(tx, id, 'submitted', {
      status: 'rejected',
      rejectionReason: body.reason,
      decidedBy: actor.userId,
      decidedAt: ctx.now,
      updatedAt: ctx.now,
    });
    if (!moved) throw new AppError('resource_not_submitted');
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: 'reject',
      departmentId: r.departmentId,
      before: { status: 'submitted' },
      after: { status: 'rejected', reason: body.reason },
    });
  });
  return resourceOut(db, actor, id);
}

// --- Relieving --------------------------------------------------------------------------------

/** The agency asks; nothing changes for the worker until the department approves. */
export async function requestRelieving(db: Db, ctx: Ctx, id: number, body: TRelieveRequest) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const r = await resourceInScope(tx, actor, id, true);
      requireStatus(r, 'approved');
      if (r.joiningDate && body.relieveOn < r.joiningDate)
        throw new AppError('validation_failed', { errors: [{ field: 'relieveOn', code: 'relieve_before_joining' }] });
      if (await repo.openRelieving(tx, id)) throw new AppError('relieving_pending');
      if (await openReplacement(tx, id)) throw new AppError('replacement_pending');
      const x = await repo.insertRelieving(tx, {
        resourceId: id,
        relieveOn: body.relieveOn,
        reasonCode: body.reasonCode,
        remark: body.remark,
        requestedBy: actor.userId,
        requestedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: id,
        action: 'relieving_request',
        departmentId: r.departmentId,
        after: { relievingId: x.id, ...body },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id);
}

/** The department decides the open request: approved → the resource is relieved with its reason; refused → it stays. */
export async function decideRelieving(db: Db, ctx: Ctx, id: number, approve: boolean, body: TRelieveDecision) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const { r, open } = await decideRequest(tx, ctx, actor, id, approve, body.remark, {
      open: () => repo.openRelieving(tx, id, true),
      notPending: 'relieving_not_pending',
      mark: (x, set) => repo.decideRelieving(tx, x.id, set),
    });
    if (approve) await relieveResource(tx, ctx, id, { on: open.relieveOn, reason: open.reasonCode, remark: open.remark });
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: approve ? 'relieving_approve' : 'relieving_refuse',
      departmentId: r.departmentId,
      before: { status: r.status },
      after: { relievingId: open.id, relieveOn: open.relieveOn, reasonCode: open.reasonCode, remark: body.remark, status: approve ? 'relieved' : r.status },
    });
  });
  return resourceOut(db, actor, id);
}
