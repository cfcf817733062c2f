import {
  REQUIRED_DOC_KINDS,
  type TAgency,
  type TAgencyBadge,
  type TAgencyDocKind,
  type TAgencyListQuery,
  type TAgencyParticulars,
  type TAgencyStatus,
  type TAgencySummary,
  type TOperator,
  type TSignupFields,
  type TStatusAction,
} from '../../../shared/contracts/agency.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/password.ts';
import { newOtpCode, newToken, safeEqual, sha256 } from '../../platform/auth/tokens.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import { AppError, fieldError, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { claimAlert } from '../../platform/outbox/alerts.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import * as users from '../users/index.ts';
import { newUsername, temporaryPassword } from '../users/index.ts';
import { agencyAccess } from './agency.policy.ts';
import * as repo from './agency.repo.ts';
import { alertHorizon, canMove, contractability, licenceAlert, roleMayMove, STATUS_MOVES, seesFullBankAccount, type TContractability } from './agency.rules.ts';

/** Sign-up codes (as the login / reset OTPs, bar A5): 6 digits, 10 minutes, single use, 5 tries, 5 an hour per mobile. */
export const SIGNUP_OTP_TTL_MS = 10 * 60_000;
export const SIGNUP_OTP_MAX_TRIES = 5;
export const SIGNUP_OTP_MAX_PER_HOUR = 5;
/** Our choice: at most 20 sign-up codes an hour from one address (SMS costs money). */
export const SIGNUP_OTP_MAX_PER_IP_HOUR = 20;

export type AgencyFiles = Partial<Record<TAgencyDocKind, AcceptedFile>>;

// --- Helpers ----------------------------------------------------------------------------------

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('forbidden');
  return ctx.actor;
}

function ownAgencyId(actor: Actor): number {
  if (actor.scopeKind !== 'agency') throw new AppError('not_found');
  return actor.scopeId;
}

type SummaryRow = Awaited<ReturnType<typeof repo.listAgencies>>['items'][number];

