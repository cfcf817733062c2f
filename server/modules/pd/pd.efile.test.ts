import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TEfile, TEfileSummary, TScrollResult } from '../../../shared/contracts/pd-efile.ts';
import { AppError, guardRefusal } from '../../platform/errors.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { type EfileActors, efileActors, officerCtx as officerOf, passedEcheques, type PayeeSpec } from './pd.efile.fixtures.ts';
import { scrollHeaderLine, scrollLine } from './pd.efile.rules.ts';
import { generateEfile } from './pd.efile.ts';

/**
 * The e-file to the bank and the bank's scroll (issue 18 items 4–5, docs/PD-EFILE.md) through the
 * API, on PGlite and on PostgreSQL (TEST_DATABASE_URL): who sees which e-file; generation from
 * passed vendor e-cheques only, idempotent (bar M1), never putting an e-cheque in two e-files even
 * at the same moment; the scroll checked as a whole (each bad input refused naming its row,
 * nothing saved), discharging and failing e-cheques once; the banker's cheque for a failed one;
 * the database's guard on the e-cheque's states. Demo data: pd.efile.demo.ts.
 */
let t: TestApp;
let treasury: Client; // treasury_bhopal
let admin: Client; // pd_admin
let finance: Client; // finance_admin
let ids: EfileActors;

const key = () => `k-${randomBytes(8).toString('hex')}`;
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  }
}

let seq = 0;
const vendorPayee = (paise: number): PayeeSpec => ({ name: `Vendor ${++seq}`, accountNo: `5010000${String(1000 + seq)}`, ifsc: 'SBIN0001308', paise });

/** Passed vendor e-cheques on PD account 1's first line (Bhopal), prepared by pd_admin, passed by treasury_bhopal. */
async function passed(...paise: number[]): Promise<number[]> {
  const [line] = await q<{ id: number }>(sql`select id from pd_lines where account_id = 1 order by id limit 1`);
  return passedEcheques(t.database.db, {
    accountId: 1,
    lineId: line!.id,
    makerId: ids.maker,
    checkerId: ids.checker,
    now: t.clock.now(),
    keyPrefix: key(),
    payees: paise.map(vendorPayee),
  });
}

const officerCtx = () => officerOf(ids, t.clock.now());
async function efileOf(...paise: number[]): Promise<TEfile> {
  return (await generateEfile(t.database.db, officerCtx(), key(), { echequeIds: await passed(...paise) })).efile;
}

function generate(c: Client, body: unknown, k: string | null = key()) {
  return c.request({ method: 'POST', url: '/api/v1/pd/efiles', payload: body as object, headers: k === null ? {} : { 'idempotency-key': k } });
}
const upload = (c: Client, efileId: number, text: string | Buffer, fileName = 'scroll.csv') =>
  c.post(`/api/v1/pd/efiles/${efileId}/scroll`, { fileName, contentBase64: Buffer.from(text).toString('base64') });

type Row = { id: number; paise: number; paid?: boolean; reason?: string; ref?: string; efileNo?: string };
const scrollOf = (f: TEfile, rows: Row[]) =>
  scrollHeaderLine() +
  rows
    .map((r) =>
      scrollLine({
        efileNo: r.efileNo ?? f.fileNo,
        echequeId: r.id,
        amountPaise: r.paise,
        outcome: r.paid === false ? 'failed' : 'paid',
        bankRef: r.paid === false ? '' : (r.ref ?? `UTR${r.id}000111`),
        valueDate: '2026-11-25',
        reason: r.paid === false ? (r.reason ?? 'Account closed') : '',
      }),
    )
    .join('');
const itemRows = (f: TEfile, paid: (i: number) => boolean = () => true): Row[] =>
  f.items.map((i, n) => ({ id: i.echeque.id, paise: i.echeque.amountPaise, paid: paid(n) }));

