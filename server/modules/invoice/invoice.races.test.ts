import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice, TInvoiceMonthResult } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { allSucceed, answers, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { proofGate as realProofGate } from '../proof/index.ts';
import { draftInvoice, withdrawInvoice, workflowLogins } from './invoice.fixtures.ts';
import { provideProofGate } from './invoice.gate.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * Twenty identical requests at once on every decision of the invoice workflow (the review's
 * double click), on PGlite and on PostgreSQL (TEST_DATABASE_URL), five rounds each (one round
 * lets a lost race through too rarely to be seen): the department manager's verify and return,
 * the DDO's return and approval (with its second factor), the agency's cancellation.
 * - With one Idempotency-Key (what the page sends: one key per opening of the dialog): every
 *   answer 200, the same invoice, all but one marked replayed; one event, one audit entry, one bill.
 * - Each with its own key (a script, or two tabs): one 200, every other answer 409
 *   invoice_wrong_stage ("already decided") — never the second factor's 422, never a 500.
 * invoice.workflow.test.ts has the single-round same-key submit and approval.
 */
const LAST = lastMonthOver(todayIst(new Date()));
const N = 20;
const ROUNDS = 5;
let t: TestApp;
let agency: Client;
let dm: Client;
let ddo: Client;
const q = async <T extends Record<string, unknown>>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T>(s)).rows;
const key = () => `race-${randomUUID()}`;

/** Everybody logged in again (after the clock moved: money roles' sessions idle out in 15 minutes). */
async function relogin() {
  ({ agency, dm, ddo } = await workflowLogins(t));
}

/** A new hour (codes are limited to five an hour) and a fresh second-factor code for the DDO's new login. */
async function freshCode(): Promise<string> {
  t.clock.advance(3_600_000 + 1000);
  await relogin();
  return t.stepUpCode(ddo);
}

function step(c: Client, id: number, action: string, body: object, k: string) {
  return c.request({ method: 'POST', url: `/api/v1/invoices/${id}/${action}`, payload: body, headers: { 'idempotency-key': k } });
}

async function ok(res: Awaited<ReturnType<typeof step>>): Promise<TInvoice> {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TInvoice;
}

/** A draft invoice of contract 2 for last month (invoice.fixtures.ts draftInvoice). */
async function draft(): Promise<number> {
  return draftInvoice(t, agency, LAST);
}

async function submitted(): Promise<number> {
  const id = await draft();
  await ok(await step(agency, id, 'submit', {}, key()));
  return id;
}

async function verified(): Promise<number> {
  const id = await submitted();
  await ok(await step(dm, id, 'verify', {}, key()));
  return id;
}

const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
const events = (id: number, action: string) => count(sql`select count(*)::int as n from invoice_events where invoice_id = ${id} and action = ${action}`);
const audits = (id: number, action: string) => auditCount(t.database.db, 'invoice', id, action);
const stageOf = async (id: number) => (await q<{ stage: string }>(sql`select stage from invoice_workflow where invoice_id = ${id}`))[0]?.stage;

type Res = Awaited<ReturnType<typeof step>>;
/** Same key: every answer 200 and the same invoice at `stage`, exactly one not replayed. */
function judgeReplayed(rs: Res[], stage: string) {
  allSucceed(rs, 200, { replayed: true });
  expect(new Set(rs.map((r) => (r.json() as TInvoice).workflow.stage))).toEqual(new Set([stage]));
}
/** Own keys: one 200 at `stage`; every other answer 409 invoice_wrong_stage. */
function judgeOnce(rs: Res[], stage: string) {
  oneWinner(rs, ['409 invoice_wrong_stage'], { read: (i: TInvoice) => i.workflow.stage, is: stage });
}

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  await relogin();
  // The proof gate is not what these tests race: it lets every approval through.
  provideProofGate(async () => ({ held: false }));
}, 120_000);
afterEach(() => {
  provideProofGate(async () => ({ held: false }));
});
afterAll(async () => {
  // The registry's real gate again: with Vitest's isolate: false the next file in this worker shares the module.
  provideProofGate(realProofGate);
  await t?.close();
});

const dmSteps = [
  ['verify', {}, 'verified', submitted],
  ['return', { remarks: 'Paid days do not match the register' }, 'returned', submitted],
] as const;

