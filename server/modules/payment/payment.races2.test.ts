import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult, TInvoiceCredits } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { acknowledgedBill, key } from './payment.test-helpers.ts';

/**
 * (races2) The agency's bank file of worker credits imported twenty times at once, on PGlite and on
 * PostgreSQL (TEST_DATABASE_URL), three rounds each (payment.races.test.ts has the form): under one
 * Idempotency-Key (a double click, a retry) every answer is the same saved batch; with a key each
 * (two tabs) the file is saved once and every other answer is what a later twin gets — 422
 * credit_file_has_errors (its UTRs already recorded) or 409 utr_duplicate — never a 500. Either
 * way one batch, each credit once, one audit entry.
 */
const N = 20;
const ROUNDS = 3;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const today = () => todayIst(t.clock.now());
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);

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

describe(`${N} imports at once of one bank file of worker credits, ${ROUNDS} rounds`, () => {
  it('one key: every answer the same saved batch; saved and audited once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
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
    for (let round = 0; round < ROUNDS; round++) {
      const { agency, invoiceId, contentBase64 } = await bankFile(`RACEK${round}`);
      const rs = await (round % 2 === 0 ? burst : spread)(N, () => importFile(agency, invoiceId, contentBase64, key()));
      const win = oneWinner(rs, ['422 credit_file_has_errors', '409 utr_duplicate']);
      await savedOnce(invoiceId, (win.json() as TImportResult).rowsGood);
    }
  });
});
