import type { TAadhaarInput, TAlternativeInput, TConsentInput, TOtpInput, TResolveInput } from '../../../shared/contracts/resource.ts';
import type { TErrorCode } from '../../../shared/errors.ts';
import type { Db, Tx } from '../../db/client.ts';
import { EkycError, ekycAdapterFor } from '../../platform/adapters/ekyc.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, saveUpload } from '../../platform/files/files.ts';
import { assertVisible, requireStatus, resourceInScope, translateDb } from './resource.checks.ts';
import { resourceOut } from './resource.mappers.ts';
import { aadhaarProblem, normaliseAadhaar } from '../../../shared/domain/aadhaar.ts';
import { aadhaarHash, vaultGet, vaultPut } from '../../platform/vault/index.ts';
import * as repo from './resource.repo.ts';
import type { ResourceRow } from './resource.repo.ts';
import { kycMismatches } from './resource.rules.ts';

/**
 * Resources: Aadhaar e-KYC — consent, the number (into the vault: the row keeps the reference,
 * the last four digits and the keyed hash), OTP through the provider, the comparison with what
 * was entered and its resolution; and the department's alternative verification. A provider
 * failure is its own error code (retryable where the provider says so) and leaves the draft as
 * it was.
 */

const DONE = new Set(['verified', 'alternative']);

function notDone(r: { kycStatus: string }) {
  if (DONE.has(r.kycStatus)) throw new AppError('kyc_already_done');
}

/** The provider's refusal as the user's error (codes are in both catalogs); anything else is rethrown. */
function providerError(e: unknown): never {
  if (e instanceof EkycError) throw new AppError(e.code as TErrorCode, { params: { retryable: e.retryable ? 1 : 0 } });
  throw e;
}

export async function recordConsent(db: Db, ctx: Ctx, id: number, body: TConsentInput) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    requireStatus(r, 'draft');
    notDone(r);
    // The same consent recorded already (a double click, a retry): nothing to write.
    if (r.consentAt && r.consentGivenBy === body.givenBy && r.consentTextVersion === body.textVersion && r.consentLanguage === body.language) return;
    await repo.updateResource(tx, id, {
      consentGivenBy: body.givenBy,
      consentAt: ctx.now,
      consentTextVersion: body.textVersion,
      consentLanguage: body.language,
      consentBy: actor.userId,
      kycStatus: r.kycStatus === 'none' ? 'consented' : r.kycStatus,
      updatedAt: ctx.now,
    });
    await recordAudit(tx, ctx, { entity: 'resource', entityId: id, action: 'kyc_consent', departmentId: r.departmentId, after: body });
  });
  return resourceOut(db, actor, id);
}

/**
 * The Aadhaar number: refused at once unless 12 digits, first 2–9, Verhoeff-valid; stored in the
 * vault; the same person held by another resource that has not ended (anywhere in the state) is
 * `aadhaar_already_deployed` — the unique index decides between two at the same moment, and the
 * refusal says nothing of where.
 */
