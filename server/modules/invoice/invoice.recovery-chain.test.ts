import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, type FakeClock, fakeClock, type TestApp } from '../../test/harness.ts';
import { proofGate as realProofGate } from '../proof/index.ts';
import { provideProofGate } from './invoice.gate.ts';
import { type CarryPlan, planRecoveries, planRecoveriesKeepingWages } from './invoice.recovery-carry.ts';
import { monthRange } from './invoice.rules.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * A month cut by carried recoveries, through the whole money chain (docs/PAYMENTS.md "A bill of ₹0",
 * docs/INVOICES.md "Direct payment and carried recoveries"), on the demo data, both engines:
 * - contract 2 (paid through the agency): last month (LAST) revised away after it was invoiced, this
 *   month (CUR) one day worked — its invoice is ₹0. It is submitted, verified and approved like any
 *   other; the approval makes a bill of ₹0 (`not_payable`) that settles the invoice (paid, no
 *   payment), is never sent to IFMIS nor listed for the treasury, and no payment can be recorded;
 * - contract 1, switched to paying workers directly: LAST revised away too, CUR worked in full — the
 *   recovery exceeds what the agency would receive, so the invoice recovers only that (the workers'
 *   wages stay payable) and carries the rest; the DDO's approval makes the bill, each worker paid the
 *   net wage, the agency the remainder (once refused `bill_payees_exceed_net`).
 */
const T0 = new Date();
const CUR = todayIst(T0).slice(0, 7);
const LAST = lastMonthOver(todayIst(T0));
const ZERO = 2;
const DIRECT = 1;
let t: TestApp;
let clock: FakeClock;
const { refused, dbRefusal } = checksOn(() => t.database);
const q = async <R>(s: ReturnType<typeof sql>) => (await t.database.db.execute<R & Record<string, unknown>>(s)).rows as R[];
const key = () => `chain-${randomUUID()}`;
const sum = (ls: { amountPaise: number }[]) => ls.reduce((s, l) => s + l.amountPaise, 0);

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

async function switchTo(c: Client, officeId: number, role: string) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null; role: string }[] };
  const a = me.assignments.find((x) => x.officeId === officeId && x.role === role);
  expect(a, `assignment ${role} at ${officeId}`).toBeDefined();
  expect((await c.post('/api/v1/auth/switch', { assignmentId: a!.id })).statusCode).toBe(200);
}

function step(c: Client, id: number, action: string, body: object = {}) {
  return c.request({ method: 'POST', url: `/api/v1/invoices/${id}/${action}`, payload: body, headers: { 'idempotency-key': key() } });
}
async function ok(res: Awaited<ReturnType<typeof step>>): Promise<TInvoice> {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TInvoice;
}

/** The DDO logged in afresh an hour later (codes are limited per hour; money sessions idle out) with a code from the sandbox SMS. */
async function ddoWithCode(): Promise<{ ddo: Client; code: string }> {
  clock.advance(3_600_000 + 1000);
  const ddo = await t.login('ddo_bhopal');
  expect((await ddo.post('/api/v1/auth/step-up')).statusCode).toBe(200);
  await t.flushOutbox();
  const [u] = await q<{ mobile: string }>(sql`select mobile from users where username = 'ddo_bhopal'`);
  return { ddo, code: (await t.lastSms(u!.mobile))!.match(/\b(\d{6})\b/)![1]! };
}

/** Submitted by the agency, verified by office 79's manager, approved by the DDO with a code. */
async function throughApproval(agency: Client, id: number): Promise<TInvoice> {
  await ok(await step(agency, id, 'submit'));
  const dm = await t.login('dm_bhopal');
  await switchTo(dm, 79, 'department_manager');
  await ok(await step(dm, id, 'verify'));
  const { ddo, code } = await ddoWithCode();
  return ok(await step(ddo, id, 'approve', { otp: code }));
}

