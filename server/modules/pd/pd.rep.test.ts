import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRepAccountReport, TRepFigures, TRepTreasuryMonth } from '../../../shared/contracts/pd-rep.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { approveInAdvice } from './pd.adv.fixtures.ts';
import { FOREIGN_TREASURY_ID } from './pd.rep.fixtures.ts';
import { closePdReportWorker } from './pd.rep.pdf.ts';

/**
 * The PD reports (issue 18 items 5–6) through the API, on PGlite and on PostgreSQL
 * (TEST_DATABASE_URL): figures derived from the ledger equal the stored balances, a period takes
 * postings by value date (IST) with both ends inclusive, a foreign account or treasury is not
 * found, and the PDF and Excel files carry the account and the totals.
 */
let t: TestApp;
let admin: Client; // pd_admin: PD account 1 (Bhopal)
let treasury: Client; // treasury_bhopal
let finance: Client;
let auditor: Client;
let vendorId: number; // account 1's first vendor (pd.adv.demo.ts)
const BHOPAL = 9; // treasury of the demo's accounts 1 and 2 (checked below)

const key = () => `k-${randomBytes(8).toString('hex')}`;
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const ok = <T>(r: { statusCode: number; body: string; json: () => unknown }): T => {
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as T;
};
const report = async (c: Client, id: number, from: string, to: string) =>
  ok<TRepAccountReport>(await c.get(`/api/v1/pd/accounts/${id}/report?from=${from}&to=${to}`));
const month = async (c: Client, id: number, m: string) => ok<TRepTreasuryMonth>(await c.get(`/api/v1/pd/treasuries/${id}/monthly-account?month=${m}`));
const balanced = (f: TRepFigures) => f.openingPaise + f.depositsPaise - f.reversedPaise - f.withdrawalsPaise;

/** A fresh line on account 1 (a budget line of its department not yet on it) holding `paise` deposited on `valueDate`. */
async function freshLine(paise: number, valueDate: string): Promise<{ lineId: number; depositId: number }> {
  const [bl] = await q<{ id: number }>(sql`
    insert into budget_lines (demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, object_head, scheme_name_en, scheme_name_hi, department_id)
    select demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head,
           (select coalesce(max(object_head::int), 100) + 1 from budget_lines where object_head ~ '^[0-9]+$')::text,
           'Report test scheme', 'प्रतिवेदन परीक्षण योजना', department_id
      from budget_lines where id = (select budget_line_id from pd_lines where account_id = 1 order by id limit 1)
    returning id`);
  const [line] = await q<{ id: number }>(
    sql`insert into pd_lines (account_id, budget_line_id, purpose_en, purpose_hi) values (1, ${bl!.id}, 'Report test line', 'प्रतिवेदन परीक्षण मद') returning id`,
  );
  const lineId = Number(line!.id);
  const r = await treasury.post('/api/v1/pd/accounts/1/deposits', {
    lineId,
    amountPaise: paise,
    mode: 'book_transfer',
    sourceBudgetLineId: Number(bl!.id),
    reference: 'REP/1',
    valueDate,
  });
  expect(r.statusCode, r.body).toBe(201);
  const [p] = await q<{ id: number }>(sql`select max(id) as id from pd_postings where line_id = ${lineId} and kind = 'deposit'`);
  return { lineId, depositId: Number(p!.id) };
}

async function echeque(lineId: number, amountPaise: number, end: 'prepared' | 'passed' | 'returned'): Promise<number> {
  const r = await admin.request({
    method: 'POST',
    url: '/api/v1/pd/accounts/1/echeques',
    headers: { 'idempotency-key': key() },
    payload: { payeeKind: 'vendor', lineId, amountPaise, vendorId },
  });
  expect(r.statusCode, r.body).toBe(201);
  const id = (r.json() as { id: number }).id;
  // The treasury sees an e-cheque only through an approved advice (migration 0035).
  if (end !== 'prepared') await approveInAdvice(t.database.db, [id]);
  if (end === 'passed') expect((await treasury.post(`/api/v1/pd/echeques/${id}/pass`, { otp: await t.stepUpCode(treasury) })).statusCode).toBe(200);
  if (end === 'returned')
    expect((await treasury.post(`/api/v1/pd/echeques/${id}/return`, { reason: 'Wrong payee', otp: await t.stepUpCode(treasury) })).statusCode).toBe(200);
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('pd_admin');
  treasury = await t.login('treasury_bhopal');
  finance = await t.login('finance_admin');
  auditor = await t.login('auditor_state');
  vendorId = (await admin.get('/api/v1/pd/accounts/1/vendors')).json().items[0].id;
}, 180_000);
afterAll(async () => {
  await closePdReportWorker();
  await t?.close();
});

