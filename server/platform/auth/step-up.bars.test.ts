import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../context.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { OTP_MAX_TRIES, OTP_TTL_MS } from './auth.service.ts';
import { checkStepUp, consumeStepUp } from './step-up.ts';
import { sha256 } from './tokens.ts';

/**
 * Bar A5, the second factor before a money action: a code by SMS, 6 digits, single use, ≤ 10
 * minutes, bound to the login, rate-limited — and consumed inside the action's own transaction, so
 * a crash before COMMIT leaves it usable for the retry of the same action (same idempotency key).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.flushOutbox();
});
afterAll(async () => {
  await t?.close();
});

const DDO_MOBILE_SQL = sql`select u.id, u.mobile from users u where u.username = 'ddo_bhopal'`;

/** A DDO's login, the ctx a service call from it gets, and a fresh code from the SMS. */
async function ddoLogin() {
  // Each test starts in a fresh hour: codes are rate-limited per user and hour.
  t.clock.advance(3600_000 + 1000);
  const c = await t.login('ddo_bhopal');
  const me = (await c.get('/api/v1/auth/me')).json();
  const u = (await t.database.db.execute<{ id: number; mobile: string }>(DDO_MOBILE_SQL)).rows[0]!;
  const ctx: Ctx = {
    actor: { userId: u.id, name: me.name ?? '', assignmentId: me.assignmentId ?? 0, role: 'ddo', scopeKind: 'ddo', scopeId: 1 },
    ip: '127.0.0.1',
    locale: 'en',
    now: t.clock.now(),
    sessionId: sha256(c.cookies.roams_session!),
  };
  const code = async () => {
    const res = await c.post('/api/v1/auth/step-up');
    expect(res.statusCode).toBe(200);
    expect(res.json().sentTo).toBe(`XXXXXX${u.mobile.slice(-4)}`);
    await t.flushOutbox();
    const sms = await t.lastSms(u.mobile);
    return sms!.match(/\b(\d{6})\b/)![1]!;
  };
  return { c, ctx, code, userId: u.id };
}