async function stateOf(id: number): Promise<string> {
  return (await q<{ state: string }>(sql`select state from pd_echeques where id = ${id}`))[0]!.state;
}
const ledgerSize = async () => Number((await q<{ n: string }>(sql`select count(*) as n from pd_entries`))[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  treasury = await t.login('treasury_bhopal');
  admin = await t.login('pd_admin');
  finance = await t.login('finance_admin');
  ids = await efileActors(t.database.db);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the demo: every state for the Bhopal treasury officer', () => {
  it("lists the treasury's e-files only — one reconciled (with a failed e-cheque and its banker's cheque), one awaiting its scroll", async () => {
    const r = await treasury.get('/api/v1/pd/efiles');
    expect(r.statusCode, r.body).toBe(200);
    const items = r.json().items as TEfileSummary[];
    expect(items.map((f) => f.status).sort()).toEqual(['awaiting_scroll', 'reconciled']);
    const done = items.find((f) => f.status === 'reconciled')!;
    expect(done.totals).toMatchObject({ sentCount: 3, dischargedCount: 2, failedCount: 1, outstandingCount: 0, bankersChequeCount: 1 });
    expect(done.totals.sentPaise).toBe(done.totals.dischargedPaise + done.totals.failedPaise);
    // Passed vendor e-cheques await an e-file.
    const waiting = (await treasury.get('/api/v1/pd/echeques?state=passed&payeeKind=vendor')).json().items as unknown[];
    expect(waiting.length).toBeGreaterThanOrEqual(2);
  });

  it("keeps another treasury's e-file from its officer and the PD administrator; Finance and the state see all", async () => {
    expect((await treasury.get('/api/v1/pd/efiles/1')).statusCode).toBe(404);
    expect((await treasury.get('/api/v1/pd/efiles/1/file')).statusCode).toBe(404);
    expect((await admin.get('/api/v1/pd/efiles')).json().items).toEqual([]);
    expect((await admin.get('/api/v1/pd/efiles/2')).statusCode).toBe(404);
    expect(((await finance.get('/api/v1/pd/efiles')).json().items as unknown[]).length).toBe(3);
    expect((await t.anon.get('/api/v1/pd/efiles')).statusCode).toBe(401);
  });

  it("shows the PD administrator the banker's cheque recorded against its account, and no other account's", async () => {
    const mine = await admin.get('/api/v1/pd/accounts/1/bankers-cheques');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toEqual([
      expect.objectContaining({ chequeNo: '604512', reason: 'Beneficiary account closed', payeeName: 'Ramesh Kumar Ahirwar' }),
    ]);
    expect((await admin.get('/api/v1/pd/accounts/3/bankers-cheques')).statusCode).toBe(404);
    expect((await treasury.get('/api/v1/pd/accounts/3/bankers-cheques')).statusCode).toBe(404);
  });
});

