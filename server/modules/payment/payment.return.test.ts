import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBill } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { acknowledgedBill, ddoWithCode, key, pay, q } from './payment.test-helpers.ts';

/**
 * A bank return reopens the invoice (docs/PAYMENTS.md "Payments"), on PGlite and on PostgreSQL
 * (TEST_DATABASE_URL): a return that leaves a paid bill short moves the workflow paid → billed
 * (event `payment_reopened`, audited, `paid_at` cleared), paying it again moves it back to paid
 * with a new `paid_at`; a return on a bill not yet paid changes no stage; replays change nothing.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const today = () => todayIst(t.clock.now());
const workflowOf = async (invoiceId: number) =>
  (await q<{ stage: string; paid_at: string | null }>(t, sql`select stage, paid_at::text from invoice_workflow where invoice_id = ${invoiceId}`))[0]!;
const eventsOf = async (invoiceId: number) =>
  q<{ action: string; remarks: string }>(t, sql`select action, remarks from invoice_events where invoice_id = ${invoiceId} order by id`);
const auditOf = async (billId: number, action: string) =>
  q<{ after: unknown }>(t, sql`select after from audit_log where entity = 'bill' and entity_id = ${String(billId)} and action = ${action} order by seq`);

/** Pays the whole of an acknowledged through-agency bill (one payee line) with one UTR. */
async function payInFull(bill: TBill, utr: string, k = key()) {
  const { c, code } = await ddoWithCode(t);
  const r = await pay(c, { billId: bill.id, payeeSeq: 1, payDate: today(), utr, amountPaise: bill.netPayablePaise, code }, k);
  expect(r.statusCode, r.body).toBe(201);
  return r;
}

async function returnOf(bill: TBill, utr: string, amountPaise: number, k = key()) {
  const { c, code } = await ddoWithCode(t);
  return pay(c, { billId: bill.id, payeeSeq: 1, payDate: today(), utr, amountPaise, status: 'returned', reason: 'Account closed', code }, k);
}

describe('a bank return on a paid bill', () => {
  it('moves the workflow paid → billed (event, audit, paid_at cleared); paying again moves it back to paid', async () => {
    const { invoiceId, billId, bill } = await acknowledgedBill(t);
    await payInFull(bill, 'RETPAID001');
    const paid = await workflowOf(invoiceId);
    expect(paid.stage).toBe('paid');
    expect(paid.paid_at).not.toBeNull();

    t.clock.advance(86_400_000);
    const r = await returnOf(bill, 'RETPAID001', bill.netPayablePaise);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ stage: 'billed', paidPaise: 0, outstandingPaise: bill.netPayablePaise, mayRecordPayment: true });
    expect(await workflowOf(invoiceId)).toEqual({ stage: 'billed', paid_at: null });
    expect((await eventsOf(invoiceId)).slice(-2)).toEqual([
      { action: 'paid', remarks: '' },
      { action: 'payment_reopened', remarks: 'RETPAID001' },
    ]);
    const [audit] = await auditOf(billId, 'payment_reopened');
    expect(audit?.after).toMatchObject({ stage: 'billed', paidPaise: 0, outstandingPaise: bill.netPayablePaise, returns: ['RETPAID001'] });

    // Paid again (a new UTR to the corrected account): paid, with the day it became paid again.
    t.clock.advance(86_400_000);
    const again = await payInFull(bill, 'RETPAID002');
    expect(again.json()).toMatchObject({ stage: 'paid', outstandingPaise: 0 });
    const repaid = await workflowOf(invoiceId);
    expect(repaid.stage).toBe('paid');
    expect(new Date(repaid.paid_at!).getTime()).toBeGreaterThan(new Date(paid.paid_at!).getTime());
    expect((await eventsOf(invoiceId)).map((e) => e.action)).toEqual(['bill_sent', 'bill_acknowledged', 'paid', 'payment_reopened', 'paid']);
    // The pay-date list shows the day it was last paid.
    const dates = (await (await t.login('finance_admin')).get('/api/v1/payments/pay-dates')).json().items as { invoiceId: number; paidAt: string | null }[];
    expect(dates.find((d) => d.invoiceId === invoiceId)?.paidAt).toBe(new Date(repaid.paid_at!).toISOString());
  });

  it('a replayed return (same key) is the same answer: one return row, one reopening', async () => {
    const { invoiceId, billId, bill } = await acknowledgedBill(t);
    await payInFull(bill, 'RETREPLAY1');
    const k = key();
    const { c, code } = await ddoWithCode(t);
    const body = { billId, payeeSeq: 1, payDate: today(), utr: 'RETREPLAY1', amountPaise: bill.netPayablePaise, status: 'returned', code };
    const all = await Promise.all(Array.from({ length: 8 }, () => pay(c, body, k)));
    for (const r of all) expect(r.statusCode, r.body).toBe(201);
    expect(new Set(all.map((r) => r.json().paymentId)).size).toBe(1);
    const before = await dbFingerprint(t.database);
    const replay = await pay(c, body, k);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().stage).toBe('billed');
    expect(await dbFingerprint(t.database)).toBe(before);
    expect((await eventsOf(invoiceId)).filter((e) => e.action === 'payment_reopened')).toHaveLength(1);
    expect(await auditOf(billId, 'payment_reopened')).toHaveLength(1);
    const [n] = await q<{ n: number }>(t, sql`select count(*)::int as n from payments where bill_id = ${billId} and status = 'returned'`);
    expect(n!.n).toBe(1);
    // A second return of the same credit is refused and changes nothing.
    const twice = await returnOf(bill, 'RETREPLAY1', bill.netPayablePaise);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0]).toMatchObject({ field: 'utr', code: 'utr_duplicate' });
    expect((await workflowOf(invoiceId)).stage).toBe('billed');
  });

  it('from the treasury file: a return alone reopens; a return and its re-credit in one file leave it paid', async () => {
    const a = await acknowledgedBill(t);
    const b = await acknowledgedBill(t);
    await payInFull(a.bill, 'FILEPAIDA1');
    await payInFull(b.bill, 'FILEPAIDB1');
    const rupees = (p: number) => `${Math.trunc(p / 100)}.${String(p % 100).padStart(2, '0')}`;
    const file = Buffer.from(
      [
        'bill_no,payee_seq,pay_date,utr,amount,status',
        `${a.bill.billNo},1,${today()},FILEPAIDA1,${rupees(a.bill.netPayablePaise)},RETURNED`,
        `${b.bill.billNo},1,${today()},FILEPAIDB1,${rupees(b.bill.netPayablePaise)},RETURNED`,
        `${b.bill.billNo},1,${today()},FILEPAIDB2,${rupees(b.bill.netPayablePaise)},CREDITED`,
      ].join('\n'),
    ).toString('base64');
    const { c, code } = await ddoWithCode(t);
    const r = await c.request({
      method: 'POST',
      url: '/api/v1/payments/import',
      payload: { fileName: 'returns.csv', contentBase64: file, dryRun: false, code },
      headers: { 'idempotency-key': key() },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ saved: true, rowsGood: 3, rowsBad: 0 });
    expect((await workflowOf(a.invoiceId)).stage).toBe('billed');
    expect((await eventsOf(a.invoiceId)).at(-1)).toEqual({ action: 'payment_reopened', remarks: 'FILEPAIDA1' });
    const wb = await workflowOf(b.invoiceId);
    expect(wb.stage).toBe('paid');
    expect(wb.paid_at).not.toBeNull();
    expect((await eventsOf(b.invoiceId)).map((e) => e.action)).not.toContain('payment_reopened');
  });
});

