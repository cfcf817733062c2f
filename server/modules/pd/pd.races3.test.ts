import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { auditCount, burst, countOf, oneWinner } from '../../test/races.ts';

/**
 * Twenty identical deposits at once (the treasury's double click on "save", a retry, two tabs) on
 * PGlite and on PostgreSQL (TEST_DATABASE_URL): one deposit — one posting, the balance credited once,
 * one audit entry; the others 409 pd_deposit_duplicate, never a 500. The same challan again after
 * its deposit was reversed (entered wrongly) is a new deposit.
 */
let t: TestApp;
let treasury: Client;
const N = 20;
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);

beforeAll(async () => {
  t = await createTestApp();
  treasury = await t.login('treasury_bhopal');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

let head = 800;
/** A new empty line on account 1 (a new object head of its first line's budget head). */
async function newLine(): Promise<{ lineId: number; budgetLineId: number }> {
  let bl: { id: number } | undefined;
  while (!bl && head < 900)
    [bl] = await q<{ id: number }>(sql`
      insert into budget_lines (demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, object_head, scheme_name_en, scheme_name_hi, department_id)
      select demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, ${String(head++)}, 'Race scheme', 'दौड़ योजना', department_id
        from budget_lines where id = (select budget_line_id from pd_lines where account_id = 1 order by id limit 1)
      on conflict do nothing returning id`);
  const [line] = await q<{ id: number }>(
    sql`insert into pd_lines (account_id, budget_line_id, purpose_en, purpose_hi) values (1, ${bl!.id}, 'Race line', 'दौड़ मद') returning id`,
  );
  return { lineId: Number(line!.id), budgetLineId: Number(bl!.id) };
}
const deposits = (lineId: number) => count(sql`select count(*)::int as n from pd_postings where line_id = ${lineId} and kind = 'deposit'`);
const balance = async (lineId: number) =>
  Number(
    (
      await q<{ s: string }>(sql`select coalesce(sum(case when kind = 'deposit' then e.amount_paise else 0 end), 0)::text as s
      from pd_postings p join pd_entries e on e.posting_id = p.id where p.line_id = ${lineId} and e.amount_paise > 0 and kind = 'deposit'`)
    )[0]!.s,
  );

describe(`${N} identical deposits at once`, () => {
  it('one deposit, credited once, audited once; the others 409 pd_deposit_duplicate; after its reversal the same challan deposits again', async () => {
    const { lineId, budgetLineId } = await newLine();
    const body = { lineId, amountPaise: 123_400, mode: 'book_transfer', sourceBudgetLineId: budgetLineId, reference: 'RACE3/77', valueDate: '2026-11-20' };
    const auditsBefore = await auditCount(t.database.db, 'pd_account', 1, 'deposit');
    const rs = await burst(N, () => treasury.post('/api/v1/pd/accounts/1/deposits', body));
    oneWinner(rs, ['409 pd_deposit_duplicate'], { status: 201 });
    expect(await deposits(lineId)).toBe(1);
    expect(await balance(lineId)).toBe(123_400);
    expect(await auditCount(t.database.db, 'pd_account', 1, 'deposit')).toBe(auditsBefore + 1);

    const [dep] = await q<{ id: number }>(sql`select id from pd_postings where line_id = ${lineId} and kind = 'deposit'`);
    expect((await treasury.post(`/api/v1/pd/deposits/${dep!.id}/reverse`, { reason: 'Wrong amount' })).statusCode).toBe(200);
    const again = await treasury.post('/api/v1/pd/accounts/1/deposits', { ...body, amountPaise: 124_300 });
    expect(again.statusCode, again.body).toBe(201);
    expect(await deposits(lineId)).toBe(2);
  });
});
