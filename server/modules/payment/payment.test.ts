import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBill, TImportResult, TInvoiceCredits, TPayDate } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { ifmisSandboxFaults } from '../../platform/adapters/ifmis.sandbox.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { acknowledgedBill, ddoWithCode, freshBill, key, pay, q, send } from './payment.test-helpers.ts';

/**
 * Bills to IFMIS, payments and worker credits through the API, on PGlite and on PostgreSQL
 * (TEST_DATABASE_URL): the sandbox treasury's answers, payments that never exceed what is payable
 * and are never recorded twice (bar M1), files checked row by row before anything is saved, the
 * workers' credits against their net wage, and pay-date breaches.
 */
let t: TestApp;
// The clock moves an hour for each second-factor code (five an hour), and sessions idle out: each
// reader logs in afresh.
const agency = {
  get: async (u: string) => (await t.login('agency_admin')).get(u),
  post: async (u: string, b?: unknown) => (await t.login('agency_admin')).post(u, b),
  request: async (o: Parameters<Client['request']>[0]) => (await t.login('agency_admin')).request(o),
};
const finance = { get: async (u: string) => (await t.login('finance_admin')).get(u) };
const dm = { get: async (u: string) => (await t.login('ddo_bhopal')).get(u) }; // the paying office's DDO (reads need no code)

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const billOf = async (c: { get: Client['get'] }, id: number) => (await c.get(`/api/v1/payments/bills/${id}`)).json() as TBill;
const stageOf = async (invoiceId: number) => (await q<{ stage: string }>(t, sql`select stage from invoice_workflow where invoice_id = ${invoiceId}`))[0]?.stage;
const countPayments = async (billId: number) => (await q<{ n: number }>(t, sql`select count(*)::int as n from payments where bill_id = ${billId}`))[0]!.n;
const today = () => todayIst(t.clock.now());

