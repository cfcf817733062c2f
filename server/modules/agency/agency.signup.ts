import { fileLimit } from '../../../shared/domain/file-limits.ts';
import {
  MAX_AGENCY_DOC_BYTES,
  REQUIRED_DOC_KINDS,
  type TAgencyDocKind,
  type TAgencyParticulars,
  type TSignupFields,
} from '../../../shared/contracts/agency.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/password.ts';
import { newOtpCode, newToken, safeEqual, sha256 } from '../../platform/auth/tokens.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError, throwDbError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, saveUpload } from '../../platform/files/files.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import * as users from '../users/index.ts';
import { newUsername, temporaryPassword } from '../users/index.ts';
import * as repo from './agency.repo.ts';

/**
 * How an agency comes to be: the public sign-up (a code by SMS, then the particulars, documents
 * and the admin's own password, in one transaction) and a department's registration (the admin
 * gets a temporary password). Both create the agency pending, with its first admin user.
 */

/** Sign-up codes (as the login / reset OTPs, bar A5): 6 digits, 10 minutes, single use, 5 tries, 5 an hour per mobile. */
export const SIGNUP_OTP_TTL_MS = 10 * 60_000;
export const SIGNUP_OTP_MAX_TRIES = 5;
export const SIGNUP_OTP_MAX_PER_HOUR = 5;
/** Our choice: at most 20 sign-up codes an hour from one address (SMS costs money). */
export const SIGNUP_OTP_MAX_PER_IP_HOUR = 20;

export type AgencyFiles = Partial<Record<TAgencyDocKind, AcceptedFile>>;

/** What the audit trail keeps of the particulars: everything but the bank account in full (bar P3). */
function auditParticulars(p: Omit<TAgencyParticulars, never>) {
  const { bankAccount, ...rest } = p;
  return { ...rest, bankAccountMasked: maskAccount(bankAccount) };
}

function missingDocs(files: AgencyFiles): TFieldError[] {
  const limit = fileLimit(MAX_AGENCY_DOC_BYTES, 'pdf');
  return REQUIRED_DOC_KINDS.filter((k) => !files[k]).map((k) => ({ field: k, code: 'file_required' as const, params: limit }));
}

/**
 * Unique-index races (two sign-ups at once) → the same answers as the checks before them
 * (for `throwDbError`; adding an operator uses it too).
 */
export const AGENCY_UNIQUE_ERRORS = {
  agencies_pan_uq: () => panRegistered(),
  users_mobile_uq: () => fieldError('mobile', 'mobile_registered'),
  users_username_uq: () => usernameTakenError(),
};

function usernameTakenError() {
  return new AppError('username_taken', { errors: [{ field: 'username', code: 'duplicate' }] });
}

/** A second registration of a PAN: told only that it is already registered (nothing of the other agency). */
function panRegistered() {
  return new AppError('agency_pan_registered', { errors: [{ field: 'pan', code: 'pan_registered' }] });
}

async function checkNewAgency(tx: DbOrTx, p: TAgencyParticulars) {
  if (!(await repo.districtActive(tx, p.districtId))) throw fieldError('districtId', 'invalid_value');
  if (await repo.panTaken(tx, p.pan)) throw panRegistered();
  if (await users.mobileRegistered(tx, p.mobile)) throw fieldError('mobile', 'mobile_registered');
}

function particularsOf(p: TAgencyParticulars) {
  return {
    legalName: p.legalName,
    type: p.type,
    pan: p.pan,
    gstin: p.gstin,
    epfoCode: p.epfoCode,
    esicCode: p.esicCode,
    licenceNo: p.licenceNo,
    licenceWorkmen: p.licenceWorkmen,
    licenceValidTo: p.licenceValidTo,
    address: p.address,
    districtId: p.districtId,
    contactName: p.contactName,
    mobile: p.mobile,
    email: p.email,
    bankAccount: p.bankAccount,
    ifsc: p.ifsc,
  };
}