describe('the administrator report by line', () => {
  let lineId: number;
  beforeAll(async () => {
    // Deposits of ₹100 (20 Nov) and ₹20 (21 Nov, reversed), e-cheques of ₹30 passed, ₹15 returned, ₹25 prepared.
    ({ lineId } = await freshLine(10_000, '2026-11-20'));
    const second = await treasury.post('/api/v1/pd/accounts/1/deposits', {
      lineId,
      amountPaise: 2_000,
      mode: 'book_transfer',
      sourceBudgetLineId: Number((await q<{ b: number }>(sql`select budget_line_id as b from pd_lines where id = ${lineId}`))[0]!.b),
      reference: 'REP/2',
      valueDate: '2026-11-21',
    });
    expect(second.statusCode, second.body).toBe(201);
    const [dep] = await q<{ id: number }>(sql`select max(id) as id from pd_postings where line_id = ${lineId} and kind = 'deposit'`);
    expect((await treasury.post(`/api/v1/pd/deposits/${dep!.id}/reverse`, { reason: 'Entered twice' })).statusCode).toBe(200);
    await echeque(lineId, 3_000, 'passed');
    await echeque(lineId, 1_500, 'returned');
    await echeque(lineId, 2_500, 'prepared');
  });

  it('shows deposits, the reversal, e-cheques passed, the closing balance and the reserved part for the line', async () => {
    const r = await report(admin, 1, '2026-11-01', '2026-11-30');
    const l = r.lines.find((x) => x.lineId === lineId)!;
    expect(l).toMatchObject({
      openingPaise: 0,
      depositsPaise: 12_000,
      reversedPaise: 2_000,
      echequesPaise: 3_000,
      lapsedPaise: 0,
      unclaimedPaise: 0,
      withdrawalsPaise: 3_000,
      closingPaise: 7_000,
      reservedPaise: 2_500,
      availablePaise: 4_500,
    });
    expect(r.accountNo).toMatch(/^PD/);
  });

  it("derives every line's closing and reserved balance from the ledger equal to the stored balances, and opening + in − out = closing", async () => {
    const stored = await q<{ id: number; account_id: number; available_paise: string; reserved_paise: string }>(
      sql`select id, account_id, available_paise, reserved_paise from pd_lines order by id`,
    );
    const accounts = [...new Set(stored.map((s) => Number(s.account_id)))];
    for (const id of accounts) {
      const all = await report(finance, id, '1900-01-01', '2199-12-31');
      for (const l of all.lines) {
        const s = stored.find((x) => Number(x.id) === l.lineId)!;
        expect(l.closingPaise, `line ${l.lineId}`).toBe(Number(s.available_paise) + Number(s.reserved_paise));
        expect(l.reservedPaise, `line ${l.lineId}`).toBe(Number(s.reserved_paise));
        expect(l.availablePaise, `line ${l.lineId}`).toBe(Number(s.available_paise));
      }
      for (const [from, to] of [
        ['2026-04-01', '2026-06-30'],
        ['2026-07-01', '2026-11-20'],
        ['2026-11-21', '2027-03-31'],
      ] as const) {
        const p = await report(finance, id, from, to);
        for (const l of [...p.lines, p.totals]) expect(balanced(l)).toBe(l.closingPaise);
        // Consecutive periods chain: this period's opening is the closing of the day before.
        const before = await report(finance, id, '1900-01-01', new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
        expect(p.totals.openingPaise).toBe(before.totals.closingPaise);
      }
    }
  });

  it('takes a posting by its value date with both ends of the period inclusive', async () => {
    const line = async (from: string, to: string) => (await report(admin, 1, from, to)).lines.find((x) => x.lineId === lineId)!;
    expect((await line('2026-11-01', '2026-11-19')).closingPaise).toBe(0);
    expect(await line('2026-11-20', '2026-11-20')).toMatchObject({ openingPaise: 0, depositsPaise: 10_000, closingPaise: 10_000 });
    expect(await line('2026-11-21', '2026-11-21')).toMatchObject({ openingPaise: 10_000, depositsPaise: 2_000, closingPaise: 12_000 });
    expect((await line('2026-11-26', '2026-12-31')).openingPaise).toBe(7_000);
  });

  it('gives the monthly account as the report for the calendar month', async () => {
    const m = ok<TRepAccountReport>(await admin.get('/api/v1/pd/accounts/1/monthly-account?month=2026-11'));
    expect(m.from).toBe('2026-11-01');
    expect(m.to).toBe('2026-11-30');
    expect(m.totals).toEqual((await report(admin, 1, '2026-11-01', '2026-11-30')).totals);
    expect(ok<TRepAccountReport>(await admin.get('/api/v1/pd/accounts/1/monthly-account?month=2028-02')).to).toBe('2028-02-29');
  });

  it('refuses a period that ends before it starts, or a malformed month, with a clear 400', async () => {
    const r = await admin.get('/api/v1/pd/accounts/1/report?from=2026-12-01&to=2026-11-30');
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('pd_report_period_invalid');
    expect((await admin.get('/api/v1/pd/accounts/1/monthly-account?month=2026-13')).statusCode).toBe(400);
    expect((await admin.get('/api/v1/pd/accounts/1/report?from=2026-02-30&to=2026-03-01')).statusCode).toBe(400);
  });
});

describe('who sees which report', () => {
  it('keeps the administrator to its account and the treasury officer to its treasury (404), Finance and the auditor see all', async () => {
    expect((await admin.get('/api/v1/pd/accounts/2/report?from=2026-04-01&to=2026-04-30')).statusCode).toBe(404);
    expect((await admin.get('/api/v1/pd/accounts/3/monthly-account/file?month=2026-04&format=pdf')).statusCode).toBe(404);
    expect((await treasury.get('/api/v1/pd/accounts/3/report?from=2026-04-01&to=2026-04-30')).statusCode).toBe(404);
    expect((await treasury.get('/api/v1/pd/accounts/2/report?from=2026-04-01&to=2026-04-30')).statusCode).toBe(200);
    expect((await finance.get('/api/v1/pd/accounts/3/report?from=2026-04-01&to=2026-04-30')).statusCode).toBe(200);
    expect((await auditor.get('/api/v1/pd/accounts/3/report?from=2026-04-01&to=2026-04-30')).statusCode).toBe(200);
    expect((await t.anon.get('/api/v1/pd/accounts/1/report?from=2026-04-01&to=2026-04-30')).statusCode).toBe(401);
  });

  it("gives the treasury officer its treasury's 8443-106 account only; the administrator none", async () => {
    const [a] = await q<{ t1: number; t3: number }>(
      sql`select (select treasury_id from pd_accounts where id = 1) as t1, (select treasury_id from pd_accounts where id = 3) as t3`,
    );
    expect([Number(a!.t1), Number(a!.t3)]).toEqual([BHOPAL, FOREIGN_TREASURY_ID]);
    expect((await treasury.get(`/api/v1/pd/treasuries/${FOREIGN_TREASURY_ID}/monthly-account?month=2026-04`)).statusCode).toBe(404);
    expect((await treasury.get(`/api/v1/pd/treasuries/${FOREIGN_TREASURY_ID}/ag-list?month=2026-04&format=csv`)).statusCode).toBe(404);
    expect((await treasury.get('/api/v1/pd/treasuries/99999/monthly-account?month=2026-04')).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/pd/treasuries/${BHOPAL}/monthly-account?month=2026-04`)).statusCode).toBe(403);
    expect((await finance.get(`/api/v1/pd/treasuries/${FOREIGN_TREASURY_ID}/monthly-account?month=2026-04`)).statusCode).toBe(200);
    expect(ok<{ items: { id: number }[] }>(await treasury.get('/api/v1/pd/report-treasuries')).items.map((x) => x.id)).toEqual([BHOPAL]);
    const all = ok<{ items: { id: number }[] }>(await auditor.get('/api/v1/pd/report-treasuries')).items.map((x) => x.id);
    expect(all).toEqual(expect.arrayContaining([BHOPAL, FOREIGN_TREASURY_ID]));
  });
});

describe("the treasury's monthly account of 8443-106 and the AG list", () => {
  it('debits e-cheques passed in the month by account, totals them, and equals the account reports', async () => {
    const [d] = await q<{
      m: string;
    }>(sql`select to_char(max(value_date), 'YYYY-MM') as m from pd_postings where kind = 'echeque_passed' and reference like 'e-cheque %'
      and value_date < date_trunc('month', (select max(value_date) from pd_postings))`);
    const m = await month(treasury, BHOPAL, d!.m);
    expect(m.head).toBe('8443-106');
    // The demo's Bhopal accounts (1, 2, and any the opening demo registered there); never another treasury's.
    expect(m.accounts.map((a) => a.accountId)).toEqual(expect.arrayContaining([1, 2]));
    expect(m.accounts.map((a) => a.accountId)).not.toContain(3);
    expect(m.echeques.length).toBeGreaterThan(0);
    expect(m.totals.echequesPaise).toBe(m.echeques.reduce((s, e) => s + e.amountPaise, 0));
    expect(m.totals.echequeCount).toBe(m.echeques.length);
    for (const a of m.accounts) {
      const r = await report(finance, a.accountId, m.from, m.to);
      expect(a.depositsPaise).toBe(r.totals.depositsPaise);
      expect(a.echequesPaise).toBe(r.totals.echequesPaise);
      expect(a.closingPaise).toBe(r.totals.closingPaise);
    }
    for (const e of m.echeques) expect(e.payeeAccountNo === '' || /^X+\d{4}$/.test(e.payeeAccountNo)).toBe(true);
  });

  it('counts an e-cheque passed after midnight IST (still the previous day in UTC) in the new month', async () => {
    const { lineId } = await freshLine(50_000, '2026-11-20');
    t.clock.set(new Date('2026-11-30T19:00:00Z')); // 1 December 2026, 00:30 IST
    treasury = await t.login('treasury_bhopal');
    admin = await t.login('pd_admin');
    finance = await t.login('finance_admin');
    const id = await echeque(lineId, 7_700, 'passed');
    const nov = await month(treasury, BHOPAL, '2026-11');
    const dec = await month(treasury, BHOPAL, '2026-12');
    expect(nov.echeques.map((e) => e.echequeId)).not.toContain(id);
    expect(dec.echeques.find((e) => e.echequeId === id)).toMatchObject({ debitedOn: '2026-12-01', amountPaise: 7_700, state: 'passed' });
    const csv = await treasury.get(`/api/v1/pd/treasuries/${BHOPAL}/ag-list?month=2026-12&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('01/12/2026');
    expect(csv.body).toContain('77.00');
    expect(csv.body).not.toContain('123456789012');
  });
});

describe('the files', () => {
  it('makes a PDF that is a PDF and names the account', async () => {
    const r = await admin.get('/api/v1/pd/accounts/1/report/file?from=2026-04-01&to=2027-03-31&format=pdf');
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const bytes = r.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const [a] = await q<{ account_no: string }>(sql`select account_no from pd_accounts where id = 1`);
    expect(bytes.toString('latin1')).toContain(a!.account_no);
    const [audit] = await q<{ n: number }>(sql`select count(*)::int as n from audit_log where entity = 'pd_account' and entity_id = '1' and action = 'export'`);
    expect(Number(audit!.n)).toBeGreaterThan(0);
  }, 60_000);

  it('makes an Excel workbook with the by-line sheet and a totals row equal to the report', async () => {
    const r = await admin.get('/api/v1/pd/accounts/1/monthly-account/file?month=2026-11&format=xlsx');
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('by-line');
    expect(ws).toBeDefined();
    const json = ok<TRepAccountReport>(await admin.get('/api/v1/pd/accounts/1/monthly-account?month=2026-11'));
    const last = ws!.getRow(ws!.rowCount);
    expect(['Total', 'योग']).toContain(last.getCell(2).value);
    // Columns: head, purpose, opening, deposits, reversed, e-cheques, lapsed, unclaimed, withdrawals, closing, reserved, available.
    expect(last.getCell(4).value).toBe(json.totals.depositsPaise / 100);
    expect(last.getCell(10).value).toBe(json.totals.closingPaise / 100);
    expect(last.getCell(11).value).toBe(json.totals.reservedPaise / 100);
  });

  it('gives the AG list and the 8443-106 account as Excel', async () => {
    const ag = await finance.get(`/api/v1/pd/treasuries/${BHOPAL}/ag-list?month=2026-12&format=xlsx`);
    expect(ag.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(ag.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('ag-list')).toBeDefined();
    const acc = await finance.get(`/api/v1/pd/treasuries/${BHOPAL}/monthly-account/file?month=2026-12&format=xlsx`);
    expect(acc.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(acc.rawPayload as unknown as ArrayBuffer);
    const ws = wb2.getWorksheet('8443-106')!;
    const m = await month(finance, BHOPAL, '2026-12');
    expect(ws.getRow(ws.rowCount).getCell(10).value).toBe(m.totals.closingPaise / 100);
  });
});
