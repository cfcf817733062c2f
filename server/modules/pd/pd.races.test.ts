import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TEfile } from '../../../shared/contracts/pd-efile.ts';
import type { TProposal } from '../../../shared/contracts/pd-open.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner, RATE_LIMITED, spread } from '../../test/races.ts';
import { approveInAdvice } from './pd.adv.fixtures.ts';
import { type EfileActors, efileActors, officerCtx, passedEcheques } from './pd.efile.fixtures.ts';
import { scrollHeaderLine, scrollLine } from './pd.efile.rules.ts';
import { generateEfile } from './pd.efile.ts';

/**
 * Twenty identical requests at once on every PD route that changes money or a decision (the
 * review's double click), on PGlite and on PostgreSQL (TEST_DATABASE_URL): exactly one change
 * (one record, one audit entry); every answer the one success — its replay when the same
 * Idempotency-Key is sent — or a specific 4xx; never a 500. The routes already covered elsewhere
 * at 20: e-cheque preparation (pd.test.ts), advice approval (pd.adv.test.ts), e-file
 * (pd.efile.test.ts). And opening an account: each step of a proposal (submit, recommend,
 * sanction, apply, refuse) and the treasury's registration.
 */
let t: TestApp;
let admin: Client; // pd_admin: PD account 1
let treasury: Client; // treasury_bhopal
let ids: EfileActors;
let vendorId: number;
const N = 20;
const key = () => `k-${randomBytes(8).toString('hex')}`;
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
const audits = (entity: string, id: number, action: string) => auditCount(t.database.db, entity, id, action);

