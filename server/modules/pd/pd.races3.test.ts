import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner } from '../../test/races.ts';

/**
 * Twenty identical deposits at once (the treasury's double click on "save", a retry, two tabs) on
 * PGlite and on PostgreSQL (TEST_DATABASE_URL): one deposit — one posting, the balance credited once,
 * one audit entry; the others 409 pd_deposit_duplicate, never a 500. The same challan again after
 * its deposit was reversed (entered wrongly) is a new deposit. And a proposal's form saved twenty
 * times at once with the same body: saved and audited once.
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

describe(`${N} identical saves of a draft proposal at once`, () => {
  it('every answer 200, the form that body, audited once (the same form again changes nothing)', async () => {
    const maker = await t.login('officeadmin_fin');
    const lines = ((await maker.get('/api/v1/pd/opening/budget-lines')).json().items as { id: number }[]).map((b) => b.id);
    const [tb] = await q<{ id: number }>(sql`select t.id from treasuries t join districts d on d.id = t.district_id where d.name_en = 'Bhopal'`);
    const row = (purpose: string) => ({
      administratorDesignation: 'Joint Director',
      administratorOffice: 'Directorate of Treasuries and Accounts, Bhopal',
      administratorMobile: '7000001199',
      treasuryId: Number(tb!.id),
      purpose,
      items: 'Scheme money by book transfer',
      lines: [{ budgetLineId: lines[0] }, { budgetLineId: lines[1] }],
    });
    const body = { hodDesignation: 'Commissioner, Treasuries and Accounts', source: 'consolidated', rows: [row('Scheme deposits')] };
    const made = await maker.post('/api/v1/pd/opening/proposals', body);
    expect(made.statusCode, made.body).toBe(201);
    const id = (made.json() as { id: number }).id;
    const edited = { ...body, hodDesignation: 'Commissioner, Treasuries', rows: [row('Scheme deposits, edited')] };
    const rs = await burst(N, () => maker.put(`/api/v1/pd/opening/proposals/${id}`, edited));
    allSucceed(rs, 200);
    expect(await auditCount(t.database.db, 'pd_proposal', id, 'update')).toBe(1);
    const [a] = await q<{ before: { hodDesignation: string } }>(
      sql`select before from audit_log where entity = 'pd_proposal' and entity_id = ${String(id)} and action = 'update'`,
    );
    expect(a!.before.hodDesignation).toBe(body.hodDesignation);
  });
});