/** Every present day of LAST of the resources billed on `invoiceId` moved to absence, approved an hour after T0. */
async function reviseAway(invoiceId: number) {
  const at = new Date(T0.getTime() + 3_600_000).toISOString();
  const [u1, u2] = (await q<{ id: number }>(sql`select id from users order by id limit 2`)).map((u) => u.id);
  const rows = await q<{
    id: number;
    resourceId: number;
    sheetId: number;
    officeId: number;
    dor: number;
    present: number;
    pl: number;
    offs: number;
    absence: number;
  }>(sql`
    select ar.id, ar.resource_id as "resourceId", ar.sheet_id as "sheetId", s.office_id as "officeId", ar.days_on_rolls as dor,
           coalesce(v.present, ar.present) as present, coalesce(v.paid_leave, ar.paid_leave) as pl, coalesce(v.offs, ar.offs) as offs,
           coalesce(v.absence, ar.absence) as absence
      from attendance_rows ar join attendance_sheets s on s.id = ar.sheet_id
      left join lateral (select * from attendance_revision_items i where i.row_id = ar.id and i.state = 'approved' order by revision_no desc limit 1) v on true
     where s.month = ${`${LAST}-01`} and ar.resource_id in (select resource_id from invoice_details where invoice_id = ${invoiceId})
`);
  expect(rows.length).toBeGreaterThan(0);
  // A request the demo left pending on these rows is refused first (one open request per row).
  const ids = sql.join(
    rows.map((r) => sql`${r.id}`),
    sql`, `,
  );
  const pending = await q<{ requestId: number }>(sql`
    update attendance_revision_items set state = 'refused' where row_id in (${ids}) and state = 'pending' returning request_id as "requestId"`);
  for (const p of pending)
    await t.database.db.execute(sql`
      update attendance_revision_requests set state = 'refused', decided_by = ${u2}, decided_at = ${at}, remarks = 'Recovery chain test'
       where id = ${p.requestId} and state = 'pending'`);
  for (const r of rows) {
    if (r.present === 0) continue;
    const [req] = await q<{ id: number }>(sql`
      insert into attendance_revision_requests (sheet_id, office_id, month, reason, requested_by, requested_at)
      values (${r.sheetId}, ${r.officeId}, ${`${LAST}-01`}, 'Recovery chain test: days not worked', ${u1}, ${at}) returning id`);
    const [item] = await q<{ id: number }>(sql`
      insert into attendance_revision_items (request_id, row_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      values (${req!.id}, ${r.id}, ${r.resourceId}, ${r.dor}, 0, ${r.pl}, ${r.offs}, ${r.absence + r.present}) returning id`);
    const [n] = await q<{ n: number }>(sql`select coalesce(max(revision_no), 0) + 1 as n from attendance_revision_items where row_id = ${r.id}`);
    await t.database.db.execute(
      sql`update attendance_revision_items set state = 'approved', revision_no = ${n!.n}, approved_at = ${at} where id = ${item!.id}`,
    );
    await t.database.db.execute(sql`update attendance_revision_requests set state = 'approved', decided_by = ${u2}, decided_at = ${at} where id = ${req!.id}`);
  }
}

/** CUR's sheet of office 79 finalised: contract 2's first resource present one day, its others none; everyone else the whole month. */
async function finaliseCur() {
  const { first, days } = monthRange(CUR);
  await t.database.db.execute(sql`insert into attendance_sheets (office_id, month) values (79, ${first}) on conflict (office_id, month) do nothing`);
  const [sheet] = await q<{ id: number }>(sql`select id from attendance_sheets where office_id = 79 and month = ${first}`);
  const here = await q<{ id: number; contractId: number | null }>(
    sql`select id, contract_id as "contractId" from resources where office_id = 79 and status = 'approved' order by id`,
  );
  const firstOfZero = here.find((p) => p.contractId === ZERO)!.id;
  for (const p of here) {
    const d = p.contractId === ZERO ? (p.id === firstOfZero ? 1 : 0) : days;
    await t.database.db.execute(sql`
      insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      values (${sheet!.id}, ${p.id}, ${days}, ${d}, 0, 0, ${days - d})
      on conflict (sheet_id, resource_id) do update set days_on_rolls = ${days}, present = ${d}, paid_leave = 0, offs = 0, absence = ${days - d}`);
  }
  await t.database.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet!.id}`);
}

beforeAll(async () => {
  clock = fakeClock(T0);
  t = await createTestApp({ clock });
  provideProofGate(async () => ({ held: false }));
  const agency = await t.login('agency_admin');
  for (const c of [ZERO, DIRECT]) {
    const last = (await agency.get(`/api/v1/invoices?contractId=${c}&month=${LAST}&status=active`)).json().items[0] as { id: number } | undefined;
    expect(last, `the demo invoiced contract ${c} last month`).toBeDefined();
    await reviseAway(last!.id);
  }
  // Contract 1 pays its workers directly from now on (its frozen version changed by SQL, for the test only).
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table contract_versions disable trigger contract_versions_frozen`);
    await tx.execute(sql`update contract_versions set payment_mode = 'direct' where contract_id = ${DIRECT} and state = 'in_force'`);
    await tx.execute(sql`alter table contract_versions enable trigger contract_versions_frozen`);
  });
  const [y, mo] = nextMonth(CUR).split('-').map(Number) as [number, number];
  clock.set(new Date(Date.UTC(y, mo - 1, 2, 6)));
  await finaliseCur();
}, 180_000);
afterAll(async () => {
  provideProofGate(realProofGate);
  await t?.close();
});