export async function enterAadhaar(db: Db, ctx: Ctx, id: number, body: TAadhaarInput) {
  const actor = actorOf(ctx);
  await assertVisible(db, ctx, id);
  const problem = aadhaarProblem(body.aadhaar);
  if (problem) throw new AppError('validation_failed', { errors: [{ field: 'aadhaar', code: problem }] });
  try {
    await db.transaction(async (tx) => {
      const r = await resourceInScope(tx, actor, id, true);
      requireStatus(r, 'draft');
      notDone(r);
      if (!r.consentAt) throw new AppError('kyc_consent_required');
      // The same number entered already (a double click, a retry): nothing to write — and an OTP
      // already sent for it stays the one to verify.
      if (r.aadhaarHash !== null && r.aadhaarHash === aadhaarHash(normaliseAadhaar(body.aadhaar))) return;
      // Another number while an OTP request or its verification is with the provider (the row is
      // claimed, see claimCall): written now, the call's answer would land on the new number — an
      // OTP transaction of one person, or one person's verified identity, on another's number.
      if (callInFlight(r, ctx.now)) throw new AppError('kyc_in_progress');
      const v = await vaultPut(tx, normaliseAadhaar(body.aadhaar));
      await repo.updateResource(tx, id, {
        aadhaarRef: v.refKey,
        aadhaarLast4: v.last4,
        aadhaarHash: v.hash,
        kycStatus: 'aadhaar_entered',
        otpTxnId: null,
        otpMaskedMobile: null,
        // Another number: its first OTP need not wait for the gap after the last one's.
        otpSentAt: null,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, { entity: 'resource', entityId: id, action: 'kyc_aadhaar', departmentId: r.departmentId, after: { last4: v.last4 } });
    });
  } catch (e) {
    translateDb(e);
  }
  return resourceOut(db, actor, id);
}

/**
 * Claims the draft for one call to the provider (see repo.claimKycCall): of twenty clicks at once
 * one goes on; the others are told what stopped them — the draft submitted, the identity already
 * verified, or 409 `kyc_in_progress` (the call in flight answers for them).
 */
/** The draft is claimed for a call to the provider (a claim older than the TTL is a crashed one). */
function callInFlight(r: { kycCallAt: Date | null }, now: Date): boolean {
  return r.kycCallAt !== null && r.kycCallAt.getTime() > now.getTime() - repo.KYC_CALL_TTL_MS;
}

async function claimCall(db: Db, ctx: Ctx, id: number, otp = false) {
  const otpSentBefore = otp ? new Date(ctx.now.getTime() - repo.OTP_RESEND_GAP_MS) : undefined;
  const claimed = await repo.claimKycCall(db, id, ctx.now, { otpSentBefore });
  if (claimed) return claimed;
  const r = await repo.getResource(db, id);
  if (!r) throw new AppError('not_found');
  requireStatus(r, 'draft');
  notDone(r);
  if (otpSentBefore && !callInFlight(r, ctx.now) && r.otpSentAt && r.otpSentAt > otpSentBefore) throw new AppError('kyc_otp_just_sent');
  throw new AppError('kyc_in_progress');
}

/**
 * The provider's call `call` under the draft's e-KYC claim; `write` saves its answer in one
 * transaction with the row locked and still a draft not yet verified (else nothing is written),
 * and ends the claim. A refusal, by the provider or here, ends the claim too.
 */
async function underClaim<T>(
  db: Db,
  ctx: Ctx,
  id: number,
  call: (r: ResourceRow) => Promise<T>,
  write: (tx: Tx, r: ResourceRow, got: T) => Promise<void>,
  otp = false,
) {
  const claimed = await claimCall(db, ctx, id, otp);
  try {
    const got = await call(claimed);
    await db.transaction(async (tx) => {
      const r = await repo.getResource(tx, id, true);
      if (!r) throw new AppError('not_found');
      requireStatus(r, 'draft');
      notDone(r);
      // The number changed since the claim (only after a claim taken over as stale): the answer is another person's.
      if (r.aadhaarRef !== claimed.aadhaarRef) throw new AppError('kyc_in_progress');
      await write(tx, r, got);
    });
  } catch (e) {
    await repo.releaseKycCall(db, id);
    throw e;
  }
}

/**
 * Asks the provider for an OTP to the Aadhaar-linked mobile (also the resend). Under the draft's
 * e-KYC claim, so a double click sends one OTP and the resource keeps the transaction of the OTP
 * the resident received (two calls at once could leave it holding the one the provider superseded).
 */
export async function startOtp(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  const r = await resourceInScope(db, actor, id);
  requireStatus(r, 'draft');
  notDone(r);
  if (!r.aadhaarRef || !r.consentAt) throw new AppError('kyc_aadhaar_required');
  let maskedMobile = '';
  await underClaim(
    db,
    ctx,
    id,
    async (c) => {
      if (!c.aadhaarRef) throw new AppError('kyc_aadhaar_required');
      const aadhaar = await vaultGet(db, c.aadhaarRef);
      return ekycAdapterFor(db, { now: () => ctx.now })
        .startOtp(aadhaar, `resource-${id}`)
        .catch(providerError);
    },
    async (tx, now, started) => {
      await repo.updateResource(tx, id, {
        otpTxnId: started.txnId,
        otpMaskedMobile: started.maskedMobile,
        kycStatus: 'otp_sent',
        kycCallAt: null,
        otpSentAt: ctx.now,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: id,
        action: 'kyc_otp',
        departmentId: now.departmentId,
        after: { maskedMobile: started.maskedMobile },
      });
      maskedMobile = started.maskedMobile;
    },
    true,
  );
  return { maskedMobile, resource: await resourceOut(db, actor, id) };
}

/**
 * The OTP: the provider's KYC response is compared with the entry (name in either script, date of
 * birth). Under the draft's e-KYC claim: of twenty at once one is sent to the provider and
 * verifies; the others are told 409 (in progress, or already verified) — not that the OTP expired.
 */
export async function verifyOtp(db: Db, ctx: Ctx, id: number, body: TOtpInput) {
  const actor = actorOf(ctx);
  const r = await resourceInScope(db, actor, id);
  requireStatus(r, 'draft');
  notDone(r);
  if (r.kycStatus !== 'otp_sent' || !r.otpTxnId || !r.aadhaarRef) throw new AppError('kyc_otp_not_started');
  await underClaim(
    db,
    ctx,
    id,
    async (c) => {
      if (c.kycStatus !== 'otp_sent' || !c.otpTxnId || !c.aadhaarRef) throw new AppError('kyc_otp_not_started');
      const aadhaar = await vaultGet(db, c.aadhaarRef);
      const kyc = await ekycAdapterFor(db, { now: () => ctx.now })
        .verifyOtp(c.otpTxnId, aadhaar, body.otp)
        .catch(providerError);
      return kyc;
    },
    async (tx, now, kyc) => {
      // Compared with the entry as it stands now (a correction may have been saved meanwhile).
      const mismatches = kycMismatches(now, kyc);
      await repo.updateResource(tx, id, {
        kycName: kyc.name,
        kycDob: kyc.dob,
        kycGender: kyc.gender,
        kycRefId: kyc.refId,
        kycAt: ctx.now,
        kycMismatches: mismatches,
        kycResolution: null,
        kycResolutionRemark: '',
        kycStatus: mismatches.length ? 'mismatch' : 'verified',
        verificationMethod: 'ekyc_otp',
        otpTxnId: null,
        kycCallAt: null,
        updatedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'resource',
        entityId: id,
        action: 'kyc_verify',
        departmentId: now.departmentId,
        after: { result: mismatches.length ? 'mismatch' : 'verified', mismatches: mismatches.map((m) => m.field), refId: kyc.refId },
      });
    },
  );
  return resourceOut(db, actor, id);
}

/**
 * Resolving the mismatches before submission: `corrected` (the agency changed the entry: it is
 * compared again and must now match) or `explained` (why it differs, kept with the record).
 */
export async function resolveMismatch(db: Db, ctx: Ctx, id: number, body: TResolveInput) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    requireStatus(r, 'draft');
    if (r.kycStatus !== 'mismatch' || r.kycName === null || r.kycDob === null) throw new AppError('kyc_no_mismatch');
    if (body.resolution === 'corrected') {
      const left = kycMismatches(r, { name: r.kycName, dob: r.kycDob });
      if (left.length)
        throw new AppError('kyc_mismatch_unresolved', {
          errors: left.map((m) => ({ field: m.field === 'name' ? 'nameEn' : 'dob', code: 'kyc_mismatch' as const })),
        });
    } else if (body.remark === '') throw new AppError('validation_failed', { errors: [{ field: 'remark', code: 'required' }] });
    await repo.updateResource(tx, id, {
      kycStatus: 'verified',
      kycResolution: body.resolution,
      kycResolutionRemark: body.remark,
      kycMismatches: body.resolution === 'corrected' ? [] : r.kycMismatches,
      updatedAt: ctx.now,
    });
    await recordAudit(tx, ctx, { entity: 'resource', entityId: id, action: 'kyc_resolve', departmentId: r.departmentId, after: body });
  });
  return resourceOut(db, actor, id);
}

