import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TYearRun } from '../../../shared/contracts/pd-year.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner } from '../../test/races.ts';

/**
 * Twenty identical requests at once on the PD year-end routes (issue 18 item 5; the review's
 * double click, a retry, two tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL). The service's
 * own twenty runs at once are in pd.year.test.ts; here Finance's route, with its second factor:
 * one run started (one run row, one audit entry), each line lapsed once and the ledger balanced;
 * every other answer a 409, never a 500. And Finance's continuation of an account and its idle
 * period. The test clock stands at 25 November 2026, so 2025-26 (`fy` 2025) is the year a run may close.
 */
let t: TestApp;
let finance: Client;
let place: { treasury_id: number; department_id: number };
const N = 20;
const FY = 2025;

const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
let serial = 9700;

/** A consolidated-fund account opened in May 2025 with one line per amount (paise), deposited in June 2025. */
async function account(amounts: number[]) {
  serial += 1;
  const [a] = await q<{ id: number }>(sql`
    insert into pd_accounts (account_no, source, treasury_id, department_id, name_en, name_hi, administrator_en, administrator_hi, created_at)
    values (${`PDRACE${serial}`}, 'consolidated', ${place.treasury_id}, ${place.department_id}, 'Race account', 'दौड़ खाता', 'Race administrator', 'दौड़ प्रशासक',
            '2025-05-01T10:00:00+05:30') returning id`);
  const lines: number[] = [];
  for (const amount of amounts) {
    const [l] = await q<{ id: number }>(
      sql`insert into pd_lines (account_id, purpose_en, purpose_hi) values (${a!.id}, 'Race purpose', 'दौड़ उद्देश्य') returning id`,
    );
    await t.database.db.execute(sql`
      with p as (insert into pd_postings (account_id, line_id, kind, reference, value_date, created_at)
                 values (${a!.id}, ${l!.id}, 'deposit', 'RACE', '2025-06-01', now()) returning id)
      insert into pd_entries (posting_id, line_id, ledger_account, amount_paise)
      select id, ${l!.id}::int, 'line_available', ${amount}::bigint from p union all select id, ${l!.id}::int, 'deposit_source', ${-amount}::bigint from p`);
    lines.push(Number(l!.id));
  }
  return { id: Number(a!.id), lines };
}

const runs = () => count(sql`select count(*)::int as n from pd_year_runs where fy = ${FY}`);
const starts = () => count(sql`select count(*)::int as n from audit_log where entity = 'pd_year_run' and action = 'start'`);
const unbalanced = () => count(sql`select count(*)::int as n from (select posting_id from pd_entries group by posting_id having sum(amount_paise) <> 0) x`);
const lapsesPerLine = async (accountId: number) =>
  (
    await q<{ line_id: number; c: number }>(
      sql`select line_id, count(*)::int as c from pd_postings where account_id = ${accountId} and kind = 'lapse' group by line_id order by line_id`,
    )
  ).map((r) => [Number(r.line_id), Number(r.c)]);

beforeAll(async () => {
  t = await createTestApp();
  finance = await t.login('finance_admin');
  place = (await q<{ treasury_id: number; department_id: number }>(sql`select treasury_id, department_id from pd_accounts where id = 1`))[0]!;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical year-end runs at once (Finance, one second-factor code)`, () => {
  it('one run started (one run row, one audit entry), each line lapsed once, the ledger balanced; the others 409 already started', async () => {
    const a = await account([10_000, 20_000, 30_000]);
    const [runsBefore, startsBefore] = [await runs(), await starts()];
    const otp = await t.stepUpCode(finance);
    const rs = await burst(N, () => finance.post('/api/v1/pd/year-end/runs', { fy: FY, otp }));
    const won = oneWinner(rs, ['409 pd_year_run_started'], { status: 201 });
    expect(await runs()).toBe(runsBefore + 1);
    expect(await starts()).toBe(startsBefore + 1);
    expect(await lapsesPerLine(a.id)).toEqual(a.lines.map((l) => [l, 1]));
    const run = won.json() as TYearRun;
    expect(run.lapsedPaise).toBeGreaterThanOrEqual(60_000);
    expect(run.closings.filter((c) => c.accountId === a.id).map((c) => [c.outcome, c.amountPaise])).toEqual([
      ['lapse', 10_000],
      ['lapse', 20_000],
      ['lapse', 30_000],
    ]);
    expect(await auditCount(t.database.db, 'pd_account', a.id, 'year_end_lapse')).toBe(1);
    expect(await unbalanced()).toBe(0);
  });

  it('run again with a new code, twenty at once: one more run that closes nothing closed before; the others 409', async () => {
    const a = await account([5_000]);
    const first = await finance.post('/api/v1/pd/year-end/runs', { fy: FY, otp: await t.stepUpCode(finance) });
    expect(first.statusCode, first.body).toBe(201);
    const runsBefore = await runs();
    const otp = await t.stepUpCode(finance);
    const rs = await burst(N, () => finance.post('/api/v1/pd/year-end/runs', { fy: FY, otp }));
    const won = oneWinner(rs, ['409 pd_year_run_started'], { status: 201 });
    expect(await runs()).toBe(runsBefore + 1);
    expect((won.json() as TYearRun).closings.filter((c) => c.accountId === a.id)).toEqual([]);
    expect(await lapsesPerLine(a.id)).toEqual([[a.lines[0], 1]]);
    expect(await unbalanced()).toBe(0);
  });
});

describe(`${N} identical Finance requests at once on the year-end's settings`, () => {
  it("an account's continuation for the year: recorded once (one audit entry); the others 409 already recorded", async () => {
    const a = await account([1_000]);
    const body = { fy: 2026, orderNo: 'FIN/PD/RACE/1', orderDate: '2026-11-20' };
    const rs = await burst(N, () => finance.post(`/api/v1/pd/accounts/${a.id}/continuations`, body));
    oneWinner(rs, ['409 pd_continuation_exists'], { status: 201 });
    expect(await count(sql`select count(*)::int as n from pd_continuations where account_id = ${a.id}`)).toBe(1);
    expect(await auditCount(t.database.db, 'pd_account', a.id, 'continuation')).toBe(1);
  });

  it('the idle period: every answer 200 with the value, the setting that value, changed once (one audit entry)', async () => {
    const changes = () =>
      count(sql`select count(*)::int as n from audit_log where entity = 'pd_year_settings' and action = 'update' and after->>'dormantYears' = '4'`);
    const before = await changes();
    const rs = await burst(N, () => finance.put('/api/v1/pd/year-end/settings', { dormantYears: 4 }));
    allSucceed(rs, 200);
    for (const r of rs) expect(r.json()).toMatchObject({ dormantYears: 4 });
    expect(await count(sql`select count(*)::int as n from pd_year_settings where dormant_years = 4`)).toBe(1);
    expect(await changes()).toBe(before + 1);
  });
});