describe('a ₹0 invoice (all of it eaten by carried recoveries) through the money chain', () => {
  let zero: TInvoice;

  it('is generated at ₹0, submitted, verified and approved like any other; the approval settles it: bill of ₹0, not payable, invoice paid', async () => {
    const agency = await t.login('agency_admin');
    const r = await agency.post('/api/v1/invoices', { contractId: ZERO, month: CUR });
    expect(r.statusCode, r.body).toBe(201);
    const generated = r.json() as TInvoice;
    expect(generated.totalPaise).toBe(0);
    expect(generated.invoiceLines.some((l) => l.stage === 'carry_forward')).toBe(true);

    zero = await throughApproval(agency, generated.id);
    const b = zero.bill!;
    expect([b.grossPaise, b.deductionsPaise, b.netPayablePaise]).toEqual([0, 0, 0]);
    expect(b.status).toBe('not_payable');
    expect(b.payees.map((p) => [p.kind, p.amountPaise])).toEqual([['agency', 0]]);
    expect(zero.workflow.stage).toBe('paid');
    expect(zero.workflow.paidAt).toBe(zero.workflow.approvedAt);
    expect(zero.workflow.billedAt).toBeNull();
    expect(zero.workflow.events.map((e) => e.action)).toEqual(['submit', 'verify', 'approve', 'nothing_payable']);
    expect(zero.workflow.events.at(-1)!.remarks).toBe(b.billNo);
    const audit = await q<{ entity: string; action: string }>(sql`
      select entity, action from audit_log where (entity = 'invoice' and entity_id = ${String(zero.id)}) or (entity = 'bill' and entity_id = ${String(b.id)}) order by seq`);
    expect(audit.map((a) => `${a.entity}:${a.action}`)).toEqual(expect.arrayContaining(['invoice:approve', 'bill:not_payable']));
  });

  it('the bill is never sent to IFMIS nor listed for the treasury, and no payment can be recorded against it', async () => {
    const { ddo, code } = await ddoWithCode();
    const b = (await ddo.get(`/api/v1/payments/bills/${zero.bill!.id}`)).json() as { status: string; maySend: boolean; mayRecordPayment: boolean };
    expect([b.status, b.maySend, b.mayRecordPayment]).toEqual(['not_payable', false, false]);
    await refused(
      () => ddo.request({ method: 'POST', url: `/api/v1/payments/bills/${zero.bill!.id}/send`, payload: { code }, headers: { 'idempotency-key': key() } }),
      409,
      'bill_not_payable',
    );
    const finance = await t.login('finance_admin');
    const queue = (await finance.get('/api/v1/integration/ifmis/bills')).json().items as { billNo: string }[];
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.map((x) => x.billNo)).not.toContain(zero.bill!.billNo);
    const pay = await ddo.request({
      method: 'POST',
      url: '/api/v1/payments',
      payload: { billId: zero.bill!.id, payeeSeq: 1, payDate: todayIst(clock.now()), utr: 'SBIN123456789012', amountPaise: 100, status: 'credited', code },
      headers: { 'idempotency-key': key() },
    });
    expect(pay.statusCode, pay.body).toBeGreaterThanOrEqual(400);
    expect(Number((await q<{ n: number }>(sql`select count(*)::int as n from payments where bill_id = ${zero.bill!.id}`))[0]!.n)).toBe(0);
  });

  it("the workers' wages are still the agency's to pay: they are flagged until credited", async () => {
    const finance = await t.login('finance_admin');
    const flags = (await finance.get('/api/v1/payments/credit-flags?agencyId=1')).json().items as { invoiceId: number; flag: string }[];
    expect(flags.filter((f) => f.invoiceId === zero.id).map((f) => f.flag)).toEqual(zero.details.map(() => 'missing'));
  });

  it('the database: only a bill of ₹0 is not payable, and only its invoice goes from approved to paid', async () => {
    const [other] = await q<{ invoiceId: number; billId: number }>(sql`
      select w.invoice_id as "invoiceId", b.id as "billId" from invoice_workflow w join bills b on b.invoice_id = w.invoice_id
       where w.stage = 'approved' and b.status = 'prepared' limit 1`);
    expect(other, 'the demo has an approved invoice with a prepared bill').toBeDefined();
    expect(await dbRefusal(sql`update invoice_workflow set stage = 'paid', paid_at = now() where invoice_id = ${other!.invoiceId}`)).toMatch(/ROAMS_WORKFLOW/);
    expect(await dbRefusal(sql`update bills set status = 'sent' where id = ${zero.bill!.id}`)).toMatch(/ROAMS_WORKFLOW/);
  });
});

