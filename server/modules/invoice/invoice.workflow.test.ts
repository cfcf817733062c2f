import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, DEMO_PASSWORD, dbFingerprint, fakeClock, switchTo, type TestApp } from '../../test/harness.ts';
import { proofGate as realProofGate } from '../proof/index.ts';
import { headsInForce } from '../rates/index.ts';
import { billNumber, planBill } from './invoice.bill.ts';
import { draftInvoice, workflowLogins } from './invoice.fixtures.ts';
import { provideProofGate } from './invoice.gate.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * The invoice workflow and its bill (issue 17) through the API, on both engines: agency submits →
 * department manager verifies or returns → DDO approves with the second factor and the proof gate,
 * and the bill made in the same transaction. Each test takes a fresh draft of contract 2's invoice
 * for last month (the demo's invoice, cancelled and generated again when an earlier test moved it on).
 */
const LAST = lastMonthOver(todayIst(new Date()));
let t: TestApp;
let agency: Client;
let dm: Client;
let ddo: Client;
const { refused } = checksOn(() => t.database);
const q = async <T extends Record<string, unknown>>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T>(s)).rows;
const key = () => `test-${randomUUID()}`;

/** Logs everybody in again (after the clock moved: money roles' sessions idle out in 15 minutes). */
async function relogin() {
  ({ agency, dm, ddo } = await workflowLogins(t));
}

/** A fresh second-factor code for the DDO's current login (a new hour: codes are rate-limited per hour). */
async function code(c: () => Client = () => ddo): Promise<string> {
  const r = await c().post('/api/v1/auth/step-up');
  expect(r.statusCode, r.body).toBe(200);
  await t.flushOutbox();
  const sms = await t.lastSms('9876500005');
  return sms!.match(/\b(\d{6})\b/)![1]!;
}

async function newHour() {
  t.clock.advance(3_600_000 + 1000);
  await relogin();
}

function step(c: Client, id: number, action: string, body: object = {}, k: string | null = key()) {
  return c.request({ method: 'POST', url: `/api/v1/invoices/${id}/${action}`, payload: body, headers: k ? { 'idempotency-key': k } : {} });
}

async function ok(res: Awaited<ReturnType<typeof step>>): Promise<TInvoice> {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TInvoice;
}

/** A draft invoice of contract 2 for last month (invoice.fixtures.ts draftInvoice). */
async function draft(contractId = 2): Promise<number> {
  return draftInvoice(t, agency, LAST, contractId);
}

/** Draft → submitted → verified, ready for the DDO. */
async function verified(contractId = 2): Promise<number> {
  const id = await draft(contractId);
  await ok(await step(agency, id, 'submit'));
  await ok(await step(dm, id, 'verify'));
  return id;
}

