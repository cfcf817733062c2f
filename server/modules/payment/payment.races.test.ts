import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult, TInvoiceCredits } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { acknowledgedBill, ddoWithCode, freshBill, key, pay, send } from './payment.test-helpers.ts';

/**
 * Twenty identical requests at once (one Idempotency-Key: what a double click or a retry sends) on
 * every payment route that writes money, on PGlite and on PostgreSQL (TEST_DATABASE_URL), five
 * rounds each (one round lets a lost race through too rarely to be seen; payment.test.ts has one
 * round of the send and of a payment by hand): the bill sent once, a payment, a treasury payment
 * file and the agency's worker credits saved once — one row each, one audit entry — and every
 * answer the same success. And (three rounds) the agency's bank file of worker credits imported
 * twenty times at once: under one key every answer is the same saved batch; with a key each (two
 * tabs) the file is saved once and every other answer is what a later twin gets — 422
 * credit_file_has_errors (its UTRs already recorded) or 409 utr_duplicate — never a 500. Either
 * way one batch, each credit once, one audit entry.
 */
const N = 20;
const ROUNDS = 5;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const today = () => todayIst(t.clock.now());
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
const audits = (entity: string, id: number, action: string) => auditCount(t.database.db, entity, id, action);

describe(`${N} identical requests at once (one key), ${ROUNDS} rounds`, () => {
  it('send a bill to IFMIS: sent once (one event, one audit entry), every answer the acknowledged bill', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { invoiceId, billId } = await freshBill(t);
      const { c, code } = await ddoWithCode(t);
      const k = key();
      const rs = allSucceed(await burst(N, () => send(c, billId, code, k)), 200, { replayed: true });
      expect(new Set(rs.map((r) => r.json().status))).toEqual(new Set(['acknowledged']));
      expect(await count(sql`select count(*)::int as n from invoice_events where invoice_id = ${invoiceId} and action = 'bill_sent'`)).toBe(1);
      expect(await audits('bill', billId, 'send')).toBe(1);
    }
  });

  it('a payment by hand: one payment row, one audit entry, the amount paid once; every answer that payment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { billId } = await acknowledgedBill(t);
      const { c, code } = await ddoWithCode(t);
      const k = key();
      const body = { billId, payeeSeq: 1, payDate: today(), utr: `RACEPAY${round}${billId}`, amountPaise: 12_345, code };
      const rs = allSucceed(await burst(N, () => pay(c, body, k)), 201, { replayed: true });
      expect(new Set(rs.map((r) => r.json().paymentId)).size).toBe(1);
      expect(new Set(rs.map((r) => r.json().paidPaise))).toEqual(new Set([12_345]));
      expect(await count(sql`select count(*)::int as n from payments where bill_id = ${billId}`)).toBe(1);
      expect(await audits('bill', billId, 'payment')).toBe(1);
    }
  });

  it("the treasury's payment file: one batch, its rows paid once; every answer that batch, with its rows", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { billId, bill } = await acknowledgedBill(t);
      const file = Buffer.from(
        `bill_no,payee_seq,pay_date,utr,amount,status\n${bill.billNo},1,${today()},RACEF${round}A${billId},100.00,CREDITED\n${bill.billNo},1,${today()},RACEF${round}B${billId},50.00,CREDITED\n`,
      ).toString('base64');
      const { c, code } = await ddoWithCode(t);
      const k = key();
      const rs = allSucceed(
        await burst(N, () =>
          c.request({
            method: 'POST',
            url: '/api/v1/payments/import',
            payload: { fileName: 'treasury.csv', contentBase64: file, dryRun: false, code },
            headers: { 'idempotency-key': k },
          }),
        ),
        200,
      );
      const answers = rs.map((r) => r.json() as TImportResult);
      expect(new Set(answers.map((a) => a.batchId)).size).toBe(1);
      expect(new Set(answers.map((a) => JSON.stringify(a))).size, 'every answer the same result, rows included').toBe(1);
      expect(answers[0]).toMatchObject({ saved: true, rowsTotal: 2, rowsGood: 2, rowsBad: 0 });
      expect(await count(sql`select count(*)::int as n from payments where bill_id = ${billId}`)).toBe(2);
      expect(await count(sql`select count(*)::int as n from payment_batches where idempotency_key = ${k}`)).toBe(1);
    }
  });

  it("the agency's worker credits (form): one batch, each credit once, one audit entry; every answer that batch, with its rows", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { invoiceId } = await acknowledgedBill(t);
      const agency = await t.login('agency_admin');
      const w = ((await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits).workers[0]!;
      const k = key();
      const items = [{ resourceId: w.resourceId, utr: `RACECR${round}${invoiceId}`, amountPaise: 1_000, creditDate: today() }];
      const rs = allSucceed(
        await burst(N, () =>
          agency.request({ method: 'POST', url: `/api/v1/payments/invoices/${invoiceId}/credits`, payload: { items }, headers: { 'idempotency-key': k } }),
        ),
        200,
      );
      const answers = rs.map((r) => r.json() as TImportResult);
      expect(new Set(answers.map((a) => a.batchId)).size).toBe(1);
      expect(new Set(answers.map((a) => JSON.stringify(a))).size, 'every answer the same result, rows included').toBe(1);
      expect(await count(sql`select count(*)::int as n from worker_credits where invoice_id = ${invoiceId}`)).toBe(1);
      expect(await audits('invoice', invoiceId, 'worker_credits')).toBe(1);
    }
  });
});

/**
 * A key each but one second-factor code (a double click whose page opened the dialog twice, or two
 * tabs): the action taken once, one audit entry; every other answer the refusal its later twin
 * would get — never the code's 422 otp_expired (the code spent by the first), never a 500. Three
 * rounds, the requests spread over a few milliseconds so that some arrive while the first is being
 * written (after they passed the state check). See invoice.races.test.ts for the approval's twin.
 */