describe('generating an e-file', () => {
  it('sends the chosen passed vendor e-cheques in a documented file, moves them to in_efile, audits it, and moves no PD money', async () => {
    const chosen = await passed(123_456, 78_900);
    const ledger = await ledgerSize();
    const r = await generate(treasury, { echequeIds: chosen, otp: await t.stepUpCode(treasury) });
    expect(r.statusCode, r.body).toBe(201);
    const f = r.json() as TEfile;
    expect(f.status).toBe('awaiting_scroll');
    expect(f.totals).toMatchObject({ sentCount: 2, sentPaise: 202_356, outstandingCount: 2, outstandingPaise: 202_356 });
    for (const id of chosen) expect(await stateOf(id)).toBe('in_efile');
    expect(await ledgerSize()).toBe(ledger);
    const audit = await q<{ n: string }>(
      sql`select count(*) as n from audit_log where entity = 'pd_efile' and entity_id = ${String(f.id)} and action = 'generate'`,
    );
    expect(Number(audit[0]!.n)).toBe(1);

    // The file: header, one line per e-cheque in number order, trailer with count, total and the details' SHA-256.
    const d = await treasury.get(`/api/v1/pd/efiles/${f.id}/file`);
    expect(d.statusCode).toBe(200);
    expect(d.headers['content-type']).toMatch(/text\/csv/);
    expect(d.headers['content-disposition']).toContain(f.fileNo);
    const lines = d.body.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(new RegExp(`^H,PDEFILE,1,${f.fileNo},[^,]+,\\d{4}-\\d{2}-\\d{2},2,202356$`));
    expect(lines[1]).toMatch(new RegExp(`^D,1,${chosen[0]},[^,]+,Vendor \\d+,5010000\\d+,SBIN0001308,123456$`));
    expect(lines[2]).toMatch(new RegExp(`^D,2,${chosen[1]},`));
    const digest = createHash('sha256').update(`${lines[1]}\n${lines[2]}\n`).digest('hex');
    expect(lines[3]).toBe(`T,2,202356,${digest}`);
    expect(createHash('sha256').update(d.body).digest('hex')).toBe(f.sha256);
  });

  it('refuses a book transfer, an e-cheque not passed, one of another treasury, a missing key or code — saving nothing', async () => {
    const [bt] = await q<{ id: number }>(sql`select id from pd_echeques where payee_kind = 'book_transfer' and state = 'passed' limit 1`);
    const [prep] = await q<{ id: number }>(sql`select id from pd_echeques where state = 'prepared' and payee_kind = 'vendor' and account_id = 1 limit 1`);
    const [good] = await passed(5_000);
    const before = await dbFingerprint(t.database);
    const codeOf = async (body: unknown, k?: string | null) => (await generate(treasury, body, k)).json().code;
    expect(await codeOf({ echequeIds: [good!, bt!.id] })).toBe('pd_echeque_book_transfer');
    expect(await codeOf({ echequeIds: [good!, prep!.id] })).toBe('pd_echeque_not_passed');
    expect((await generate(treasury, { echequeIds: [good!, 1] })).statusCode).toBe(404);
    expect((await generate(treasury, { echequeIds: [good!] }, null)).statusCode).toBe(400);
    expect(await codeOf({ echequeIds: [good!] })).toBe('step_up_required');
    expect((await generate(treasury, { echequeIds: [] })).statusCode).toBe(400);
    expect((await generate(admin, { echequeIds: [good!] })).statusCode).toBe(403);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('lets nobody send to the bank an e-cheque they prepared (bar A3)', async () => {
    const [e] = await passed(4_000);
    const ctx = officerCtx();
    const both = { ...ctx, actor: { ...ctx.actor!, userId: ids.maker } };
    await expect(generateEfile(t.database.db, both, key(), { echequeIds: [e!] })).rejects.toEqual(new AppError('maker_checker'));
    expect(await stateOf(e!)).toBe('passed');
  });

  it('is idempotent (bar M1): same key → same e-file, other payload → 422; 20 identical requests at once make one e-file', async () => {
    const chosen = await passed(1_100, 2_200);
    const k = key();
    const otp = await t.stepUpCode(treasury);
    const first = await generate(treasury, { echequeIds: chosen, otp }, k);
    expect(first.statusCode, first.body).toBe(201);
    const again = await generate(treasury, { echequeIds: [...chosen].reverse(), otp }, k);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const [other] = await passed(3_300);
    expect((await generate(treasury, { echequeIds: [other!], otp }, k)).json().code).toBe('idempotency_key_reused');

    const many = await passed(700, 800, 900);
    const k2 = key();
    const otp2 = await t.stepUpCode(treasury);
    const all = await Promise.all(Array.from({ length: 20 }, () => generate(treasury, { echequeIds: many, otp: otp2 }, k2)));
    expect(all.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(all.map((r) => r.json().id)).size).toBe(1);
    expect(Number((await q<{ n: string }>(sql`select count(*) as n from pd_efiles where idempotency_key = ${k2}`))[0]!.n)).toBe(1);
  });

  it('never puts an e-cheque in two e-files: two generations of the same e-cheques at once → one succeeds, the other is 409', async () => {
    const chosen = await passed(10_000, 20_000, 30_000);
    const o2 = await t.stepUpCode(treasury);
    const [a, b] = await Promise.all([
      generate(treasury, { echequeIds: chosen, otp: o2 }),
      generateEfile(t.database.db, officerCtx(), key(), { echequeIds: chosen }).then(
        () => 201,
        (e: AppError) => e.status,
      ),
    ]);
    expect([a.statusCode, b].sort()).toEqual([201, 409]);
    const rows = await q<{ echeque_id: number; n: string }>(
      sql`select echeque_id, count(*) as n from pd_efile_items where echeque_id in (${sql.join(chosen, sql`, `)}) group by echeque_id`,
    );
    expect(rows.map((r) => Number(r.n))).toEqual([1, 1, 1]);
    // And the database itself refuses a second e-file row for an e-cheque.
    const [f] = await q<{ efile_id: number }>(sql`select efile_id from pd_efile_items where echeque_id = ${chosen[0]!}`);
    expect(
      await refusal(
        t.database.db.execute(sql`insert into pd_efile_items (efile_id, seq, echeque_id, amount_paise) values (${f!.efile_id}, 99, ${chosen[0]!}, 1)`),
      ),
    ).toMatch(/pd_efile_items_echeque_uq/);
  });
});

describe("the database's guard on the e-cheque's states after pass", () => {
  it('allows only passed → in_efile (vendor) → discharged | failed, answered as 409', async () => {
    const [p] = await passed(1_000);
    const f = await efileOf(2_000);
    const inFile = f.items[0]!.echeque.id;
    const [bt] = await q<{ id: number }>(sql`select id from pd_echeques where payee_kind = 'book_transfer' and state = 'passed' limit 1`);
    const set = (id: number, state: string) => refusal(t.database.db.execute(sql`update pd_echeques set state = ${state} where id = ${id}`));
    expect(await set(p!, 'discharged')).toMatch(/ROAMS_PD_TRANSITION/);
    expect(await set(p!, 'failed')).toMatch(/ROAMS_PD_TRANSITION/);
    expect(await set(bt!.id, 'in_efile')).toMatch(/ROAMS_PD_TRANSITION/);
    expect(await set(inFile, 'passed')).toMatch(/ROAMS_PD_TRANSITION/);
    expect(await set(inFile, 'returned')).toMatch(/ROAMS_PD_TRANSITION/);
    expect(await set(inFile, 'discharged')).toBe('');
    expect(await set(inFile, 'failed')).toMatch(/ROAMS_PD_TRANSITION/);
    expect(await set(inFile, 'in_efile')).toMatch(/ROAMS_PD_TRANSITION/);
    const err = await t.database.db.execute(sql`update pd_echeques set state = 'in_efile' where id = ${inFile}`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(guardRefusal(err)?.code).toBe('pd_echeque_transition');
    expect(guardRefusal(err)?.status).toBe(409);
    // What an e-file recorded is never changed.
    expect(await refusal(t.database.db.execute(sql`update pd_efiles set total_paise = 1 where id = ${f.id}`))).toMatch(/ROAMS_IMMUTABLE/);
    expect(await refusal(t.database.db.execute(sql`delete from pd_efile_items where efile_id = ${f.id}`))).toMatch(/ROAMS_IMMUTABLE/);
  });
});

describe("the bank's scroll", () => {
  it('discharges the paid e-cheques and fails the others with the bank’s reason; the same file again changes nothing', async () => {
    const f = await efileOf(11_000, 22_000, 33_000);
    const ledger = await ledgerSize();
    const text = scrollOf(
      f,
      itemRows(f, (n) => n !== 1).map((r) => (r.paid === false ? { ...r, reason: 'Invalid account, returned by beneficiary bank' } : r)),
    );
    const r = await upload(treasury, f.id, text);
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json() as TScrollResult;
    expect(res).toMatchObject({ replayed: false, paid: 2, failed: 1 });
    expect(res.efile.status).toBe('reconciled');
    expect(res.efile.totals).toMatchObject({ dischargedCount: 2, dischargedPaise: 44_000, failedCount: 1, failedPaise: 22_000, outstandingCount: 0 });
    expect(res.efile.items[1]!.reason).toBe('Invalid account, returned by beneficiary bank');
    expect(res.efile.items[0]!.echeque.state).toBe('discharged');
    expect(res.efile.items[0]!.bankRef).toMatch(/^UTR/);
    expect(await ledgerSize()).toBe(ledger);

    const before = await dbFingerprint(t.database);
    const again = await upload(treasury, f.id, text, 'same-again.csv');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, scrollId: res.scrollId, paid: 2, failed: 1 });
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('takes a scroll in parts: what it leaves out stays outstanding', async () => {
    const f = await efileOf(1_234, 5_678);
    const r = await upload(treasury, f.id, scrollOf(f, itemRows(f).slice(0, 1)));
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as TScrollResult).efile).toMatchObject({ status: 'part_reconciled', totals: { outstandingCount: 1, outstandingPaise: 5_678 } });
  });

  describe('refuses a bad scroll whole, naming the row, saving nothing', () => {
    let f: TEfile;
    let other: TEfile;
    let settled: { id: number; paise: number; efileNo: string };
    beforeAll(async () => {
      f = await efileOf(41_000, 42_000);
      other = await efileOf(43_000);
      const done = await efileOf(44_000);
      expect((await upload(treasury, done.id, scrollOf(done, itemRows(done)))).statusCode).toBe(200);
      settled = { id: done.items[0]!.echeque.id, paise: 44_000, efileNo: done.fileNo };
    });
    const good = () => itemRows(f);
    const expectRefused = async (text: string | Buffer, code: string, row: number | null, fieldCode?: string) => {
      const before = await dbFingerprint(t.database);
      const r = await upload(treasury, f.id, text);
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe(code);
      if (fieldCode) {
        const errs = r.json().errors as { code: string; params: { row: number }; message: string }[];
        expect(errs.map((e) => e.code)).toContain(fieldCode);
        const e = errs.find((x) => x.code === fieldCode)!;
        if (row !== null) {
          expect(e.params.row).toBe(row);
          expect(e.message).toContain(String(row));
        }
      }
      expect(await dbFingerprint(t.database)).toBe(before);
      for (const i of f.items) expect(await stateOf(i.echeque.id)).toBe('in_efile');
    };

    it('an unknown e-cheque', async () => {
      await expectRefused(scrollOf(f, [...good(), { id: 2_000_000_000, paise: 100 }]), 'pd_scroll_has_errors', 4, 'scroll_unknown_echeque');
    });
    it("an e-cheque of another treasury is unknown too (no existence leak): e-cheque 1 is Indore's", async () => {
      await expectRefused(scrollOf(f, [...good(), { id: 1, paise: 100 }]), 'pd_scroll_has_errors', 4, 'scroll_unknown_echeque');
    });
    it('an e-cheque not in this e-file', async () => {
      const o = other.items[0]!.echeque;
      await expectRefused(scrollOf(f, [{ id: o.id, paise: o.amountPaise }, ...good()]), 'pd_scroll_has_errors', 2, 'scroll_not_in_efile');
    });
    it('a row naming another e-file', async () => {
      await expectRefused(
        scrollOf(
          f,
          good().map((r, i) => (i === 1 ? { ...r, efileNo: other.fileNo } : r)),
        ),
        'pd_scroll_has_errors',
        3,
        'scroll_not_in_efile',
      );
    });
    it('an e-cheque no longer in_efile (already discharged)', async () => {
      const text =
        scrollOf(f, good()) +
        scrollLine({
          efileNo: settled.efileNo,
          echequeId: settled.id,
          amountPaise: settled.paise,
          outcome: 'paid',
          bankRef: 'UTR998877',
          valueDate: '2026-11-25',
          reason: '',
        });
      await expectRefused(text, 'pd_scroll_has_errors', 4, 'scroll_not_in_efile');
      // Against its own e-file, the settled e-cheque is "not awaiting the bank".
      const before = await dbFingerprint(t.database);
      const mine =
        scrollHeaderLine() +
        scrollLine({
          efileNo: settled.efileNo,
          echequeId: settled.id,
          amountPaise: settled.paise,
          outcome: 'failed',
          bankRef: '',
          valueDate: '',
          reason: 'Late',
        });
      const [doneId] = await q<{ efile_id: number }>(sql`select efile_id from pd_efile_items where echeque_id = ${settled.id}`);
      const r = await upload(treasury, doneId!.efile_id, mine);
      expect(r.statusCode).toBe(422);
      expect(r.json().errors[0]).toMatchObject({ code: 'scroll_not_outstanding', params: { row: 2 } });
      expect(await dbFingerprint(t.database)).toBe(before);
    });
    it('a duplicate row', async () => {
      const g = good();
      await expectRefused(scrollOf(f, [...g, g[0]!]), 'pd_scroll_has_errors', 4, 'scroll_duplicate_row');
    });
    it('an amount that differs', async () => {
      await expectRefused(
        scrollOf(
          f,
          good().map((r, i) => (i === 0 ? { ...r, paise: r.paise + 1 } : r)),
        ),
        'pd_scroll_has_errors',
        2,
        'scroll_amount_differs',
      );
    });
    it('a malformed line: bad status, too few fields, a paid row without its bank reference, a broken quote', async () => {
      const base = scrollOf(f, good());
      await expectRefused(base.replace(',PAID,', ',MAYBE,'), 'pd_scroll_has_errors', 2, 'scroll_malformed');
      await expectRefused(`${base}${f.fileNo},${f.items[0]!.echeque.id},100\n`, 'pd_scroll_has_errors', 4, 'scroll_field_count');
      await expectRefused(base.replace(/UTR\d+000111/, ''), 'pd_scroll_has_errors', 2, 'scroll_malformed');
      await expectRefused(`${base}"${f.fileNo},1,2,PAID,UTR1234567,2026-11-25,\n`, 'pd_scroll_has_errors', 4, 'scroll_malformed');
      await expectRefused(base.replace('amount_paise', 'amount'), 'pd_scroll_has_errors', 1, 'scroll_header');
      await expectRefused(scrollHeaderLine(), 'pd_scroll_has_errors', 2, 'scroll_empty');
    });
    it('not a text file', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
      await expectRefused(png, 'pd_scroll_not_text', null);
      await expectRefused(Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'pd_scroll_not_text', null);
    });
    it('lists every bad row at once', async () => {
      const g = good();
      const r = await upload(
        treasury,
        f.id,
        scrollOf(f, [
          { ...g[0]!, paise: 1 },
          { id: 2_000_000_000, paise: 5 },
        ]),
      );
      expect((r.json().errors as { params: { row: number } }[]).map((e) => e.params.row)).toEqual([2, 3]);
    });
  });
});