function summaryOut(r: SummaryRow, today: string): TAgencySummary {
  return {
    id: r.id,
    legalName: r.legalName,
    type: r.type,
    pan: r.pan,
    gstin: r.gstin,
    districtId: r.districtId,
    districtNameEn: r.districtNameEn,
    districtNameHi: r.districtNameHi,
    status: r.status,
    licenceValidTo: r.licenceValidTo,
    licenceWorkmen: r.licenceWorkmen,
    licenceAlert: alertFor(r.status, r.licenceValidTo, today),
    registeredVia: r.registeredVia,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Rejected and blacklisted agencies get no licence alert (they cannot work anyway). */
function alertFor(status: TAgencyStatus, validTo: string, today: string) {
  return status === 'rejected' || status === 'blacklisted' ? null : licenceAlert(validTo, today);
}

/** What the audit trail keeps of the particulars: everything but the bank account in full (bar P3). */
function auditParticulars(p: Omit<TAgencyParticulars, never>) {
  const { bankAccount, ...rest } = p;
  return { ...rest, bankAccountMasked: maskAccount(bankAccount) };
}

async function agencyOut(db: DbOrTx, actor: Actor, id: number, today: string): Promise<TAgency> {
  const found = await repo.getAgency(db, id);
  if (!found) throw new AppError('not_found');
  const a = found.a;
  const [events, docs] = await Promise.all([repo.listStatusEvents(db, id), repo.listDocuments(db, id)]);
  const latest = new Set<string>();
  const full = seesFullBankAccount(actor.role);
  return {
    ...summaryOut({ ...a, districtNameEn: found.districtNameEn, districtNameHi: found.districtNameHi }, today),
    epfoCode: a.epfoCode,
    esicCode: a.esicCode,
    licenceNo: a.licenceNo,
    address: a.address,
    contactName: a.contactName,
    mobile: a.mobile,
    email: a.email,
    bankAccount: full ? a.bankAccount : maskAccount(a.bankAccount),
    bankAccountMasked: !full,
    ifsc: a.ifsc,
    statusReason: a.statusReason,
    statusOrderRef: a.statusOrderRef,
    statusFrom: a.statusFrom,
    statusTo: a.statusTo,
    verifiedAt: a.verifiedAt ? a.verifiedAt.toISOString() : null,
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    documents: docs.map((d) => {
      const superseded = latest.has(d.kind) && d.kind !== 'other';
      latest.add(d.kind);
      return { id: d.id, kind: d.kind, name: d.name, sizeBytes: Number(d.sizeBytes), sha256: d.sha256, uploadedAt: d.uploadedAt.toISOString(), superseded };
    }),
  };
}

/** The agency's admins and operators (users module: users holding a role in the agency's scope). */
function listAgencyUsers(db: DbOrTx, agencyId: number) {
  return users.listScopeMembers(db, { scopeKind: 'agency', scopeId: agencyId, roles: ['agency_admin', 'agency_operator'] });
}

/** The locale an agency's messages go out in: its first active admin's, else Hindi. */
async function agencyLocale(db: DbOrTx, agencyId: number): Promise<TLocale> {
  const us = await listAgencyUsers(db, agencyId);
  return us.find((u) => u.role === 'agency_admin' && u.active)?.locale ?? 'hi';
}

function missingDocs(files: AgencyFiles): TFieldError[] {
  return REQUIRED_DOC_KINDS.filter((k) => !files[k]).map((k) => ({ field: k, code: 'file_required' as const }));
}

/** Unique-index races (two sign-ups at once) → the same answers as the checks before them. */
function uniqueOr(e: unknown): never {
  if (isUniqueViolation(e)) {
    const c = pgConstraint(e) ?? '';
    if (c === 'agencies_pan_uq') throw panRegistered();
    if (c === 'users_mobile_uq') throw fieldError('mobile', 'mobile_registered');
    if (c === 'users_username_uq') throw new AppError('username_taken', { errors: [{ field: 'username', code: 'duplicate' }] });
  }
  throw e;
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
) {
  await checkNewAgency(tx, p);
  const byUser = ctx.actor?.userId ?? null;
  const agency = await repo.insertAgency(tx, { ...particularsOf(p), status: 'pending', registeredVia: via, registeredBy: byUser, createdAt: ctx.now, updatedAt: ctx.now });
  await repo.insertStatusEvent(tx, { agencyId: agency.id, fromStatus: null, toStatus: 'pending', byUser, at: ctx.now });
  const docs: { kind: string; sha256: string; name: string }[] = [];
  for (const [kind, file] of Object.entries(files) as [TAgencyDocKind, AcceptedFile][]) {
    const saved = await saveUpload(tx, store, file, byUser, ctx.now);
    await repo.insertDocument(tx, { agencyId: agency.id, kind, fileId: saved.file.id, uploadedBy: byUser, createdAt: ctx.now });
    docs.push({ kind, sha256: file.sha256, name: file.safeName });
  }
  await recordAudit(tx, ctx, { entity: 'agency', entityId: agency.id, action: 'registered', after: { ...auditParticulars(p), status: 'pending', registeredVia: via, documents: docs } });
  const { user } = await users.createUserWithAssignment(
    tx,
    ctx,
    { username: admin.username, name: p.contactName, mobile: p.mobile, passwordHash: admin.passwordHash, mustChangePassword: admin.mustChangePassword, locale: admin.locale },
    { role: 'agency_admin', scopeKind: 'agency', scopeId: agency.id, officialEmail: p.email },
  );
  return { agency, user };
}

// --- Queries ----------------------------------------------------------------------------------

export async function listAgencies(db: Db, ctx: Ctx, q: TAgencyListQuery) {
  const actor = actorOf(ctx);
  const today = todayIst(ctx.now);
  const scope = sourceCondition(await reachOf(db, actor), agencyAccess);
  const { items, total } = await repo.listAgencies(db, { ...q, scope, alertBefore: alertHorizon(today) });
  return { items: items.map((r) => summaryOut(r, today)), total, page: q.page, pageSize: q.pageSize };
}

export async function getAgency(db: Db, ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, agencyAccess, id);
  return agencyOut(db, actor, id, todayIst(ctx.now));
}

/** "My agency": the agency of an agency user's role; other roles have none (404). */
export async function myAgency(db: Db, ctx: Ctx) {
  const actor = actorOf(ctx);
  return agencyOut(db, actor, ownAgencyId(actor), todayIst(ctx.now));
}

export async function listDocuments(db: Db, ctx: Ctx, id: number) {
  return (await getAgency(db, ctx, id)).documents;
}

export async function getDocumentFile(db: Db, ctx: Ctx, store: FileStore, id: number, docId: number) {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, agencyAccess, id);
  const doc = await repo.getDocument(db, id, docId);
  if (!doc) throw new AppError('not_found');
  const file = await getStoredFile(db, doc.fileId);
  if (!file) throw new AppError('not_found');
  const bytes = await store.get(file.storageKey);
  return { bytes, name: file.originalName };
}