/** Creates the agency (pending), its status event, its documents and its first admin user. */
async function createAgencyWithAdmin(
  tx: DbOrTx,
  ctx: Ctx,
  store: FileStore,
  p: TAgencyParticulars,
  files: AgencyFiles,
  admin: { username: string; passwordHash: string; mustChangePassword: boolean; locale: TLocale },
  via: 'self' | 'department',
  registeredDepartmentId: number | null = null,
) {
  await checkNewAgency(tx, p);
  const byUser = ctx.actor?.userId ?? null;
  const agency = await repo.insertAgency(tx, {
    ...particularsOf(p),
    status: 'pending',
    registeredVia: via,
    registeredBy: byUser,
    registeredDepartmentId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await repo.insertStatusEvent(tx, { agencyId: agency.id, fromStatus: null, toStatus: 'pending', byUser, at: ctx.now });
  const docs: { kind: string; sha256: string; name: string }[] = [];
  for (const [kind, file] of Object.entries(files) as [TAgencyDocKind, AcceptedFile][]) {
    const saved = await saveUpload(tx, store, file, byUser, ctx.now);
    await repo.insertDocument(tx, { agencyId: agency.id, kind, fileId: saved.file.id, uploadedBy: byUser, createdAt: ctx.now });
    docs.push({ kind, sha256: file.sha256, name: file.safeName });
  }
  await recordAudit(tx, ctx, {
    entity: 'agency',
    entityId: agency.id,
    action: 'registered',
    after: { ...auditParticulars(p), status: 'pending', registeredVia: via, documents: docs },
  });
  const { user } = await users.createUserWithAssignment(
    tx,
    ctx,
    {
      username: admin.username,
      name: p.contactName,
      mobile: p.mobile,
      passwordHash: admin.passwordHash,
      mustChangePassword: admin.mustChangePassword,
      locale: admin.locale,
    },
    { role: 'agency_admin', scopeKind: 'agency', scopeId: agency.id, officialEmail: p.email },
  );
  return { agency, user };
}

/** The districts the sign-up form offers (public: the caller has no login yet). */
export async function signupDistricts(db: Db) {
  return repo.activeDistricts(db);
}

/**
 * Sign-up step 1: a 6-digit code by SMS to the mobile, bound to a fresh request id. Only hashes
 * are stored. At most 5 codes an hour per mobile and 20 per address, else 429.
 */
export async function requestSignupOtp(db: Db, ctx: Ctx, mobile: string) {
  const since = new Date(ctx.now.getTime() - 3600_000);
  const requestId = newToken();
  return db.transaction(async (tx) => {
    // One after the other: queries on one transaction's connection do not run in parallel (pg warns).
    const byMobile = await repo.countSignupOtpsSince(tx, { mobile }, since);
    const byIp = await repo.countSignupOtpsSince(tx, { ip: ctx.ip }, since);
    if (byMobile >= SIGNUP_OTP_MAX_PER_HOUR || byIp >= SIGNUP_OTP_MAX_PER_IP_HOUR) throw new AppError('rate_limited');
    const code = newOtpCode();
    await repo.insertSignupOtp(tx, {
      mobile,
      requestHash: sha256(requestId),
      codeHash: sha256(`${requestId}:${mobile}:${code}`),
      ip: ctx.ip,
      createdAt: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + SIGNUP_OTP_TTL_MS),
    });
    await recordAudit(tx, ctx, { entity: 'agency_signup', action: 'signup_otp_sent', after: { mobile } });
    await enqueueMessage(tx, { channel: 'sms', recipient: mobile, template: 'agency.sms.signup_otp', params: { code }, locale: ctx.locale });
    return { requestId, expiresInSeconds: SIGNUP_OTP_TTL_MS / 1000 };
  });
}

class WrongCode extends Error {
  constructor(readonly otpId: number) {
    super('wrong code');
  }
}

/**
 * Sign-up step 2, in ONE transaction: the code (bound to the request id and the mobile), the
 * particulars, the documents, the admin user. Any failure saves nothing — except that a wrong
 * code counts as a try (the fifth burns it), written after the rollback.
 */
export async function signup(db: Db, ctx: Ctx, store: FileStore, f: TSignupFields, files: AgencyFiles) {
  const missing = missingDocs(files);
  if (missing.length) throw new AppError('file_required', { params: fileLimit(MAX_AGENCY_DOC_BYTES, 'pdf'), errors: missing });
  const pw = passwordProblem(f.password, f.username);
  if (pw) throw fieldError('password', pw);
  const passwordHash = await hashPassword(f.password);
  const { requestId, otp, username, password: _pw, ...particulars } = f;
  try {
    return await db.transaction(async (tx) => {
      const row = await repo.lockSignupOtp(tx, sha256(requestId));
      // The code spent by a twin of this very sign-up (a double click): the agency is registered, say so (409), not "code expired".
      if (row?.usedAt && safeEqual(row.codeHash, sha256(`${requestId}:${f.mobile}:${otp}`)) && (await repo.panTaken(tx, f.pan))) throw panRegistered();
      if (!row || row.usedAt || row.expiresAt <= ctx.now || row.attempts >= SIGNUP_OTP_MAX_TRIES) {
        throw new AppError('otp_expired', { errors: [{ field: 'otp', code: 'invalid_value' }] });
      }
      if (!safeEqual(row.codeHash, sha256(`${requestId}:${f.mobile}:${otp}`))) throw new WrongCode(row.id);
      await repo.markSignupOtp(tx, row.id, { usedAt: ctx.now, attempts: row.attempts + 1 });
      if (await users.usernameTaken(tx, username)) throw usernameTakenError();
      const { agency, user } = await createAgencyWithAdmin(
        tx,
        ctx,
        store,
        particulars,
        files,
        { username, passwordHash, mustChangePassword: false, locale: ctx.locale },
        'self',
      );
      await enqueueMessage(tx, {
        channel: 'sms',
        recipient: agency.mobile,
        template: 'agency.sms.signed_up',
        params: { name: agency.legalName, username: user.username },
        locale: ctx.locale,
      });
      return { agencyId: agency.id, username: user.username, status: agency.status };
    });
  } catch (e) {
    if (e instanceof WrongCode) {
      await repo.countWrongSignupTry(db, e.otpId);
      throw new AppError('otp_invalid', { errors: [{ field: 'otp', code: 'invalid_value' }] });
    }
    throwDbError(e, AGENCY_UNIQUE_ERRORS);
  }
}

// --- Department registration ------------------------------------------------------------------

/**
 * A department registers an agency: pending, with an agency admin user whose temporary password
 * goes by SMS to the agency's mobile and must be changed at first login (as office users).
 */
export async function registerAgency(db: Db, ctx: Ctx, store: FileStore, p: TAgencyParticulars, files: AgencyFiles) {
  // The registering department may later verify the agency (issue 11 finding 7); Finance has none.
  const { departmentId } = await reachOf(db, actorOf(ctx));
  const missing = missingDocs(files);
  if (missing.length) throw new AppError('file_required', { params: fileLimit(MAX_AGENCY_DOC_BYTES, 'pdf'), errors: missing });
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  try {
    return await db.transaction(async (tx) => {
      const username = await newUsername(tx, p.contactName, p.mobile);
      const { agency, user } = await createAgencyWithAdmin(
        tx,
        ctx,
        store,
        p,
        files,
        { username, passwordHash, mustChangePassword: true, locale: 'hi' },
        'department',
        departmentId,
      );
      await enqueueMessage(tx, {
        channel: 'sms',
        recipient: user.mobile,
        template: 'auth.sms.new_user',
        params: { username: user.username, password },
        locale: user.locale,
      });
      await enqueueMessage(tx, {
        channel: 'sms',
        recipient: agency.mobile,
        template: 'agency.sms.registered',
        params: { name: agency.legalName },
        locale: user.locale,
      });
      return { agencyId: agency.id, username: user.username };
    });
  } catch (e) {
    throwDbError(e, AGENCY_UNIQUE_ERRORS);
  }
}