const now = (ctx: Ctx): Ctx => ({ ...ctx, now: t.clock.now() });
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('A5 second factor before a money action', () => {
  it('A5 a code goes by SMS to the registered mobile, 6 digits, valid ≤ 10 minutes, and only its hash is kept', async () => {
    const { ctx, code } = await ddoLogin();
    const c1 = await code();
    expect(c1).toMatch(/^\d{6}$/);
    const r = await t.database.db.execute<{ code_hash: string; ttl: number }>(
      sql`select code_hash, extract(epoch from expires_at - created_at) * 1000 as ttl from otps where binding_id = ${`step-up:${ctx.sessionId}`} order by id desc limit 1`,
    );
    expect(r.rows[0]!.code_hash).not.toContain(c1);
    expect(Number(r.rows[0]!.ttl)).toBeLessThanOrEqual(OTP_TTL_MS);
  });

  it('A5 single use: the code is consumed by the action for its key; the same key may retry, another action may not', async () => {
    const { ctx, code } = await ddoLogin();
    const c1 = await code();
    await checkStepUp(t.database.db, now(ctx), c1, 'key-approve-1');
    await t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), c1, 'key-approve-1'));
    // A retry of the same action (same idempotency key) passes through to the action's replay…
    await checkStepUp(t.database.db, now(ctx), c1, 'key-approve-1');
    await t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), c1, 'key-approve-1'));
    // …but another action cannot use it.
    await expect(checkStepUp(t.database.db, now(ctx), c1, 'key-approve-2')).rejects.toMatchObject({ code: 'otp_expired' });
    await expect(t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), c1, 'key-approve-2'))).rejects.toMatchObject({ code: 'otp_expired' });
  });

  it('M2 an action that rolls back (a crash before COMMIT) leaves the code unused for the retry', async () => {
    const { ctx, code } = await ddoLogin();
    const c1 = await code();
    await expect(
      t.database.db.transaction(async (tx) => {
        await consumeStepUp(tx, now(ctx), c1, 'key-crash');
        throw new Error('killed before COMMIT');
      }),
    ).rejects.toThrow('killed before COMMIT');
    await t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), c1, 'key-other-after-crash'));
    const r = await t.database.db.execute<{ used_for: string }>(
      sql`select used_for from otps where binding_id = ${`step-up:${ctx.sessionId}`} order by id desc limit 1`,
    );
    expect(r.rows[0]!.used_for).toBe('key-other-after-crash');
  });

  it('A5 bound to the login: the same user on another login, or another user, cannot use the code', async () => {
    const a = await ddoLogin();
    const c1 = await a.code();
    const b = await ddoLogin();
    // Login b was never sent a code: a code it carries is not one sent to it.
    await expect(checkStepUp(t.database.db, now(b.ctx), c1, 'k-b')).rejects.toMatchObject({ code: 'otp_not_sent' });
    await expect(t.database.db.transaction((tx) => consumeStepUp(tx, now(b.ctx), c1, 'k-b'))).rejects.toMatchObject({ code: 'otp_not_sent' });
    // Once b has a code of its own, a's code there is refused as wrong, not as never sent.
    await b.code();
    await expect(checkStepUp(t.database.db, now(b.ctx), c1, 'k-b2')).rejects.toMatchObject({ code: 'otp_invalid' });
  });

  it('A5 a code on a login that was never sent one is otp_not_sent; once sent and used, otp_expired', async () => {
    const { ctx, code } = await ddoLogin();
    await expect(checkStepUp(t.database.db, now(ctx), '123456', 'k-never')).rejects.toMatchObject({ code: 'otp_not_sent' });
    await expect(t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), '123456', 'k-never'))).rejects.toMatchObject({ code: 'otp_not_sent' });
    const c1 = await code();
    await checkStepUp(t.database.db, now(ctx), c1, 'k-first');
    await t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), c1, 'k-first'));
    await expect(checkStepUp(t.database.db, now(ctx), c1, 'k-second')).rejects.toMatchObject({ code: 'otp_expired' });
  });

  it('A5 a wrong code counts a try even though the action is refused; the fifth wrong try burns the code', async () => {
    const { ctx, code } = await ddoLogin();
    const c1 = await code();
    for (let i = 0; i < OTP_MAX_TRIES; i++) {
      await expect(checkStepUp(t.database.db, now(ctx), wrongOf(c1), `k-${i}`)).rejects.toMatchObject({ code: 'otp_invalid' });
    }
    await expect(checkStepUp(t.database.db, now(ctx), c1, 'k-right')).rejects.toMatchObject({ code: 'otp_expired' });
  });

  it('A5 a code expires after 10 minutes (fake clock)', async () => {
    const { ctx, code } = await ddoLogin();
    const c1 = await code();
    t.clock.advance(OTP_TTL_MS + 1000);
    await expect(checkStepUp(t.database.db, now(ctx), c1, 'k-late')).rejects.toMatchObject({ code: 'otp_expired' });
    await expect(t.database.db.transaction((tx) => consumeStepUp(tx, now(ctx), c1, 'k-late'))).rejects.toMatchObject({ code: 'otp_expired' });
  });

  it('A5 no code: step_up_required; rate-limited to five codes an hour', async () => {
    const { c, ctx } = await ddoLogin();
    await expect(checkStepUp(t.database.db, now(ctx), undefined, 'k-none')).rejects.toMatchObject({ code: 'step_up_required' });
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await c.post('/api/v1/auth/step-up')).statusCode);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('A5 roles that handle no money are not asked for a code', async () => {
    const agency = await t.login('agency_admin');
    const res = await agency.post('/api/v1/auth/step-up');
    expect(res.json().code).toBe('step_up_not_needed');
    expect(res.statusCode).toBe(409);
  });
});