describe('sending a bill to IFMIS', () => {
  it('acknowledges the bill, moves the workflow approved → billed, and answers the same key with the same bill', async () => {
    const { invoiceId, billId } = await freshBill(t);
    expect(await stageOf(invoiceId)).toBe('approved');
    const { c, code } = await ddoWithCode(t);
    const k = key();
    const r = await send(c, billId, code, k);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json() as TBill;
    expect(b.status).toBe('acknowledged');
    expect(b.ifmisRef).toMatch(/^IFMIS[0-9A-F]{12}$/);
    expect(await stageOf(invoiceId)).toBe('billed');
    const again = await send(c, billId, code, k);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().ifmisRef).toBe(b.ifmisRef);
    // Another key: the bill is already acknowledged.
    const other = await ddoWithCode(t);
    expect((await send(other.c, billId, other.code)).json().code).toBe('bill_already_sent');
    const ev = await q<{ action: string }>(t, sql`select action from invoice_events where invoice_id = ${invoiceId} order by id`);
    expect(ev.map((e) => e.action)).toEqual(['bill_sent', 'bill_acknowledged']);
  });

  it('needs an Idempotency-Key (400), the second factor, and refuses a key reused for another bill (422)', async () => {
    const a = await freshBill(t);
    const b = await freshBill(t);
    const { c, code } = await ddoWithCode(t);
    expect((await send(c, a.billId, code, null)).statusCode).toBe(400);
    const noCode = await c.request({ method: 'POST', url: `/api/v1/payments/bills/${a.billId}/send`, payload: {}, headers: { 'idempotency-key': key() } });
    expect(noCode.json().code).toBe('step_up_required');
    const k = key();
    expect((await send(c, a.billId, code, k)).statusCode).toBe(200);
    const reused = await send(c, b.billId, code, k);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency_key_reused');
    expect((await billOf(finance, b.billId)).status).toBe('prepared');
  });

  it('records the reason IFMIS rejects a bill, and lets it be sent again', async () => {
    const { invoiceId, billId } = await freshBill(t, { ddoCode: '0000999' });
    const { c, code } = await ddoWithCode(t);
    const r = await send(c, billId, code);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'rejected', ifmisReason: 'invalid_ddo_code', ifmisRef: null });
    expect(await stageOf(invoiceId)).toBe('approved');
    const second = await ddoWithCode(t);
    const r2 = await send(second.c, billId, second.code);
    expect(r2.json()).toMatchObject({ status: 'rejected', ifmisReason: 'invalid_ddo_code' });
    const ifsc = await freshBill(t, { agencyIfsc: 'ZZZZ0001234' });
    const third = await ddoWithCode(t);
    expect((await send(third.c, ifsc.billId, third.code)).json()).toMatchObject({ status: 'rejected', ifmisReason: 'ifsc_unknown' });
  });

  it('when IFMIS does not answer: 503, the bill back to prepared; the retry with the same key is acknowledged once', async () => {
    const { invoiceId, billId } = await freshBill(t);
    const { c, code } = await ddoWithCode(t);
    const k = key();
    ifmisSandboxFaults.down = 1;
    const r = await send(c, billId, code, k);
    expect(r.statusCode).toBe(503);
    expect(r.json().code).toBe('ifmis_unavailable');
    expect((await billOf(finance, billId)).status).toBe('prepared');
    const retry = await send(c, billId, code, k);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().status).toBe('acknowledged');
    const ev = await q<{ action: string }>(t, sql`select action from invoice_events where invoice_id = ${invoiceId} order by id`);
    expect(ev.map((e) => e.action)).toEqual(['bill_sent', 'bill_acknowledged']);
  });

  it('M1: 20 identical sends at once make one sent event and one acknowledgement', async () => {
    const { invoiceId, billId } = await freshBill(t);
    const { c, code } = await ddoWithCode(t);
    const k = key();
    const all = await Promise.all(Array.from({ length: 20 }, () => send(c, billId, code, k)));
    for (const r of all) expect(r.statusCode, r.body).toBe(200);
    const ev = await q<{ action: string; n: number }>(
      t,
      sql`select action, count(*)::int as n from invoice_events where invoice_id = ${invoiceId} group by action order by action`,
    );
    expect(ev).toEqual([
      { action: 'bill_acknowledged', n: 1 },
      { action: 'bill_sent', n: 1 },
    ]);
  });

  it('refuses the agency and another DDO’s bill', async () => {
    const { billId } = await freshBill(t);
    expect((await agency.post(`/api/v1/payments/bills/${billId}/send`, {})).statusCode).toBe(403);
    expect((await t.anon.get(`/api/v1/payments/bills/${billId}`)).statusCode).toBe(401);
  });

  it('exports the bill as JSON and as the bilingual spreadsheet IFMIS clerks key from', async () => {
    const { billId } = await freshBill(t);
    const j = await finance.get(`/api/v1/payments/bills/${billId}/export?format=json`);
    expect(j.statusCode).toBe(200);
    const body = JSON.parse(j.body);
    expect(body.netPaise).toBe(body.grossPaise - body.deductionsPaise);
    expect(body.payees.reduce((s: number, p: { amountPaise: number }) => s + p.amountPaise, 0)).toBe(body.netPaise);
    // The invoice PDF attached, with its digest (that an approval's bill fixes this very digest: invoice.workflow.test.ts).
    const pdf = Buffer.from(body.invoicePdf.contentBase64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.invoicePdf.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const x = await finance.get(`/api/v1/payments/bills/${billId}/export?format=xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toMatch(/Bill no.* \/ .*देयक/);
    expect(ws.getRow(1).getCell(2).value).toBe(body.billNo);
  });

  it('lists bills to key for Finance and the treasury officer, after a point in time, the same answer twice', async () => {
    const { billId } = await freshBill(t);
    const treasury = await t.login('treasury_bhopal');
    const a = (await treasury.get('/api/v1/integration/ifmis/bills')).json();
    const b = (await treasury.get('/api/v1/integration/ifmis/bills')).json();
    expect(a).toEqual(b);
    const mine = (await billOf(finance, billId)).billNo;
    expect(a.items.map((i: { billNo: string }) => i.billNo)).toContain(mine);
    const last = a.items.at(-1).createdAt;
    expect((await finance.get(`/api/v1/integration/ifmis/bills?since=${encodeURIComponent(last)}`)).json().items).toEqual([]);
    expect((await agency.get('/api/v1/integration/ifmis/bills')).statusCode).toBe(403);
  });
});

describe('payments by hand', () => {
  it('records partial payments, refuses more than payable, and a full payment moves the workflow billed → paid', async () => {
    const { invoiceId, billId, bill } = await acknowledgedBill(t);
    const net = bill.netPayablePaise;
    const p1 = await ddoWithCode(t);
    const r1 = await pay(p1.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN26001', amountPaise: 100_000, code: p1.code });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json()).toMatchObject({ paidPaise: 100_000, outstandingPaise: net - 100_000 });
    expect(await stageOf(invoiceId)).toBe('billed');
    const over = await ddoWithCode(t);
    const before = await dbFingerprint(t.database);
    const r2 = await pay(over.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN26002', amountPaise: net, code: over.code });
    expect(r2.statusCode).toBe(409);
    expect(r2.json().code).toBe('payment_above_payable');
    expect(r2.json().errors[0]).toMatchObject({ field: 'amountPaise', code: 'amount_above_payable' });
    expect(await dbFingerprint(t.database)).toBe(before);
    const dup = await ddoWithCode(t);
    const r3 = await pay(dup.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN26001', amountPaise: 100, code: dup.code });
    expect(r3.statusCode).toBe(400);
    expect(r3.json().errors).toContainEqual({ field: 'utr', code: 'utr_duplicate', message: expect.any(String) });
    const rest = await ddoWithCode(t);
    const r4 = await pay(rest.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN26003', amountPaise: net - 100_000, code: rest.code });
    expect(r4.statusCode, r4.body).toBe(201);
    expect(r4.json()).toMatchObject({ paidPaise: net, outstandingPaise: 0 });
    expect(await stageOf(invoiceId)).toBe('paid');
  });

  it('a bank return reverses one credit (whole amount, once) and reopens the line', async () => {
    const { billId, bill } = await acknowledgedBill(t);
    const p = await ddoWithCode(t);
    expect((await pay(p.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN27001', amountPaise: 50_000, code: p.code })).statusCode).toBe(201);
    const wrong = await ddoWithCode(t);
    const bad = await pay(wrong.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN27001', amountPaise: 40_000, status: 'returned', code: wrong.code });
    expect(bad.json().errors[0]).toMatchObject({ field: 'amountPaise', code: 'return_amount_mismatch' });
    const ret = await ddoWithCode(t);
    const r = await pay(ret.c, {
      billId,
      payeeSeq: 1,
      payDate: today(),
      utr: 'SBIN27001',
      amountPaise: 50_000,
      status: 'returned',
      reason: 'Account closed',
      code: ret.code,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ paidPaise: 0, outstandingPaise: bill.netPayablePaise });
    const twice = await ddoWithCode(t);
    const r2 = await pay(twice.c, { billId, payeeSeq: 1, payDate: today(), utr: 'SBIN27001', amountPaise: 50_000, status: 'returned', code: twice.code });
    expect(r2.json().errors[0]).toMatchObject({ field: 'utr', code: 'utr_duplicate' });
  });

  it('M1: same key → same payment; other payload → 422; none → 400; 20 identical at once → exactly one row', async () => {
    const { billId } = await acknowledgedBill(t);
    const { c, code } = await ddoWithCode(t);
    const k = key();
    const body = { billId, payeeSeq: 1, payDate: today(), utr: 'HDFC28001', amountPaise: 12_345, code };
    const all = await Promise.all(Array.from({ length: 20 }, () => pay(c, body, k)));
    for (const r of all) expect(r.statusCode, r.body).toBe(201);
    expect(new Set(all.map((r) => r.json().paymentId)).size).toBe(1);
    expect(await countPayments(billId)).toBe(1);
    expect((await pay(c, { ...body, amountPaise: 12_346 }, k)).statusCode).toBe(422);
    expect((await pay(c, body, null)).statusCode).toBe(400);
    expect(await countPayments(billId)).toBe(1);
  });

  it('refuses a payment on a bill IFMIS has not acknowledged, and by anyone but the DDO', async () => {
    const { billId } = await freshBill(t);
    const { c, code } = await ddoWithCode(t);
    const r = await pay(c, { billId, payeeSeq: 1, payDate: today(), utr: 'HDFC29001', amountPaise: 100, code });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('bill_not_acknowledged');
    expect(
      (
        await agency.request({
          method: 'POST',
          url: '/api/v1/payments',
          payload: { billId, payeeSeq: 1, payDate: today(), utr: 'HDFC29002', amountPaise: 100 },
          headers: { 'idempotency-key': key() },
        })
      ).statusCode,
    ).toBe(403);
    expect(await countPayments(billId)).toBe(0);
  });

  it('the database refuses overpaying a line, changing or removing a payment', async () => {
    const { billId, bill } = await acknowledgedBill(t);
    const payee = bill.payees[0]!;
    const [u] = await q<{ id: number }>(t, sql`select id from users where username = 'ddo_bhopal'`);
    const ins = (amount: number, utr: string) =>
      t.database.db.execute(sql`insert into payments (bill_id, payee_id, pay_date, utr, amount_paise, status, source, created_by, created_at)
        values (${billId}, ${payee.id}, ${today()}, ${utr}, ${amount}, 'credited', 'hand', ${u!.id}, now())`);
    await expect(ins(payee.amountPaise + 1, 'DBCHECK01')).rejects.toThrow();
    await ins(100, 'DBCHECK02');
    await expect(t.database.db.execute(sql`update payments set amount_paise = 1 where bill_id = ${billId}`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from payments where bill_id = ${billId}`)).rejects.toThrow();
  });
});

