import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAdvice, TVendor } from '../../../shared/contracts/pd-adv.ts';
import type { TEcheque } from '../../../shared/contracts/pd.ts';
import { guardRefusal } from '../../platform/errors.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';

/**
 * The vendor master and advices of a PD account (issue 18 item 4) through the API, on PGlite and
 * on PostgreSQL (TEST_DATABASE_URL): vendors with a proof judged by content and a valid IFSC;
 * vendor e-cheques paid to a vendor of the master; advices of one account's prepared e-cheques,
 * approved with the second factor and idempotently; and the treasury deciding only e-cheques of
 * an approved advice — in the service and in the database. Demo data: pd.adv.demo.ts.
 */
let t: TestApp;
let admin: Client; // pd_admin: PD account 1
let treasury: Client; // treasury_bhopal
const { refused, dbRefusal } = checksOn(() => t.database);
const key = () => `k-${randomBytes(8).toString('hex')}`;
const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(32)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(32)]);

let seq = 0;
/** A fresh bank account number, so each vendor is new. */
const bankNo = () => `9${String(Date.now()).slice(-8)}${String(seq++).padStart(4, '0')}`;
function addVendor(
  c: Client,
  accountId: number,
  fields: Record<string, string>,
  file: { bytes: Buffer; name: string; type?: string } | null = { bytes: PDF, name: 'cheque.pdf' },
) {
  const m = multipart(
    { name: 'Sagar Traders', bankAccountNo: bankNo(), ifsc: 'sbin0001308', proofKind: 'cancelled_cheque', ...fields },
    file ? { field: 'proof', ...file } : [],
  );
  return c.request({ method: 'POST', url: `/api/v1/pd/accounts/${accountId}/vendors`, payload: m.payload, headers: m.headers });
}
function prepare(c: Client, accountId: number, body: Record<string, unknown>, k: string | null = key()) {
  return c.request({ method: 'POST', url: `/api/v1/pd/accounts/${accountId}/echeques`, payload: body, headers: k === null ? {} : { 'idempotency-key': k } });
}
function newAdvice(c: Client, accountId: number, echequeIds: number[], k: string | null = key()) {
  return c.request({
    method: 'POST',
    url: `/api/v1/pd/accounts/${accountId}/advices`,
    payload: { echequeIds },
    headers: k === null ? {} : { 'idempotency-key': k },
  });
}
function approve(c: Client, adviceId: number, body: Record<string, unknown>, k: string | null = key()) {
  return c.request({ method: 'POST', url: `/api/v1/pd/advices/${adviceId}/approve`, payload: body, headers: k === null ? {} : { 'idempotency-key': k } });
}

