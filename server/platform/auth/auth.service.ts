import { MONEY_ROLES, type TRole, type TScopeKind } from '../../../shared/roles.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor, Ctx } from '../context.ts';
import { AppError, fieldError } from '../errors.ts';
import { enqueueMessage } from '../outbox/outbox.service.ts';
import { rememberReach } from '../access/access.ts';
import * as repo from './auth.repo.ts';
import { loadSessionBatched } from './session-batch.ts';
import { dummyVerify, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { newOtpCode, newToken, safeEqual, sha256 } from './tokens.ts';

/** Bar A7: idle 30 min (15 for money roles), absolute 12 h. */
export const IDLE_MS = 30 * 60_000;
export const IDLE_MONEY_MS = 15 * 60_000;
export const ABSOLUTE_MS = 12 * 3600_000;
/** Bar A6: at most 100 failed logins per account per hour. */
export const MAX_FAILURES_PER_HOUR = 100;
/**
 * Progressive delay instead of a lockout (issue 11 finding 2). Our choice: 5 failures in an hour
 * are free; after that each attempt must wait 2^k seconds after the previous failure (1, 2, 4 …),
 * capped at 60 s — a real user is slowed, never shut out for long; an attacker gets ≈ 70 guesses
 * an hour per account instead of 100.
 */
export const FREE_FAILURES = 5;
export const MAX_DELAY_S = 60;
/** Failures from one address across all accounts per hour (password spraying); our choice. */
export const MAX_FAILURES_PER_ADDRESS_PER_HOUR = 300;

/** Seconds to wait after the latest failure when the account has `failures` in the window. */
export function throttleDelayS(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_S, 2 ** (failures - FREE_FAILURES));
}
/** OTPs (bar A5): 6 digits, single use, valid 10 minutes, 5 tries, at most 5 issued per hour. */
export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_TRIES = 5;
export const OTP_MAX_PER_HOUR = 5;

export type LoadedSession = {
  id: string;
  csrfToken: string;
  userId: number;
  userName: string;
  username: string;
  locale: TLocale;
  mustChangePassword: boolean;
  actor: Actor | null;
};

function actorFrom(user: { id: number; name: string }, a: { id: number; role: string; scopeKind: string; scopeId: number } | null): Actor | null {
  if (!a) return null;
  return { userId: user.id, name: user.name, assignmentId: a.id, role: a.role as TRole, scopeKind: a.scopeKind as TScopeKind, scopeId: a.scopeId };
}

/**
 * Resolves a session cookie. Returns null (and revokes the session) when it is unknown,
 * revoked, idle too long, past its absolute lifetime, or its user or assignment is inactive.
 * `lastSeenAt` is written at most once a minute to keep reads cheap. Read fresh on every request,
 * batched with the other requests of the moment (session-batch.ts): never from a cache, so a
 * logout or deactivation on any instance holds from the next request on.
 */