async function firstLine(): Promise<number> {
  return Number((await q<{ id: number }>(sql`select id from pd_lines where account_id = 1 order by id limit 1`))[0]!.id);
}
async function prepared(paise: number): Promise<number> {
  const r = await admin.request({
    method: 'POST',
    url: '/api/v1/pd/accounts/1/echeques',
    payload: { payeeKind: 'vendor', lineId: await firstLine(), amountPaise: paise, vendorId },
    headers: { 'idempotency-key': key() },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
let head = 900;
/** A new line on account 1 (a new object head of its first line's budget head) holding `paise`. */
async function lineHolding(paise: number): Promise<number> {
  let bl: { id: number } | undefined;
  while (!bl && head < 1000)
    [bl] = await q<{ id: number }>(sql`
      insert into budget_lines (demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, object_head, scheme_name_en, scheme_name_hi, department_id)
      select demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, ${String(head++)}, 'Race scheme', 'दौड़ योजना', department_id
        from budget_lines where id = (select budget_line_id from pd_lines where account_id = 1 order by id limit 1)
      on conflict do nothing returning id`);
  const [line] = await q<{ id: number }>(
    sql`insert into pd_lines (account_id, budget_line_id, purpose_en, purpose_hi) values (1, ${bl!.id}, 'Race line', 'दौड़ मद') returning id`,
  );
  const dep = await treasury.post('/api/v1/pd/accounts/1/deposits', {
    lineId: line!.id,
    amountPaise: paise,
    mode: 'book_transfer',
    sourceBudgetLineId: bl!.id,
    reference: 'RACE/1',
    valueDate: '2026-11-20',
  });
  expect(dep.statusCode, dep.body).toBe(201);
  return line!.id;
}
let seq = 0;
/** Passed vendor e-cheques on account 1's first line, prepared by pd_admin, passed by treasury_bhopal. */
async function passed(...paise: number[]): Promise<number[]> {
  return passedEcheques(t.database.db, {
    accountId: 1,
    lineId: await firstLine(),
    makerId: ids.maker,
    checkerId: ids.checker,
    now: t.clock.now(),
    keyPrefix: key(),
    payees: paise.map((p) => ({ name: `Race vendor ${++seq}`, accountNo: `5020000${String(1000 + seq)}`, ifsc: 'SBIN0001308', paise: p })),
  });
}
async function efileOf(...paise: number[]): Promise<TEfile> {
  const echequeIds = await passed(...paise);
  return (await generateEfile(t.database.db, officerCtx(ids, t.clock.now()), key(), { echequeIds })).efile;
}
const scrollOf = (f: TEfile, paid: (n: number) => boolean) =>
  scrollHeaderLine() +
  f.items
    .map((i, n) =>
      scrollLine({
        efileNo: f.fileNo,
        echequeId: i.echeque.id,
        amountPaise: i.echeque.amountPaise,
        outcome: paid(n) ? 'paid' : 'failed',
        bankRef: paid(n) ? `UTR${i.echeque.id}000222` : '',
        valueDate: '2026-11-25',
        reason: paid(n) ? '' : 'Account closed',
      }),
    )
    .join('');

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('pd_admin');
  treasury = await t.login('treasury_bhopal');
  vendorId = (await admin.get('/api/v1/pd/accounts/1/vendors')).json().items[0].id;
  ids = await efileActors(t.database.db);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical requests at once`, () => {
  it('a new advice (same key), five rounds: one advice, one audit entry, every answer that advice', async () => {
    // Five rounds: a lost race shows on PostgreSQL in about one run of three with a single round.
    for (let round = 0; round < 5; round++) {
      const e = [await prepared(1_100), await prepared(1_200)];
      const k = key();
      const good = allSucceed(
        await burst(N, () =>
          admin.request({ method: 'POST', url: '/api/v1/pd/accounts/1/advices', payload: { echequeIds: e }, headers: { 'idempotency-key': k } }),
        ),
        201,
      );
      expect(new Set(good.map((r) => r.json().id)).size).toBe(1);
      expect(await count(sql`select count(*)::int as n from pd_advices where idempotency_key = ${k}`)).toBe(1);
      expect(await audits('pd_advice', good[0]!.json().id, 'create')).toBe(1);
    }
  });

  it('an e-cheque of the whole available balance (same key), five rounds: one e-cheque, one reservation, every answer that e-cheque', async () => {
    for (let round = 0; round < 5; round++) {
      // A fresh line holding exactly what the e-cheque asks: a late twin must not be told "insufficient balance".
      const line = await lineHolding(7_700);
      const k = key();
      const good = allSucceed(
        await burst(N, () =>
          admin.request({
            method: 'POST',
            url: '/api/v1/pd/accounts/1/echeques',
            payload: { payeeKind: 'vendor', lineId: line, amountPaise: 7_700, vendorId },
            headers: { 'idempotency-key': k },
          }),
        ),
        201,
      );
      expect(new Set(good.map((r) => r.json().id)).size).toBe(1);
      expect(await count(sql`select count(*)::int as n from pd_echeques where line_id = ${line}`)).toBe(1);
      expect(await audits('pd_echeque', good[0]!.json().id, 'prepare')).toBe(1);
      const [l] = await q<{ a: string; r: string }>(sql`select available_paise as a, reserved_paise as r from pd_lines where id = ${line}`);
      expect([Number(l!.a), Number(l!.r)]).toEqual([0, 7_700]);
    }
  });

  for (const [verb, body, state] of [
    ['pass', {}, 'passed'],
    ['return', { reason: 'Head of account is wrong' }, 'returned'],
  ] as const)
    it(`a ${verb} of one e-cheque (one second factor, a double click): decided once, one posting; the others 409 already decided`, async () => {
      const id = await prepared(2_300);
      await approveInAdvice(t.database.db, [id]);
      const otp = await t.stepUpCode(treasury);
      oneWinner(await burst(N, () => treasury.post(`/api/v1/pd/echeques/${id}/${verb}`, { ...body, otp })), ['409 pd_echeque_not_pending']);
      expect(await audits('pd_echeque', id, verb)).toBe(1);
      expect(await count(sql`select count(*)::int as n from pd_postings where echeque_id = ${id} and kind = ${`echeque_${state}`}`)).toBe(1);
    });

  it('a reversal of one deposit: reversed once; the others 409 already reversed', async () => {
    const line = await firstLine();
    const bl = (await q<{ b: number }>(sql`select budget_line_id as b from pd_lines where id = ${line}`))[0]!.b;
    const dep = await treasury.post('/api/v1/pd/accounts/1/deposits', {
      lineId: line,
      amountPaise: 5_500,
      mode: 'book_transfer',
      sourceBudgetLineId: bl,
      reference: 'RACE/REV',
      valueDate: '2026-11-20',
    });
    expect(dep.statusCode, dep.body).toBe(201);
    const [p] = await q<{ id: number }>(sql`select max(id) as id from pd_postings where line_id = ${line} and kind = 'deposit'`);
    oneWinner(await burst(N, () => treasury.post(`/api/v1/pd/deposits/${p!.id}/reverse`, { reason: 'Entered twice' })), ['409 pd_already_reversed']);
    expect(await count(sql`select count(*)::int as n from pd_postings where reverses_id = ${p!.id}`)).toBe(1);
    expect(await auditCount(t.database.db, 'pd_account', { after: { reverses: p!.id } }, 'reverse_deposit')).toBe(1);
  });

  it("the bank's scroll (the same file), five rounds: one scroll, every answer its result", async () => {
    // A twin that read the e-file's items after the winner settled them was told "not outstanding"
    // (422) before it reached the replay (PostgreSQL, about two runs in three with one round).
    for (let round = 0; round < 5; round++) {
      const f = await efileOf(3_100, 3_200);
      const text = scrollOf(f, () => true);
      const good = allSucceed(
        await burst(N, () =>
          treasury.post(`/api/v1/pd/efiles/${f.id}/scroll`, { fileName: 'scroll.csv', contentBase64: Buffer.from(text).toString('base64') }),
        ),
        200,
      );
      expect(new Set(good.map((r) => (r.json() as { scrollId: number }).scrollId)).size).toBe(1);
      expect(await count(sql`select count(*)::int as n from pd_scrolls where efile_id = ${f.id}`)).toBe(1);
      expect(await audits('pd_efile', f.id, 'import_scroll')).toBe(1);
    }
  });

  it("a banker's cheque for one failed e-cheque: recorded once; the others 409 already recorded", async () => {
    const f = await efileOf(4_400);
    const up = await treasury.post(`/api/v1/pd/efiles/${f.id}/scroll`, {
      fileName: 'scroll.csv',
      contentBase64: Buffer.from(scrollOf(f, () => false)).toString('base64'),
    });
    expect(up.statusCode, up.body).toBe(200);
    const id = f.items[0]!.echeque.id;
    const body = { chequeNo: '700900', chequeDate: '2026-11-25', bankName: 'State Bank of India, Bhopal', amountPaise: 4_400 };
    oneWinner(await burst(N, () => treasury.post(`/api/v1/pd/echeques/${id}/bankers-cheque`, body)), ['409 pd_bankers_cheque_exists'], { status: 201 });
    expect(await audits('pd_echeque', id, 'bankers_cheque')).toBe(1);
    expect(await count(sql`select count(*)::int as n from pd_bankers_cheques where echeque_id = ${id}`)).toBe(1);
  });
});

describe(`opening a PD account: ${N} identical requests at once on each step, 3 rounds`, () => {
  let maker: Client; // officeadmin_fin: Finance Department
  let hod: Client; // hod_fin: a Finance HOD
  let finance: Client; // finance_admin
  let opener: Client; // treasury_bhopal
  let lines: number[];
  let bhopal: number;
  async function relogin() {
    maker = await t.login('officeadmin_fin');
    hod = await t.login('hod_fin');
    finance = await t.login('finance_admin');
    opener = await t.login('treasury_bhopal');
  }
  beforeAll(async () => {
    await relogin();
    lines = ((await maker.get('/api/v1/pd/opening/budget-lines')).json().items as { id: number }[]).map((b) => b.id);
    const [tb] = await q<{ id: number }>(sql`select t.id from treasuries t join districts d on d.id = t.district_id where d.name_en = 'Bhopal'`);
    bhopal = Number(tb!.id);
  });

  /** Twenty `action`s at once: one 200, the others 409 (`refusals`); one audit entry of `audit` on the proposal. */
  async function atOnce(c: Client, id: number, action: string, body: object | undefined, audit: string, refusals: readonly string[]) {
    const won = oneWinner(await burst(N, () => c.post(`/api/v1/pd/opening/proposals/${id}/${action}`, body)), refusals);
    expect(await audits('pd_proposal', id, audit), action).toBe(1);
    return won.json() as TProposal;
  }

  it('submit, recommend, sanction (second factor), apply, register (second factor) — and a refusal: each once; the others 409', async () => {
    for (let round = 0; round < 3; round++) {
      // A new hour: second-factor codes are limited to five an hour, and the money roles' logins idle out.
      t.clock.advance(3_600_000 + 1000);
      await relogin();
      const body = {
        hodDesignation: 'Commissioner, Treasuries and Accounts',
        source: 'consolidated',
        rows: [
          {
            administratorDesignation: 'Joint Director',
            administratorOffice: 'Directorate of Treasuries and Accounts, Bhopal',
            administratorMobile: `70000011${round}0`,
            treasuryId: bhopal,
            purpose: 'Scheme deposits',
            items: 'Scheme money by book transfer',
            lines: [{ budgetLineId: lines[0] }, { budgetLineId: lines[1] }],
          },
        ],
      };
      const made = await maker.post('/api/v1/pd/opening/proposals', body);
      expect(made.statusCode, made.body).toBe(201);
      const id = (made.json() as TProposal).id;
      const wrong = ['409 pd_open_wrong_state'];
      await atOnce(maker, id, 'submit', undefined, 'submit', wrong);
      await atOnce(hod, id, 'recommend', undefined, 'recommend', wrong);
      const sanction = { sanctionNo: `F-11-${id}/2026`, sanctionDate: '2026-11-20', otp: await t.stepUpCode(finance) };
      await atOnce(finance, id, 'sanction', sanction, 'sanction', wrong);
      await atOnce(maker, id, 'apply', undefined, 'apply', wrong);
      const p = (await maker.get(`/api/v1/pd/opening/proposals/${id}`)).json() as TProposal;
      const rowId = p.rows[0]!.id;
      const otp = await t.stepUpCode(opener);
      const rs = await burst(N, () => opener.post(`/api/v1/pd/opening/applications/${rowId}/register`, { otp }));
      // 429: the password gate (password.ts) may shed part of the burst of first-password hashes; a retry is then 409.
      oneWinner(rs, ['409 pd_open_wrong_state', '409 pd_open_already_registered', RATE_LIMITED], { status: 201 });
      expect(await count(sql`select count(*)::int as n from pd_accounts where id = (select account_id from pd_proposal_rows where id = ${rowId})`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from users where mobile = ${`70000011${round}0`}`)).toBe(1);
      expect(await audits('pd_proposal', id, 'registered')).toBe(1);

      // Another proposal refused by Finance.
      const other = await maker.post('/api/v1/pd/opening/proposals', {
        ...body,
        rows: [{ ...body.rows[0]!, administratorMobile: `70000012${round}0` }],
      });
      expect(other.statusCode, other.body).toBe(201);
      const oid = (other.json() as TProposal).id;
      await atOnce(maker, oid, 'submit', undefined, 'submit', wrong);
      await atOnce(hod, oid, 'recommend', undefined, 'recommend', wrong);
      await atOnce(finance, oid, 'refuse', { reason: 'Not needed', otp: await t.stepUpCode(finance) }, 'refuse', wrong);
    }
  });
});

