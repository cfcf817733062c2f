import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { auditCount, burst, countOf, idemKey, oneRecord, oneWinner, spread } from '../../test/races.ts';

/**
 * The double click on two PD forms that create a record with no natural key to refuse a twin —
 * a deposit (a challan or book-transfer reference may repeat) and a new opening proposal (a
 * draft) — on PGlite and on PostgreSQL (TEST_DATABASE_URL): with the Idempotency-Key the forms
 * send, twenty identical requests at once write one posting / one proposal and one audit entry,
 * and every answer is 201 with it; the same key with another body is 422
 * idempotency_key_reused; without a key each request writes, as before (API clients unchanged).
 */
let t: TestApp;
let treasury: Client; // treasury_bhopal: deposits on PD account 1 (consolidated fund: book transfer)
let maker: Client; // officeadmin_fin: Finance's proposals
let line: { id: number; budgetLineId: number };
let bhopal: number;
let finLines: number[];
const N = 20;
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);

beforeAll(async () => {
  t = await createTestApp();
  treasury = await t.login('treasury_bhopal');
  maker = await t.login('officeadmin_fin');
  const [l] = await q<{ id: number; budgetLineId: number }>(
    sql`select id, budget_line_id as "budgetLineId" from pd_lines where account_id = 1 and budget_line_id is not null order by id limit 1`,
  );
  line = { id: Number(l!.id), budgetLineId: Number(l!.budgetLineId) };
  bhopal = Number((await q<{ id: number }>(sql`select t.id from treasuries t join districts d on d.id = t.district_id where d.name_en = 'Bhopal'`))[0]!.id);
  finLines = ((await maker.get('/api/v1/pd/opening/budget-lines')).json().items as { id: number }[]).map((b) => b.id);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const post = (c: Client, url: string, body: unknown, key?: string) =>
  c.request({ method: 'POST', url, payload: body as object, headers: key ? { 'idempotency-key': key } : {} });

describe(`${N} identical deposits`, () => {
  const url = '/api/v1/pd/accounts/1/deposits';
  const depositBody = (over: Record<string, unknown> = {}) => ({
    lineId: line.id,
    amountPaise: 12_345,
    mode: 'book_transfer',
    sourceBudgetLineId: line.budgetLineId,
    reference: `IDEM/${randomBytes(4).toString('hex')}`,
    valueDate: '2026-11-20',
    ...over,
  });
  const postings = (ref: string) => count(sql`select count(*)::int as n from pd_postings where kind = 'deposit' and reference = ${`BT ${ref}`}`);
  const audits = (ref: string) => auditCount(t.database.db, 'pd_account', { after: { reference: ref } }, 'deposit');
  const available = async () => Number((await q<{ n: string }>(sql`select available_paise as n from pd_lines where id = ${line.id}`))[0]!.n);

  for (const [how, fire] of [
    ['at once', burst],
    ['a few ms apart', spread],
  ] as const)
    it(`under one key, ${how}: credited once, one audit entry, every answer 201 with the account`, async () => {
      const before = await available();
      const body = depositBody();
      const key = idemKey();
      const id = oneRecord(await fire(N, () => post(treasury, url, body, key)));
      expect(id).toBe(1);
      expect(await postings(body.reference)).toBe(1);
      expect(await audits(body.reference)).toBe(1);
      expect(await available()).toBe(before + 12_345);
    });

  it('the same key with another amount: 422 idempotency_key_reused, nothing credited', async () => {
    const body = depositBody();
    const key = idemKey();
    expect((await post(treasury, url, body, key)).statusCode).toBe(201);
    const before = await available();
    const r = await post(treasury, url, { ...body, amountPaise: 99_999 }, key);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().code).toBe('idempotency_key_reused');
    expect(await available()).toBe(before);
    expect(await postings(body.reference)).toBe(1);
  });

  it('without a key: the challan decides — one deposit, the others 409 pd_deposit_duplicate (pd.races3)', async () => {
    const body = depositBody();
    const rs = await burst(3, () => post(treasury, url, body));
    oneWinner(rs, ['409 pd_deposit_duplicate'], { status: 201 });
    expect(await postings(body.reference)).toBe(1);
  });
});

describe(`${N} identical new opening proposals`, () => {
  const url = '/api/v1/pd/opening/proposals';
  const proposal = (purpose: string) => ({
    hodDesignation: 'Commissioner, Treasuries and Accounts',
    source: 'consolidated',
    rows: [
      {
        administratorDesignation: 'Joint Director',
        administratorOffice: 'Directorate of Treasuries and Accounts, Bhopal',
        administratorMobile: `7${String(Number.parseInt(randomBytes(4).toString('hex'), 16) % 1_000_000_000).padStart(9, '0')}`,
        treasuryId: bhopal,
        purpose,
        items: 'Scheme money by book transfer',
        lines: [{ budgetLineId: finLines[0] }, { budgetLineId: finLines[1] }],
      },
    ],
  });
  const proposals = (purpose: string) => count(sql`select count(*)::int as n from pd_proposal_rows r where r.purpose = ${purpose}`);

  for (const [how, fire] of [
    ['at once', burst],
    ['a few ms apart', spread],
  ] as const)
    it(`under one key, ${how}: one draft, one audit entry, every answer 201 with it`, async () => {
      const purpose = `Idempotent ${randomBytes(4).toString('hex')}`;
      const body = proposal(purpose);
      const key = idemKey();
      const id = oneRecord(await fire(N, () => post(maker, url, body, key)));
      expect(await proposals(purpose)).toBe(1);
      expect(await auditCount(t.database.db, 'pd_proposal', id, 'create')).toBe(1);
    });

  it('the same key with another body: 422 idempotency_key_reused; without a key: a draft each, as before', async () => {
    const purpose = `Reused ${randomBytes(4).toString('hex')}`;
    const body = proposal(purpose);
    const key = idemKey();
    expect((await post(maker, url, body, key)).statusCode).toBe(201);
    const r = await post(maker, url, { ...body, hodDesignation: 'Director' }, key);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().code).toBe('idempotency_key_reused');
    // Another proposal under the same key: refused too.
    expect((await post(maker, url, proposal(`${purpose} b`), key)).statusCode).toBe(422);
    expect(await proposals(purpose)).toBe(1);
    const plain = proposal(`${purpose} plain`);
    const rs = await burst(2, () => post(maker, url, plain));
    expect(rs.map((x) => x.statusCode)).toEqual([201, 201]);
    expect(await proposals(`${purpose} plain`)).toBe(2);
  });
});
