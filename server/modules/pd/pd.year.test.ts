import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDormantReport, TUnspentReport, TYearRun } from '../../../shared/contracts/pd-year.ts';
import type { TPdAccount, TPdAccountSummary } from '../../../shared/contracts/pd.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { approveInAdvice } from './pd.adv.fixtures.ts';
import { decideEcheque, prepareEcheque } from './pd.service.ts';
import { runYear, yearEndJob } from './pd.year.ts';

/**
 * PD year-end and closing (issue 18 item 5) on PGlite and PostgreSQL (TEST_DATABASE_URL). The
 * test clock stands at 25 November 2026 (financial year 2026-27), so 2025-26 (`fy` 2025, ended
 * 31 March 2026) is the year a run may close. Accounts made here are opened in 2025 at the Bhopal
 * treasury (Finance Department, like demo account 1).
 */
let t: TestApp;
let finance: Client;
let treasury: Client;
let auditor: Client;
let admin: Client;
let place: { treasury_id: number; department_id: number };

const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const n = (v: unknown) => Number(v ?? 0);
let serial = 9500;

/** An account opened on `createdOn` with one line per amount (paise), each deposited on `valueDate`. */
async function account(source: 'consolidated' | 'other', createdOn: string, amounts: number[], valueDate = '2025-06-01') {
  serial += 1;
  const [a] = await q<{ id: number }>(sql`
    insert into pd_accounts (account_no, source, treasury_id, department_id, name_en, name_hi, administrator_en, administrator_hi, created_at)
    values (${`PDTEST${serial}`}, ${source}, ${place.treasury_id}, ${place.department_id}, 'Test account', 'परीक्षण खाता', 'Test administrator', 'परीक्षण प्रशासक',
            ${`${createdOn}T10:00:00+05:30`}) returning id`);
  const lines: number[] = [];
  for (const amount of amounts) {
    const [l] = await q<{ id: number }>(
      sql`insert into pd_lines (account_id, purpose_en, purpose_hi) values (${a!.id}, 'Test purpose', 'परीक्षण उद्देश्य') returning id`,
    );
    if (amount > 0) await depositSql(a!.id, l!.id, amount, valueDate);
    lines.push(n(l!.id));
  }
  return { id: n(a!.id), lines };
}

function depositSql(accountId: number, lineId: number, amount: number, valueDate: string) {
  return t.database.db.execute(sql`
    with p as (insert into pd_postings (account_id, line_id, kind, reference, value_date, created_at)
               values (${accountId}, ${lineId}, 'deposit', 'TEST', ${valueDate}, now()) returning id)
    insert into pd_entries (posting_id, line_id, ledger_account, amount_paise)
    select id, ${lineId}::int, 'line_available', ${amount}::bigint from p union all select id, ${lineId}::int, 'deposit_source', ${-amount}::bigint from p`);
}

async function lines(accountId: number) {
  return (
    await q<{ id: number; available_paise: string; reserved_paise: string }>(
      sql`select id, available_paise, reserved_paise from pd_lines where account_id = ${accountId} order by id`,
    )
  ).map((l) => ({ id: n(l.id), available: n(l.available_paise), reserved: n(l.reserved_paise) }));
}
const closedOf = async (id: number) =>
  (
    await q<{ closed_on: string | null; closed_reason: string | null }>(
      sql`select to_char(closed_on, 'YYYY-MM-DD') as closed_on, closed_reason from pd_accounts where id = ${id}`,
    )
  )[0]!;
const entriesOf = async (accountId: number, ledger: string) =>
  n(
    (
      await q<{ s: string }>(
        sql`select coalesce(sum(e.amount_paise), 0) as s from pd_entries e join pd_postings p on p.id = e.posting_id where p.account_id = ${accountId} and e.ledger_account = ${ledger}`,
      )
    )[0]!.s,
  );
const unbalanced = async () =>
  n((await q<{ c: string }>(sql`select count(*) as c from (select posting_id from pd_entries group by posting_id having sum(amount_paise) <> 0) x`))[0]!.c);
/** The ledger's own balances (sum of entries) equal the stored ones on every line (bar M3). */
const derivedDiffers = async () =>
  n(
    (
      await q<{ c: string }>(sql`
    select count(*) as c from pd_lines l
     where l.available_paise <> coalesce((select sum(amount_paise) from pd_entries e where e.line_id = l.id and e.ledger_account = 'line_available'), 0)
        or l.reserved_paise <> coalesce((select sum(amount_paise) from pd_entries e where e.line_id = l.id and e.ledger_account = 'line_reserved'), 0)`)
    )[0]!.c,
  );