export async function resolveSession(db: Db, token: string, now: Date): Promise<LoadedSession | null> {
  const id = sha256(token);
  const row = await loadSessionBatched(db, id);
  if (!row) return null;
  const { session, user, assignment, place } = row;
  const money = assignment ? MONEY_ROLES.includes(assignment.role as TRole) : false;
  const idle = money ? IDLE_MONEY_MS : IDLE_MS;
  const expired = now.getTime() - session.lastSeenAt.getTime() > idle || now >= session.expiresAt;
  const dead = user.status !== 'active' || (assignment !== null && !assignment.active);
  if (expired || dead) {
    await repo.revokeSession(db, id, now);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await repo.touchSession(db, id, now);
  const actor = actorFrom(user, assignment);
  // The scope's place came with the session: the access layer need not look it up again.
  if (actor)
    rememberReach(actor, {
      scopeKind: actor.scopeKind,
      scopeId: actor.scopeId,
      departmentId: place?.departmentId ?? null,
      hodId: place?.hodId ?? null,
      officeId: place?.officeId ?? null,
    });
  return {
    id,
    csrfToken: session.csrfToken,
    userId: user.id,
    userName: user.name,
    username: user.username,
    locale: user.locale,
    mustChangePassword: user.mustChangePassword,
    actor,
  };
}

export type LoginResult = { token: string; csrfToken: string; userId: number };

/**
 * What was typed as the user id, as it may be recorded (bar P3): people type their mobile or
 * Aadhaar number there, so any run of 8+ digits keeps only its last four (XXXXXX3210).
 */
export function maskTypedUsername(typed: string): string {
  return typed.slice(0, 128).replace(/\d(?:[\s-]?\d){7,}/g, (m) => {
    const digits = m.replace(/\D/g, '');
    return 'X'.repeat(digits.length - 4) + digits.slice(-4);
  });
}

/**
 * Logs in. Every attempt is recorded and audited; a wrong user id and a wrong password look
 * the same from outside (same error, same hashing work). Throttling (bar A6): a progressive
 * delay per account after 5 failures (capped at 60 s), at most 100 failures an hour, and a
 * limit per address across accounts; from an address the account logged in from in the last
 * 30 days only that address's failures count, so an attacker elsewhere cannot lock out the
 * real user. Password checks pass through a bounded gate (`hashGate`). A new session token is
 * issued at every login and any previous one is revoked (rotation).
 */
export async function login(
  db: Db,
  ctx: Ctx,
  input: { username: string; password: string; previousToken?: string | undefined; userAgent?: string; failuresPerMinute?: number },
): Promise<LoginResult> {
  const now = ctx.now;
  const hourAgo = new Date(now.getTime() - 3600_000);
  const typed = maskTypedUsername(input.username);
  const known = await repo.isKnownAddress(db, input.username, ctx.ip, new Date(now.getTime() - 30 * 86400_000));
  // The global cap (finding 2): a flood of failures from everywhere is refused before any lock
  // or hash, so the server stays responsive. Our choice: an address the account logged in from
  // recently is let through (its own limits still apply), so a flood cannot lock real users out.
  const cap = input.failuresPerMinute ?? 0;
  if (cap > 0 && !known) {
    const g = await repo.countFailuresSince(db, new Date(now.getTime() - 60_000));
    if (g.n >= cap) {
      const retryAfterS = g.oldest ? Math.max(1, Math.ceil((g.oldest.getTime() + 60_000 - now.getTime()) / 1000)) : 60;
      throw new AppError('too_many_attempts', { params: { retryAfter: retryAfterS } });
    }
  }
  // Decide and reserve in one transaction under the account's and the address's locks: the
  // attempt is recorded as a failure before the password is checked (and turned into a success
  // after), so parallel attempts each see the ones before them.
  const decision = await db.transaction(async (tx) => {
    await repo.lockThrottleKeys(tx, typed, ctx.ip);
    const f = await repo.countRecentFailures(tx, typed, ctx.ip, hourAgo);
    // From an address this account logged in from, only failures from that address count, so
    // an attacker elsewhere (or one spoofing nothing: X-Forwarded-For is trusted only from the
    // configured proxies) cannot slow the real user down.
    const failures = known ? f.fromIp : f.all;
    const last = known ? f.lastFromIp : f.lastAll;
    if (!known && f.address >= MAX_FAILURES_PER_ADDRESS_PER_HOUR) return { refused: true, retryAfterS: MAX_DELAY_S, attemptId: 0 } as const;
    if (failures >= MAX_FAILURES_PER_HOUR) return { refused: true, retryAfterS: MAX_DELAY_S, attemptId: 0 } as const;
    const waitMs = throttleDelayS(failures) * 1000 - (last ? now.getTime() - last.getTime() : Number.POSITIVE_INFINITY);
    if (waitMs > 0) return { refused: true, retryAfterS: waitMs / 1000, attemptId: 0 } as const;
    const attemptId = await repo.recordLoginAttempt(tx, { username: typed, userId: null, ip: ctx.ip, success: false, at: now });
    return { refused: false, retryAfterS: 0, attemptId } as const;
  });
  if (decision.refused) {
    await db.transaction(async (tx) => {
      await recordAudit(tx, ctx, { entity: 'session', entityId: typed.slice(0, 64), action: 'login_throttled' });
    });
    throw new AppError('too_many_attempts', { params: { retryAfter: Math.ceil(decision.retryAfterS) } });
  }
  const user = await repo.findUserByUsername(db, input.username);
  let ok: boolean;
  try {
    ok = user ? await verifyPassword(user.passwordHash, input.password, { priority: known }) : await dummyVerify(input.password);
  } catch (e) {
    // The hash gate refused (429 rate_limited): the password was never checked, so it is no failure.
    await repo.deleteAttempt(db, decision.attemptId);
    throw e;
  }
  if (!user || !ok || user.status !== 'active') {
    await db.transaction(async (tx) => {
      await recordAudit(tx, ctx, { entity: 'session', entityId: typed.slice(0, 64), action: 'login_failed' });
    });
    throw new AppError('invalid_credentials');
  }
  const assignments = await repo.listAssignments(db, user.id);
  const token = newToken();
  const csrfToken = newToken();
  await db.transaction(async (tx) => {
    if (input.previousToken) await repo.revokeSession(tx, sha256(input.previousToken), now);
    await repo.insertSession(tx, {
      id: sha256(token),
      userId: user.id,
      assignmentId: assignments.length === 1 ? assignments[0]!.id : null,
      csrfToken,
      ip: ctx.ip,
      userAgent: (input.userAgent ?? '').slice(0, 300),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ABSOLUTE_MS),
    });
    await repo.markAttemptSucceeded(tx, decision.attemptId, user.id);
    const a = assignments.length === 1 ? assignments[0]! : null;
    await recordAudit(
      tx,
      { ...ctx, actor: actorFrom(user, a) ?? { userId: user.id, name: user.name, assignmentId: 0, role: 'resource', scopeKind: 'self', scopeId: user.id } },
      {
        entity: 'session',
        entityId: user.id,
        action: 'login',
      },
    );
  });
  return { token, csrfToken, userId: user.id };
}

