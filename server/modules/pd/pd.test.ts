import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TEcheque, TPdAccount, TStatement } from '../../../shared/contracts/pd.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { approveInAdvice } from './pd.adv.fixtures.ts';
import { decideEcheque } from './pd.service.ts';

/**
 * PD accounts (issue 18) through the API, on PGlite and on PostgreSQL (TEST_DATABASE_URL):
 * the ledger the database keeps append-only and double-entry (bar M3), deposits only from a
 * registered source, e-cheques that reserve the line's money and never overdraw it under
 * concurrency (bar M4), idempotent preparation (bar M1), and the treasury officer's pass /
 * return by someone other than the maker (bar A3). Demo data: pd.demo.ts.
 */
let t: TestApp;
let admin: Client; // pd_admin: PD account 1 (consolidated fund, Bhopal)
let treasury: Client; // treasury_bhopal
let finance: Client; // finance_admin (reads only)
let acct: TPdAccount;
let vendorId: number; // account 1's first vendor in its vendor master (pd.adv.demo.ts)

const key = () => `k-${randomBytes(8).toString('hex')}`;
/** The database's refusal text (Drizzle wraps it as the cause of "Failed query"), or '' when it succeeded. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  }
}
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;

function prepare(c: Client, accountId: number, body: Record<string, unknown>, k: string | null = key()) {
  return c.request({ method: 'POST', url: `/api/v1/pd/accounts/${accountId}/echeques`, payload: body, headers: k === null ? {} : { 'idempotency-key': k } });
}
const vendor = (lineId: number, amountPaise: number, over: Record<string, unknown> = {}) => ({
  payeeKind: 'vendor',
  lineId,
  amountPaise,
  vendorId,
  ...over,
});

/** A fresh line on account 1 holding `paise` (deposited by book transfer from its budget line). */
async function freshLine(paise: number): Promise<number> {
  const [bl] = await q<{ id: number }>(sql`
    select b.id from budget_lines b join pd_accounts a on a.department_id = b.department_id
     where a.id = 1 and b.id not in (select budget_line_id from pd_lines where account_id = 1 and budget_line_id is not null) order by b.id limit 1`);
  let blId = bl?.id;
  // A new object head the line's budget heads do not have yet (a random one could collide: CI saw it).
  for (let head = 100; !blId && head < 1000; head++) {
    const [nb] = await q<{ id: number }>(sql`
      insert into budget_lines (demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, object_head, scheme_name_en, scheme_name_hi, department_id)
      select demand_no, major_head, sub_major_head, minor_head, sub_head, detailed_head, ${String(head)}, 'Test scheme', 'परीक्षण योजना', department_id
        from budget_lines where id = (select budget_line_id from pd_lines where account_id = 1 order by id limit 1)
      on conflict do nothing returning id`);
    blId = nb?.id;
  }
  if (!blId) throw new Error('no free object head for a test budget line');
  const [line] = await q<{ id: number }>(
    sql`insert into pd_lines (account_id, budget_line_id, purpose_en, purpose_hi) values (1, ${blId}, 'Test line', 'परीक्षण मद') returning id`,
  );
  if (paise > 0) {
    const r = await treasury.post('/api/v1/pd/accounts/1/deposits', {
      lineId: line!.id,
      amountPaise: paise,
      mode: 'book_transfer',
      sourceBudgetLineId: blId,
      reference: 'TEST/1',
      valueDate: '2026-11-20',
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  return line!.id;
}

async function lineOf(lineId: number) {
  const [l] = await q<{ available_paise: string; reserved_paise: string }>(sql`select available_paise, reserved_paise from pd_lines where id = ${lineId}`);
  return { available: Number(l!.available_paise), reserved: Number(l!.reserved_paise) };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('pd_admin');
  treasury = await t.login('treasury_bhopal');
  finance = await t.login('finance_admin');
  const r = await admin.get('/api/v1/pd/accounts/1');
  expect(r.statusCode, r.body).toBe(200);
  acct = r.json();
  vendorId = (await admin.get('/api/v1/pd/accounts/1/vendors')).json().items[0].id;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('PD accounts: who sees what', () => {
  it('shows the administrator its account with its lines and derived balances, and nothing else', async () => {
    expect(acct.source).toBe('consolidated');
    expect(acct.lines.length).toBe(2);
    const list = (await admin.get('/api/v1/pd/accounts')).json().items as { id: number }[];
    expect(list.map((a) => a.id)).toEqual([1]);
    expect((await admin.get('/api/v1/pd/accounts/2')).statusCode).toBe(404);
  });

  it("shows the treasury officer its treasury's accounts only; Finance all", async () => {
    const mine = (await treasury.get('/api/v1/pd/accounts')).json().items as { id: number }[];
    // Later demo steps (year-end: pd.year.demo.ts) add Bhopal accounts of their own.
    expect(mine.map((a) => a.id)).toEqual(expect.arrayContaining([1, 2]));
    expect(mine.map((a) => a.id)).not.toContain(3);
    expect((await treasury.get('/api/v1/pd/accounts/3')).statusCode).toBe(404);
    expect(((await finance.get('/api/v1/pd/accounts')).json().items as { id: number }[]).map((a) => a.id)).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it('requires a login', async () => {
    expect((await t.anon.get('/api/v1/pd/accounts')).statusCode).toBe(401);
  });
});

describe('the ledger (bar M3)', () => {
  it('refuses UPDATE and DELETE of entries and postings in the database itself', async () => {
    const db = t.database.db;
    expect(await refusal(db.execute(sql`update pd_entries set amount_paise = amount_paise + 1 where id = (select min(id) from pd_entries)`))).toMatch(
      /ROAMS_IMMUTABLE/,
    );
    expect(await refusal(db.execute(sql`delete from pd_entries where id = (select min(id) from pd_entries)`))).toMatch(/ROAMS_IMMUTABLE/);
    expect(await refusal(db.execute(sql`update pd_postings set value_date = '2026-01-01' where id = (select min(id) from pd_postings)`))).toMatch(
      /ROAMS_IMMUTABLE/,
    );
    expect(await refusal(db.execute(sql`delete from pd_postings where id = (select min(id) from pd_postings)`))).toMatch(/ROAMS_IMMUTABLE/);
  });

  it('refuses a posting whose entries do not sum to zero, at commit', async () => {
    const before = await dbFingerprint(t.database);
    const text = await refusal(
      t.database.db.transaction(async (tx) => {
        const [p] = (
          await tx.execute<{ id: number }>(
            sql`insert into pd_postings (account_id, line_id, kind, value_date, created_at) values (1, ${acct.lines[0]!.id}, 'deposit', '2026-11-20', now()) returning id`,
          )
        ).rows;
        await tx.execute(
          sql`insert into pd_entries (posting_id, line_id, ledger_account, amount_paise) values (${p!.id}, ${acct.lines[0]!.id}, 'line_available', 500)`,
        );
      }),
    );
    expect(text).toMatch(/ROAMS_UNBALANCED/);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('has every demo posting balanced, and the stored balances equal those derived from the entries', async () => {
    const unbalanced = await q(sql`select posting_id from pd_entries group by posting_id having sum(amount_paise) <> 0`);
    expect(unbalanced).toEqual([]);
    const drift = await q(sql`
      select l.id from pd_lines l
       where l.available_paise <> coalesce((select sum(amount_paise) from pd_entries e where e.line_id = l.id and e.ledger_account = 'line_available'), 0)
          or l.reserved_paise <> coalesce((select sum(amount_paise) from pd_entries e where e.line_id = l.id and e.ledger_account = 'line_reserved'), 0)`);
    expect(drift).toEqual([]);
  });
});

describe('deposits', () => {
  it('takes a book transfer from the budget line registered on the line (consolidated fund)', async () => {
    const line = acct.lines[1]!;
    const r = await treasury.post('/api/v1/pd/accounts/1/deposits', {
      lineId: line.id,
      amountPaise: 12_345,
      mode: 'book_transfer',
      sourceBudgetLineId: line.budgetLineId,
      reference: 'BT/2026/77',
      valueDate: '2026-11-21',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect((r.json() as TPdAccount).lines.find((l) => l.id === line.id)!.availablePaise).toBe(line.availablePaise + 12_345);
  });

  it('refuses a source not registered on the line, a challan into a consolidated-fund account, and a line of another account — saving nothing', async () => {
    const before = await dbFingerprint(t.database);
    const line = acct.lines[0]!;
    const other = acct.lines[1]!;
    const base = { lineId: line.id, amountPaise: 1000, mode: 'book_transfer', reference: 'BT/X', valueDate: '2026-11-21' };
    const r1 = await treasury.post('/api/v1/pd/accounts/1/deposits', { ...base, sourceBudgetLineId: other.budgetLineId });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().code).toBe('pd_source_not_registered');
    expect(r1.json().errors[0].field).toBe('sourceBudgetLineId');
    const r2 = await treasury.post('/api/v1/pd/accounts/1/deposits', { ...base, mode: 'challan' });
    expect(r2.json().code).toBe('pd_deposit_mode_invalid');
    const a2 = (await treasury.get('/api/v1/pd/accounts/2')).json() as TPdAccount;
    const r3 = await treasury.post('/api/v1/pd/accounts/1/deposits', { ...base, lineId: a2.lines[0]!.id, sourceBudgetLineId: line.budgetLineId });
    expect(r3.json().code).toBe('pd_line_not_on_account');
    for (const amountPaise of [0, -5, 10.5]) {
      const r = await treasury.post('/api/v1/pd/accounts/1/deposits', { ...base, amountPaise, sourceBudgetLineId: line.budgetLineId });
      expect(r.statusCode).toBe(400);
      expect(r.json().errors[0].field).toBe('amountPaise');
    }
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('takes a challan into an other-than-consolidated account', async () => {
    const a2 = (await treasury.get('/api/v1/pd/accounts/2')).json() as TPdAccount;
    const r = await treasury.post('/api/v1/pd/accounts/2/deposits', {
      lineId: a2.lines[1]!.id,
      amountPaise: 50_000,
      mode: 'challan',
      reference: '9911/2026',
      valueDate: '2026-11-22',
    });
    expect(r.statusCode, r.body).toBe(201);
    const bad = await treasury.post('/api/v1/pd/accounts/2/deposits', {
      lineId: a2.lines[1]!.id,
      amountPaise: 50_000,
      mode: 'book_transfer',
      reference: '9912',
      valueDate: '2026-11-22',
    });
    expect(bad.json().code).toBe('pd_deposit_mode_invalid');
  });
});

describe('e-cheques', () => {
  it('reserves the amount on the line when prepared; refuses bad amounts and payee details naming the field', async () => {
    const lineId = await freshLine(100_000);
    const r = await prepare(admin, 1, vendor(lineId, 30_000));
    expect(r.statusCode, r.body).toBe(201);
    expect((r.json() as TEcheque).state).toBe('prepared');
    expect((r.json() as TEcheque).payeeAccountNo).toMatch(/^X+[0-9]{4}$/);
    expect((r.json() as TEcheque).vendorId).toBe(vendorId);
    expect(await lineOf(lineId)).toEqual({ available: 70_000, reserved: 30_000 });

    const before = await dbFingerprint(t.database);
    for (const [body, field] of [
      [vendor(lineId, 0), 'amountPaise'],
      [vendor(lineId, -100), 'amountPaise'],
      [vendor(lineId, 99.5), 'amountPaise'],
      [vendor(lineId, 100, { vendorId: 0 }), 'vendorId'],
      // Free payee details are no longer taken for a vendor: the payee comes from the vendor master.
      [vendor(lineId, 100, { payeeAccountNo: '123456789012' }), 'payeeAccountNo'],
    ] as const) {
      const b = await prepare(admin, 1, body);
      expect(b.statusCode, JSON.stringify(body)).toBe(400);
      expect(b.json().errors[0].field).toBe(field);
    }
    const over = await prepare(admin, 1, vendor(lineId, 70_001));
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('pd_insufficient_balance');
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('is idempotent on its key (bar M1): same key → same e-cheque, other payload → 422, no key → 400; 20 identical requests in parallel make one', async () => {
    const lineId = await freshLine(100_000);
    expect((await prepare(admin, 1, vendor(lineId, 1000), null)).json().code).toBe('idempotency_key_required');
    const k = key();
    const first = await prepare(admin, 1, vendor(lineId, 1000), k);
    const again = await prepare(admin, 1, vendor(lineId, 1000), k);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await prepare(admin, 1, vendor(lineId, 2000), k);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');

    const k2 = key();
    const all = await Promise.all(Array.from({ length: 20 }, () => prepare(admin, 1, vendor(lineId, 500), k2)));
    expect(all.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(all.map((r) => r.json().id)).size).toBe(1);
    const [n] = await q<{ n: number }>(sql`select count(*)::int as n from pd_echeques where idempotency_key = ${k2}`);
    expect(n!.n).toBe(1);
    expect(await lineOf(lineId)).toEqual({ available: 100_000 - 1000 - 500, reserved: 1500 });
  });

  it('never overdraws under concurrency (bar M4): 50 e-cheques at once against money for 10 → exactly 10 succeed', async () => {
    const lineId = await freshLine(10 * 7_000);
    const all = await Promise.all(Array.from({ length: 50 }, () => prepare(admin, 1, vendor(lineId, 7_000))));
    const codes = all.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201).length).toBe(10);
    expect(codes.filter((c) => c === 409).length).toBe(40);
    for (const r of all.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('pd_insufficient_balance');
    expect(await lineOf(lineId)).toEqual({ available: 0, reserved: 70_000 });
    const [n] = await q<{ n: number }>(sql`select count(*)::int as n from pd_echeques where line_id = ${lineId}`);
    expect(n!.n).toBe(10);
  }, 60_000);

  it('goes to the treasury worklist; the officer passes one (paid out) and returns one (reservation released); twice is 409', async () => {
    const lineId = await freshLine(50_000);
    const a = (await prepare(admin, 1, vendor(lineId, 20_000))).json() as TEcheque;
    const b = (
      await prepare(admin, 1, { payeeKind: 'book_transfer', lineId, amountPaise: 10_000, payeeName: 'Treasury', headOfAccount: '0070-60-800' })
    ).json() as TEcheque;
    // Not on the worklist until an approved advice sends them (seed 004 para 3(6)).
    expect(((await treasury.get('/api/v1/pd/echeques?state=prepared')).json().items as TEcheque[]).map((e) => e.id)).not.toContain(a.id);
    await approveInAdvice(t.database.db, [a.id, b.id]);
    const work = (await treasury.get('/api/v1/pd/echeques?state=prepared')).json().items as TEcheque[];
    expect(work.map((e) => e.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    // The BT worklist has the book transfers only; the vendor worklist the rest.
    const bt = (await treasury.get('/api/v1/pd/echeques?state=prepared&payeeKind=book_transfer')).json().items as TEcheque[];
    expect(bt.map((e) => e.id)).toContain(b.id);
    expect(bt.every((e) => e.payeeKind === 'book_transfer')).toBe(true);
    const vendors = (await treasury.get('/api/v1/pd/echeques?state=prepared&payeeKind=vendor')).json().items as TEcheque[];
    expect(vendors.map((e) => e.id)).toContain(a.id);
    expect(vendors.map((e) => e.id)).not.toContain(b.id);
    expect(((await admin.get('/api/v1/pd/echeques')).json().items as TEcheque[]).every((e) => e.accountId === 1)).toBe(true);

    expect((await admin.post(`/api/v1/pd/echeques/${a.id}/pass`, {})).statusCode).toBe(403);
    // The treasury officer confirms with the second factor (bar A5): without a code, nothing moves.
    const noCode = await treasury.post(`/api/v1/pd/echeques/${a.id}/pass`, {});
    expect(noCode.statusCode).toBe(403);
    expect(noCode.json().code).toBe('step_up_required');
    const code = await t.stepUpCode(treasury);
    const wrong = await treasury.post(`/api/v1/pd/echeques/${a.id}/pass`, { otp: String((Number(code) + 1) % 1_000_000).padStart(6, '0') });
    expect(wrong.json().code).toBe('otp_invalid');
    const passed = await treasury.post(`/api/v1/pd/echeques/${a.id}/pass`, { otp: code });
    expect(passed.statusCode, passed.body).toBe(200);
    expect(passed.json().state).toBe('passed');
    const twice = await treasury.post(`/api/v1/pd/echeques/${a.id}/pass`, { otp: code });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('pd_echeque_not_pending');
    // The code was used for that e-cheque's decision: it cannot pass another.
    const reused = await treasury.post(`/api/v1/pd/echeques/${b.id}/return`, { reason: 'Head of account is wrong', otp: code });
    expect(reused.json().code).toBe('otp_expired');

    const noReason = await treasury.post(`/api/v1/pd/echeques/${b.id}/return`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const ret = await treasury.post(`/api/v1/pd/echeques/${b.id}/return`, { reason: 'Head of account is wrong', otp: await t.stepUpCode(treasury) });
    expect(ret.json()).toMatchObject({ state: 'returned', returnReason: 'Head of account is wrong' });
    expect(await lineOf(lineId)).toEqual({ available: 30_000, reserved: 0 });

    const today = todayIst(t.clock.now());
    const st = (await admin.get(`/api/v1/pd/accounts/1/statement?from=2026-04-01&to=${today}`)).json() as TStatement;
    const l = st.lines.find((x) => x.lineId === lineId)!;
    expect(l).toMatchObject({ openingPaise: 0, depositsPaise: 50_000, withdrawalsPaise: 20_000, closingPaise: 30_000 });
    const [audit] = await q<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'pd_echeque' and entity_id in (${String(a.id)}, ${String(b.id)})`,
    );
    expect(audit!.n).toBe(4);
  });

  it('lets nobody approve what they prepared (bar A3), even holding both roles', async () => {
    const lineId = await freshLine(5_000);
    const e = (await prepare(admin, 1, vendor(lineId, 5_000))).json() as TEcheque;
    const [u] = await q<{ user_id: number; scope_id: number }>(sql`select a.user_id, t.scope_id from role_assignments a, role_assignments t
      where a.role = 'pd_admin' and t.role = 'treasury_officer' and a.scope_id = 1 limit 1`);
    const actor = {
      userId: Number(u!.user_id),
      name: 'Both',
      assignmentId: 0,
      role: 'treasury_officer' as const,
      scopeKind: 'treasury' as const,
      scopeId: Number(u!.scope_id),
    };
    const ctx = { actor, ip: '', locale: 'en' as const, now: t.clock.now() };
    await approveInAdvice(t.database.db, [e.id]);
    await expect(decideEcheque(t.database.db, ctx, e.id, { pass: true })).rejects.toEqual(new AppError('maker_checker'));
    // And the database's own check, should a service forget.
    expect(
      await refusal(t.database.db.execute(sql`update pd_echeques set state = 'passed', decided_by = prepared_by, decided_at = now() where id = ${e.id}`)),
    ).toMatch(/pd_echeques_maker_checker/);
    expect(await lineOf(lineId)).toEqual({ available: 0, reserved: 5_000 });
  });
});

describe('corrections are reversals (bar M3)', () => {
  it('reverses a deposit by a new posting of opposite entries, once; never below what is reserved', async () => {
    const lineId = await freshLine(0);
    const dep = async (paise: number) => {
      const r = await treasury.post('/api/v1/pd/accounts/1/deposits', {
        lineId,
        amountPaise: paise,
        mode: 'book_transfer',
        sourceBudgetLineId: (await q<{ b: number }>(sql`select budget_line_id as b from pd_lines where id = ${lineId}`))[0]!.b,
        reference: `REV/${paise}`,
        valueDate: '2026-11-20',
      });
      expect(r.statusCode, r.body).toBe(201);
      const [p] = await q<{ id: number }>(sql`select max(id) as id from pd_postings where line_id = ${lineId} and kind = 'deposit'`);
      return Number(p!.id);
    };
    const wrong = await dep(9_000);
    const right = await dep(4_000);
    expect((await admin.post(`/api/v1/pd/deposits/${wrong}/reverse`, { reason: 'Entered twice' })).statusCode).toBe(403);
    const r = await treasury.post(`/api/v1/pd/deposits/${wrong}/reverse`, { reason: 'Entered twice' });
    expect(r.statusCode, r.body).toBe(200);
    expect(await lineOf(lineId)).toEqual({ available: 4_000, reserved: 0 });
    const [orig] = await q<{ n: number }>(sql`select count(*)::int as n from pd_entries where posting_id = ${wrong}`);
    expect(orig!.n).toBe(2);
    const again = await treasury.post(`/api/v1/pd/deposits/${wrong}/reverse`, { reason: 'Entered twice' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('pd_already_reversed');

    // The remaining ₹40 is reserved by an e-cheque: its deposit can no longer be reversed.
    expect((await prepare(admin, 1, vendor(lineId, 4_000))).statusCode).toBe(201);
    const before = await dbFingerprint(t.database);
    const blocked = await treasury.post(`/api/v1/pd/deposits/${right}/reverse`, { reason: 'Entered in error' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('pd_insufficient_balance');
    expect(await dbFingerprint(t.database)).toBe(before);
    const st = (await admin.get(`/api/v1/pd/accounts/1/statement?from=2026-04-01&to=${todayIst(t.clock.now())}`)).json() as TStatement;
    expect(st.lines.find((x) => x.lineId === lineId)).toMatchObject({ depositsPaise: 13_000, withdrawalsPaise: 9_000, closingPaise: 4_000 });
  });
});

describe('atomic postings (bar M5)', () => {
  // Each money action writes several statements in one transaction: the e-cheque row, the
  // posting, its entries (which move the stored balance), the audit entry. A fault injected at
  // each of them in turn (a trigger that raises) must leave nothing behind.
  const STEPS = [
    ['pd_echeques', 'INSERT'],
    ['pd_postings', 'INSERT'],
    ['pd_entries', 'INSERT'],
    ['audit_log', 'INSERT'],
  ] as const;

  async function withFault<T>(table: string, run: () => Promise<T>): Promise<T> {
    const db = t.database.db;
    await db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION pd_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`),
    );
    await db.execute(sql.raw(`CREATE TRIGGER pd_test_fault BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION pd_test_fault()`));
    try {
      return await run();
    } finally {
      await db.execute(sql.raw(`DROP TRIGGER pd_test_fault ON ${table}`));
    }
  }

  it('leaves no partial e-cheque, posting or balance when preparing fails at any statement', async () => {
    const lineId = await freshLine(10_000);
    for (const [table] of STEPS) {
      const before = await dbFingerprint(t.database);
      const r = await withFault(table, () => prepare(admin, 1, vendor(lineId, 3_000)));
      expect(r.statusCode, table).toBe(500);
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
    expect(await lineOf(lineId)).toEqual({ available: 10_000, reserved: 0 });
  });

  it('leaves the e-cheque prepared and the reservation in place when passing fails at any statement', async () => {
    const lineId = await freshLine(10_000);
    const e = (await prepare(admin, 1, vendor(lineId, 3_000))).json() as TEcheque;
    await approveInAdvice(t.database.db, [e.id]);
    // One code for every attempt: a pass that fails leaves the code unused too (it is consumed in the pass's transaction).
    const otp = await t.stepUpCode(treasury);
    for (const [table] of STEPS.slice(1)) {
      const before = await dbFingerprint(t.database);
      const r = await withFault(table, () => treasury.post(`/api/v1/pd/echeques/${e.id}/pass`, { otp }));
      expect(r.statusCode, table).toBe(500);
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
    expect((await treasury.post(`/api/v1/pd/echeques/${e.id}/pass`, { otp })).statusCode).toBe(200);
    expect(await lineOf(lineId)).toEqual({ available: 7_000, reserved: 0 });
  });
});