/** 404 unless the caller is this agency's admin (routes call it before reading an upload). */
export function assertOwnAgency(ctx: Ctx, id: number) {
  const actor = actorOf(ctx);
  if (ownAgencyId(actor) !== id) throw new AppError('not_found');
}

/** The agency admin adds a document (a newer one of a kind supersedes the older; nothing is deleted). */
export async function uploadDocument(db: Db, ctx: Ctx, store: FileStore, id: number, kind: TAgencyDocKind, file: AcceptedFile) {
  const actor = actorOf(ctx);
  assertOwnAgency(ctx, id);
  await db.transaction(async (tx) => {
    if (!(await repo.getAgencyRow(tx, id))) throw new AppError('not_found');
    const saved = await saveUpload(tx, store, file, actor.userId, ctx.now);
    const doc = await repo.insertDocument(tx, { agencyId: id, kind, fileId: saved.file.id, uploadedBy: actor.userId, createdAt: ctx.now });
    await recordAudit(tx, ctx, { entity: 'agency_document', entityId: doc.id, action: 'uploaded', after: { agencyId: id, kind, sha256: file.sha256, sizeBytes: file.sizeBytes, name: file.safeName, duplicateOfFileId: saved.duplicateOfFileId } });
  });
  return agencyOut(db, actor, id, todayIst(ctx.now));
}

// --- Public sign-up ---------------------------------------------------------------------------

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
  if (missing.length) throw new AppError('file_required', { errors: missing });
  const pw = passwordProblem(f.password, f.username);
  if (pw) throw fieldError('password', pw);
  const passwordHash = await hashPassword(f.password);
  const { requestId, otp, username, password: _pw, ...particulars } = f;
  try {
    return await db.transaction(async (tx) => {
      const row = await repo.lockSignupOtp(tx, sha256(requestId));
      if (!row || row.usedAt || row.expiresAt <= ctx.now || row.attempts >= SIGNUP_OTP_MAX_TRIES) {
        throw new AppError('otp_expired', { errors: [{ field: 'otp', code: 'invalid_value' }] });
      }
      if (!safeEqual(row.codeHash, sha256(`${requestId}:${f.mobile}:${otp}`))) throw new WrongCode(row.id);
      await repo.markSignupOtp(tx, row.id, { usedAt: ctx.now, attempts: row.attempts + 1 });
      if (await users.usernameTaken(tx, username)) throw new AppError('username_taken', { errors: [{ field: 'username', code: 'duplicate' }] });
      const { agency, user } = await createAgencyWithAdmin(tx, ctx, store, particulars, files, { username, passwordHash, mustChangePassword: false, locale: ctx.locale }, 'self');
      await enqueueMessage(tx, { channel: 'sms', recipient: agency.mobile, template: 'agency.sms.signed_up', params: { name: agency.legalName, username: user.username }, locale: ctx.locale });
      return { agencyId: agency.id, username: user.username, status: agency.status };
    });
  } catch (e) {
    if (e instanceof WrongCode) {
      await repo.countWrongSignupTry(db, e.otpId);
      throw new AppError('otp_invalid', { errors: [{ field: 'otp', code: 'invalid_value' }] });
    }
    return uniqueOr(e);
  }
}

// --- Department registration ------------------------------------------------------------------

/**
 * A department registers an agency: pending, with an agency admin user whose temporary password
 * goes by SMS to the agency's mobile and must be changed at first login (as office users).
 */
export async function registerAgency(db: Db, ctx: Ctx, store: FileStore, p: TAgencyParticulars, files: AgencyFiles) {
  actorOf(ctx);
  const missing = missingDocs(files);
  if (missing.length) throw new AppError('file_required', { errors: missing });
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  try {
    return await db.transaction(async (tx) => {
      const username = await newUsername(tx, p.contactName, p.mobile);
      const { agency, user } = await createAgencyWithAdmin(tx, ctx, store, p, files, { username, passwordHash, mustChangePassword: true, locale: 'hi' }, 'department');
      await enqueueMessage(tx, { channel: 'sms', recipient: user.mobile, template: 'auth.sms.new_user', params: { username: user.username, password }, locale: user.locale });
      await enqueueMessage(tx, { channel: 'sms', recipient: agency.mobile, template: 'agency.sms.registered', params: { name: agency.legalName }, locale: user.locale });
      return { agencyId: agency.id, username: user.username };
    });
  } catch (e) {
    return uniqueOr(e);
  }
}

