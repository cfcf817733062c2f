import { and, desc, eq, isNull, or } from 'drizzle-orm';
import { MONEY_ROLES } from '../../../shared/roles.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { type Ctx, actorOf } from '../context.ts';
import { AppError } from '../errors.ts';
import { enqueueMessage } from '../outbox/outbox.service.ts';
import { otps, users } from './auth.table.ts';
import { issueOtp, OTP_MAX_TRIES, OTP_TTL_MS } from './auth.service.ts';
import { safeEqual, sha256 } from './tokens.ts';

/**
 * The second factor before a money action (bar A5; one mechanism for the whole platform — the
 * invoice approval, bill, payments, and the PD account's advice and pass).
 *
 * 1. The user asks for a code (`requestStepUp`): 6 digits, valid 10 minutes, sent by SMS through
 *    the outbox to the user's registered mobile, bound to this login (the session), at most five
 *    an hour (then `rate_limited`).
 * 2. The money action carries the code. Before its transaction, `checkStepUp` compares it: a wrong
 *    code counts a try (the fifth burns it) — outside the action, so a refused action still counts.
 * 3. Inside the action's transaction, `consumeStepUp` marks the code used *for that action's
 *    idempotency key*. If the action rolls back (a crash before COMMIT, a refusal), the code stays
 *    unused; a retry with the same key finds the code used for the same key and goes through to
 *    the action's own replay. Another user's code, another login's code, an expired or used code:
 *    `otp_expired`; a code on a login that was never sent one: `otp_not_sent`; a wrong one:
 *    `otp_invalid`; none: `step_up_required`.
 *
 * Only the money roles (Finance, DDO, treasury officer, PD administrator) need it; for other roles
 * these are no-ops, so a service can call them unconditionally. So are calls from no login (see
 * `needsStepUp`): the second factor guards what a person does through the API.
 */

export function needsStepUp(ctx: Pick<Ctx, 'actor' | 'sessionId'>): boolean {
  // A call that comes from no login (the demo seed, a scheduled job, a property test driving the
  // service directly) has no login to bind a code to; every HTTP request from a login has one.
  return ctx.actor !== null && ctx.sessionId !== undefined && MONEY_ROLES.includes(ctx.actor.role);
}

function bindingOf(ctx: Ctx): string {
  if (!ctx.sessionId) throw new AppError('step_up_required');
  return `step-up:${ctx.sessionId}`;
}

/** Sends a code to the user's registered mobile. Answers where it went (masked) and until when it holds. */
export async function requestStepUp(db: Db, ctx: Ctx): Promise<{ sentTo: string; expiresAt: string }> {
  const actor = actorOf(ctx);
  if (!MONEY_ROLES.includes(actor.role)) throw new AppError('step_up_not_needed');
  const binding = bindingOf(ctx);
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ mobile: users.mobile, locale: users.locale }).from(users).where(eq(users.id, actor.userId)).limit(1);
    if (!user) throw new AppError('forbidden');
    const code = await issueOtp(tx, actor.userId, 'second_factor', binding, ctx.now);
    if (!code) throw new AppError('rate_limited');
    await enqueueMessage(tx, { channel: 'sms', recipient: user.mobile, template: 'auth.sms.second_factor', params: { code }, locale: user.locale });
    await recordAudit(tx, ctx, { entity: 'user', entityId: actor.userId, action: 'step_up_requested' });
    return { sentTo: `XXXXXX${user.mobile.slice(-4)}`, expiresAt: new Date(ctx.now.getTime() + OTP_TTL_MS).toISOString() };
  });
}

type OtpRow = typeof otps.$inferSelect;

async function lockCode(tx: DbOrTx, binding: string, key: string | null): Promise<OtpRow | null> {
  const usable = key === null ? isNull(otps.usedAt) : or(isNull(otps.usedAt), eq(otps.usedFor, key));
  const [row] = await tx
    .select()
    .from(otps)
    .where(and(eq(otps.purpose, 'second_factor'), eq(otps.bindingId, binding), usable))
    .orderBy(desc(otps.id))
    .limit(1)
    .for('update');
  return row ?? null;
}

/** Was any code ever issued to this login? If not, a code it carries was never sent to it: `otp_not_sent`, not `otp_expired`. */
async function anyCodeSent(tx: DbOrTx, binding: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: otps.id })
    .from(otps)
    .where(and(eq(otps.purpose, 'second_factor'), eq(otps.bindingId, binding)))
    .limit(1);
  return row !== undefined;
}

function matches(row: OtpRow, binding: string, code: string): boolean {
  return safeEqual(row.codeHash, sha256(`${binding}:${code}`));
}

/**
 * Before the action: is the code right? A wrong code counts a try (committed on its own); an
 * expired, burned or used code is `otp_expired`; if this login was never sent a code, `otp_not_sent`.
 * Does not consume.
 */
export async function checkStepUp(db: Db, ctx: Ctx, code: string | undefined, key: string): Promise<void> {
  if (!needsStepUp(ctx)) return;
  if (!code) throw new AppError('step_up_required');
  const binding = bindingOf(ctx);
  const wrong = await db.transaction(async (tx) => {
    const row = await lockCode(tx, binding, key);
    if (!row) throw new AppError((await anyCodeSent(tx, binding)) ? 'otp_expired' : 'otp_not_sent');
    if (row.usedAt && row.usedFor === key && matches(row, binding, code)) return false;
    if (row.expiresAt <= ctx.now || row.attempts >= OTP_MAX_TRIES) throw new AppError('otp_expired');
    if (matches(row, binding, code)) return false;
    await tx
      .update(otps)
      .set({ attempts: row.attempts + 1 })
      .where(eq(otps.id, row.id));
    return true;
  });
  if (wrong) throw new AppError('otp_invalid');
}

/**
 * Inside the action's transaction: the code becomes used for `key` (or already was, by a retry of
 * the same action). True when this call used it (or no code is needed); false when an earlier one
 * had — an action that has no replay of its own (no Idempotency-Key) refuses on false, so one code
 * does it once even when twenty requests carry it at once.
 */
export async function consumeStepUp(tx: Tx, ctx: Ctx, code: string | undefined, key: string): Promise<boolean> {
  if (!needsStepUp(ctx)) return true;
  if (!code) throw new AppError('step_up_required');
  const binding = bindingOf(ctx);
  const row = await lockCode(tx, binding, key);
  if (!row) throw new AppError((await anyCodeSent(tx, binding)) ? 'otp_expired' : 'otp_not_sent');
  if (!matches(row, binding, code)) throw new AppError('otp_expired');
  if (row.usedAt) return false; // used for this very key: the action's replay answers
  if (row.expiresAt <= ctx.now || row.attempts >= OTP_MAX_TRIES) throw new AppError('otp_expired');
  await tx
    .update(otps)
    .set({ usedAt: ctx.now, usedFor: key, attempts: row.attempts + 1 })
    .where(eq(otps.id, row.id));
  return true;
}