/** Logs out everywhere (bar A7: logout ends every session of the user, not only this one). */
export async function logout(db: Db, ctx: Ctx, session: LoadedSession): Promise<void> {
  await db.transaction(async (tx) => {
    // A second logout at once (a double click, two tabs) finds nothing left to end: not audited again.
    if ((await repo.revokeAllSessions(tx, session.userId, ctx.now)) === 0) return;
    await recordAudit(tx, ctx, { entity: 'session', entityId: session.userId, action: 'logout' });
  });
}

/** Picks the role assignment to act in; only the user's own active assignments. */
export async function switchAssignment(db: Db, ctx: Ctx, session: LoadedSession, assignmentId: number): Promise<void> {
  const a = await repo.findAssignment(db, assignmentId);
  if (!a || a.userId !== session.userId || !a.active) throw new AppError('not_found');
  await db.transaction(async (tx) => {
    // The same switch twice at once: the second finds the session on it already — nothing to write or audit.
    const live = await repo.lockSession(tx, session.id);
    if (!live || live.revokedAt) throw new AppError('session_expired');
    if (live.assignmentId === a.id) return;
    await repo.setSessionAssignment(tx, session.id, a.id);
    await recordAudit(
      tx,
      { ...ctx, actor: actorFrom({ id: session.userId, name: session.userName }, a) },
      { entity: 'session', entityId: session.userId, action: 'switch_assignment', after: { assignmentId: a.id, role: a.role } },
    );
  });
}

/**
 * Changes the password: the current one must be right, the new one must pass the policy and
 * differ. Every session of the user ends (bar A7); the caller gets a fresh one.
 */
export async function changePassword(
  db: Db,
  ctx: Ctx,
  session: LoadedSession,
  input: { currentPassword: string; newPassword: string; userAgent?: string },
): Promise<LoginResult> {
  const user = await repo.findUserById(db, session.userId);
  if (!user) throw new AppError('unauthenticated');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw fieldError('currentPassword', 'password_wrong');
  const problem = passwordProblem(input.newPassword, user.username);
  if (problem) throw fieldError('newPassword', problem);
  if (input.currentPassword === input.newPassword) throw fieldError('newPassword', 'password_same');
  const hash = await hashPassword(input.newPassword);
  const token = newToken();
  const csrfToken = newToken();
  await db.transaction(async (tx) => {
    // Changed meanwhile by another request of this user (a double click, two tabs): the current
    // password checked above is no longer the one in force, and that change ended this session.
    const now = await repo.lockUser(tx, user.id);
    if (!now || now.passwordHash !== user.passwordHash) throw new AppError('password_already_changed');
    await repo.updatePassword(tx, user.id, hash, false, ctx.now);
    await repo.revokeAllSessions(tx, user.id, ctx.now);
    await repo.insertSession(tx, {
      id: sha256(token),
      userId: user.id,
      assignmentId: session.actor?.assignmentId ?? null,
      csrfToken,
      ip: ctx.ip,
      userAgent: (input.userAgent ?? '').slice(0, 300),
      createdAt: ctx.now,
      lastSeenAt: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + ABSOLUTE_MS),
    });
    await recordAudit(tx, ctx, { entity: 'user', entityId: user.id, action: 'password_changed' });
  });
  return { token, csrfToken, userId: user.id };
}