/**
 * Alternative verification (department manager) against another identity document when e-KYC is
 * impossible (no linked mobile, or the person declines): the document type, the number (only its
 * last four characters are kept) and the document itself; the record says how identity was verified.
 */
export async function verifyAlternative(db: Db, ctx: Ctx, store: FileStore, id: number, body: TAlternativeInput, file: AcceptedFile) {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const r = await resourceInScope(tx, actor, id, true);
    requireStatus(r, 'draft');
    notDone(r);
    const { file: row } = await saveUpload(tx, store, file, actor.userId, ctx.now);
    const number = body.docNumber.replace(/\s+/g, '');
    await repo.updateResource(tx, id, {
      altDocType: body.docType,
      altDocLast4: number.slice(-4),
      altDocFileId: row.id,
      altRemark: body.remark,
      altBy: actor.userId,
      altAt: ctx.now,
      kycStatus: 'alternative',
      verificationMethod: 'alternative_document',
      updatedAt: ctx.now,
    });
    await recordAudit(tx, ctx, {
      entity: 'resource',
      entityId: id,
      action: 'kyc_alternative',
      departmentId: r.departmentId,
      after: { docType: body.docType, docLast4: number.slice(-4), fileId: row.id, remark: body.remark },
    });
  });
  return resourceOut(db, actor, id);
}