const jobCtx = () => ({ actor: null, ip: '', now: t.clock.now() });

async function runByFinance(fy: number) {
  return finance.post('/api/v1/pd/year-end/runs', { fy, otp: await t.stepUpCode(finance) });
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  finance = await t.login('finance_admin');
  treasury = await t.login('treasury_bhopal');
  auditor = await t.login('auditor_state');
  admin = await t.login('pd_admin');
  place = (await q<{ treasury_id: number; department_id: number }>(sql`select treasury_id, department_id from pd_accounts where id = 1`))[0]!;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the demo desk', () => {
  it('shows a lapsed account, a dormant-closed one, a dormant candidate and the continuation of account 1', async () => {
    const list = (await finance.get('/api/v1/pd/accounts')).json().items as TPdAccountSummary[];
    const lapsed = list.find((a) => a.accountNo.endsWith('0901'))!;
    expect(lapsed.closedReason).toBe('lapse');
    expect(lapsed.closedOn).toBe('2026-03-31');
    expect(lapsed.availablePaise).toBe(0);
    expect(list.find((a) => a.accountNo.endsWith('0902'))!.closedReason).toBe('dormant');
    expect(list.find((a) => a.id === 1)!.closedOn).toBeNull();

    const dormant = (await treasury.get('/api/v1/pd/reports/dormant')).json() as TDormantReport;
    expect(dormant.dormantYears).toBe(3);
    expect(dormant.asOf).toBe('2027-03-31');
    expect(dormant.candidates.map((a) => a.accountNo.slice(-4))).toContain('0903');
    expect(dormant.closed.map((a) => a.accountNo.slice(-4))).toEqual(['0902']);
    expect(dormant.closed[0]!.balancePaise).toBe(45_000 * 100);

    const cont = (await finance.get('/api/v1/pd/year-end/continuations?fy=2026')).json().items as { accountId: number }[];
    expect(cont.map((c) => c.accountId)).toContain(1);
    const runs = (await auditor.get('/api/v1/pd/year-end/runs')).json().items as TYearRun[];
    expect(runs.some((r) => r.fy === 2025 && r.lapsedPaise === 340_000 * 100)).toBe(true);

    const flagged = (await finance.get('/api/v1/pd/reports/transfer-back')).json().items as { accountNo: string; reason: string }[];
    expect(flagged.find((f) => f.accountNo.endsWith('0903'))?.reason).toBe('budget_line_on_other_account');
  });

  it("keeps the treasury officer to its treasury's accounts, the auditor to reading, and the PD administrator out", async () => {
    const mine = (await treasury.get('/api/v1/pd/reports/unspent')).json() as TUnspentReport;
    const ids = mine.departments.flatMap((d) => d.accounts.map((a) => a.accountId));
    expect(ids).toContain(1);
    expect(ids).not.toContain(3);
    const all = (await finance.get('/api/v1/pd/reports/unspent')).json() as TUnspentReport;
    expect(all.departments.flatMap((d) => d.accounts.map((a) => a.accountId))).toContain(3);
    const before = await dbFingerprint(t.database);
    expect((await auditor.post('/api/v1/pd/year-end/runs', { fy: 2025 })).statusCode).toBe(403);
    expect((await treasury.put('/api/v1/pd/year-end/settings', { dormantYears: 5 })).statusCode).toBe(403);
    expect((await treasury.post('/api/v1/pd/accounts/1/continuations', { fy: 2026, orderNo: 'X/1', orderDate: '2026-05-01' })).statusCode).toBe(403);
    expect((await admin.get('/api/v1/pd/reports/unspent')).statusCode).toBe(403);
    expect((await t.anon.get('/api/v1/pd/reports/dormant')).statusCode).toBe(401);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('shows on the account that it is closed and why', async () => {
    const [id] = await q<{ id: number }>(sql`select id from pd_accounts where account_no like '%0901'`);
    const a = (await treasury.get(`/api/v1/pd/accounts/${id!.id}`)).json() as TPdAccount;
    expect(a.closedReason).toBe('lapse');
    expect(a.lines.every((l) => l.availablePaise === 0)).toBe(true);
  });
});

describe('31 March lapse', () => {
  it('refuses a year that has not ended, and a run without the second factor, saving nothing', async () => {
    const before = await dbFingerprint(t.database);
    const early = await finance.post('/api/v1/pd/year-end/runs', { fy: 2026 });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('pd_year_not_over');
    const noOtp = await finance.post('/api/v1/pd/year-end/runs', { fy: 2025 });
    expect(noOtp.json().code).toBe('step_up_required');
    expect((await finance.post('/api/v1/pd/year-end/runs', { fy: 1999 })).statusCode).toBe(400);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('lapses every line of a consolidated account to its service head, closes it, and a second run changes nothing', async () => {
    const a = await account('consolidated', '2025-05-01', [1_234_567, 0, 99]);
    const late = await account('consolidated', '2026-04-02', [5_000]); // opened after 31 March 2026: not this year's
    const r = await runByFinance(2025);
    expect(r.statusCode, r.body).toBe(201);
    const run = r.json() as TYearRun;
    expect(run.startedBy).toBe('finance');
    expect(run.closings.filter((c) => c.accountId === a.id).map((c) => [c.outcome, c.amountPaise])).toEqual([
      ['lapse', 1_234_567],
      ['lapse', 0],
      ['lapse', 99],
    ]);
    expect((await lines(a.id)).every((l) => l.available === 0 && l.reserved === 0)).toBe(true);
    expect(await entriesOf(a.id, 'service_head')).toBe(1_234_666);
    expect(await closedOf(a.id)).toEqual({ closed_on: '2026-03-31', closed_reason: 'lapse' });
    expect((await closedOf(late.id)).closed_on).toBeNull();
    expect(await unbalanced()).toBe(0);
    expect(await derivedDiffers()).toBe(0);
    const [audit] = await q<{ c: string }>(
      sql`select count(*) as c from audit_log where entity = 'pd_account' and entity_id = ${String(a.id)} and action = 'year_end_lapse'`,
    );
    expect(n(audit!.c)).toBe(1);

    const ledger = async () =>
      q(
        sql`select (select count(*) from pd_postings) as p, (select count(*) from pd_entries) as e, (select count(*) from pd_year_closings where outcome <> 'held') as c, (select string_agg(id || ':' || coalesce(closed_on::text, ''), ',' order by id) from pd_accounts) as a`,
      );
    const before = await ledger();
    const again = await runByFinance(2025);
    expect(again.statusCode).toBe(201);
    expect((again.json() as TYearRun).lapsedPaise).toBe(0);
    expect(await ledger()).toEqual(before);
  });

  it('holds an account with a prepared e-cheque until the treasury decides it, then lapses it with the returned money', async () => {
    const a = await account('consolidated', '2025-05-01', [50_000]);
    const ctxAdmin: Ctx = {
      actor: { userId: 1, name: 'Test', assignmentId: 0, role: 'pd_admin', scopeKind: 'pd_account', scopeId: a.id },
      ip: '',
      locale: 'en',
      now: t.clock.now(),
    };
    const [pdAdmin] = await q<{ id: number }>(sql`select id from users where username = 'pd_admin'`);
    ctxAdmin.actor!.userId = n(pdAdmin!.id);
    const { echeque } = await prepareEcheque(t.database.db, ctxAdmin, a.id, 'held-test-key-1', {
      payeeKind: 'book_transfer',
      lineId: a.lines[0]!,
      amountPaise: 20_000,
      payeeName: 'Collector, Bhopal',
      headOfAccount: '2202-02-109-0101',
      purpose: '',
    });
    await approveInAdvice(t.database.db, [echeque.id]);
    const { runId, outcomes } = await runYear(t.database.db, jobCtx(), 2025, 'job');
    expect(outcomes.find((o) => o.accountId === a.id)).toMatchObject({ closed: null, heldPaise: 20_000 });
    expect((await closedOf(a.id)).closed_on).toBeNull();
    expect(await lines(a.id)).toEqual([{ id: a.lines[0], available: 30_000, reserved: 20_000 }]);
    const [held] = await q<{ held_echeques: number }>(
      sql`select held_echeques from pd_year_closings where run_id = ${runId} and account_id = ${a.id} and outcome = 'held'`,
    );
    expect(n(held!.held_echeques)).toBe(1);

    const [officer] = await q<{ id: number }>(sql`select id from users where username = 'treasury_bhopal'`);
    await decideEcheque(
      t.database.db,
      {
        actor: { userId: n(officer!.id), name: 'T', assignmentId: 0, role: 'treasury_officer', scopeKind: 'treasury', scopeId: place.treasury_id },
        ip: '',
        locale: 'en',
        now: t.clock.now(),
      },
      echeque.id,
      { pass: false, reason: 'Year end' },
    );
    await yearEndJob.run({ db: t.database.db, now: t.clock.now() });
    expect(await closedOf(a.id)).toEqual({ closed_on: '2026-03-31', closed_reason: 'lapse' });
    expect(await entriesOf(a.id, 'service_head')).toBe(50_000);
    const [job] = await q<{ started_by: string }>(sql`select started_by from pd_year_runs order by id desc limit 1`);
    expect(job!.started_by).toBe('job');
  });

  it('runs twenty year-ends at once and lapses each line exactly once', async () => {
    const a = await account('consolidated', '2025-05-01', [10_000, 20_000, 30_000]);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => runYear(t.database.db, jobCtx(), 2025, 'job')));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const perLine = await q<{ line_id: number; c: string }>(
      sql`select line_id, count(*) as c from pd_postings where account_id = ${a.id} and kind = 'lapse' group by line_id order by line_id`,
    );
    expect(perLine.map((r) => [n(r.line_id), n(r.c)])).toEqual(a.lines.map((l) => [l, 1]));
    const closings = await q<{ c: string }>(sql`select count(*) as c from pd_year_closings where account_id = ${a.id} and outcome = 'lapse'`);
    expect(n(closings[0]!.c)).toBe(3);
    expect(await entriesOf(a.id, 'service_head')).toBe(60_000);
    expect(await unbalanced()).toBe(0);
  });

  it('lets Finance continue an account for the year (it does not lapse), once, and only a consolidated open one', async () => {
    const kept = await account('consolidated', '2025-05-01', [7_000]);
    const gone = await account('consolidated', '2025-05-01', [8_000]);
    const other = await account('other', '2025-05-01', [100]);
    const body = { fy: 2026, orderNo: 'F-11-2026/PD/9', orderDate: '2026-11-20' };
    const ok = await finance.post(`/api/v1/pd/accounts/${kept.id}/continuations`, body);
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await finance.post(`/api/v1/pd/accounts/${kept.id}/continuations`, body)).json().code).toBe('pd_continuation_exists');
    expect((await finance.post(`/api/v1/pd/accounts/${other.id}/continuations`, body)).json().code).toBe('pd_continuation_not_consolidated');
    const [closed] = await q<{ id: number }>(sql`select id from pd_accounts where account_no like '%0901'`);
    expect((await finance.post(`/api/v1/pd/accounts/${closed!.id}/continuations`, body)).json().code).toBe('pd_account_closed');
    const past = await finance.post(`/api/v1/pd/accounts/${kept.id}/continuations`, { ...body, fy: 2024 });
    expect(past.statusCode).toBe(400);
    expect((await finance.post(`/api/v1/pd/accounts/${kept.id}/continuations`, { ...body, orderDate: '2026-12-01' })).json().code).toBe('date_in_future');

    // A year later, the year-end of 2026-27: the continued account stays open, the other lapses.
    const now = t.clock.now();
    t.clock.set(new Date('2027-04-01T00:10:00+05:30'));
    try {
      await runYear(t.database.db, jobCtx(), 2026, 'job');
      expect((await closedOf(kept.id)).closed_on).toBeNull();
      expect((await lines(kept.id))[0]!.available).toBe(7_000);
      expect(await closedOf(gone.id)).toEqual({ closed_on: '2027-03-31', closed_reason: 'lapse' });
      expect((await closedOf(1)).closed_on).toBeNull(); // the demo's continuation of account 1
    } finally {
      t.clock.set(now);
    }
  });
});