const countOf = async (table: string, invoiceId: number) =>
  Number((await q<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)} where invoice_id = ${invoiceId}`))[0]!.n);

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  await relogin();
}, 120_000);
afterEach(() => {
  provideProofGate(async () => ({ held: false }));
});
afterAll(async () => {
  // The registry's real gate again: with Vitest's isolate: false the next file in this worker shares the module.
  provideProofGate(realProofGate);
  await t?.close();
});

describe('workflow — the demo', () => {
  it('has an invoice at each desk: returned with remarks, awaiting the DM, awaiting the DDO, approved with its bill', async () => {
    const stages = async (c: Client, stage: string) => ((await c.get(`/api/v1/invoices?stage=${stage}`)).json().items as { id: number }[]).map((x) => x.id);
    const returned = await stages(agency, 'returned');
    expect(returned.length).toBeGreaterThanOrEqual(1);
    expect((await ok(await agency.get(`/api/v1/invoices/${returned[0]}`))).workflow.returnRemarks).not.toBe('');
    expect((await stages(dm, 'submitted')).length).toBeGreaterThanOrEqual(1);
    const awaiting = await stages(ddo, 'verified');
    expect(awaiting.length).toBeGreaterThanOrEqual(1);
    expect((await ok(await ddo.get(`/api/v1/invoices/${awaiting[0]}`))).workflow.actions).toContain('approve');
    const approved = await stages(ddo, 'approved');
    const inv = await ok(await ddo.get(`/api/v1/invoices/${approved[0]}`));
    expect(inv.bill?.netPayablePaise).toBe(inv.totalPaise - inv.bill!.deductionsPaise);
  });

  it('one invoice awaiting the DDO is held by the proof gate: its page names the missing proof, and approval is refused, nothing written', async () => {
    provideProofGate(realProofGate);
    const awaiting = (await ddo.get('/api/v1/invoices?stage=verified')).json().items as { id: number }[];
    const pages = await Promise.all(awaiting.map(async (x) => ok(await ddo.get(`/api/v1/invoices/${x.id}`))));
    const held = pages.filter((p) => p.workflow.gate?.held);
    expect(held).toHaveLength(1);
    expect(pages.filter((p) => p.workflow.gate?.held === false).length).toBeGreaterThanOrEqual(1);
    const h = held[0]!;
    const [y, m] = h.month.split('-').map(Number) as [number, number];
    const before = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    expect(h.workflow.gate).toEqual({ held: true, reason: 'proof_missing', proofMonth: before, waived: false });
    // The DDO's list marks that invoice, and only it, with the month the gate waits for.
    const listed = (await ddo.get('/api/v1/invoices?stage=verified')).json().items as { id: number; gateHeldMonth?: string }[];
    expect(listed.filter((x) => x.gateHeldMonth).map((x) => [x.id, x.gateHeldMonth])).toEqual([[h.id, before]]);
    expect(((await ddo.get('/api/v1/invoices?stage=approved')).json().items as { gateHeldMonth?: string }[]).every((x) => !x.gateHeldMonth)).toBe(true);
    // Invoices at other stages carry no verdict.
    const approved = (await ddo.get('/api/v1/invoices?stage=approved')).json().items as { id: number }[];
    expect((await ok(await ddo.get(`/api/v1/invoices/${approved[0]!.id}`))).workflow.gate).toBeNull();
    await newHour();
    const c = await code();
    const r = await refused(() => step(ddo, h.id, 'approve', { otp: c }), 409, 'invoice_proof_gate_held');
    expect(r.json().title).toContain(before);
  });
});

describe('workflow — the way through', () => {
  it('agency submits, the DM verifies, the DDO approves with the code: stage, dates, events and the bill', async () => {
    const id = await draft();
    const s = await ok(await step(agency, id, 'submit', { remarks: 'November wages' }));
    expect(s.workflow.stage).toBe('submitted');
    expect(s.cancellable).toBe(false);
    expect((await ok(await dm.get(`/api/v1/invoices/${id}`))).workflow.actions).toEqual(['verify', 'return']);
    const v = await ok(await step(dm, id, 'verify'));
    expect(v.workflow.stage).toBe('verified');
    expect((await ok(await ddo.get(`/api/v1/invoices/${id}`))).workflow.actions).toEqual(['return', 'approve']);
    await newHour();
    const a = await ok(await step(ddo, id, 'approve', { otp: await code() }));
    expect(a.workflow.stage).toBe('approved');
    expect(a.workflow.submittedAt && a.workflow.verifiedAt && a.workflow.approvedAt).toBeTruthy();
    expect(a.workflow.events.map((e) => [e.action, e.actorRole])).toEqual([
      ['submit', 'agency_admin'],
      ['verify', 'department_manager'],
      ['approve', 'ddo'],
    ]);
    expect(a.workflow.events[0]!.remarks).toBe('November wages');
    const b = a.bill!;
    expect(b.billNo).toBe(billNumber(id, todayIst(t.clock.now())));
    expect(b.billNo).toMatch(/^[A-Za-z0-9/-]{1,24}$/);
    expect(b.grossPaise).toBe(a.totalPaise);
    expect(b.tdsBasePaise).toBe(a.totalPaise - a.gstPaise);
    // Agency 1's PAN AABCN1234F is a company's (4th character C): TDS 194C at 2 %.
    expect(b.deductions.map((d) => d.code)).toContain('TDS_194C');
    expect(b.deductions.reduce((x, d) => x + d.amountPaise, 0)).toBe(b.deductionsPaise);
    expect(b.netPayablePaise).toBe(b.grossPaise - b.deductionsPaise);
    expect(b.payees).toEqual([{ kind: 'agency', name: expect.any(String), bankAccount: 'XXXXXXX6789', ifsc: 'SBIN0001308', amountPaise: b.netPayablePaise }]);
    // The PDF the bill attaches is stored on the invoice with the same digest.
    const [pdf] = await q<{ sha: string }>(sql`select pdf_sha256 as sha from invoices where id = ${id}`);
    expect(b.invoicePdfSha256).toBe(pdf!.sha);
    // The bill's JSON export for IFMIS attaches exactly that PDF.
    const exported = (await ddo.get(`/api/v1/payments/bills/${b.id}/export?format=json`)).json() as { invoicePdf: { contentBase64: string; sha256: string } };
    const attached = Buffer.from(exported.invoicePdf.contentBase64, 'base64');
    expect(attached.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(attached).digest('hex')).toBe(b.invoicePdfSha256);
    expect(exported.invoicePdf.sha256).toBe(b.invoicePdfSha256);
    // Every step audited.
    const audit = await q<{ action: string }>(sql`select action from audit_log where entity = 'invoice' and entity_id = ${String(id)} order by seq`);
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['submit', 'verify', 'approve']));
    // Worklists: the DDO's "awaiting my approval" no longer holds it.
    const mine = (await ddo.get('/api/v1/invoices?stage=verified')).json().items as { id: number }[];
    expect(mine.map((x) => x.id)).not.toContain(id);
    // A cancelled invoice was never approved; an approved one cannot be cancelled.
    await refused(() => agency.post(`/api/v1/invoices/${id}/cancel`, { reason: 'Too late now' }), 409, 'invoice_wrong_stage');
  });

  it('a return needs remarks; the agency sees it in its worklist, submits again, and may cancel a returned invoice', async () => {
    const id = await draft();
    await ok(await step(agency, id, 'submit'));
    await refused(() => step(dm, id, 'return', {}), 400, 'validation_failed', 'remarks');
    const r = await ok(await step(dm, id, 'return', { remarks: 'Paid days of Asha do not match the register' }));
    expect(r.workflow.stage).toBe('returned');
    expect(r.workflow.returnRemarks).toBe('Paid days of Asha do not match the register');
    const returned = (await agency.get('/api/v1/invoices?stage=returned')).json().items as { id: number }[];
    expect(returned.map((x) => x.id)).toContain(id);
    expect((await ok(await agency.get(`/api/v1/invoices/${id}`))).cancellable).toBe(true);
    await ok(await step(agency, id, 'submit'));
    await ok(await step(dm, id, 'verify'));
    // The DDO returns it too (no code needed to send it back).
    const back = await ok(await step(ddo, id, 'return', { remarks: 'Budget line exhausted for this quarter' }));
    expect(back.workflow.stage).toBe('returned');
    expect(back.workflow.events.map((e) => e.action)).toEqual(['submit', 'return', 'submit', 'verify', 'return']);
  });
});

describe('workflow — refusals, nothing written', () => {
  it('wrong stage, wrong desk, another office or DDO (404), no key (400), a cancelled invoice', async () => {
    const id = await draft();
    await refused(() => step(dm, id, 'verify'), 409, 'invoice_wrong_stage');
    await refused(() => step(ddo, id, 'approve', { otp: '123456' }), 409, 'invoice_wrong_stage');
    await refused(() => step(agency, id, 'submit', {}, null), 400, 'idempotency_key_required');
    await refused(() => step(agency, id, 'verify'), 403, 'forbidden');
    await ok(await step(agency, id, 'submit'));
    await refused(() => step(agency, id, 'submit'), 409, 'invoice_wrong_stage');
    // The DDO may not verify (not its desk's permission), nor return what is still on the DM's desk.
    await refused(() => step(ddo, id, 'verify'), 403, 'forbidden');
    await refused(() => step(ddo, id, 'return', { remarks: 'Not mine yet' }), 409, 'invoice_wrong_stage');
    // Invoice 4: agency 3's, another department's office and DDO.
    await refused(() => step(dm, 4, 'verify'), 404, 'not_found');
    await refused(() => step(ddo, 4, 'approve', { otp: '123456' }), 404, 'not_found');
    await refused(() => step(agency, 4, 'submit'), 404, 'not_found');
    // dm_bhopal's other office (4881) is not the invoice's office: not its desk.
    const other = await t.login('dm_bhopal');
    await switchTo(other, 4881, 'department_manager');
    await refused(() => step(other, id, 'verify'), 404, 'not_found');
    const [cancelled] = await q<{ id: number }>(sql`select id from invoices where status = 'cancelled' order by id limit 1`);
    await refused(() => step(agency, cancelled!.id, 'submit'), 409, 'invoice_not_active');
  });

  it('A3 maker ≠ checker by user id: whoever submitted cannot verify; the verifier cannot approve', async () => {
    const id = await draft();
    // One person holding both an agency operator's and the office's department manager's assignment.
    const [u] = await t.database.db
      .insert(users)
      .values({ username: 'two_hats', name: 'Two Hats', mobile: '9123400077', passwordHash: await hashPassword(DEMO_PASSWORD), mustChangePassword: false })
      .returning();
    await t.database.db.insert(roleAssignments).values([
      { userId: u!.id, role: 'agency_operator', scopeKind: 'agency', scopeId: 1 },
      { userId: u!.id, role: 'department_manager', scopeKind: 'office', scopeId: 79, officeId: 79 },
    ]);
    const both = await t.login('two_hats');
    const me = (await both.get('/api/v1/auth/me')).json() as { assignments: { id: number; role: string }[] };
    const as = async (role: string) => {
      const a = me.assignments.find((x) => x.role === role)!;
      expect((await both.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
    };
    await as('agency_operator');
    await ok(await step(both, id, 'submit'));
    await as('department_manager');
    await refused(() => step(both, id, 'verify'), 403, 'maker_checker');

    // The department manager who verifies also holds the DDO's assignment: cannot approve.
    const id2 = await verified();
    const [dmUser] = await q<{ id: number }>(sql`select id from users where username = 'dm_bhopal'`);
    await t.database.db.insert(roleAssignments).values({ userId: dmUser!.id, role: 'ddo', scopeKind: 'ddo', scopeId: 3, officeId: 79 });
    await newHour();
    const dmAsDdo = await t.login('dm_bhopal');
    await switchTo(dmAsDdo, 79, 'ddo');
    const r = await dmAsDdo.post('/api/v1/auth/step-up');
    expect(r.statusCode).toBe(200);
    await t.flushOutbox();
    const c = (await t.lastSms('9876500004'))!.match(/\b(\d{6})\b/)![1]!;
    await refused(() => step(dmAsDdo, id2, 'approve', { otp: c }), 403, 'maker_checker');
    await t.database.db.execute(sql`update role_assignments set active = false where user_id = ${dmUser!.id} and role = 'ddo'`);
  });

  it('A5 the second factor: none, wrong, expired, another login’s (never sent here), reused — refused, no event, no bill', async () => {
    const id = await verified();
    const nothing = async () => {
      expect(await countOf('bills', id)).toBe(0);
      expect((await q<{ stage: string }>(sql`select stage from invoice_workflow where invoice_id = ${id}`))[0]!.stage).toBe('verified');
    };
    await newHour();
    await refused(() => step(ddo, id, 'approve', {}), 403, 'step_up_required');
    const c1 = await code();
    const wrong = String((Number(c1) + 1) % 1_000_000).padStart(6, '0');
    expect((await step(ddo, id, 'approve', { otp: wrong })).json().code).toBe('otp_invalid');
    await nothing();
    // Expired: 11 minutes later (the login is kept alive by a read in between).
    t.clock.advance(6 * 60_000);
    await ddo.get('/api/v1/auth/me');
    t.clock.advance(5 * 60_000);
    expect((await step(ddo, id, 'approve', { otp: c1 })).json().code).toBe('otp_expired');
    await nothing();
    // Another login's code (the same user on another browser): bound to that login. This login
    // (fresh from newHour) was never sent a code of its own: otp_not_sent, "ask for a code first".
    await newHour();
    const second = await t.login('ddo_bhopal');
    const c2 = await code(() => second);
    expect((await step(ddo, id, 'approve', { otp: c2 })).json().code).toBe('otp_not_sent');
    await nothing();
    // Used for one approval, then for another invoice's: refused.
    const c3 = await code();
    await ok(await step(ddo, id, 'approve', { otp: c3 }));
    const id2 = await verified(1);
    const r = await step(ddo, id2, 'approve', { otp: c3 });
    expect(r.json().code).toBe('otp_expired');
    expect(await countOf('bills', id2)).toBe(0);
  });

  it('the proof gate: held → refused naming the month, nothing written; switched off → approved, the waiver an event', async () => {
    const id = await verified();
    await newHour();
    const c = await code();
    provideProofGate(async () => ({ held: true, reason: 'proof_missing', proofMonth: '2026-09' }));
    const r = await refused(() => step(ddo, id, 'approve', { otp: c }), 409, 'invoice_proof_gate_held');
    expect(r.json().title).toContain('2026-09');
    provideProofGate(async () => ({ held: false, waived: true }));
    const a = await ok(await step(ddo, id, 'approve', { otp: c }));
    expect(a.workflow.events.map((e) => e.action)).toEqual(['submit', 'verify', 'gate_waived', 'approve']);
  });
});

describe('workflow — money is never doubled (M1, M5)', () => {
  it('M1 same key → same answer, one event; same key, other payload → 422; 20 identical submits in parallel → one event', async () => {
    const id = await draft();
    const k = key();
    const rs = await Promise.all(Array.from({ length: 20 }, () => step(agency, id, 'submit', { remarks: 'once' }, k)));
    for (const r of rs) expect(r.statusCode, r.body).toBe(200);
    expect(await countOf('invoice_events', id)).toBe(1);
    expect(rs.filter((r) => r.headers['idempotent-replayed'] === 'true').length).toBe(19);
    await refused(() => step(agency, id, 'submit', { remarks: 'twice' }, k), 422, 'idempotency_key_reused');
    const again = await step(agency, id, 'submit', { remarks: 'once' }, k);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('M1 20 identical approvals in parallel (same key and code) → exactly one bill, one approval event', async () => {
    const id = await verified();
    await newHour();
    const c = await code();
    const k = key();
    const rs = await Promise.all(Array.from({ length: 20 }, () => step(ddo, id, 'approve', { otp: c }, k)));
    for (const r of rs) expect(r.statusCode, r.body).toBe(200);
    expect(await countOf('bills', id)).toBe(1);
    expect(Number((await q<{ n: number }>(sql`select count(*)::int as n from invoice_events where invoice_id = ${id} and action = 'approve'`))[0]!.n)).toBe(1);
  });

  it('M5 a fault at each statement of the approval leaves no partial bill, event, stamp or used code', async () => {
    const id = await verified();
    await newHour();
    const c = await code();
    const steps = [
      ['otps', 'UPDATE'],
      ['invoice_events', 'INSERT'],
      ['invoice_workflow', 'UPDATE'],
      ['stored_files', 'INSERT'],
      ['invoices', 'UPDATE'],
      ['bills', 'INSERT'],
      ['bill_deductions', 'INSERT'],
      ['bill_payees', 'INSERT'],
      ['audit_log', 'INSERT'],
    ] as const;
    await t.database.db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION wf_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`),
    );
    for (const [table, op] of steps) {
      const before = await dbFingerprint(t.database);
      await t.database.db.execute(sql.raw(`CREATE TRIGGER wf_test_fault BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION wf_test_fault()`));
      try {
        const r = await step(ddo, id, 'approve', { otp: c });
        expect(r.statusCode, `${table}: ${r.body}`).toBe(500);
      } finally {
        await t.database.db.execute(sql.raw(`DROP TRIGGER wf_test_fault ON ${table}`));
      }
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
    const a = await ok(await step(ddo, id, 'approve', { otp: c }));
    expect(a.bill?.payees.reduce((x, p) => x + p.amountPaise, 0)).toBe(a.bill?.netPayablePaise);
  });
});

