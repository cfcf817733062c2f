import { fileLimit } from '../../../shared/domain/file-limits.ts';
import { MAX_CONTRACT_FILE_BYTES, type TVersionCreate, type TVersionTerms } from '../../../shared/contracts/contract.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fileRefusal } from '../../platform/errors.ts';
import { type AcceptedFile, earlierUploadInReach, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import * as repo from './contract.repo.ts';
import {
  checkAgainstInForce,
  checkAgency,
  checkCapacity,
  checkIdentityOrThrow,
  checkTerms,
  contractInScope,
  translateDb,
  versionOf,
} from './contract.checks.ts';
import { auditTerms, contractOut, postValues, termsFromVersion, versionValues } from './contract.mappers.ts';
import { reachOf } from '../../platform/access/access.ts';
import { contractFileHolder } from './contract.policy.ts';

/**
 * Contracts: a version's life — change a draft's terms, a new version (extension / amendment),
 * delete a draft version, attach its document, activate it.
 */

/** The terms as one string, lines and posts in a fixed order: equal strings, the same terms. */
function canonicalTerms(t: TVersionTerms): string {
  const a = auditTerms(t);
  return JSON.stringify({
    ...a,
    budgetLineIds: [...a.budgetLineIds].sort((x, y) => x - y),
    posts: a.posts.map((p) => JSON.stringify(p)).sort(),
  });
}

/** Changing a draft version's terms (an in-force version is frozen; the database refuses it too). */
export async function updateVersion(db: Db, ctx: Ctx, id: number, versionNo: number, terms: TVersionTerms) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    const v = await versionOf(tx, id, versionNo);
    if (v.state !== 'draft') throw new AppError('version_not_draft');
    await checkTerms(tx, actor, c, terms);
    if (v.kind === 'extension') await checkAgainstInForce(tx, id, v.kind, terms);
    await checkCapacity(tx, id, terms);
    const beforeTerms = termsFromVersion(v, await repo.versionBudgetLines(tx, [v.id]), await repo.versionPosts(tx, [v.id]));
    // The terms as they stand (a double click, a retry): nothing to write or audit.
    if (canonicalTerms(beforeTerms) === canonicalTerms(terms)) return;
    await repo.updateVersion(tx, v.id, versionValues(terms));
    await repo.replaceChildren(tx, v.id, terms.budgetLineIds, postValues(terms));
    await recordAudit(tx, ctx, {
      entity: 'contract_version',
      entityId: v.id,
      action: 'update',
      departmentId: c.departmentId,
      before: { contractId: id, versionNo, ...auditTerms(beforeTerms) },
      after: { contractId: id, versionNo, ...auditTerms(terms) },
    });
  });
  return contractOut(db, ctx, id);
}