describe("the banker's cheque for a failed e-payment", () => {
  it('is recorded once, for the e-cheque’s amount, against its account; the e-cheque stays failed with it linked; no PD money moves', async () => {
    const f = await efileOf(61_000, 62_000);
    const [paid, failed] = f.items.map((i) => i.echeque.id) as [number, number];
    expect(
      (
        await upload(
          treasury,
          f.id,
          scrollOf(
            f,
            itemRows(f, (n) => n === 0),
          ),
        )
      ).statusCode,
    ).toBe(200);
    const ledger = await ledgerSize();
    const body = { chequeNo: '700100', chequeDate: '2026-11-25', bankName: 'State Bank of India, Bhopal', amountPaise: 62_000 };
    const url = (id: number) => `/api/v1/pd/echeques/${id}/bankers-cheque`;
    const before = await dbFingerprint(t.database);
    expect((await treasury.post(url(paid), { ...body, amountPaise: 61_000 })).json().code).toBe('pd_echeque_not_failed');
    const wrong = await treasury.post(url(failed), { ...body, amountPaise: 61_000 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'amountPaise', code: 'bankers_cheque_amount' });
    expect((await treasury.post(url(failed), { ...body, chequeNo: '12a' })).json().errors[0].field).toBe('chequeNo');
    expect((await treasury.post(url(failed), { ...body, chequeDate: '2099-01-01' })).json().errors[0]).toMatchObject({
      field: 'chequeDate',
      code: 'date_in_future',
    });
    expect((await admin.post(url(failed), body)).statusCode).toBe(403);
    expect((await treasury.post(url(1), body)).statusCode).toBe(404);
    expect(await dbFingerprint(t.database)).toBe(before);

    const ok = await treasury.post(url(failed), body);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ echequeId: failed, chequeNo: '700100', amountPaise: 62_000 });
    expect((await treasury.post(url(failed), body)).json().code).toBe('pd_bankers_cheque_exists');
    const detail = (await treasury.get(`/api/v1/pd/efiles/${f.id}`)).json() as TEfile;
    expect(detail.items[1]).toMatchObject({ outcome: 'failed', bankersCheque: { chequeNo: '700100' }, echeque: { state: 'failed' } });
    expect(detail.totals.bankersChequeCount).toBe(1);
    expect(await ledgerSize()).toBe(ledger);
    const audit = await q<{ n: string }>(
      sql`select count(*) as n from audit_log where entity = 'pd_echeque' and entity_id = ${String(failed)} and action = 'bankers_cheque'`,
    );
    expect(Number(audit[0]!.n)).toBe(1);
    // The database: only a failed e-cheque, only its amount.
    expect(
      await refusal(
        t.database.db.execute(
          sql`insert into pd_bankers_cheques (echeque_id, account_id, cheque_no, cheque_date, bank_name, amount_paise, recorded_by, recorded_at) values (${paid}, 1, '1', '2026-11-25', 'x', 61000, ${ids.checker}, now())`,
        ),
      ),
    ).toMatch(/ROAMS_PD_TRANSITION/);
  });
});