describe('dormant other accounts', () => {
  it('keeps the idle period in the database: Finance changes it (audited), 1..10 only', async () => {
    const bad = await finance.put('/api/v1/pd/year-end/settings', { dormantYears: 11 });
    expect(bad.statusCode).toBe(400);
    expect((await finance.put('/api/v1/pd/year-end/settings', { dormantYears: 0 })).statusCode).toBe(400);
    expect(await refusal(t.database.db.execute(sql`update pd_year_settings set dormant_years = 11`))).toMatch(/check/i);
    const ok = await finance.put('/api/v1/pd/year-end/settings', { dormantYears: 5 });
    expect(ok.json().dormantYears).toBe(5);
    const [a] = await q<{ before: { dormantYears: number }; after: { dormantYears: number } }>(
      sql`select before, after from audit_log where entity = 'pd_year_settings' order by seq desc limit 1`,
    );
    expect([a!.before.dormantYears, a!.after.dormantYears]).toEqual([3, 5]);
    expect((await auditor.get('/api/v1/pd/year-end/settings')).json().dormantYears).toBe(5);
    expect((await finance.put('/api/v1/pd/year-end/settings', { dormantYears: 3 })).statusCode).toBe(200);
  });

  it('closes an account idle for exactly the period (boundary day) and credits its balance to government; one day less stays open', async () => {
    // fy 2025 ends 31 March 2026; three years earlier is 31 March 2023.
    const idle = await account('other', '2020-01-01', [4_200, 300], '2023-03-31');
    const recent = await account('other', '2020-01-01', [1_000], '2023-04-01');
    const consolidatedOld = await account('consolidated', '2020-01-01', [0]); // never dormant: it lapses instead
    await runYear(t.database.db, jobCtx(), 2025, 'job');
    expect(await closedOf(idle.id)).toEqual({ closed_on: '2026-03-31', closed_reason: 'dormant' });
    expect(await entriesOf(idle.id, 'government')).toBe(4_500);
    expect((await lines(idle.id)).every((l) => l.available === 0)).toBe(true);
    expect((await closedOf(recent.id)).closed_on).toBeNull();
    expect((await closedOf(consolidatedOld.id)).closed_reason).toBe('lapse');

    // A longer period (5 years) spares an account idle since 2021-04-01 that 3 years would close.
    await finance.put('/api/v1/pd/year-end/settings', { dormantYears: 5 });
    const five = await account('other', '2020-01-01', [900], '2021-04-01');
    await runYear(t.database.db, jobCtx(), 2025, 'job');
    expect((await closedOf(five.id)).closed_on).toBeNull();
    await finance.put('/api/v1/pd/year-end/settings', { dormantYears: 3 });
    await runYear(t.database.db, jobCtx(), 2025, 'job');
    expect((await closedOf(five.id)).closed_reason).toBe('dormant');
    expect(await unbalanced()).toBe(0);
  });
});