describe(`${N} requests at once, a key each and one second-factor code, 3 rounds`, () => {
  /**
   * A double click whose page opened the dialog twice (or two tabs): one Idempotency-Key each but
   * one code. The e-file is made once; every other answer is what its later twin gets (409 the
   * e-cheque no longer passed) — never the code's 422 otp_expired (spent by the first), never a
   * 500. The requests are spread over a few milliseconds, so that some arrive while the first is
   * being written, after they read the e-cheques as passed.
   */

  it("the administrator's approval of an advice: approved once, one audit entry; the others 409 pd_advice_not_draft", async () => {
    for (let round = 0; round < 3; round++) {
      t.clock.advance(3_600_000 + 1000);
      admin = await t.login('pd_admin');
      const e = [await prepared(1_300), await prepared(1_400)];
      const made = await admin.request({
        method: 'POST',
        url: '/api/v1/pd/accounts/1/advices',
        payload: { echequeIds: e },
        headers: { 'idempotency-key': key() },
      });
      expect(made.statusCode, made.body).toBe(201);
      const id = made.json().id as number;
      const otp = await t.stepUpCode(admin);
      const rs = await spread(N, () =>
        admin.request({ method: 'POST', url: `/api/v1/pd/advices/${id}/approve`, payload: { otp }, headers: { 'idempotency-key': key() } }),
      );
      oneWinner(rs, ['409 pd_advice_not_draft']);
      expect(await audits('pd_advice', id, 'approve')).toBe(1);
    }
  });

  it("the treasury officer's pass of an e-cheque: passed once, one audit entry; the others 409 pd_echeque_not_pending", async () => {
    for (let round = 0; round < 3; round++) {
      t.clock.advance(3_600_000 + 1000);
      admin = await t.login('pd_admin');
      treasury = await t.login('treasury_bhopal');
      const id = await prepared(1_500);
      await approveInAdvice(t.database.db, [id]);
      const otp = await t.stepUpCode(treasury);
      const rs = await spread(N, () =>
        treasury.request({ method: 'POST', url: `/api/v1/pd/echeques/${id}/pass`, payload: { otp }, headers: { 'idempotency-key': key() } }),
      );
      oneWinner(rs, ['409 pd_echeque_not_pending']);
      expect(await audits('pd_echeque', id, 'pass')).toBe(1);
    }
  });

  it('an e-file of two passed e-cheques: made once, one audit entry; the others 409 pd_echeque_not_passed', async () => {
    for (let round = 0; round < 3; round++) {
      // A new hour: second-factor codes are limited to five an hour, and the money roles' logins idle out.
      t.clock.advance(3_600_000 + 1000);
      treasury = await t.login('treasury_bhopal');
      const echequeIds = await passed(1_000, 2_000);
      const otp = await t.stepUpCode(treasury);
      const rs = await spread(N, () =>
        treasury.request({ method: 'POST', url: '/api/v1/pd/efiles', payload: { echequeIds, otp }, headers: { 'idempotency-key': key() } }),
      );
      const made = oneWinner(rs, ['409 pd_echeque_not_passed'], { status: 201 });
      expect(await audits('pd_efile', made.json().id, 'generate')).toBe(1);
      expect(
        await count(
          sql`select count(*)::int as n from pd_efile_items where echeque_id in (${sql.join(
            echequeIds.map((i) => sql`${i}`),
            sql`, `,
          )})`,
        ),
      ).toBe(2);
    }
  });
});