describe('atomic (bar M5): a fault at any statement leaves nothing behind', () => {
  async function withFault<T>(table: string, op: 'INSERT' | 'UPDATE', run: () => Promise<T>): Promise<T> {
    const db = t.database.db;
    await db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION pd_efile_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`),
    );
    await db.execute(sql.raw(`CREATE TRIGGER pd_efile_test_fault BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION pd_efile_test_fault()`));
    try {
      return await run();
    } finally {
      await db.execute(sql.raw(`DROP TRIGGER pd_efile_test_fault ON ${table}`));
    }
  }
  const failed = (p: Promise<unknown>) =>
    p.then(
      () => 'succeeded',
      (e: unknown) => String((e as { cause?: { message?: string }; message?: string }).cause?.message ?? (e as Error).message),
    );

  it('generating an e-file: the e-cheques stay passed, no e-file, no audit entry', async () => {
    const chosen = await passed(9_100, 9_200);
    for (const [table, op] of [
      ['pd_echeques', 'UPDATE'],
      ['pd_efiles', 'INSERT'],
      ['pd_efile_items', 'INSERT'],
      ['audit_log', 'INSERT'],
    ] as const) {
      const before = await dbFingerprint(t.database);
      expect(await withFault(table, op, () => failed(generateEfile(t.database.db, officerCtx(), key(), { echequeIds: chosen }))), table).toMatch(
        /injected fault/,
      );
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
    for (const id of chosen) expect(await stateOf(id)).toBe('passed');
  });

  it('importing a scroll: the e-cheques stay in_efile, no scroll, no audit entry', async () => {
    const f = await efileOf(9_300, 9_400);
    const text = scrollOf(
      f,
      itemRows(f, (n) => n === 0),
    );
    for (const [table, op] of [
      ['pd_scrolls', 'INSERT'],
      ['pd_scroll_rows', 'INSERT'],
      ['pd_echeques', 'UPDATE'],
      ['audit_log', 'INSERT'],
    ] as const) {
      const before = await dbFingerprint(t.database);
      const r = await withFault(table, op, () => upload(treasury, f.id, text));
      expect(r.statusCode, table).toBe(500);
      expect(await dbFingerprint(t.database), table).toBe(before);
    }
    for (const i of f.items) expect(await stateOf(i.echeque.id)).toBe('in_efile');
    expect((await upload(treasury, f.id, text)).statusCode).toBe(200);
  });
});