const OTP_ROUNDS = 3;

describe(`${N} requests at once, a key each and one code, ${OTP_ROUNDS} rounds`, () => {
  it('send a bill to IFMIS: sent once, one audit entry; the others 409 bill_already_sent', async () => {
    for (let round = 0; round < OTP_ROUNDS; round++) {
      const { invoiceId, billId } = await freshBill(t);
      const { c, code } = await ddoWithCode(t);
      oneWinner(await spread(N, () => send(c, billId, code, key())), ['409 bill_already_sent']);
      expect(await count(sql`select count(*)::int as n from invoice_events where invoice_id = ${invoiceId} and action = 'bill_sent'`)).toBe(1);
      expect(await audits('bill', billId, 'send')).toBe(1);
    }
  });

  it('a payment by hand (one UTR): paid once, one audit entry; the others what a later twin gets', async () => {
    for (let round = 0; round < OTP_ROUNDS; round++) {
      const { billId } = await acknowledgedBill(t);
      const { c, code } = await ddoWithCode(t);
      const body = { billId, payeeSeq: 1, payDate: today(), utr: `RACEOTP${round}${billId}`, amountPaise: 12_345, code };
      oneWinner(await spread(N, () => pay(c, body, key())), ['400 validation_failed'], { status: 201 });
      expect(await count(sql`select count(*)::int as n from payments where bill_id = ${billId}`)).toBe(1);
      expect(await audits('bill', billId, 'payment')).toBe(1);
    }
  });

  it("the treasury's payment file: saved once, its rows paid once; the others what a later twin gets", async () => {
    for (let round = 0; round < OTP_ROUNDS; round++) {
      const { billId, bill } = await acknowledgedBill(t);
      const file = Buffer.from(`bill_no,payee_seq,pay_date,utr,amount,status\n${bill.billNo},1,${today()},RACEO${round}A${billId},100.00,CREDITED\n`).toString(
        'base64',
      );
      const { c, code } = await ddoWithCode(t);
      const rs = await spread(N, () =>
        c.request({
          method: 'POST',
          url: '/api/v1/payments/import',
          payload: { fileName: 'treasury.csv', contentBase64: file, dryRun: false, code },
          headers: { 'idempotency-key': key() },
        }),
      );
      oneWinner(rs, [process.env.IMPORT_REFUSAL ?? '422 payment_file_has_errors']);
      expect(await count(sql`select count(*)::int as n from payments where bill_id = ${billId}`)).toBe(1);
      expect(
        await count(
          sql`select count(*)::int as n from payment_batches where file_sha256 is not null and id in (select batch_id from payments where bill_id = ${billId})`,
        ),
      ).toBe(1);
    }
  });
});

const CREDIT_ROUNDS = 3;

async function bankFile(tag: string): Promise<{ agency: Client; invoiceId: number; contentBase64: string }> {
  const { invoiceId } = await acknowledgedBill(t);
  const agency = await t.login('agency_admin');
  const ws = ((await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits).workers.slice(0, 2);
  const lines = ws.map((w, i) => `${w.resourceId},${tag}${i}X${invoiceId},10.00,${today()}`);
  return { agency, invoiceId, contentBase64: Buffer.from(`resource_id,utr,amount,date\n${lines.join('\n')}\n`).toString('base64') };
}
function importFile(c: Client, invoiceId: number, contentBase64: string, k: string) {
  return c.request({
    method: 'POST',
    url: `/api/v1/payments/invoices/${invoiceId}/credits/import`,
    payload: { fileName: 'bank.csv', contentBase64, dryRun: false, saveGoodRows: false },
    headers: { 'idempotency-key': k },
  });
}
async function savedOnce(invoiceId: number, rows: number) {
  expect(await count(sql`select count(*)::int as n from worker_credits where invoice_id = ${invoiceId}`)).toBe(rows);
  expect(await count(sql`select count(*)::int as n from payment_batches where invoice_id = ${invoiceId}`)).toBe(1);
  expect(await auditCount(t.database.db, 'invoice', invoiceId, 'worker_credits')).toBe(1);
}

describe(`${N} imports at once of one bank file of worker credits, ${CREDIT_ROUNDS} rounds`, () => {
  it('one key: every answer the same saved batch; saved and audited once', async () => {
    for (let round = 0; round < CREDIT_ROUNDS; round++) {
      const { agency, invoiceId, contentBase64 } = await bankFile(`RACEF${round}`);
      const k = key();
      const rs = allSucceed(await burst(N, () => importFile(agency, invoiceId, contentBase64, k)), 200);
      const answers = rs.map((r) => r.json() as TImportResult);
      expect(answers.every((a) => a.saved && a.batchId !== null)).toBe(true);
      expect(new Set(answers.map((a) => JSON.stringify(a))).size, 'every answer the same result, rows included').toBe(1);
      await savedOnce(invoiceId, answers[0]!.rowsGood);
    }
  });

  it('a key each: saved once; the others 422 credit_file_has_errors or 409 utr_duplicate', async () => {
    for (let round = 0; round < CREDIT_ROUNDS; round++) {
      const { agency, invoiceId, contentBase64 } = await bankFile(`RACEK${round}`);
      const rs = await (round % 2 === 0 ? burst : spread)(N, () => importFile(agency, invoiceId, contentBase64, key()));
      const win = oneWinner(rs, ['422 credit_file_has_errors', '409 utr_duplicate']);
      await savedOnce(invoiceId, (win.json() as TImportResult).rowsGood);
    }
  });
});
