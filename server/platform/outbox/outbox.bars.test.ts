import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { sandboxEmail, sandboxSms, type SmsAdapter } from '../adapters/sms.ts';
import { deliverDueMessages, enqueueMessage } from './outbox.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.flushOutbox(); // whatever the demo seed queued
});
afterAll(async () => {
  await t?.close();
});

type Row = { id: number; status: string; attempts: number; last_error: string | null; params: string; due_in: number; leased: boolean };

async function queue(recipient: string, code = '123456') {
  await t.database.db.transaction((tx) => enqueueMessage(tx, { channel: 'sms', recipient, template: 'auth.sms.reset_otp', params: { code }, locale: 'en' }));
}
async function row(recipient: string): Promise<Row> {
  const r = await t.database.db.execute<Row>(sql`
    select id, status, attempts, last_error, params::text as params,
      extract(epoch from next_attempt_at - now())::float as due_in, (locked_until is not null and locked_until > now()) as leased
    from outbox where recipient = ${recipient} order by id desc limit 1`);
  return r.rows[0]!;
}
async function delivered(recipient: string): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sandbox_messages where recipient = ${recipient}`);
  return Number(r.rows[0]!.n);
}
/**
 * The outbox measures leases and back-off with the database clock (several instances share it),
 * so "time passes" here by moving the outbox's own deadlines back by the same amount.
 */
async function elapse(seconds: number) {
  await t.database.db.execute(sql`update outbox set
    next_attempt_at = next_attempt_at - make_interval(secs => ${seconds}),
    locked_until = locked_until - make_interval(secs => ${seconds})`);
}

const sandbox = () => ({ sms: sandboxSms(t.database.db), email: sandboxEmail(t.database.db) });

describe('outbox delivery', () => {
  it('outbox: a message enqueued in a transaction that rolls back is never sent', async () => {
    await t.database.db
      .transaction(async (tx) => {
        await enqueueMessage(tx, { channel: 'sms', recipient: '9811100000', template: 'auth.sms.reset_otp', params: { code: '111111' }, locale: 'en' });
        throw new Error('change failed');
      })
      .catch(() => {});
    await deliverDueMessages(t.database.db, sandbox());
    expect(await delivered('9811100000')).toBe(0);
  });

  it('outbox: a message survives a crash mid-delivery and is delivered exactly once after the lease runs out', async () => {
    await queue('9811100001', '246810');
    // A worker claims it and "crashes": its send never returns.
    let claimed = false;
    const hanging: SmsAdapter = {
      send: () => {
        claimed = true;
        return new Promise(() => {});
      },
    };
    void deliverDueMessages(t.database.db, { sms: hanging, email: sandboxEmail(t.database.db) });
    for (let i = 0; i < 100 && !claimed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(claimed).toBe(true);
    expect(await row('9811100001')).toMatchObject({ status: 'pending', attempts: 1, leased: true });
    // While the lease holds, other workers leave it alone.
    await deliverDueMessages(t.database.db, sandbox());
    expect(await delivered('9811100001')).toBe(0);
    await elapse(30);
    await deliverDueMessages(t.database.db, sandbox());
    expect(await delivered('9811100001')).toBe(0);
    // Past the lease: the next run delivers it, once.
    await elapse(31);
    await deliverDueMessages(t.database.db, sandbox());
    await deliverDueMessages(t.database.db, sandbox());
    await elapse(3600);
    await deliverDueMessages(t.database.db, sandbox());
    expect(await delivered('9811100001')).toBe(1);
    expect(await t.lastSms('9811100001')).toContain('246810');
    expect(await row('9811100001')).toMatchObject({ status: 'sent', attempts: 2, params: '{}' });
  });

  it('outbox: two workers running at once send each message once', async () => {
    for (let i = 0; i < 10; i++) await queue(`98111002${String(i).padStart(2, '0')}`);
    await Promise.all([
      deliverDueMessages(t.database.db, sandbox(), 5),
      deliverDueMessages(t.database.db, sandbox(), 5),
      deliverDueMessages(t.database.db, sandbox(), 5),
    ]);
    await deliverDueMessages(t.database.db, sandbox());
    const r = await t.database.db.execute<{ recipient: string; n: number }>(
      sql`select recipient, count(*)::int as n from sandbox_messages where recipient like '98111002%' group by recipient`,
    );
    expect(r.rows).toHaveLength(10);
    for (const x of r.rows) expect(Number(x.n), x.recipient).toBe(1);
  });

  it('outbox: a transient failure is retried with growing back-off, then delivered', async () => {
    await queue('9811100003', '135790');
    const flaky = { sms: sandboxSms(t.database.db, { failRate: 1 }), email: sandboxEmail(t.database.db) };
    await deliverDueMessages(t.database.db, flaky);
    const first = await row('9811100003');
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: 'GW_TIMEOUT', leased: false });
    expect(first.due_in).toBeGreaterThan(8);
    expect(first.due_in).toBeLessThanOrEqual(10.5);
    expect(first.params).toContain('135790'); // kept for the retry
    // Not due yet: nobody retries it early.
    await deliverDueMessages(t.database.db, sandbox());
    expect((await row('9811100003')).attempts).toBe(1);
    await elapse(11);
    await deliverDueMessages(t.database.db, flaky);
    const second = await row('9811100003');
    expect(second).toMatchObject({ status: 'pending', attempts: 2 });
    expect(second.due_in).toBeGreaterThan(18);
    expect(second.due_in).toBeLessThanOrEqual(20.5);
    await elapse(21);
    await deliverDueMessages(t.database.db, sandbox());
    expect(await row('9811100003')).toMatchObject({ status: 'sent', attempts: 3, params: '{}' });
    expect(await delivered('9811100003')).toBe(1);
  });

  it('outbox: a gateway that keeps failing gives up after a bounded number of attempts', async () => {
    await queue('9811100004');
    const down = { sms: sandboxSms(t.database.db, { failRate: 1 }), email: sandboxEmail(t.database.db) };
    for (let i = 0; i < 20; i++) {
      await deliverDueMessages(t.database.db, down);
      await elapse(3601);
    }
    const r = await row('9811100004');
    expect(r.status).toBe('failed');
    expect(r.attempts).toBeLessThanOrEqual(10);
    expect(r.params).toBe('{}');
  });

  it('outbox: a permanent failure (number on the DND list) is marked failed at once and never retried', async () => {
    await queue('6000001234', '864200');
    await deliverDueMessages(t.database.db, sandbox());
    expect(await row('6000001234')).toMatchObject({ status: 'failed', attempts: 1, last_error: 'DND', params: '{}' });
    for (let i = 0; i < 3; i++) {
      await elapse(3601);
      await deliverDueMessages(t.database.db, sandbox());
    }
    expect((await row('6000001234')).attempts).toBe(1);
    expect(await delivered('6000001234')).toBe(0);
  });
});