let vendor: TVendor;
let lineId: number;
/** A prepared vendor e-cheque of `paise` on account 1's first line. */
async function echeque(paise = 1_000): Promise<TEcheque> {
  const r = await prepare(admin, 1, { payeeKind: 'vendor', lineId, amountPaise: paise, vendorId: vendor.id });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('pd_admin');
  treasury = await t.login('treasury_bhopal');
  vendor = (await admin.get('/api/v1/pd/accounts/1/vendors')).json().items[0];
  lineId = (await admin.get('/api/v1/pd/accounts/1')).json().lines[0].id;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the vendor master', () => {
  it('lists the demo vendors, one per proof kind, with bank accounts masked; the proof is served as stored', async () => {
    const items = (await admin.get('/api/v1/pd/accounts/1/vendors')).json().items as TVendor[];
    expect(new Set(items.map((v) => v.proofKind))).toEqual(new Set(['cancelled_cheque', 'bank_statement', 'passbook']));
    for (const v of items) expect(v.bankAccountNo).toMatch(/^X+[0-9]{4}$/);
    const proof = await treasury.get(`/api/v1/pd/accounts/1/vendors/${items[0]!.id}/proof`);
    expect(proof.statusCode).toBe(200);
    expect(proof.headers['content-type']).toBe(items[0]!.proofMime);
    expect(proof.headers['x-content-type-options']).toBe('nosniff');
    // Another account's vendor, or a vendor under the wrong account: not found.
    expect((await admin.get('/api/v1/pd/accounts/3/vendors')).statusCode).toBe(404);
    expect((await admin.get('/api/v1/pd/accounts/1/vendors/1/proof')).statusCode).toBe(404);
  });

  it('adds a vendor with a PDF, PNG or JPEG proof (judged by content), naming the bank from the IFSC, audited', async () => {
    for (const [bytes, name, mime] of [
      [PDF, 'statement.pdf', 'application/pdf'],
      [PNG, 'cheque.png', 'image/png'],
      [JPEG, 'passbook.jpg', 'image/jpeg'],
    ] as const) {
      const no = bankNo();
      const r = await addVendor(admin, 1, { bankAccountNo: no, name: `Vendor ${name}` }, { bytes, name, type: 'application/octet-stream' });
      expect(r.statusCode, r.body).toBe(201);
      const v = r.json() as TVendor;
      expect(v).toMatchObject({
        accountId: 1,
        ifsc: 'SBIN0001308',
        bankName: 'State Bank of India',
        proofMime: mime,
        bankAccountNo: `${'X'.repeat(no.length - 4)}${no.slice(-4)}`,
      });
      const back = await admin.get(`/api/v1/pd/accounts/1/vendors/${v.id}/proof`);
      expect(Buffer.from(back.rawPayload).equals(bytes)).toBe(true);
      const [a] = await q<{ n: number }>(
        sql`select count(*)::int as n from audit_log where entity = 'pd_vendor' and entity_id = ${v.id} and action = 'create'`,
      );
      expect(a!.n).toBe(1);
    }
  });

  it('refuses a proof that is not a PDF or image, an invalid IFSC, a bad account number, no proof, a duplicate — saving nothing', async () => {
    // An HTML page renamed .pdf and declared application/pdf.
    await refused(
      () => addVendor(admin, 1, {}, { bytes: Buffer.from('<html><script>alert(1)</script></html>'), name: 'cheque.pdf' }),
      400,
      'file_not_document',
      'proof',
    );
    await refused(
      () => addVendor(admin, 1, {}, { bytes: Buffer.from('PK\u0003\u0004zip'), name: 'cheque.png', type: 'image/png' }),
      400,
      'file_not_document',
      'proof',
    );
    for (const ifsc of ['SBIN1001308', 'SBI00001308', 'SBIN000130', 'SBIN0001308X', '1234012345A'])
      await refused(() => addVendor(admin, 1, { ifsc }), 400, 'validation_failed', 'ifsc');
    await refused(() => addVendor(admin, 1, { bankAccountNo: '12AB' }), 400, 'validation_failed', 'bankAccountNo');
    await refused(() => addVendor(admin, 1, {}, null), 400, 'file_required', 'proof');
    await refused(() => addVendor(admin, 1, {}, { bytes: Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)]), name: 'big.pdf' }), 413, 'file_too_large');
    const no = bankNo();
    expect((await addVendor(admin, 1, { bankAccountNo: no })).statusCode).toBe(201);
    await refused(() => addVendor(admin, 1, { bankAccountNo: no, name: 'Same Account' }), 409, 'pd_vendor_duplicate', 'bankAccountNo');
  });

  it("is kept to the account: the treasury officer cannot add, nobody adds to another account's master", async () => {
    await refused(() => addVendor(treasury, 1, {}), 403, 'forbidden');
    await refused(() => addVendor(admin, 3, {}), 404, 'not_found');
  });

  it("pays a vendor e-cheque to the master's vendor (payee copied), and refuses another account's vendor or free payee details", async () => {
    const e = await echeque(1_500);
    expect(e).toMatchObject({ payeeKind: 'vendor', vendorId: vendor.id, payeeName: vendor.name, payeeIfsc: vendor.ifsc, payeeAccountNo: vendor.bankAccountNo });
    // Vendor 1 is account 3's.
    await refused(() => prepare(admin, 1, { payeeKind: 'vendor', lineId, amountPaise: 100, vendorId: 1 }), 400, 'pd_vendor_not_on_account', 'vendorId');
    await refused(
      () =>
        prepare(admin, 1, { payeeKind: 'vendor', lineId, amountPaise: 100, payeeName: 'Free Text', payeeAccountNo: '123456789012', payeeIfsc: 'SBIN0001308' }),
      400,
      'validation_failed',
    );
  });
});