/** Issues a one-time code bound to `bindingId` (a login or a reset request). */
export async function issueOtp(
  db: Parameters<typeof repo.insertOtp>[0],
  userId: number,
  purpose: 'password_reset' | 'second_factor',
  bindingId: string,
  now: Date,
): Promise<string | null> {
  await repo.lockOtpIssue(db, userId, purpose);
  const recent = await repo.countOtpsSince(db, userId, purpose, new Date(now.getTime() - 3600_000));
  if (recent >= OTP_MAX_PER_HOUR) return null;
  const code = newOtpCode();
  await repo.insertOtp(db, {
    userId,
    purpose,
    bindingId,
    codeHash: sha256(`${bindingId}:${code}`),
    createdAt: now,
    expiresAt: new Date(now.getTime() + OTP_TTL_MS),
  });
  return code;
}

/**
 * Checks a code. Single use: a right code is consumed; wrong tries count and the fifth wrong
 * try burns the code; an expired or used code is `otp_expired`. Returns the user id.
 */
export async function consumeOtp(db: Db, purpose: 'password_reset' | 'second_factor', bindingId: string, code: string, now: Date): Promise<number> {
  return db
    .transaction(async (tx) => {
      const otp = await repo.lockLatestOtp(tx, purpose, bindingId);
      if (!otp || otp.expiresAt <= now || otp.attempts >= OTP_MAX_TRIES) throw new AppError('otp_expired');
      if (!safeEqual(otp.codeHash, sha256(`${bindingId}:${code}`))) {
        await repo.markOtp(tx, otp.id, { attempts: otp.attempts + 1 });
        return -1;
      }
      await repo.markOtp(tx, otp.id, { usedAt: now, attempts: otp.attempts + 1 });
      return otp.userId;
    })
    .then((userId) => {
      if (userId < 0) throw new AppError('otp_invalid');
      return userId;
    });
}

/**
 * Forgot password, step 1. The answer is the same whether or not the user id exists (a random
 * request id either way); a code goes by SMS to the registered mobile only for an active user.
 */
export async function requestPasswordReset(db: Db, ctx: Ctx, username: string): Promise<{ requestId: string }> {
  const requestId = newToken();
  const user = await repo.findUserByUsername(db, username);
  if (!user || user.status !== 'active') return { requestId };
  await db.transaction(async (tx) => {
    const code = await issueOtp(tx, user.id, 'password_reset', requestId, ctx.now);
    await recordAudit(tx, ctx, { entity: 'user', entityId: user.id, action: code ? 'password_reset_requested' : 'password_reset_throttled' });
    if (code) await enqueueMessage(tx, { channel: 'sms', recipient: user.mobile, template: 'auth.sms.reset_otp', params: { code }, locale: user.locale });
  });
  return { requestId };
}

/** Forgot password, step 2: the code and a new password; every session ends. */
export async function resetPassword(db: Db, ctx: Ctx, input: { requestId: string; code: string; newPassword: string }): Promise<void> {
  // Check the policy first: a bad password must not burn the code.
  const pre = passwordProblem(input.newPassword);
  if (pre) throw fieldError('newPassword', pre);
  const userId = await consumeOtp(db, 'password_reset', input.requestId, input.code, ctx.now);
  const user = await repo.findUserById(db, userId);
  if (!user) throw new AppError('otp_expired');
  const problem = passwordProblem(input.newPassword, user.username);
  if (problem) throw fieldError('newPassword', problem);
  const hash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await repo.updatePassword(tx, user.id, hash, false, ctx.now);
    await repo.revokeAllSessions(tx, user.id, ctx.now);
    await recordAudit(tx, ctx, { entity: 'user', entityId: user.id, action: 'password_reset' });
  });
}

/** Sets the user's language; true when it changed (a repeat — a double click, two tabs — changes nothing). */
export async function setLocale(db: Db, ctx: Ctx, session: LoadedSession, locale: TLocale): Promise<boolean> {
  void ctx;
  return repo.setUserLocale(db, session.userId, locale);
}