describe('a bank return on a bill not yet wholly paid', () => {
  it('reopens the line and changes no stage, event or stamp', async () => {
    const { invoiceId, billId, bill } = await acknowledgedBill(t);
    const p = await ddoWithCode(t);
    expect((await pay(p.c, { billId, payeeSeq: 1, payDate: today(), utr: 'PARTRET001', amountPaise: 70_000, code: p.code })).statusCode).toBe(201);
    const eventsBefore = await eventsOf(invoiceId);
    const r = await returnOf(bill, 'PARTRET001', 70_000);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ stage: 'billed', paidPaise: 0, outstandingPaise: bill.netPayablePaise });
    expect(await workflowOf(invoiceId)).toEqual({ stage: 'billed', paid_at: null });
    expect(await eventsOf(invoiceId)).toEqual(eventsBefore);
    expect(await auditOf(billId, 'payment_reopened')).toHaveLength(0);
  });
});

describe('the database', () => {
  it('moves paid_at only with the stage: kept on a reopening is refused, written on a billed invoice is refused', async () => {
    const { invoiceId, bill } = await acknowledgedBill(t);
    await payInFull(bill, 'DBGUARD001');
    const db = t.database.db;
    await expect(db.execute(sql`update invoice_workflow set stage = 'billed' where invoice_id = ${invoiceId}`)).rejects.toThrow();
    await expect(db.execute(sql`update invoice_workflow set paid_at = now() - interval '1 day' where invoice_id = ${invoiceId}`)).rejects.toThrow();
    await expect(db.execute(sql`update invoice_workflow set stage = 'approved', paid_at = null where invoice_id = ${invoiceId}`)).rejects.toThrow();
    await db.execute(sql`update invoice_workflow set stage = 'billed', paid_at = null where invoice_id = ${invoiceId}`);
    await expect(db.execute(sql`update invoice_workflow set paid_at = now() where invoice_id = ${invoiceId}`)).rejects.toThrow();
    await expect(db.execute(sql`update invoice_workflow set stage = 'paid' where invoice_id = ${invoiceId}`)).rejects.toThrow();
    await expect(
      db.execute(sql`insert into invoice_events (invoice_id, action, actor_user_id, actor_role, at) values (${invoiceId}, 'reopened', 1, 'ddo', now())`),
    ).rejects.toThrow();
  });
});