const csv = (lines: string[]) => Buffer.from(`bill_no,payee_seq,pay_date,utr,amount,status\n${lines.join('\n')}\n`).toString('base64');

describe('the treasury payment file', () => {
  it('a dry run lists every bad row; saving a file with errors saves nothing; saving the good rows saves them', async () => {
    const { billId, bill } = await acknowledgedBill(t);
    const no = bill.billNo;
    const file = csv([
      `${no},1,${today()},UTRGOOD001,1000.00,CREDITED`,
      `NOSUCHBILL,1,${today()},UTRBAD0001,10,CREDITED`,
      `${no},1,${today()},UTRGOOD001,5,CREDITED`,
      `${no},1,${today()},UTRBAD0003,99999999,CREDITED`,
      `${no},1,${today()},UTRBAD0004,-5,CREDITED`,
      `${no},1,31/02/2026,UTRBAD0005,5,CREDITED`,
      `${no},1,${today()},UTRGOOD002,"1,500.50",CREDITED`,
    ]);
    const { c, code } = await ddoWithCode(t);
    const dry = await c.post('/api/v1/payments/import', { fileName: 'treasury.csv', contentBase64: file, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    const res = dry.json() as TImportResult;
    expect(res).toMatchObject({ rowsTotal: 7, rowsGood: 2, rowsBad: 5, saved: false });
    const codes = res.rows.map((r) => r.errors.map((e) => e.code));
    expect(codes).toEqual([[], ['bill_unknown'], ['utr_duplicate'], ['amount_above_payable'], ['amount_not_positive'], ['date_invalid'], []]);
    expect(await countPayments(billId)).toBe(0);
    const before = await dbFingerprint(t.database);
    const refused = await c.request({
      method: 'POST',
      url: '/api/v1/payments/import',
      payload: { fileName: 'treasury.csv', contentBase64: file, dryRun: false, code },
      headers: { 'idempotency-key': key() },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('payment_file_has_errors');
    expect(refused.json().errors).toContainEqual(expect.objectContaining({ field: 'rows.3.billNo', code: 'bill_unknown' }));
    expect(await dbFingerprint(t.database)).toBe(before);
    const k = key();
    const saved = await c.request({
      method: 'POST',
      url: '/api/v1/payments/import',
      payload: { fileName: 'treasury.csv', contentBase64: file, dryRun: false, saveGoodRows: true, code },
      headers: { 'idempotency-key': k },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ saved: true, rowsGood: 2, rowsBad: 5 });
    expect((await billOf(finance, billId)).paidPaise).toBe(100_000 + 150_050);
    const replay = await c.request({
      method: 'POST',
      url: '/api/v1/payments/import',
      payload: { fileName: 'treasury.csv', contentBase64: file, dryRun: false, saveGoodRows: true, code },
      headers: { 'idempotency-key': k },
    });
    expect(replay.json().batchId).toBe(saved.json().batchId);
    expect(await countPayments(billId)).toBe(2);
  });

  it('reads the same file as XLSX', async () => {
    const { billId, bill } = await acknowledgedBill(t);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Payments');
    ws.addRow(['bill_no', 'payee_seq', 'pay_date', 'utr', 'amount', 'status']);
    ws.addRow([bill.billNo, '1', today(), 'XLSXUTR01', '250.00', 'CREDITED']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const { c, code } = await ddoWithCode(t);
    const r = await c.request({
      method: 'POST',
      url: '/api/v1/payments/import',
      payload: { fileName: 'treasury.xlsx', contentBase64: buf.toString('base64'), dryRun: false, code },
      headers: { 'idempotency-key': key() },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect((await billOf(finance, billId)).paidPaise).toBe(25_000);
  });
});

describe('worker credits', () => {
  it('the agency records credits; a short and a missing credit are flagged, per invoice and per agency', async () => {
    const { invoiceId } = await acknowledgedBill(t);
    const before = (await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits;
    expect(before.workers.length).toBe(2);
    expect(before.workers.every((w) => w.flag === 'missing')).toBe(true);
    const [w1, w2] = before.workers;
    const r = await agency.request({
      method: 'POST',
      url: `/api/v1/payments/invoices/${invoiceId}/credits`,
      payload: { items: [{ resourceId: w1!.resourceId, utr: 'AGCR00001', amountPaise: w1!.netWagePaise - 500, creditDate: today() }] },
      headers: { 'idempotency-key': key() },
    });
    expect(r.statusCode, r.body).toBe(200);
    const after = (await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits;
    expect(after.workers.find((w) => w.resourceId === w1!.resourceId)).toMatchObject({ flag: 'short', shortPaise: 500, utrs: ['AGCR00001'] });
    expect(after.workers.find((w) => w.resourceId === w2!.resourceId)?.flag).toBe('missing');
    const flags = (await finance.get('/api/v1/payments/credit-flags?agencyId=1')).json().items as { invoiceId: number; flag: string }[];
    expect(
      flags
        .filter((f) => f.invoiceId === invoiceId)
        .map((f) => f.flag)
        .sort(),
    ).toEqual(['missing', 'short']);
    // The rest, by the agency's bank file; the invoice's workers are then whole.
    const file = Buffer.from(
      `resource_id,utr,amount,date\n${w1!.resourceId},AGCR00002,5.00,${today()}\n${w2!.resourceId},AGCR00003,${w2!.netWagePaise / 100},${today()}\n`,
    ).toString('base64');
    const up = await agency.request({
      method: 'POST',
      url: `/api/v1/payments/invoices/${invoiceId}/credits/import`,
      payload: { fileName: 'bank.csv', contentBase64: file, dryRun: false },
      headers: { 'idempotency-key': key() },
    });
    expect(up.statusCode, up.body).toBe(200);
    const done = (await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits;
    expect(done.flagged).toBe(0);
    const [wf] = await q<{ credited_at: string | null }>(t, sql`select credited_at::text from invoice_workflow where invoice_id = ${invoiceId}`);
    expect(wf!.credited_at).not.toBeNull();
  });

  it('refuses a duplicate UTR for a worker, a worker not on the invoice, and another agency’s invoice', async () => {
    const { invoiceId } = await acknowledgedBill(t);
    const w = ((await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits).workers[0]!;
    const post = (items: unknown[]) =>
      agency.request({ method: 'POST', url: `/api/v1/payments/invoices/${invoiceId}/credits`, payload: { items }, headers: { 'idempotency-key': key() } });
    expect((await post([{ resourceId: w.resourceId, utr: 'DUPUTR001', amountPaise: 100, creditDate: today() }])).statusCode).toBe(200);
    const dup = await post([{ resourceId: w.resourceId, utr: 'DUPUTR001', amountPaise: 100, creditDate: today() }]);
    expect(dup.statusCode).toBe(422);
    expect(dup.json().errors[0]).toMatchObject({ field: 'rows.2.utr', code: 'utr_duplicate' });
    const stranger = await post([{ resourceId: 999_999, utr: 'STRANGE01', amountPaise: 100, creditDate: today() }]);
    expect(stranger.json().errors[0]).toMatchObject({ field: 'rows.2.resourceId', code: 'worker_not_on_invoice' });
    expect((await agency.get('/api/v1/payments/invoices/4/credits')).statusCode).toBe(404);
  });

  it('direct payment: the payments to the workers’ own lines are their credits, and a bank return undoes one', async () => {
    const { invoiceId, billId, bill } = await acknowledgedBill(t, { mode: 'direct' });
    const worker = bill.payees.find((p) => p.kind === 'worker')!;
    const p = await ddoWithCode(t);
    expect(
      (await pay(p.c, { billId, payeeSeq: worker.seq, payDate: today(), utr: 'DIRECT001', amountPaise: worker.amountPaise, code: p.code })).statusCode,
    ).toBe(201);
    let cr = (await dm.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits;
    expect(cr.workers.filter((w) => w.flag === 'ok').length).toBe(1);
    expect(cr.mayRecord).toBe(false);
    const back = await ddoWithCode(t);
    expect(
      (
        await pay(back.c, {
          billId,
          payeeSeq: worker.seq,
          payDate: today(),
          utr: 'DIRECT001',
          amountPaise: worker.amountPaise,
          status: 'returned',
          code: back.code,
        })
      ).statusCode,
    ).toBe(201);
    cr = (await dm.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits;
    expect(cr.workers.every((w) => w.flag === 'missing')).toBe(true);
  });

  it('direct payment: every worker paid stamps the invoice credited; a bank return clears the stamp (event and audit naming the UTR); paying again stamps it again', async () => {
    const { invoiceId, billId, bill } = await acknowledgedBill(t, { mode: 'direct' });
    const workers = bill.payees.filter((p) => p.kind === 'worker');
    expect(workers.length).toBeGreaterThan(1);
    const creditedAt = async () =>
      (await q<{ credited_at: string | null }>(t, sql`select credited_at::text from invoice_workflow where invoice_id = ${invoiceId}`))[0]!.credited_at;
    const events = async () =>
      (
        await q<{ action: string; remarks: string | null }>(
          t,
          sql`select action, remarks from invoice_events where invoice_id = ${invoiceId} and action like 'credit%' order by id`,
        )
      ).map((e) => [e.action, e.remarks ?? '']);
    const payOne = async (w: (typeof workers)[number], utr: string, status?: 'returned') => {
      const p = await ddoWithCode(t);
      const r = await pay(p.c, { billId, payeeSeq: w.seq, payDate: today(), utr, amountPaise: w.amountPaise, code: p.code, ...(status ? { status } : {}) });
      expect(r.statusCode).toBe(201);
    };
    for (const [k, w] of workers.entries()) {
      expect(await creditedAt()).toBeNull();
      await payOne(w, `DIRSTAMP${k}`);
    }
    const first = await creditedAt();
    expect(first).not.toBeNull();
    expect(await events()).toEqual([['credited', '']]);

    await payOne(workers[0]!, 'DIRSTAMP0', 'returned');
    expect(await creditedAt()).toBeNull();
    expect(await events()).toEqual([
      ['credited', ''],
      ['credit_reopened', 'DIRSTAMP0'],
    ]);
    const audit = await q<{ after: { shortWorkers: number[]; returns: string[] } }>(
      t,
      sql`select after from audit_log where entity = 'invoice' and entity_id = ${String(invoiceId)} and action = 'credit_reopened'`,
    );
    expect(audit.map((a) => a.after.returns)).toEqual([['DIRSTAMP0']]);
    expect(audit[0]!.after.shortWorkers).toHaveLength(1);
    const cr = (await dm.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits;
    expect(cr.workers.filter((w) => w.flag !== 'ok')).toHaveLength(1);

    // Paid again on a new UTR: whole again, stamped again (a later moment), one more event.
    await t.clock.advance(60_000);
    await payOne(workers[0]!, 'DIRSTAMP9');
    const again = await creditedAt();
    expect(again).not.toBeNull();
    expect(again).not.toBe(first);
    expect((await events()).map((e) => e[0])).toEqual(['credited', 'credit_reopened', 'credited']);
  });
});

describe('pay dates', () => {
  it('lists each invoice with its dates and due date, and the breaches for the department and Finance', async () => {
    const { invoiceId } = await freshBill(t);
    const all = (await finance.get('/api/v1/payments/pay-dates')).json().items as TPayDate[];
    const mine = all.find((i) => i.invoiceId === invoiceId)!;
    expect(mine.dueDate).toMatch(/-07$/);
    expect(mine.approvedAt).not.toBeNull();
    expect(mine.breached).toBe(mine.dueDate < today());
    const breaches = (await dm.get('/api/v1/payments/pay-dates?breachedOnly=true')).json().items as TPayDate[];
    expect(breaches.every((b) => b.breached)).toBe(true);
    expect(breaches.map((b) => b.invoiceId)).toContain(invoiceId);
    // The page sends the unticked box as breachedOnly=false: every invoice, as with no parameter.
    const unticked = (await finance.get('/api/v1/payments/pay-dates?breachedOnly=false')).json().items as TPayDate[];
    expect(unticked.map((i) => i.invoiceId)).toEqual(all.map((i) => i.invoiceId));
    expect((await dm.get('/api/v1/payments/pay-dates?breachedOnly=maybe')).statusCode).toBe(400);
    expect((await agency.get('/api/v1/payments/pay-dates')).statusCode).toBe(403);
  });
});

describe('M5: a fault at any statement leaves nothing partial', () => {
  async function withFault<T>(table: string, run: () => Promise<T>): Promise<T> {
    const db = t.database.db;
    await db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION pay_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`),
    );
    await db.execute(sql.raw(`CREATE TRIGGER pay_test_fault BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION pay_test_fault()`));
    try {
      return await run();
    } finally {
      await db.execute(sql.raw(`DROP TRIGGER pay_test_fault ON ${table}`));
    }
  }

  it('recording a payment (direct: payment, credit, workflow, event, audit)', async () => {
    const { billId, bill } = await acknowledgedBill(t, { mode: 'direct' });
    const worker = bill.payees.find((p) => p.kind === 'worker')!;
    // Pay every other line first, so the worker's payment also makes a credit and moves the workflow to paid.
    for (const l of bill.payees.filter((p) => p.id !== worker.id)) {
      const p = await ddoWithCode(t);
      expect(
        (await pay(p.c, { billId, payeeSeq: l.seq, payDate: today(), utr: `PRE${l.seq}00001`, amountPaise: l.amountPaise, code: p.code })).statusCode,
      ).toBe(201);
    }
    for (const table of ['payments', 'worker_credits', 'invoice_workflow', 'invoice_events', 'audit_log', 'otps']) {
      const p = await ddoWithCode(t);
      const before = await dbFingerprint(t.database);
      const r = await withFault(table, () =>
        pay(p.c, { billId, payeeSeq: worker.seq, payDate: today(), utr: 'WORKER0001', amountPaise: worker.amountPaise, code: p.code }),
      );
      expect(r.statusCode, table).toBe(500);
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
    const ok = await ddoWithCode(t);
    expect(
      (await pay(ok.c, { billId, payeeSeq: worker.seq, payDate: today(), utr: 'WORKER0001', amountPaise: worker.amountPaise, code: ok.code })).statusCode,
    ).toBe(201);
    expect(await stageOf(bill.invoiceId)).toBe('paid');
    // A bank return of the worker's credit: its reversal of the credit fails → nothing.
    const back = await ddoWithCode(t);
    const before = await dbFingerprint(t.database);
    const r = await withFault('worker_credits', () =>
      pay(back.c, { billId, payeeSeq: worker.seq, payDate: today(), utr: 'WORKER0001', amountPaise: worker.amountPaise, status: 'returned', code: back.code }),
    );
    expect(r.statusCode).toBe(500);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('importing a payment file (batch, payments, audit)', async () => {
    const { bill } = await acknowledgedBill(t);
    const file = csv([`${bill.billNo},1,${today()},FAULTUTR01,10.00,CREDITED`, `${bill.billNo},1,${today()},FAULTUTR02,20.00,CREDITED`]);
    for (const table of ['payment_batches', 'payments', 'audit_log']) {
      const { c, code } = await ddoWithCode(t);
      const before = await dbFingerprint(t.database);
      const r = await withFault(table, () =>
        c.request({
          method: 'POST',
          url: '/api/v1/payments/import',
          payload: { fileName: 'f.csv', contentBase64: file, dryRun: false, code },
          headers: { 'idempotency-key': key() },
        }),
      );
      expect(r.statusCode, table).toBe(500);
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
  });

  it('recording worker credits (batch, credits, workflow stamp, event, audit)', async () => {
    const { invoiceId } = await acknowledgedBill(t);
    const ws = ((await agency.get(`/api/v1/payments/invoices/${invoiceId}/credits`)).json() as TInvoiceCredits).workers;
    const items = ws.map((w, i) => ({ resourceId: w.resourceId, utr: `FAULTCR0${i}`, amountPaise: w.netWagePaise, creditDate: today() }));
    for (const table of ['payment_batches', 'worker_credits', 'invoice_workflow', 'invoice_events', 'audit_log']) {
      const a = await t.login('agency_admin');
      const before = await dbFingerprint(t.database);
      const r = await withFault(table, () =>
        a.request({ method: 'POST', url: `/api/v1/payments/invoices/${invoiceId}/credits`, payload: { items }, headers: { 'idempotency-key': key() } }),
      );
      expect(r.statusCode, table).toBe(500);
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
  });
});

describe('the demo', () => {
  it('has one invoice paid end to end with its worker credits, one worker flagged short, and an acknowledged bill awaiting payment', async () => {
    const bills = await q<{ id: number; status: string; stage: string; net: string; paid: string; invoice_id: number }>(
      t,
      sql`select b.id, b.status, w.stage, b.net_payable_paise::text as net, b.invoice_id,
                 (select coalesce(sum(case when p.status = 'credited' then p.amount_paise else -p.amount_paise end), 0) from payments p where p.bill_id = b.id)::text as paid
            from bills b join invoice_workflow w on w.invoice_id = b.invoice_id join invoices i on i.id = b.invoice_id where i.invoice_no like 'PAYDEMO/%' order by i.invoice_no`,
    );
    expect(bills.map((b) => [b.status, b.stage])).toEqual([
      ['acknowledged', 'paid'],
      ['acknowledged', 'billed'],
    ]);
    expect(bills[0]!.paid).toBe(bills[0]!.net);
    const credits = (await agency.get(`/api/v1/payments/invoices/${bills[0]!.invoice_id}/credits`)).json() as TInvoiceCredits;
    expect(credits.workers.map((w) => w.flag).sort()).toEqual(['ok', 'short']);
    expect(credits.workers.find((w) => w.flag === 'short')?.shortPaise).toBe(50_000);
  });
});