describe('a contract paying workers directly, its month cut by carried recoveries', () => {
  it("recovers only what leaves the workers' wages payable and carries the rest; the DDO's bill pays each worker in full", async () => {
    const agency = await t.login('agency_admin');
    const r = await agency.post('/api/v1/invoices', { contractId: DIRECT, month: CUR });
    expect(r.statusCode, r.body).toBe(201);
    const inv = r.json() as TInvoice;
    const wages = inv.details.reduce((s, d) => s + d.netWagePaise, 0);
    const own = inv.details.reduce((s, d) => s + d.totalPaise, 0);
    const recovery = -sum(inv.invoiceLines.filter((l) => l.arrearsMonth !== null && l.stage === 'recovery'));
    const carried = sum(inv.invoiceLines.filter((l) => l.stage === 'carry_forward'));
    // Recovered in full, the month would have fallen below its workers' wages (the case once refused at approval).
    expect(own - recovery).toBeLessThan(wages);
    expect(carried).toBeGreaterThan(0);
    expect(inv.totalPaise).toBeGreaterThanOrEqual(wages);

    const approved = await throughApproval(agency, inv.id);
    const b = approved.bill!;
    expect(approved.workflow.stage).toBe('approved');
    expect(b.status).toBe('prepared');
    expect(b.netPayablePaise).toBeGreaterThanOrEqual(wages);
    const workers = b.payees.filter((p) => p.kind === 'worker');
    expect(workers.map((p) => p.amountPaise).sort()).toEqual(inv.details.map((d) => d.netWagePaise).sort());
    const agencyLine = b.payees.filter((p) => p.kind === 'agency');
    expect(agencyLine).toHaveLength(1);
    expect(agencyLine[0]!.amountPaise).toBe(b.netPayablePaise - wages);
    // Held back as little as possible: the agency keeps less than the paisa-level step of the bisection and the bill's rounding allow.
    expect(agencyLine[0]!.amountPaise).toBeLessThan(Math.max(1_000_00, Math.ceil(inv.totalPaise * 0.05)));
  });
});

describe('planRecoveriesKeepingWages (pure)', () => {
  const line = (amountPaise: number) => ({ amountPaise, arrearsMonth: '2025-09-01', source: 'cost' as const });
  // A stand-in bill: the total is what the plan leaves of the month (100,000 + its lines), less 2 %, rounded down.
  const own = { costPaise: 100_000, reimbursedPaise: 0 };
  const netFor = (lines: number) => (p: CarryPlan) => Math.floor((own.costPaise + lines + p.costPaise) * 0.98);

  it('changes nothing when the wages stay payable', () => {
    const lines = [line(-20_000)];
    expect(planRecoveriesKeepingWages(own, lines, [], 50_000, netFor(-20_000))).toEqual(planRecoveries(own, lines, []));
  });

  it("holds back the least that keeps the workers' wages payable, and carries it forward", () => {
    const lines = [line(-90_000)];
    const p = planRecoveriesKeepingWages(own, lines, [], 60_000, netFor(-90_000));
    expect(netFor(-90_000)(p)).toBeGreaterThanOrEqual(60_000);
    // One paisa less held back and the wages would not be covered.
    // (Held back h, the room is 100,000 − h and 90,000 − (100,000 − h) is carried.)
    const tighter = planRecoveries({ costPaise: own.costPaise - (p.carried[0]!.amountPaise + 10_000 - 1), reimbursedPaise: 0 }, lines, []);
    expect(netFor(-90_000)(tighter)).toBeLessThan(60_000);
    expect(p.carried).toEqual([{ month: '2025-09-01', part: 'cost', amountPaise: 90_000 - (100_000 - Math.ceil(60_000 / 0.98)) }]);
  });
});

