import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Client, TestApp } from '../../test/harness.ts';
import { cloneInvoice, makeApprovedBill } from './payment.bill.demo.ts';

/** Helpers the payment tests share (not a test file itself). */
export const key = () => `k-${randomBytes(8).toString('hex')}`;

export async function q<T>(t: TestApp, s: ReturnType<typeof sql>): Promise<T[]> {
  return (await t.database.db.execute<T & Record<string, unknown>>(s)).rows as T[];
}

/** A fresh approved bill of a fresh invoice (see payment.testbill.ts). */
export async function freshBill(t: TestApp, opts: { mode?: 'through_agency' | 'direct'; ddoCode?: string; agencyIfsc?: string; srcId?: number } = {}) {
  const invoiceId = await cloneInvoice(t, opts.srcId ?? 3);
  const billId = await makeApprovedBill(t.database.db, {
    invoiceId,
    mode: opts.mode ?? 'through_agency',
    at: t.clock.now(),
    ...(opts.ddoCode ? { ddoCode: opts.ddoCode } : {}),
    ...(opts.agencyIfsc ? { agencyIfsc: opts.agencyIfsc } : {}),
  });
  return { invoiceId, billId };
}

/**
 * The DDO, freshly logged in an hour later (codes are limited to five an hour and the money
 * roles' sessions idle out), with a second-factor code read from the sandbox SMS.
 */
export async function ddoWithCode(t: TestApp): Promise<{ c: Client; code: string }> {
  t.clock.advance(3600_000 + 1000);
  const c = await t.login('ddo_bhopal');
  const res = await c.post('/api/v1/auth/step-up');
  expect(res.statusCode, res.body).toBe(200);
  await t.flushOutbox();
  const [u] = await q<{ mobile: string }>(t, sql`select mobile from users where username = 'ddo_bhopal'`);
  const sms = await t.lastSms(u!.mobile);
  return { c, code: sms!.match(/\b(\d{6})\b/)![1]! };
}

export function send(c: Client, billId: number, code: string, k: string | null = key()) {
  return c.request({ method: 'POST', url: `/api/v1/payments/bills/${billId}/send`, payload: { code }, headers: k === null ? {} : { 'idempotency-key': k } });
}

export function pay(c: Client, body: Record<string, unknown>, k: string | null = key()) {
  return c.request({ method: 'POST', url: '/api/v1/payments', payload: body, headers: k === null ? {} : { 'idempotency-key': k } });
}

/** An acknowledged bill (sent by the DDO through the sandbox). */
export async function acknowledgedBill(t: TestApp, opts: Parameters<typeof freshBill>[1] = {}) {
  const b = await freshBill(t, opts);
  const { c, code } = await ddoWithCode(t);
  const r = await send(c, b.billId, code);
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json().status).toBe('acknowledged');
  return { ...b, bill: r.json() as import('../../../shared/contracts/payment.ts').TBill };
}