describe(`${N} identical requests at once, ${ROUNDS} rounds`, () => {
  for (const [action, body, stage, from] of dmSteps) {
    it(`the department manager's ${action}, one key: one event, one audit entry; every answer that invoice, replayed`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await from();
        const k = key();
        judgeReplayed(await burst(N, () => step(dm, id, action, body, k)), stage);
        expect(await events(id, action)).toBe(1);
        expect(await audits(id, action)).toBe(1);
        expect(await stageOf(id)).toBe(stage);
      }
    });

    it(`the department manager's ${action}, a key each: taken once, one audit entry; the others 409 already decided`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await from();
        judgeOnce(await burst(N, () => step(dm, id, action, body, key())), stage);
        expect(await events(id, action)).toBe(1);
        expect(await audits(id, action)).toBe(1);
      }
    });
  }

  it("the DDO's return, one key and a key each: returned once, one audit entry", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const body = { remarks: 'Budget line exhausted for this quarter' };
      const a = await verified();
      const k = key();
      judgeReplayed(await burst(N, () => step(ddo, a, 'return', body, k)), 'returned');
      expect([await events(a, 'return'), await audits(a, 'return')]).toEqual([1, 1]);
      const b = await verified();
      judgeOnce(await burst(N, () => step(ddo, b, 'return', body, key())), 'returned');
      expect([await events(b, 'return'), await audits(b, 'return')]).toEqual([1, 1]);
    }
  });

  it("the DDO's approval, one key and one code: approved once — one event, one audit entry, one bill; every answer that invoice", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await verified();
      const code = await freshCode();
      const k = key();
      judgeReplayed(await burst(N, () => step(ddo, id, 'approve', { otp: code }, k)), 'approved');
      expect(await events(id, 'approve')).toBe(1);
      expect(await audits(id, 'approve')).toBe(1);
      expect(await count(sql`select count(*)::int as n from bills where invoice_id = ${id}`)).toBe(1);
    }
  });

  it("the DDO's approval, one code but a key each (clicks spread over the approval's time): one bill; the others 409 already decided, not the code's 422", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await verified();
      const code = await freshCode();
      // Spread over a few milliseconds each: some arrive while the first approval is being written,
      // after they read the stage as "verified" — a double click's second request.
      judgeOnce(await spread(N, () => step(ddo, id, 'approve', { otp: code }, key())), 'approved');
      expect(await events(id, 'approve')).toBe(1);
      expect(await audits(id, 'approve')).toBe(1);
      expect(await count(sql`select count(*)::int as n from bills where invoice_id = ${id}`)).toBe(1);
    }
  });

  it("the agency's cancellation of a returned invoice: cancelled once, one credit note number taken, one audit entry; the others 409 not cancellable", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await submitted();
      await ok(await step(dm, id, 'return', { remarks: 'Wrong month' }, key()));
      const series = async () => count(sql`select coalesce(sum(last_no), 0)::int as n from invoice_series`);
      const before = await series();
      const rs = await burst(N, () => agency.post(`/api/v1/invoices/${id}/cancel`, { reason: 'Raised for the wrong month' }));
      oneWinner(rs, ['409 invoice_not_cancellable'], { read: (i: TInvoice) => i.status, is: 'cancelled' });
      expect(await audits(id, 'cancel')).toBe(1);
      expect(await series()).toBe(before + 1);
    }
  });

  it("the agency's month batch (no key: it makes what is missing): each contract-month invoiced once, numbers gapless; every other answer 'already invoiced'", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // The month's active invoices of agency 1 withdrawn (by SQL, as draft() does), so the batch has them all to make.
      await t.database.db.transaction(async (tx) => {
        await tx.execute(sql`alter table invoices disable trigger invoices_cancel_outside_workflow`);
        await tx.execute(
          sql`update invoices set status = 'cancelled', cancelled_at = now(), cancel_reason = 'test', credit_note_no = 'T' || id, credit_note_date = current_date
               where agency_id = 1 and month = ${`${LAST}-01`} and status = 'active'`,
        );
        await tx.execute(sql`alter table invoices enable trigger invoices_cancel_outside_workflow`);
      });
      const series = () => count(sql`select coalesce(sum(last_no), 0)::int as n from invoice_series where agency_id = 1`);
      const before = await series();
      const rs = allSucceed(await burst(N, () => agency.post('/api/v1/invoices/month', { month: LAST })), 200);
      const detail = answers(rs, 200);
      const results = rs.flatMap((r) => (r.json() as TInvoiceMonthResult).results);
      const made = results.filter((x) => x.ok);
      expect(made.length, detail).toBeGreaterThan(0);
      // Every contract made exactly once; every other answer for it 'already invoiced'.
      expect(new Set(made.map((x) => x.contractId)).size, detail).toBe(made.length);
      expect(
        results.filter((x) => !x.ok && x.code !== 'invoice_exists' && made.some((m) => m.contractId === x.contractId)),
        detail,
      ).toEqual([]);
      const active = await count(sql`select count(*)::int as n from invoices where agency_id = 1 and month = ${`${LAST}-01`} and status = 'active'`);
      expect(active).toBe(made.length);
      expect(await series()).toBe(before + made.length);
      for (const m of made) expect(await audits(m.invoiceId!, 'generate')).toBe(1);
    }
  });

  const generated = (contractId: number) =>
    count(sql`select count(*)::int as n from invoices where contract_id = ${contractId} and month = ${`${LAST}-01`} and status = 'active'`);
  const agencySeries = () => count(sql`select coalesce(sum(last_no), 0)::int as n from invoice_series where agency_id = 1`);
  const create = (k?: string) =>
    agency.request({ method: 'POST', url: '/api/v1/invoices', payload: { contractId: 2, month: LAST }, headers: k ? { 'idempotency-key': k } : {} });

  it("the agency's single invoice, no key: generated once, one number taken, one audit entry; the others 409 already invoiced", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await withdrawInvoice(t, 2, LAST);
      const before = await agencySeries();
      const win = oneWinner(await burst(N, () => create()), ['409 invoice_exists'], { status: 201 });
      const id = (win.json() as TInvoice).id;
      expect(await generated(2)).toBe(1);
      expect(await agencySeries()).toBe(before + 1);
      expect(await audits(id, 'generate')).toBe(1);
    }
  });

  it("the agency's single invoice, one key: generated once; every answer that invoice, all but one replayed", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await withdrawInvoice(t, 2, LAST);
      const before = await agencySeries();
      const k = key();
      const rs = allSucceed(await burst(N, () => create(k)), 201, { replayed: true });
      const ids = new Set(rs.map((r) => (r.json() as TInvoice).id));
      expect(ids.size, answers(rs)).toBe(1);
      expect(await generated(2)).toBe(1);
      expect(await agencySeries()).toBe(before + 1);
      expect(await audits([...ids][0]!, 'generate')).toBe(1);
    }
  });
});