describe('a closed account', () => {
  it('refuses a deposit (409 pd_account_closed, nothing saved) and an e-cheque, also by direct SQL', async () => {
    const [a] = await q<{ id: number; line: number }>(
      sql`select a.id, (select min(id) from pd_lines l where l.account_id = a.id) as line from pd_accounts a where account_no like '%0901'`,
    );
    const id = n(a!.id);
    const line = n(a!.line);
    const before = await dbFingerprint(t.database);
    const r = await treasury.post(`/api/v1/pd/accounts/${id}/deposits`, {
      lineId: line,
      amountPaise: 100,
      mode: 'book_transfer',
      sourceBudgetLineId: n((await q<{ b: number }>(sql`select budget_line_id as b from pd_lines where id = ${line}`))[0]!.b),
      reference: 'AFTER/CLOSE',
      valueDate: '2026-11-20',
    });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe('pd_account_closed');
    const [pdAdmin] = await q<{ id: number }>(sql`select id from users where username = 'pd_admin'`);
    const ctx: Ctx = {
      actor: { userId: n(pdAdmin!.id), name: 'A', assignmentId: 0, role: 'pd_admin', scopeKind: 'pd_account', scopeId: id },
      ip: '',
      locale: 'en',
      now: t.clock.now(),
    };
    const e = await prepareEcheque(t.database.db, ctx, id, 'closed-key-0001', {
      payeeKind: 'book_transfer',
      lineId: line,
      amountPaise: 1,
      payeeName: 'Treasury',
      headOfAccount: '0070-60-800',
      purpose: '',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('pd_account_closed');
    expect(await dbFingerprint(t.database)).toBe(before);
    expect(await refusal(depositSql(id, line, 100, '2026-11-20'))).toMatch(/ROAMS_PD_CLOSED/);
    expect(
      await refusal(
        t.database.db.execute(sql`
          insert into pd_echeques (account_id, line_id, payee_kind, payee_name, amount_paise, idempotency_key, request_hash, prepared_by, prepared_at)
          values (${id}, ${line}, 'vendor', 'X', 1, 'sql-closed', 'x', ${n(pdAdmin!.id)}, now())`),
      ),
    ).toMatch(/ROAMS_PD_CLOSED/);
  });
});

describe('reports equal the ledger', () => {
  it("sums unspent balances by department from the ledger's entries, and run totals from the service-head and government entries", async () => {
    const report = (await finance.get('/api/v1/pd/reports/unspent')).json() as TUnspentReport;
    const ledger = await q<{ department_id: number; s: string }>(sql`
      select a.department_id, sum(e.amount_paise) as s from pd_entries e join pd_postings p on p.id = e.posting_id join pd_accounts a on a.id = p.account_id
       where a.closed_on is null and e.ledger_account in ('line_available', 'line_reserved') group by a.department_id`);
    for (const d of report.departments) {
      const l = ledger.find((x) => n(x.department_id) === d.departmentId);
      expect(d.availablePaise + d.reservedPaise, d.nameEn).toBe(n(l?.s));
      expect(d.accounts.reduce((s, a) => s + a.availablePaise + a.reservedPaise, 0)).toBe(d.availablePaise + d.reservedPaise);
    }
    expect(report.totalAvailablePaise + report.totalReservedPaise).toBe(ledger.reduce((s, x) => s + n(x.s), 0));

    const runs = (await finance.get('/api/v1/pd/year-end/runs')).json().items as TYearRun[];
    const lapsed = runs.reduce((s, r) => s + r.lapsedPaise, 0);
    const unclaimed = runs.reduce((s, r) => s + r.unclaimedPaise, 0);
    const [g] = await q<{ sh: string; gov: string }>(sql`
      select coalesce(sum(amount_paise) filter (where ledger_account = 'service_head'), 0) as sh, coalesce(sum(amount_paise) filter (where ledger_account = 'government'), 0) as gov from pd_entries`);
    expect(lapsed).toBe(n(g!.sh));
    expect(unclaimed).toBe(n(g!.gov));

    const dormant = (await finance.get('/api/v1/pd/reports/dormant')).json() as TDormantReport;
    for (const c of dormant.closed) expect(c.balancePaise).toBe(await entriesOf(c.accountId, 'government'));
  });
});

describe('property: a lapse empties the lines and keeps the ledger balanced', () => {
  it('for any balances and any e-cheques passed or returned before 31 March', async () => {
    const [pdAdmin] = await q<{ id: number }>(sql`select id from users where username = 'pd_admin'`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ deposit: fc.integer({ min: 0, max: 5_000_000 }), spend: fc.integer({ min: 0, max: 100 }), pass: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (spec) => {
          const a = await account(
            'consolidated',
            '2025-05-01',
            spec.map((s) => s.deposit),
          );
          const ctx: Ctx = {
            actor: { userId: n(pdAdmin!.id), name: 'A', assignmentId: 0, role: 'pd_admin', scopeKind: 'pd_account', scopeId: a.id },
            ip: '',
            locale: 'en',
            now: t.clock.now(),
          };
          const [officer] = await q<{ id: number }>(sql`select id from users where username = 'treasury_bhopal'`);
          const tctx: Ctx = {
            actor: { userId: n(officer!.id), name: 'T', assignmentId: 0, role: 'treasury_officer', scopeKind: 'treasury', scopeId: place.treasury_id },
            ip: '',
            locale: 'en',
            now: t.clock.now(),
          };
          let k = 0;
          for (const [i, s] of spec.entries()) {
            const amount = Math.floor((s.deposit * s.spend) / 100);
            if (amount <= 0) continue;
            const { echeque } = await prepareEcheque(t.database.db, ctx, a.id, `prop-${a.id}-${k++}`, {
              payeeKind: 'book_transfer',
              lineId: a.lines[i]!,
              amountPaise: amount,
              payeeName: 'Collector, Bhopal',
              headOfAccount: '2202-02-109-0101',
              purpose: '',
            });
            await approveInAdvice(t.database.db, [echeque.id]);
            await decideEcheque(t.database.db, tctx, echeque.id, s.pass ? { pass: true } : { pass: false, reason: 'Returned' });
          }
          const before = (await lines(a.id)).reduce((x, l) => x + l.available, 0);
          await runYear(t.database.db, jobCtx(), 2025, 'job');
          expect((await lines(a.id)).every((l) => l.available === 0 && l.reserved === 0)).toBe(true);
          expect(await entriesOf(a.id, 'service_head')).toBe(before);
          expect((await closedOf(a.id)).closed_reason).toBe('lapse');
          expect(await unbalanced()).toBe(0);
        },
      ),
      { numRuns: 12 },
    );
    expect(await derivedDiffers()).toBe(0);
  }, 240_000);
});