describe('the bill — who is paid', () => {
  it('direct payment: one payee per worker (net wage to the account in force), the agency the remainder, to the paisa', async () => {
    // Contract 1's version pays directly (set by SQL past the frozen-version guard: a test fixture).
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table contract_versions disable trigger contract_versions_frozen`);
      await tx.execute(sql`update contract_versions set payment_mode = 'direct' where contract_id = 1 and state = 'in_force'`);
      await tx.execute(sql`alter table contract_versions enable trigger contract_versions_frozen`);
    });
    const id = await verified(1);
    await newHour();
    const a = await ok(await step(ddo, id, 'approve', { otp: await code() }));
    const b = a.bill!;
    expect(b.paymentMode).toBe('direct');
    const details = await q<{ net: number; account: string; ifsc: string }>(sql`
      select x.net_wage_paise::float8 as net, r.bank_account as account, r.ifsc from invoice_details x join resources r on r.id = x.resource_id
       where x.invoice_id = ${id} order by x.id`);
    const workers = b.payees.filter((p) => p.kind === 'worker');
    expect(workers.map((w) => [w.amountPaise, w.bankAccount.slice(-4), w.ifsc])).toEqual(details.map((d) => [Number(d.net), d.account.slice(-4), d.ifsc]));
    const agencyLine = b.payees.find((p) => p.kind === 'agency')!;
    expect(agencyLine.amountPaise).toBe(b.netPayablePaise - details.reduce((x, d) => x + Number(d.net), 0));
    // The treasury's payment file names a payee by its sequence on the bill (payee_seq): 1, 2, … as the bill page lists them.
    const seqs = await q<{ seq: number }>(sql`select seq from bill_payees where bill_id = ${b.id} order by seq`);
    expect(seqs.map((s) => Number(s.seq))).toEqual(b.payees.map((_, i) => i + 1));
    // The same amounts as the pure rule computes from the same inputs.
    const heads = await headsInForce(t.database.db, todayIst(t.clock.now()));
    const plan = planBill({
      totalPaise: a.totalPaise,
      gstPaise: a.gstPaise,
      heads,
      pan: 'AABCN1234F',
      contractValuePaise: 0,
      paymentMode: 'direct',
      agency: { name: 'x', bankAccount: '1', ifsc: 'SBIN0001308' },
      workers: details.map((d, i) => ({ detailId: i, resourceId: i, name: 'w', netWagePaise: Number(d.net), bankAccount: d.account, ifsc: d.ifsc })),
    });
    expect(b.tdsBasePaise).toBe(plan.tdsBasePaise);
    expect(b.deductions.find((d) => d.code === 'TDS_194C')?.amountPaise).toBe(plan.deductions.find((d) => d.code === 'TDS_194C')?.amountPaise);
  });
});
