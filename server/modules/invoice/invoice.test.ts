import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice, TInvoiceSummary, TVerifyResult } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { computeInvoice } from '../../../shared/domain/invoice-engine.ts';
import type { Db } from '../../db/client.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { headsInForce, minimumWageOn, wageDefinitionOn } from '../rates/index.ts';
import { documentHash } from './invoice.document.ts';
import { invoiceNumber, monthRange } from './invoice.rules.ts';
import { buildDocument, lastMonthOver } from './invoice.service.ts';

/**
 * Invoices (issue 16) through the API, on the demo data. The demo seed runs on the real clock:
 * last month (LAST) finalised by the attendance demo, and the demo agency (agency 1) has
 * generated its invoices for it — contract 1's once, cancelled with a credit note, and again.
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = lastMonthOver(todayIst(new Date()));
// The two months before LAST carry the workflow demo's invoices (invoice.workflow.demo.ts): the month before those is free.
const FREE = lastMonthOver(`${lastMonthOver(`${lastMonthOver(`${LAST}-01`)}-01`)}-01`);
let t: TestApp;
let agency: Client;
let dm: Client;
let finance: Client;
const { refused, dbRefusal } = checksOn(() => t.database);
const db = () => t.database.db as unknown as Db;

async function list(c: Client, q = ''): Promise<TInvoiceSummary[]> {
  const r = await c.get(`/api/v1/invoices?pageSize=200${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items;
}

async function activeOf(contractId: number, month = LAST): Promise<TInvoiceSummary> {
  const found = (await list(agency, `&contractId=${contractId}&month=${month}&status=active`))[0];
  expect(found, `active invoice of contract ${contractId} ${month}`).toBeDefined();
  return found!;
}

async function cancel(id: number) {
  const r = await agency.post(`/api/v1/invoices/${id}/cancel`, { reason: 'Test: issued again' });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as TInvoice;
}

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  agency = await t.login('agency_admin');
  dm = await t.login('dm_bhopal');
  // The department manager acts in office 79 (the demo contracts' office).
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === 79);
  if (a) expect((await dm.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  finance = await t.login('finance_admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('invoices — the demo', () => {
  it('the demo agency has last month invoiced, and one cancelled with its credit note', async () => {
    const all = await list(agency);
    const active = all.filter((i) => i.status === 'active' && i.month === LAST);
    expect(active.length).toBeGreaterThanOrEqual(1);
    const cancelled = all.find((i) => i.status === 'cancelled');
    expect(cancelled?.creditNoteNo).toMatch(/^INV\/\d{4}\/\d{4}$/);
    for (const i of all) expect(i.invoiceNo).toMatch(/^[A-Za-z0-9/-]{1,16}$/);
  });

  it('equals the engine computed independently from the same inputs (contract terms, finalised attendance with its approved revisions, heads in force)', async () => {
    const inv = (await agency.get(`/api/v1/invoices/${(await activeOf(2)).id}`)).json() as TInvoice;
    const { first, days } = monthRange(LAST);
    const v = (
      await t.database.db.execute<{
        wage_basis: 'monthly' | 'daily';
        epf_mode: 'none' | 'capped' | 'uncapped';
        esic_applies: boolean;
        bonus_bp: number;
        service_charge_bp: number;
      }>(sql`select wage_basis, epf_mode, esic_applies, bonus_bp, service_charge_bp from contract_versions where contract_id = 2 and state = 'in_force'`)
    ).rows[0]!;
    const gstin = (await t.database.db.execute<{ gstin: string }>(sql`select gstin from agencies where id = 1`)).rows[0]!.gstin;
    const rows = (
      await t.database.db.execute<{ id: number; skill: number; basic: string; vda: string; paid: number }>(sql`
        select * from (
        select r.id, r.skill_level_id as skill, cp.basic_paise as basic, cp.vda_paise as vda,
               coalesce((select i.present + i.paid_leave + i.offs from attendance_revision_items i
                          where i.row_id = ar.id and i.state = 'approved' order by i.revision_no desc limit 1),
                        ar.present + ar.paid_leave + ar.offs) as paid
          from resources r
          join contract_versions v on v.contract_id = r.contract_id and v.state = 'in_force'
          join contract_posts cp on cp.version_id = v.id and cp.skill_level_id = r.skill_level_id and cp.post_name_id = r.post_name_id
          join attendance_rows ar on ar.resource_id = r.id
          join attendance_sheets s on s.id = ar.sheet_id and s.month = ${first} and s.state = 'finalised'
         where r.contract_id = 2) x
         where paid > 0
         order by id`)
    ).rows;
    expect(rows.length).toBe(inv.details.length);
    const heads = await headsInForce(db(), first);
    const resources = [];
    for (const r of rows) {
      const monthly = Number(r.basic) + Number(r.vda);
      resources.push({
        key: String(r.id),
        basicPaise: Number(r.basic),
        vdaPaise: Number(r.vda),
        paidDays: Number(r.paid),
        daysInMonth: days,
        minimumWagePaise: (await minimumWageOn(db(), r.skill, first))?.totalPaise ?? 0,
        esicCovered: monthly <= 2_100_000,
      });
    }
    const expected = computeInvoice({
      terms: {
        wageBasis: v.wage_basis,
        epfMode: v.epf_mode,
        esicApplies: v.esic_applies,
        bonusBp: v.bonus_bp,
        serviceChargeBp: v.service_charge_bp,
        intraState: gstin.startsWith('23'),
      },
      heads,
      wageDefinition: await wageDefinitionOn(db(), first),
      resources,
    });
    expect(inv.totalPaise).toBe(expected.totalPaise);
    expect(inv.subtotalPaise).toBe(expected.subtotalPaise);
    expect(inv.serviceChargePaise).toBe(expected.serviceChargePaise);
    expect(inv.taxablePaise).toBe(expected.taxablePaise);
    expect(inv.gstPaise).toBe(expected.gstPaise);
    expect(inv.roundOffPaise).toBe(expected.roundOffPaise);
    expect(inv.taxLines.map((l) => [l.code, l.amountPaise])).toEqual(expected.taxLines.map((l) => [l.code, l.amountPaise]));
    for (const [i, d] of inv.details.entries()) {
      const e = expected.resources[i]!;
      expect(String(d.resourceId)).toBe(e.key);
      expect(d.earnedWagePaise).toBe(e.earnedWagePaise);
      expect(d.paidDays).toBe(e.paidDays);
      expect(d.lines.map((l) => [l.code, l.basePaise, l.ratePpm, l.amountPaise])).toEqual(e.lines.map((l) => [l.code, l.basePaise, l.ratePpm, l.amountPaise]));
      expect(d.totalPaise).toBe(e.costPaise + e.reimbursedPaise);
      expect(d.maskedAadhaar).toMatch(/^XXXX XXXX (\d{4}|XXXX)$/);
    }
    // Intra-state (the demo agency's GSTIN is of MP, 23): CGST + SGST, each on the taxable value.
    expect(inv.intraState).toBe(true);
    expect(inv.taxLines.map((l) => l.code)).toEqual(['CGST', 'SGST']);
    // The stored content hash is the document's.
    const doc = await buildDocument(db(), inv.id);
    expect(documentHash(doc)).toBe(inv.contentHash);
    expect(doc.lines.length).toBe(inv.details.length);
    expect(doc.verifyUrl).toContain(`/verify/invoice?no=${encodeURIComponent(inv.invoiceNo)}`);
  });
});

describe('invoices — who sees what', () => {
  let foreignId: number;
  beforeAll(async () => {
    // The demo's invoice of agency 3's School Education contract (4), generated without an actor.
    foreignId = (await t.database.db.execute<{ id: number }>(sql`select id from invoices where agency_id = 3 and contract_id = 4`)).rows[0]!.id;
  });

  it('the demo gives the authorisation matrix its foreign invoice (id 4: agency 3, School Education)', () => {
    expect(foreignId).toBe(4);
  });

  it("another agency's invoice is not found for the demo agency and for another department's manager; Finance sees it", async () => {
    await refused(() => agency.get(`/api/v1/invoices/${foreignId}`), 404, 'not_found');
    await refused(() => dm.get(`/api/v1/invoices/${foreignId}`), 404, 'not_found');
    await refused(() => agency.post(`/api/v1/invoices/${foreignId}/cancel`, { reason: 'Not mine at all' }), 404, 'not_found');
    expect((await list(agency)).some((i) => i.id === foreignId)).toBe(false);
    expect((await finance.get(`/api/v1/invoices/${foreignId}`)).statusCode).toBe(200);
    expect((await list(finance)).some((i) => i.id === foreignId)).toBe(true);
  });

  it('the department manager of the contract office sees the agency invoice, but may not generate or cancel', async () => {
    const mine = await activeOf(2);
    expect((await dm.get(`/api/v1/invoices/${mine.id}`)).statusCode).toBe(200);
    await refused(() => dm.post(`/api/v1/invoices/${mine.id}/cancel`, { reason: 'Not my invoice' }), 403, 'forbidden');
    await refused(() => dm.post('/api/v1/invoices', { contractId: 2, month: FREE }), 403, 'forbidden');
  });

  it('anyone without a login gets 401', async () => {
    expect((await t.anon.get('/api/v1/invoices')).statusCode).toBe(401);
  });
});

describe('invoices — refusals, nothing written', () => {
  it('bad input names the field', async () => {
    await refused(() => agency.post('/api/v1/invoices', { contractId: 1, month: '2026-13' }), 400, 'validation_failed', 'month');
    await refused(() => agency.post('/api/v1/invoices', { contractId: 0, month: LAST }), 400, 'validation_failed', 'contractId');
  });
  it('a month not over (this month, next month)', async () => {
    await refused(() => agency.post('/api/v1/invoices', { contractId: 1, month: CUR }), 409, 'invoice_month_not_over', 'month');
    const next = monthRange(CUR).last;
    const d = new Date(`${next}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    await refused(() => agency.post('/api/v1/invoices', { contractId: 1, month: d.toISOString().slice(0, 7) }), 409, 'invoice_month_not_over', 'month');
  });
  it('a month before the contract', async () => {
    await refused(() => agency.post('/api/v1/invoices', { contractId: 1, month: '2021-01' }), 409, 'invoice_month_outside_contract', 'month');
  });
  it('a second invoice for the same contract-month', async () => {
    await refused(() => agency.post('/api/v1/invoices', { contractId: 2, month: LAST }), 409, 'invoice_exists');
  });
  it("another agency's contract, or none", async () => {
    await refused(() => agency.post('/api/v1/invoices', { contractId: 4, month: LAST }), 404, 'not_found');
    await refused(() => agency.post('/api/v1/invoices', { contractId: 99_999, month: LAST }), 404, 'not_found');
  });
  it('attendance not finalised, naming the office (in the language asked)', async () => {
    // Month before last: the contract's resources were on the rolls, no sheet was finalised.
    await t.database.db.execute(sql`update resources set joining_date = ${`${FREE}-01`} where contract_id = 2 and status = 'approved'`);
    await t.database.db.execute(
      sql`update contract_versions set start_date = ${`${FREE}-01`} where contract_id = 2 and state = 'in_force' and start_date > ${`${FREE}-01`}`,
    );
    const res = await refused(() => agency.post('/api/v1/invoices', { contractId: 2, month: FREE }), 409, 'invoice_attendance_not_finalised');
    expect(res.json().title).toMatch(/संस्थागत वित्त/);
    agency.cookies.roams_lang = 'en';
    const en = await agency.post('/api/v1/invoices', { contractId: 2, month: FREE });
    delete agency.cookies.roams_lang;
    expect(en.statusCode).toBe(409);
    expect(en.json().title).toMatch(/Institutional Finance/);
  });
  it('no resource with paid days', async () => {
    // The office's sheet for FREE finalised with every row absent.
    const { first, days } = monthRange(FREE);
    const office = (await t.database.db.execute<{ id: number }>(sql`select office_id as id from resources where contract_id = 2 limit 1`)).rows[0]!.id;
    const sheet = (await t.database.db.execute<{ id: number }>(sql`insert into attendance_sheets (office_id, month) values (${office}, ${first}) returning id`))
      .rows[0]!.id;
    await t.database.db.execute(sql`
      insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      select ${sheet}, r.id, ${days}, 0, 0, 0, ${days} from resources r
       where r.office_id = ${office} and r.status in ('approved', 'relieved') and r.joining_date <= ${monthRange(FREE).last}`);
    await t.database.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet}`);
    await refused(() => agency.post('/api/v1/invoices', { contractId: 2, month: FREE }), 409, 'invoice_no_paid_days');
  });
});

describe('invoices — generation, cancel, numbers', () => {
  it('cancel + regenerate: the cancelled one stays with a credit note from the same series; the month is invoiced again', async () => {
    const before = await activeOf(2);
    const c = await cancel(before.id);
    expect(c.status).toBe('cancelled');
    expect(c.cancellable).toBe(false);
    expect(c.creditNoteNo).toMatch(/^INV\/\d{4}\/\d{4}$/);
    await refused(() => agency.post(`/api/v1/invoices/${before.id}/cancel`, { reason: 'Twice over' }), 409, 'invoice_not_cancellable');
    const again = await agency.post('/api/v1/invoices', { contractId: 2, month: LAST });
    expect(again.statusCode, again.body).toBe(201);
    const inv = again.json() as TInvoice;
    expect(inv.totalPaise).toBe(before.totalPaise);
    expect(inv.invoiceNo).not.toBe(before.invoiceNo);
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where entity = 'invoice' and entity_id in (${String(before.id)}, ${String(inv.id)}) order by seq`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['generate', 'cancel', 'generate']);
  });

  it('20 generations of one contract-month at once: exactly one invoice, and the series stays gapless', async () => {
    const prev = await activeOf(1);
    await cancel(prev.id);
    const answers = await Promise.all(Array.from({ length: 20 }, () => agency.post('/api/v1/invoices', { contractId: 1, month: LAST })));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    for (const a of answers) if (a.statusCode === 409) expect(a.json().code).toBe('invoice_exists');
    const active = await list(agency, `&contractId=1&month=${LAST}&status=active`);
    expect(active).toHaveLength(1);
    // Gapless: the numbers and credit notes of the year are exactly 1 … last.
    const fy = (await t.database.db.execute<{ fy: string; n: number }>(sql`select fy, last_no as n from invoice_series where agency_id = 1`)).rows[0]!;
    const used = (
      await t.database.db.execute<{ no: string }>(
        // The payment demo's copies (PAYDEMO/…, payment.demo.ts) are not numbers of the series.
        sql`select invoice_no as no from invoices where agency_id = 1 and invoice_no not like 'PAYDEMO/%' union all select credit_note_no from invoices where agency_id = 1 and credit_note_no is not null`,
      )
    ).rows.map((r) => r.no);
    const expected = Array.from({ length: fy.n }, (_, i) => invoiceNumber('INV', fy.fy, i + 1));
    expect([...used].sort()).toEqual([...expected].sort());
  });

  it('idempotent on the Idempotency-Key: the same key gives the same invoice; with another body it is refused', async () => {
    const prev = await activeOf(2);
    await cancel(prev.id);
    const key = 'invoice-test-key-0001';
    const send = (month: string) =>
      agency.request({ method: 'POST', url: '/api/v1/invoices', payload: { contractId: 2, month }, headers: { 'idempotency-key': key } });
    const one = await send(LAST);
    expect(one.statusCode, one.body).toBe(201);
    const two = await send(LAST);
    expect(two.statusCode).toBe(201);
    expect(two.headers['idempotent-replayed']).toBe('true');
    expect(two.json().id).toBe(one.json().id);
    await refused(() => send(FREE), 422, 'idempotency_key_reused');
  });

  it('invoice numbers: PREFIX/YYYY/NNNN, at most 16 characters', () => {
    expect(invoiceNumber('RA', '2026-27', 1)).toBe('RA/2627/0001');
    expect(invoiceNumber('ABCDEF', '2026-27', 9999)).toBe('ABCDEF/2627/9999');
    expect(invoiceNumber('ABCDEF', '2026-27', 10_000)).toBeNull();
    expect(invoiceNumber('AB', '2026-27', 10_000)).toBe('AB/2627/10000');
  });
});

describe('invoices — the database keeps them', () => {
  it('refuses changing or removing lines and details, and the money of an invoice', async () => {
    const id = (await activeOf(2)).id;
    expect(await dbRefusal(sql`update invoice_lines set amount_paise = amount_paise + 100 where invoice_id = ${id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`delete from invoice_lines where invoice_id = ${id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update invoice_details set paid_days = 1 where invoice_id = ${id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update invoices set total_paise = total_paise + 100 where id = ${id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`update invoices set content_hash = 'x' where id = ${id}`)).toMatch(/ROAMS_IMMUTABLE/);
    expect(await dbRefusal(sql`delete from invoices where id = ${id}`)).toMatch(/ROAMS_IMMUTABLE/);
    const cancelled = (await list(agency, '&status=cancelled'))[0]!;
    expect(
      await dbRefusal(
        sql`update invoices set status = 'active', cancelled_at = null, cancelled_by = null, credit_note_no = null, credit_note_date = null where id = ${cancelled.id}`,
      ),
    ).toMatch(/ROAMS_IMMUTABLE/);
    // And a second active invoice for the same contract-month is refused by the unique index.
    expect(
      await dbRefusal(sql`
      insert into invoices (contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, month, invoice_no, invoice_date,
        intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise, reimbursed_paise, service_charge_paise, taxable_paise,
        gst_paise, gross_total_paise, round_off_paise, total_paise, content_hash, generated_at)
      select contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, month, 'X/1', invoice_date,
        intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise, reimbursed_paise, service_charge_paise, taxable_paise,
        gst_paise, gross_total_paise, round_off_paise, total_paise, content_hash, generated_at from invoices where id = ${id}`),
    ).toMatch(/invoices_active_month_uq|duplicate/);
  });
});

describe('invoices — PDF and public verification', () => {
  it('verifies genuine, cancelled, altered and unknown without a login', async () => {
    const inv = (await agency.get(`/api/v1/invoices/${(await activeOf(2)).id}`)).json() as TInvoice;
    const q = (no: string, h: string, a = inv.agencyId) => `/api/v1/public/invoices/verify?no=${encodeURIComponent(no)}&agency=${a}&h=${h}`;
    const genuine = (await t.anon.get(q(inv.invoiceNo, inv.contentHash))).json() as TVerifyResult;
    expect(genuine).toEqual({
      result: 'genuine',
      invoiceNo: inv.invoiceNo,
      invoiceDate: inv.invoiceDate,
      agencyName: inv.agencyName,
      totalPaise: inv.totalPaise,
      month: LAST,
    });
    const other = createHash('sha256').update('altered').digest('hex');
    const altered = (await t.anon.get(q(inv.invoiceNo, other))).json() as TVerifyResult;
    expect(altered.result).toBe('altered');
    expect(altered.totalPaise).toBeNull();
    expect(((await t.anon.get(q('NOPE/0000/0001', inv.contentHash))).json() as TVerifyResult).result).toBe('unknown');
    expect(((await t.anon.get(q(inv.invoiceNo, inv.contentHash, 3))).json() as TVerifyResult).result).toBe('unknown');
    const gone = (await list(agency, '&status=cancelled'))[0]!;
    const goneFull = (await agency.get(`/api/v1/invoices/${gone.id}`)).json() as TInvoice;
    expect(((await t.anon.get(q(goneFull.invoiceNo, goneFull.contentHash))).json() as TVerifyResult).result).toBe('cancelled');
    expect((await t.anon.get('/api/v1/public/invoices/verify?no=x&agency=1&h=zz')).statusCode).toBe(400);
  });

  it('the PDF: the stored file once rendered, or 503 pdf_unavailable while the renderer is not built', async () => {
    const id = (await activeOf(2)).id;
    const res = await agency.get(`/api/v1/invoices/${id}/pdf`);
    if (res.statusCode === 503) {
      expect(res.json().code).toBe('pdf_unavailable');
      return;
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const stored = (await t.database.db.execute<{ sha: string }>(sql`select pdf_sha256 as sha from invoices where id = ${id}`)).rows[0]!.sha;
    expect(stored).toBe(createHash('sha256').update(res.rawPayload).digest('hex'));
    const again = await dm.get(`/api/v1/invoices/${id}/pdf`);
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
  });
});

describe('invoices — minimum wage', () => {
  it('a contract wage below a minimum wage in force on a day of the month is refused', async () => {
    const prev = await activeOf(2);
    await cancel(prev.id);
    const { first } = monthRange(LAST);
    const mid = `${LAST}-15`;
    const skill = (await t.database.db.execute<{ s: number }>(sql`select skill_level_id as s from resources where contract_id = 2 limit 1`)).rows[0]!.s;
    await t.database.db.execute(
      sql`insert into minimum_wages (skill_level_id, effective_from, basic_paise, vda_paise, notification_ref) values (${skill}, ${mid}, 9000000, 0, 'test')`,
    );
    const res = await refused(() => agency.post('/api/v1/invoices', { contractId: 2, month: LAST }), 409, 'invoice_below_minimum_wage');
    expect(JSON.stringify(res.json())).toContain('90,000');
    expect(first).toBe(`${LAST}-01`);
  });
});