describe('advices', () => {
  it('refuses an empty selection, another account’s e-cheque, a non-prepared one and one already in an advice — saving nothing', async () => {
    await refused(() => newAdvice(admin, 1, []), 400, 'pd_advice_empty', 'echequeIds');
    const e = await echeque();
    // E-cheque 1 is account 3's; 2147483647 does not exist: the same answer.
    await refused(() => newAdvice(admin, 1, [e.id, 1]), 400, 'pd_advice_echeque_not_on_account', 'echequeIds.1');
    await refused(() => newAdvice(admin, 1, [2_147_483_647]), 400, 'pd_advice_echeque_not_on_account', 'echequeIds.0');
    const [passed] = await q<{ id: number }>(sql`select id from pd_echeques where account_id = 1 and state = 'passed' order by id limit 1`);
    await refused(() => newAdvice(admin, 1, [e.id, Number(passed!.id)]), 409, 'pd_advice_echeque_not_prepared', 'echequeIds.1');
    const ok = await newAdvice(admin, 1, [e.id]);
    expect(ok.statusCode, ok.body).toBe(201);
    await refused(() => newAdvice(admin, 1, [e.id]), 409, 'pd_advice_echeque_in_advice', 'echequeIds.0');
    // And the administrator cannot make one on another account.
    await refused(() => newAdvice(admin, 3, [1]), 404, 'not_found');
    await refused(() => newAdvice(treasury, 1, [e.id]), 403, 'forbidden');
  });

  it('makes a draft of some prepared e-cheques with its total; idempotent on its key; kept off the worklist until approved', async () => {
    const [a, b] = [await echeque(2_000), await echeque(3_500)];
    await refused(() => newAdvice(admin, 1, [a.id, b.id], null), 400, 'idempotency_key_required');
    const k = key();
    const r = await newAdvice(admin, 1, [b.id, a.id], k);
    expect(r.statusCode, r.body).toBe(201);
    const adv = r.json() as TAdvice;
    expect(adv).toMatchObject({ state: 'draft', totalPaise: 5_500, count: 2, accountId: 1, adviceNo: `ADV-${adv.accountNo}-${adv.id}` });
    expect(adv.echeques.map((e) => e.id)).toEqual([a.id, b.id]);
    const again = await newAdvice(admin, 1, [a.id, b.id], k);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(adv.id);
    await refused(() => newAdvice(admin, 1, [a.id], k), 422, 'idempotency_key_reused');

    const work = (await treasury.get('/api/v1/pd/echeques?state=prepared')).json().items as TEcheque[];
    expect(work.map((e) => e.id)).not.toContain(a.id);
    // The treasury cannot pass an e-cheque of a draft advice: 409 before any code is asked.
    await refused(() => treasury.post(`/api/v1/pd/echeques/${a.id}/pass`, {}), 409, 'pd_echeque_not_advised');
    expect(((await admin.get('/api/v1/pd/accounts/1/advices')).json().items as TAdvice[]).find((x) => x.id === adv.id)?.state).toBe('draft');
  });

  it('is approved with the second factor, idempotently (same key → same result; key of another advice → 422); 20 at once approve once', async () => {
    const a = await echeque(4_000);
    const adv = (await newAdvice(admin, 1, [a.id])).json() as TAdvice;
    await refused(() => approve(admin, adv.id, {}, null), 400, 'idempotency_key_required');
    await refused(() => approve(admin, adv.id, {}), 403, 'step_up_required');
    const k = key();
    const otp = await t.stepUpCode(admin);
    const all = await Promise.all(Array.from({ length: 20 }, () => approve(admin, adv.id, { otp }, k)));
    expect(all.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(all.every((r) => r.json().state === 'approved')).toBe(true);
    const [audits] = await q<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'pd_advice' and entity_id = ${adv.id} and action = 'approve'`,
    );
    expect(audits!.n).toBe(1);
    const replay = await approve(admin, adv.id, { otp }, k);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(all[0]!.json());
    // The same key for another advice is another request: 422; another key on an approved advice: 409.
    const other = (await newAdvice(admin, 1, [(await echeque()).id])).json() as TAdvice;
    await refused(() => approve(admin, other.id, { otp }, k), 422, 'idempotency_key_reused');
    const otp2 = await t.stepUpCode(admin);
    await refused(() => approve(admin, adv.id, { otp: otp2 }), 409, 'pd_advice_not_draft');

    // Now on the treasury's worklist with its advice number; the officer (not the administrator) passes it.
    const work = (await treasury.get('/api/v1/pd/echeques?state=prepared&payeeKind=vendor')).json().items as TEcheque[];
    expect(work.find((e) => e.id === a.id)?.adviceNo).toBe(adv.adviceNo);
    expect((await admin.post(`/api/v1/pd/echeques/${a.id}/pass`, {})).statusCode).toBe(403);
    const passed = await treasury.post(`/api/v1/pd/echeques/${a.id}/pass`, { otp: await t.stepUpCode(treasury) });
    expect(passed.statusCode, passed.body).toBe(200);
    expect(passed.json().state).toBe('passed');
  });

  it('is refused on another account: approving or reading advice 1 (account 3) is not found', async () => {
    await refused(() => approve(admin, 1, {}), 404, 'not_found');
    expect((await admin.get('/api/v1/pd/advices/1')).statusCode).toBe(404);
    expect((await treasury.get('/api/v1/pd/advices/1')).statusCode).toBe(404);
  });
});

describe('the database keeps the advice rule (migration 0035)', () => {
  it('refuses a direct UPDATE to passed or returned of an e-cheque in no approved advice, answered as a clear 409', async () => {
    const e = await echeque();
    const [checker] = await q<{ id: number }>(sql`select id from users where username = 'treasury_bhopal'`);
    const text = await dbRefusal(sql`update pd_echeques set state = 'passed', decided_by = ${checker!.id}, decided_at = now() where id = ${e.id}`);
    expect(text).toMatch(/ROAMS_PD_NO_ADVICE/);
    expect(await dbRefusal(sql`update pd_echeques set state = 'returned', decided_by = ${checker!.id}, decided_at = now() where id = ${e.id}`)).toMatch(
      /ROAMS_PD_NO_ADVICE/,
    );
    // In a draft advice still refused.
    await newAdvice(admin, 1, [e.id]);
    expect(await dbRefusal(sql`update pd_echeques set state = 'passed', decided_by = ${checker!.id}, decided_at = now() where id = ${e.id}`)).toMatch(
      /ROAMS_PD_NO_ADVICE/,
    );
    try {
      await t.database.db.execute(sql`update pd_echeques set state = 'passed', decided_by = ${checker!.id}, decided_at = now() where id = ${e.id}`);
      expect.unreachable();
    } catch (err) {
      expect(guardRefusal(err)?.code).toBe('pd_echeque_not_advised');
      expect(guardRefusal(err)?.status).toBe(409);
    }
  });

  it("refuses an item of another account's e-cheque, and changes to an advice's items", async () => {
    const e = await echeque();
    const adv = (await newAdvice(admin, 1, [e.id])).json() as TAdvice;
    expect(await dbRefusal(sql`insert into pd_advice_items (advice_id, echeque_id) values (${adv.id}, 1)`)).toMatch(/ROAMS_PD_ADVICE/);
    expect(await dbRefusal(sql`delete from pd_advice_items where advice_id = ${adv.id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update pd_advices set state = 'draft' where id = 1`)).toMatch(/ROAMS_PD_ADVICE/);
    expect(await dbRefusal(sql`update pd_advices set state = 'approved' where id = ${adv.id}`)).toMatch(/pd_advices_approved_complete/);
  });
});