// --- Verification -----------------------------------------------------------------------------

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
    const event = { reason: body.reason ?? body.remark ?? '', orderRef: sanction ? (body.orderRef ?? '') : '', periodFrom: sanction ? (body.periodFrom ?? null) : null, periodTo: sanction ? (body.periodTo ?? null) : null };
    await repo.insertStatusEvent(tx, { agencyId: id, fromStatus: current.status, toStatus: to, ...event, byUser: actor.userId, at: ctx.now });
    await recordAudit(tx, ctx, { entity: 'agency', entityId: id, action: `status_${action === 'reinstate' ? 'reinstated' : to}`, before: { status: current.status }, after: { status: to, ...event } });
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

// --- Operators --------------------------------------------------------------------------------

function operatorOut(r: Awaited<ReturnType<typeof listAgencyUsers>>[number]): TOperator {
  return {
    userId: r.userId,
    assignmentId: r.assignmentId,
    name: r.name,
    username: r.username,
    mobile: r.mobile,
    role: r.role as TOperator['role'],
    active: r.active && r.userStatus === 'active',
    mustChangePassword: r.mustChangePassword,
  };
}

export async function listOperators(db: Db, ctx: Ctx) {
  const agencyId = ownAgencyId(actorOf(ctx));
  return { items: (await listAgencyUsers(db, agencyId)).map(operatorOut) };
}

/** The agency admin adds an operator: a new user (temporary password by SMS, changed at first login). */
export async function addOperator(db: Db, ctx: Ctx, body: { name: string; mobile: string }) {
  const actor = actorOf(ctx);
  const agencyId = ownAgencyId(actor);
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  try {
    return await db.transaction(async (tx) => {
      if (!(await repo.getAgencyRow(tx, agencyId))) throw new AppError('not_found');
      if (await users.mobileRegistered(tx, body.mobile)) throw fieldError('mobile', 'mobile_registered');
      const username = await newUsername(tx, body.name, body.mobile);
      const { user, assignment: a } = await users.createUserWithAssignment(
        tx,
        ctx,
        { username, name: body.name, mobile: body.mobile, passwordHash, mustChangePassword: true },
        { role: 'agency_operator', scopeKind: 'agency', scopeId: agencyId },
        { action: 'operator_added' },
      );
      await enqueueMessage(tx, { channel: 'sms', recipient: user.mobile, template: 'auth.sms.new_user', params: { username, password }, locale: user.locale });
      return { userId: user.id, assignmentId: a.id, username };
    });
  } catch (e) {
    return uniqueOr(e);
  }
}

/** Ends an operator's role in the agency (sessions end); a user left with no role is deactivated. */
export async function removeOperator(db: Db, ctx: Ctx, assignmentId: number) {
  const actor = actorOf(ctx);
  const agencyId = ownAgencyId(actor);
  await db.transaction(async (tx) => {
    const a = await users.lockAssignment(tx, assignmentId);
    if (!a || a.scopeKind !== 'agency' || a.scopeId !== agencyId || a.role !== 'agency_operator') throw new AppError('not_found');
    if (!a.active) return;
    await users.endAssignment(tx, a.id, ctx.now);
    const others = await users.otherActiveAssignments(tx, a.userId, a.id);
    if (others === 0) await users.setUserStatus(tx, a.userId, 'inactive', ctx.now);
    await recordAudit(tx, ctx, { entity: 'role_assignment', entityId: a.id, action: 'operator_removed', before: { userId: a.userId, role: a.role, active: true }, after: { active: false, userDeactivated: others === 0 } });
  });
  return listOperators(db, ctx);
}

// --- For other modules ------------------------------------------------------------------------

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
  return { id: a.id, legalName: a.legalName, status: a.status, statusOrderRef: a.statusOrderRef, statusFrom: a.statusFrom, statusTo: a.statusTo, licenceAlert: alertFor(a.status, a.licenceValidTo, today) };
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
      await recordAudit(tx, { actor: null, ip: '' }, { entity: 'agency', entityId: a.id, action: kind, after: { licenceValidTo: a.licenceValidTo, days: alert.days } });
      return true;
    });
    if (queued) sent++;
  }
  return sent;
}