/** A new version (extension / amendment) of an active or expired contract, as a draft. */
export async function createVersion(db: Db, ctx: Ctx, id: number, body: TVersionCreate) {
  const actor = actorOf(ctx);
  const { kind, ...terms } = body;
  try {
    await db.transaction(async (tx) => {
      const c = await contractInScope(tx, actor, id, true);
      if (c.status !== 'active' && c.status !== 'expired') throw new AppError('contract_not_active');
      const versions = await repo.listVersions(tx, id);
      if (versions.some((v) => v.state === 'draft')) throw new AppError('version_draft_exists');
      await checkAgainstInForce(tx, id, kind, terms);
      await checkTerms(tx, actor, c, terms);
      await checkCapacity(tx, id, terms);
      const versionNo = Math.max(0, ...versions.map((v) => v.versionNo)) + 1;
      const v = await repo.insertVersion(
        tx,
        { contractId: id, versionNo, kind, state: 'draft', ...versionValues(terms), createdBy: actor.userId, createdAt: ctx.now },
        terms.budgetLineIds,
        postValues(terms),
      );
      await recordAudit(tx, ctx, {
        entity: 'contract_version',
        entityId: v.id,
        action: 'create',
        departmentId: c.departmentId,
        after: { contractId: id, versionNo, kind, ...auditTerms(terms) },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return contractOut(db, ctx, id);
}

/** Deletes a draft version other than version 1 (a draft contract is deleted whole). */
export async function deleteVersion(db: Db, ctx: Ctx, id: number, versionNo: number) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    const v = await versionOf(tx, id, versionNo);
    if (v.state !== 'draft') throw new AppError('version_not_draft');
    if (v.versionNo === 1) throw new AppError('contract_not_draft');
    await repo.deleteVersion(tx, v.id);
    await recordAudit(tx, ctx, {
      entity: 'contract_version',
      entityId: v.id,
      action: 'delete',
      departmentId: c.departmentId,
      before: { contractId: id, versionNo, kind: v.kind },
    });
  });
  return contractOut(db, ctx, id);
}

/**
 * Attaches (or replaces) a draft version's document, the contract row locked first so that
 * uploads at once are taken one after another; the document the version already holds (same
 * content and name) is not stored or audited again, and its answer is the contract as it is.
 */
export async function uploadVersionDocument(db: Db, ctx: Ctx, store: FileStore, id: number, versionNo: number, file: AcceptedFile) {
  const actor = actorOf(ctx);
  let duplicateOfFileId: number | null = null;
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    const v = await versionOf(tx, id, versionNo);
    if (v.state !== 'draft') throw new AppError('version_not_draft');
    // The same document again (a double click, a retry, two tabs) changes nothing: neither stored nor audited.
    const held = v.fileId === null ? null : await getStoredFile(tx, v.fileId);
    if (held && held.sha256 === file.sha256 && held.originalName === file.safeName) return;
    const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
    duplicateOfFileId = await earlierUploadInReach(tx, await reachOf(tx, actor), saved.file, contractFileHolder);
    await repo.updateVersion(tx, v.id, { fileId: saved.file.id });
    await recordAudit(tx, ctx, {
      entity: 'contract_version',
      entityId: v.id,
      action: 'upload_document',
      departmentId: c.departmentId,
      before: { fileId: v.fileId },
      after: {
        contractId: id,
        versionNo,
        fileId: saved.file.id,
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        name: file.safeName,
        duplicateOfFileId: saved.duplicateOfFileId,
      },
    });
  });
  return { contract: await contractOut(db, ctx, id), duplicateOfFileId };
}

/**
 * Activation of a draft version, all checks again plus capacity. Version 1 makes the contract
 * active; a later version supersedes the one in force (and brings an expired contract back to
 * active when it extends it). The contract row is locked first, so a double click activates
 * once (the second finds the version in force → 409 version_not_draft).
 */
export async function activateVersion(db: Db, ctx: Ctx, id: number, versionNo: number) {
  const actor = actorOf(ctx);
  try {
    await db.transaction(async (tx) => {
      const c = await contractInScope(tx, actor, id, true);
      const v = await versionOf(tx, id, versionNo);
      if (v.state !== 'draft') throw new AppError('version_not_draft');
      if (versionNo === 1 && c.status !== 'draft') throw new AppError('contract_not_draft');
      if (versionNo > 1 && c.status !== 'active' && c.status !== 'expired') throw new AppError('contract_not_active');
      if (v.fileId === null) throw fileRefusal('file_required', fileLimit(MAX_CONTRACT_FILE_BYTES, 'pdf'), 'document');
      const terms = termsFromVersion(v, await repo.versionBudgetLines(tx, [v.id]), await repo.versionPosts(tx, [v.id]));
      checkIdentityOrThrow(ctx, c);
      await checkAgency(tx, c.agencyId, todayIst(ctx.now), c.departmentId);
      await checkTerms(tx, actor, c, terms);
      if (versionNo > 1) await checkAgainstInForce(tx, id, v.kind === 'extension' ? 'extension' : 'amendment', terms);
      await checkCapacity(tx, id, terms);
      const superseded = versionNo > 1 ? await repo.supersede(tx, id) : null;
      const activated = await repo.bringInForce(tx, v.id, actor.userId, ctx.now);
      if (!activated) throw new AppError('version_not_draft');
      if (c.status !== 'active') await repo.updateContract(tx, id, { status: 'active', updatedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'contract_version',
        entityId: v.id,
        action: 'activate',
        departmentId: c.departmentId,
        before: { contractStatus: c.status, versionState: 'draft', supersededVersionNo: null },
        after: {
          contractId: id,
          versionNo,
          kind: v.kind,
          contractStatus: 'active',
          versionState: 'in_force',
          supersededVersionNo: superseded?.versionNo ?? null,
          startDate: terms.startDate,
          endDate: terms.endDate,
          positions: terms.posts.reduce((n, p) => n + p.positions, 0),
        },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return contractOut(db, ctx, id);
}