describe('the report of open recovery balances (per contract and agency)', () => {
  type Report = {
    items: { contractId: number; contractEnded: boolean; totalPaise: number; balances: { invoiceId: number; amountPaise: number }[] }[];
    totalPaise: number;
    endedTotalPaise: number;
  };
  const report = async (c: Client, query = '') => {
    const r = await c.get(`/api/v1/invoices/recovery-balances${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Report;
  };
  const open = async () =>
    q<{ contractId: number; invoiceId: number; amount: number }>(sql`
      select b.contract_id as "contractId", b.invoice_id as "invoiceId", b.amount_paise::float8 as amount
        from invoice_recovery_balances b join invoices i on i.id = b.invoice_id
       where b.released_at is null and i.status = 'active'
         and not exists (select 1 from invoice_recovery_settlements s where s.balance_id = b.id and s.released_at is null)`);

  it('lists every open balance, to the paisa, for Finance and the department (office 79, its DDO, the auditor)', async () => {
    const balances = await open();
    expect(new Set(balances.map((b) => b.contractId))).toEqual(new Set([ZERO, DIRECT]));
    const total = balances.reduce((s, b) => s + Number(b.amount), 0);
    const dm = await t.login('dm_bhopal');
    await switchTo(dm, 79, 'department_manager');
    for (const c of [await t.login('finance_admin'), dm, await t.login('ddo_bhopal'), await t.login('auditor_state'), await t.login('officeadmin_fin')]) {
      const r = await report(c);
      expect(r.totalPaise).toBe(total);
      expect(r.endedTotalPaise).toBe(0);
      for (const contractId of [ZERO, DIRECT]) {
        const g = r.items.find((x) => x.contractId === contractId)!;
        const mine = balances.filter((b) => b.contractId === contractId);
        expect(g.totalPaise).toBe(mine.reduce((s, b) => s + Number(b.amount), 0));
        expect(g.balances.map((b) => b.invoiceId).sort()).toEqual(mine.map((b) => b.invoiceId).sort());
        expect(g.contractEnded).toBe(false);
      }
    }
  });

  it('puts a contract that has ended first and alone under "ended only"', async () => {
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table contracts disable trigger user`);
      await tx.execute(sql`update contracts set status = 'expired' where id = ${ZERO}`);
      await tx.execute(sql`alter table contracts enable trigger user`);
    });
    const finance = await t.login('finance_admin');
    const all = await report(finance);
    expect(all.items.map((g) => [g.contractId, g.contractEnded])).toEqual([
      [ZERO, true],
      [DIRECT, false],
    ]);
    // As the page sends it: 'false' is all of them.
    expect(await report(finance, '?endedOnly=false')).toEqual(all);
    const ended = await report(finance, '?endedOnly=true');
    expect(ended.items.map((g) => g.contractId)).toEqual([ZERO]);
    expect(ended.endedTotalPaise).toBe(all.items[0]!.totalPaise);
    expect(ended.totalPaise).toBe(ended.endedTotalPaise);
  });

  it("another department's manager sees none of it; the agency and the anonymous are refused", async () => {
    const [office] = await q<{ id: number }>(sql`select o.id from offices o join departments d on d.id = o.department_id where d.code = 'SED' limit 1`);
    const [u] = await q<{ id: number }>(sql`
      insert into users (username, name, mobile, password_hash, must_change_password)
      select 'sed_dm_rec', 'SED DM', '9123400077', password_hash, false from users where username = 'dm_bhopal' returning id`);
    await t.database.db.execute(sql`
      insert into role_assignments (user_id, role, scope_kind, scope_id, office_id) values (${u!.id}, 'department_manager', 'office', ${office!.id}, ${office!.id})`);
    const other = await report(await t.login('sed_dm_rec'));
    expect(other).toEqual({ items: [], totalPaise: 0, endedTotalPaise: 0 });
    expect((await (await t.login('agency_admin')).get('/api/v1/invoices/recovery-balances')).statusCode).toBe(403);
    expect((await t.anon.get('/api/v1/invoices/recovery-balances')).statusCode).toBe(401);
  });
});
