import type { TContractCreate, TContractUpdate, TTerminateBody } from '../../../shared/contracts/contract.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './contract.repo.ts';
import { isLegacy } from './contract.rules.ts';
import {
  checkAgency,
  checkCapacity,
  checkIdentityOrThrow,
  checkTerms,
  contractInScope,
  contractingOffice,
  duplicateNo,
  translateDb,
} from './contract.checks.ts';
import { auditIdentity, auditTerms, contractOut, postValues, versionValues } from './contract.mappers.ts';

/** Contracts: a contract's life — register (draft with version 1), correct, delete a draft, terminate. */

/**
 * "Register contract": the contract (draft) and its version 1 (draft). Every check runs now,
 * capacity included, so the form shows problems early — but a draft reserves nothing: only
 * activation (which re-runs them all under the capacity locks) counts the positions as covered.
 */
export async function createContract(db: Db, ctx: Ctx, body: TContractCreate) {
  const actor = actorOf(ctx);
  const { contractNo, contractDate, agencyId, procurementMode, gemContractNo, gemBidNo, officeId: officeIn, ...terms } = body;
  const identity = { contractNo, contractDate, agencyId, procurementMode, gemContractNo, gemBidNo };
  checkIdentityOrThrow(ctx, identity);
  try {
    const id = await db.transaction(async (tx) => {
      const place = await contractingOffice(tx, actor, officeIn);
      await checkAgency(tx, agencyId, todayIst(ctx.now), place.departmentId);
      await checkTerms(tx, actor, { departmentId: place.departmentId, officeId: place.officeId }, terms);
      await checkCapacity(tx, 0, terms);
      if (await repo.contractNoTaken(tx, place.departmentId, contractNo)) throw duplicateNo();
      const c = await repo.insertContract(tx, {
        ...identity,
        departmentId: place.departmentId,
        officeId: place.officeId,
        isLegacy: isLegacy(contractDate),
        status: 'draft',
        createdBy: actor.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      });
      await repo.insertVersion(
        tx,
        { contractId: c.id, versionNo: 1, kind: 'original', state: 'draft', ...versionValues(terms), createdBy: actor.userId, createdAt: ctx.now },
        terms.budgetLineIds,
        postValues(terms),
      );
      await recordAudit(tx, ctx, {
        entity: 'contract',
        entityId: c.id,
        action: 'create',
        departmentId: place.departmentId,
        after: { ...auditIdentity(c), isLegacy: c.isLegacy, version: 1, terms: auditTerms(terms) },
      });
      return c.id;
    });
    return contractOut(db, ctx, id);
  } catch (e) {
    return translateDb(e);
  }
}

/** Correcting a draft contract's identity. */
export async function updateContract(db: Db, ctx: Ctx, id: number, body: TContractUpdate) {
  const actor = actorOf(ctx);
  checkIdentityOrThrow(ctx, body);
  try {
    await db.transaction(async (tx) => {
      const before = await contractInScope(tx, actor, id, true);
      if (before.status !== 'draft') throw new AppError('contract_not_draft');
      // The identity as it stands (a double click, a retry): nothing to write or audit.
      if (JSON.stringify(auditIdentity({ ...before, ...body })) === JSON.stringify(auditIdentity(before))) return;
      await checkAgency(tx, body.agencyId, todayIst(ctx.now), before.departmentId);
      if (await repo.contractNoTaken(tx, before.departmentId, body.contractNo, id)) throw duplicateNo();
      const after = await repo.updateContract(tx, id, { ...body, isLegacy: isLegacy(body.contractDate), updatedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'contract',
        entityId: id,
        action: 'update',
        departmentId: before.departmentId,
        before: auditIdentity(before),
        after: auditIdentity(after),
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return contractOut(db, ctx, id);
}

/** Deletes a contract that was never activated, with its draft version (its file stays on record). */
export async function deleteContract(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const before = await contractInScope(tx, actor, id, true);
    if (before.status !== 'draft') throw new AppError('contract_not_draft');
    const versions = await repo.listVersions(tx, id);
    if (versions.some((v) => v.state !== 'draft')) throw new AppError('contract_not_draft');
    for (const v of versions) await repo.deleteVersion(tx, v.id);
    await repo.deleteContract(tx, id);
    await recordAudit(tx, ctx, { entity: 'contract', entityId: id, action: 'delete', departmentId: before.departmentId, before: auditIdentity(before) });
  });
}

/** Termination (reason and date within the in-force period) of an active contract. */
export async function terminateContract(db: Db, ctx: Ctx, id: number, body: TTerminateBody) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const c = await contractInScope(tx, actor, id, true);
    if (c.status !== 'active') throw new AppError('contract_not_active');
    const current = (await repo.listVersions(tx, id)).find((v) => v.state === 'in_force');
    if (!current) throw new AppError('contract_not_active');
    if (body.terminatedOn < current.startDate || body.terminatedOn > current.endDate) {
      throw new AppError('termination_date_invalid', {
        errors: [{ field: 'terminatedOn', code: 'termination_date_invalid', params: { from: formatDate(current.startDate), to: formatDate(current.endDate) } }],
      });
    }
    await repo.updateContract(tx, id, { status: 'terminated', terminatedOn: body.terminatedOn, terminationReason: body.reason, updatedAt: ctx.now });
    await recordAudit(tx, ctx, {
      entity: 'contract',
      entityId: id,
      action: 'terminate',
      departmentId: c.departmentId,
      before: { status: c.status },
      after: { status: 'terminated', terminatedOn: body.terminatedOn, reason: body.reason },
    });
  });
  return contractOut(db, ctx, id);
}
