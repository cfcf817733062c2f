import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import type { Ctx } from '../../platform/context.ts';
import type { TInvoiceMonthResult } from '../../../shared/contracts/invoice.ts';
import { createTestApp, fakeClock, openTestDatabase, type TestApp } from '../../test/harness.ts';
import { documentHash } from './invoice.document.ts';
import { pendingRevisions } from './invoice.arrears.ts';
import { generateFor } from './invoice.generate.ts';
import { pendingRateRevisions } from './invoice.rate-arrears.ts';
import { generateMonthInvoices, type MonthInvoiceResult } from './invoice.generate-batch.ts';
import { takeNumber } from './invoice.repo.ts';
import { DEFAULT_PREFIX, invoiceNumber, monthRange, seriesYear } from './invoice.rules.ts';
import { buildDocument, lastMonthOver } from './invoice.service.ts';

/**
 * The month's batch (bar S2) against generateFor, on two copies of the same demo database: the
 * demo's invoices of last month are cancelled in both, then one copy generates them with
 * `generateMonthInvoices` and the other one contract at a time with `generateFor`. Every header
 * column, detail and line must be equal, numbers included (the same series, the same order).
 * Then the refusals the batch reports per contract, with nothing written for them, and a second
 * run that makes nothing new.
 */
const NOW = new Date();
const LAST = lastMonthOver(todayIst(NOW));
const FREE = lastMonthOver(`${lastMonthOver(`${lastMonthOver(`${LAST}-01`)}-01`)}-01`);
const EARLY = lastMonthOver(`${FREE}-01`);
const ctx: Ctx = { actor: null, ip: '127.0.0.1', locale: 'en', now: NOW };

type Open = Awaited<ReturnType<typeof openTestDatabase>>;
let batchDb: Open;
let singleDb: Open;
let contracts: number[];

const rows = async <T extends Record<string, unknown>>(d: Open, q: ReturnType<typeof sql>) => (await d.db.execute<T>(q)).rows;

/** Cancels the month's active invoices as `cancelInvoice` does, a credit note numbered from the series (a test's shortcut: no actor). */
async function cancelMonth(d: Open, month: string) {
  const fy = seriesYear(todayIst(NOW));
  const open = await rows<{ id: number; agencyId: number }>(
    d,
    sql`select id, agency_id as "agencyId" from invoices where month = ${`${month}-01`} and status = 'active' order by id`,
  );
  for (const i of open) {
    const n = await takeNumber(d.db as unknown as Db, i.agencyId, fy);
    await d.db.execute(
      sql`update invoices set status = 'cancelled', cancelled_at = now(), cancel_reason = 'batch test',
                 credit_note_no = ${invoiceNumber(DEFAULT_PREFIX, fy, n)}, credit_note_date = ${todayIst(NOW)} where id = ${i.id}`,
    );
  }
}

/**
 * FREE (before any invoice of the demo, so nothing to settle): contracts 1 and 2 in force, their
 * people on the rolls, office sheets finalised with varied days.
 */
async function prepareFree(d: Open) {
  const { first, last, days } = monthRange(FREE);
  await d.db.execute(sql`update resources set joining_date = ${first} where contract_id in (1, 2) and status = 'approved' and joining_date > ${first}`);
  await d.db.execute(sql`update contract_versions set start_date = ${first} where contract_id in (1, 2) and state = 'in_force' and start_date > ${first}`);
  const offices = await rows<{ id: number }>(
    d,
    sql`select distinct office_id as id from resources where contract_id in (1, 2) and office_id is not null order by 1`,
  );
  for (const o of offices) {
    const sheet = (await rows<{ id: number }>(d, sql`insert into attendance_sheets (office_id, month) values (${o.id}, ${first}) returning id`))[0]!.id;
    await d.db.execute(sql`
      insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      select ${sheet}, r.id, ${days}, ${days} - 5 - r.id % 3, r.id % 2, 4, 1 + r.id % 3 - r.id % 2 from resources r
       where r.office_id = ${o.id} and r.status in ('approved', 'relieved') and r.joining_date <= ${last}`);
    await d.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet}`);
  }
}

/** Everything generated for the month, ids replaced by positions: headers, details and lines. */
async function snapshot(d: Open, month: string) {
  const headers = await rows<Record<string, unknown>>(
    d,
    sql`select contract_id, contract_version_id, agency_id, department_id, office_id, ddo_code_id, ddo_code, month::text, invoice_no, invoice_date::text,
               intra_state, wage_basis, epf_mode, esic_applies, service_charge_bp, bonus_bp, subtotal_paise::text, reimbursed_paise::text,
               service_charge_paise::text, taxable_paise::text, gst_paise::text, gross_total_paise::text, round_off_paise::text, total_paise::text,
               arrears_paise::text, content_hash, generated_by, status
          from invoices where month = ${`${month}-01`} and status = 'active' order by contract_id`,
  );
  const details = await rows<Record<string, unknown>>(
    d,
    sql`select i.contract_id, x.resource_id, x.office_id, x.skill_level_id, x.post_name_id, x.name_en, x.name_hi, x.aadhaar_last4,
               x.basic_paise::text, x.vda_paise::text, x.minimum_wage_paise::text, x.paid_days, x.days_in_month, x.day_rate_paise::text,
               x.earned_wage_paise::text, x.pf_wage_paise::text, x.esic_wage_paise::text, x.bonus_wage_paise::text, x.esic_covered,
               x.cost_paise::text, x.reimbursed_paise::text, x.employee_deduction_paise::text, x.net_wage_paise::text
          from invoice_details x join invoices i on i.id = x.invoice_id
         where i.month = ${`${month}-01`} and i.status = 'active' order by i.contract_id, x.id`,
  );
  const lines = await rows<Record<string, unknown>>(
    d,
    sql`select i.contract_id, x.resource_id, l.code, l.kind, l.stage, l.base_paise::text, l.rate_ppm, l.amount_paise::text, l.arrears_month::text,
               l.label_en, l.label_hi, l.sort_order
          from invoice_lines l join invoices i on i.id = l.invoice_id left join invoice_details x on x.id = l.detail_id
         where i.month = ${`${month}-01`} and i.status = 'active' order by i.contract_id, l.detail_id nulls last, l.sort_order`,
  );
  return { headers, details, lines };
}

const counts = async (d: Open) =>
  (
    await rows<{ invoices: number; details: number; lines: number; audit: number; series: string }>(
      d,
      sql`select (select count(*)::int from invoices) as invoices, (select count(*)::int from invoice_details) as details,
               (select count(*)::int from invoice_lines) as lines, (select count(*)::int from audit_log where entity = 'invoice') as audit,
               (select coalesce(string_agg(agency_id || ':' || fy || ':' || last_no, ',' order by agency_id, fy), '') from invoice_series) as series`,
    )
  )[0]!;

beforeAll(async () => {
  [batchDb, singleDb] = await Promise.all([openTestDatabase(), openTestDatabase()]);
  contracts = (
    await rows<{ id: number }>(batchDb, sql`select distinct contract_id as id from invoices where month = ${`${LAST}-01`} and status = 'active' order by 1`)
  ).map((r) => r.id);
  await Promise.all([cancelMonth(batchDb, LAST), cancelMonth(singleDb, LAST)]);
  await Promise.all([prepareFree(batchDb), prepareFree(singleDb)]);
}, 180_000);
afterAll(async () => {
  await batchDb?.drop();
  await singleDb?.drop();
});

describe('the month batch equals generateFor', () => {
  let results: MonthInvoiceResult[];

  /** The same month both ways: the batch on one copy, generateFor contract by contract on the other; outcomes and rows compared. */
  async function bothWays(month: string, ids: number[]) {
    const out = await generateMonthInvoices(batchDb.db as unknown as Db, ctx, { month, contractIds: ids });
    const one: string[] = [];
    for (const id of ids) {
      const agencyId = (await rows<{ a: number }>(singleDb, sql`select agency_id as a from contracts where id = ${id}`))[0]!.a;
      try {
        await generateFor(singleDb.db as unknown as Db, ctx, agencyId, undefined, { contractId: id, month });
        one.push('made');
      } catch (e) {
        one.push((e as { code: string }).code);
      }
    }
    expect(out.map((r) => (r.ok ? 'made' : r.code))).toEqual(one);
    const [a, b] = await Promise.all([snapshot(batchDb, month), snapshot(singleDb, month)]);
    expect(a.headers).toEqual(b.headers);
    expect(a.details).toEqual(b.details);
    expect(a.lines).toEqual(b.lines);
    // generateFor one by one exactly where an earlier invoice has something pending (as its own queries say).
    const { first } = monthRange(month);
    for (const r of out) {
      if (!r.ok) continue;
      const pending =
        (await pendingRevisions(batchDb.db as unknown as Db, r.contractId, first)).length +
        (await pendingRateRevisions(batchDb.db as unknown as Db, r.contractId, first)).length;
      expect(r.path, `contract ${r.contractId}`).toBe(pending > 0 ? 'single' : 'batch');
    }
    return { out, snap: a };
  }

  it('a month with nothing to settle: the batch equals generateFor — totals, every detail and line, numbers and hashes; one audit entry each', async () => {
    const auditBefore = (await counts(batchDb)).audit;
    const { out, snap } = await bothWays(FREE, [1, 2, 4]);
    results = out;
    // Contract 1 has no earlier invoice before FREE; contract 2 has (the workflow demo's months −8, −9): see bothWays.
    expect(out.filter((r) => r.ok).map((r) => r.contractId)).toEqual([1, 2]);
    expect(out[0]).toMatchObject({ contractId: 1, ok: true, path: 'batch' });
    expect(snap.headers.length).toBe(2);
    expect(snap.details.length).toBeGreaterThan(2);
    expect(new Set(snap.details.map((d) => d.paid_days)).size).toBeGreaterThan(1);
    // One audit entry per invoice, naming its number.
    const made = out.filter((r) => r.ok);
    expect((await counts(batchDb)).audit - auditBefore).toBe(made.length);
    const audit = await rows<{ entityId: string; after: { invoiceNo: string; contentHash: string } }>(
      batchDb,
      sql`select entity_id as "entityId", after from audit_log where entity = 'invoice' and action = 'generate' order by seq desc limit ${made.length}`,
    );
    for (const r of made) if (r.ok) expect(audit.find((x) => x.entityId === String(r.invoiceId))?.after.invoiceNo).toBe(r.invoiceNo);
  });

  it('a month with revisions pending from earlier invoices: those contracts go through generateFor, found by one query, with the same result', async () => {
    const { out } = await bothWays(LAST, contracts);
    for (const r of out) expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(out.some((r) => r.ok && r.path === 'single')).toBe(true);
    expect(out.some((r) => r.ok && r.path === 'batch')).toBe(true);
    results = [...results, ...out];
  });

  it('the hash computed in memory is the stored document’s (buildDocument)', async () => {
    for (const r of results) {
      if (!r.ok) continue;
      const doc = await buildDocument(batchDb.db as unknown as Db, r.invoiceId);
      const stored = await rows<{ h: string }>(batchDb, sql`select content_hash as h from invoices where id = ${r.invoiceId}`);
      expect(stored[0]!.h).toBe(documentHash(doc));
      expect(doc.contentHash).toBe(stored[0]!.h);
    }
  });

  it('numbers are gapless in each agency’s series: the counter equals the count of numbers issued', async () => {
    const series = await rows<{ agencyId: number; last: number; used: number }>(
      batchDb,
      sql`select s.agency_id as "agencyId", s.last_no as last,
                 (select count(*)::int from invoices i where i.agency_id = s.agency_id and i.invoice_no not like 'PAYDEMO/%')
                 + (select count(*)::int from invoices i where i.agency_id = s.agency_id and i.credit_note_no is not null) as used
            from invoice_series s`,
    );
    for (const s of series) expect(s.used, `agency ${s.agencyId}`).toBe(s.last);
    const mine = results.filter((r) => r.ok).map((r) => (r.ok ? r.invoiceNo : ''));
    expect(new Set(mine).size).toBe(mine.length);
  });

  it('a second run makes nothing new: each contract-month is already invoiced', async () => {
    const before = await counts(batchDb);
    const again = await generateMonthInvoices(batchDb.db as unknown as Db, ctx, { month: LAST, contractIds: contracts });
    expect(again.map((r) => (r.ok ? 'made' : r.code))).toEqual(contracts.map(() => 'invoice_exists'));
    expect(await counts(batchDb)).toEqual(before);
  });
});

describe('the month batch reports refusals per contract and writes nothing for them', () => {
  it('a minimum wage above the posts’ wage from mid-month: that skill level’s contracts refused with the figures, the others invoiced', async () => {
    // On the copy generated one at a time: cancel again, then raise one skill level's minimum wage inside the month.
    await cancelMonth(singleDb, LAST);
    const { first } = monthRange(LAST);
    const skill = (
      await rows<{ s: number }>(
        singleDb,
        sql`select x.skill_level_id as s from invoice_details x join invoices i on i.id = x.invoice_id
             where i.month = ${first} and i.contract_id = ${contracts[0]!} order by x.id limit 1`,
      )
    )[0]!.s;
    await singleDb.db.execute(
      sql`insert into minimum_wages (skill_level_id, effective_from, basic_paise, vda_paise, notification_ref) values (${skill}, ${`${LAST}-15`}, 99999900, 0, 'batch test')`,
    );
    const affected = new Set(
      (
        await rows<{ c: number }>(
          singleDb,
          sql`select distinct i.contract_id as c from invoice_details x join invoices i on i.id = x.invoice_id
               where i.month = ${first} and x.skill_level_id = ${skill}`,
        )
      ).map((r) => r.c),
    );
    const before = await counts(singleDb);
    const out = await generateMonthInvoices(singleDb.db as unknown as Db, ctx, { month: LAST, contractIds: contracts });
    for (const r of out) {
      if (affected.has(r.contractId)) {
        expect(r.ok ? 'made' : r.code).toBe('invoice_below_minimum_wage');
        if (!r.ok) expect(r.params).toMatchObject({ from: `${LAST}-15`, minimum: expect.stringContaining('9,99,999') });
      } else expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    const after = await counts(singleDb);
    const made = out.filter((r) => r.ok).length;
    expect(after.invoices - before.invoices).toBe(made);
    expect(after.audit - before.audit).toBe(made);
  });

  it('attendance not finalised (naming the office), no paid days, and a month outside the contract: reported, nothing written', async () => {
    const { first, last, days } = monthRange(EARLY);
    // Contract 2's people on the rolls in EARLY, its version in force then, no sheet: not finalised.
    await batchDb.db.execute(sql`update resources set joining_date = ${first} where contract_id = 2 and status = 'approved'`);
    await batchDb.db.execute(sql`update contract_versions set start_date = ${first} where contract_id = 2 and state = 'in_force' and start_date > ${first}`);
    const before = await counts(batchDb);
    const one = await generateMonthInvoices(batchDb.db as unknown as Db, ctx, { month: EARLY, contractIds: [2, 99_999] });
    expect(one[0]).toMatchObject({ contractId: 2, ok: false, code: 'invoice_attendance_not_finalised' });
    expect(one[0]!.ok ? '' : String(one[0]!.params?.office)).toMatch(/Institutional Finance/);
    expect(one[1]).toMatchObject({ contractId: 99_999, ok: false, code: 'not_found' });
    // Its office's sheet finalised with everyone absent: no paid days.
    const office = (await rows<{ id: number }>(batchDb, sql`select office_id as id from resources where contract_id = 2 limit 1`))[0]!.id;
    const sheet = (await rows<{ id: number }>(batchDb, sql`insert into attendance_sheets (office_id, month) values (${office}, ${first}) returning id`))[0]!.id;
    await batchDb.db.execute(sql`
      insert into attendance_rows (sheet_id, resource_id, days_on_rolls, present, paid_leave, offs, absence)
      select ${sheet}, r.id, ${days}, 0, 0, 0, ${days} from resources r
       where r.office_id = ${office} and r.status in ('approved', 'relieved') and r.joining_date <= ${last}`);
    await batchDb.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheet}`);
    const two = await generateMonthInvoices(batchDb.db as unknown as Db, ctx, { month: EARLY, contractIds: [2] });
    expect(two[0]).toMatchObject({ contractId: 2, ok: false, code: 'invoice_no_paid_days' });
    const three = await generateMonthInvoices(batchDb.db as unknown as Db, ctx, { month: '2021-01', contractIds: [2] });
    expect(three[0]).toMatchObject({ ok: false, code: 'invoice_month_outside_contract' });
    const { audit: _a, ...now } = await counts(batchDb);
    const { audit: _b, ...was } = before;
    expect(now).toEqual(was);
  });

  it('another agency’s contract is not found when the batch acts for an agency', async () => {
    const out = await generateMonthInvoices(batchDb.db as unknown as Db, ctx, { month: LAST, contractIds: [4], agencyId: 1 });
    expect(out[0]).toMatchObject({ contractId: 4, ok: false, code: 'not_found' });
  });
});

describe('POST /api/v1/invoices/month', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: fakeClock(new Date()) });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('requires a login, and the agency’s permission', async () => {
    expect((await t.anon.post('/api/v1/invoices/month', { month: LAST })).statusCode).toBe(401);
    const dm = await t.login('dm_bhopal');
    expect((await dm.post('/api/v1/invoices/month', { month: LAST })).statusCode).toBe(403);
  });

  it('the agency’s contracts: the cancelled month made again, the invoiced one reported, another agency’s contract not found — in the caller’s language', async () => {
    const agency = await t.login('agency_admin');
    const bad = await agency.post('/api/v1/invoices/month', { month: '2026-13' });
    expect(bad.statusCode).toBe(400);
    const mine = (await agency.get(`/api/v1/invoices?pageSize=200&month=${LAST}&status=active`)).json().items as { id: number; contractId: number }[];
    expect(mine.length).toBeGreaterThanOrEqual(2);
    const cancelled = mine[0]!;
    expect((await agency.post(`/api/v1/invoices/${cancelled.id}/cancel`, { reason: 'Test: month run again' })).statusCode).toBe(200);
    agency.cookies.roams_lang = 'en';
    const r = await agency.post('/api/v1/invoices/month', { month: LAST });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as TInvoiceMonthResult;
    const made = body.results.filter((x) => x.ok);
    expect(made.map((x) => x.contractId)).toEqual([cancelled.contractId]);
    expect(made[0]!.invoiceNo).toMatch(/^INV\/\d{4}\/\d{4}$/);
    for (const x of body.results.filter((y) => !y.ok)) {
      expect(x.code).toBe('invoice_exists');
      expect(x.message).toMatch(/already/i);
    }
    expect(body.made).toBe(1);
    delete agency.cookies.roams_lang;
    const foreign = (await agency.post('/api/v1/invoices/month', { month: LAST, contractIds: [4] })).json() as TInvoiceMonthResult;
    expect(foreign.results).toEqual([{ contractId: 4, ok: false, invoiceId: null, invoiceNo: null, code: 'not_found', message: expect.any(String) }]);
    // Audited like any generation: one entry for the invoice made.
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'invoice' and action = 'generate' and entity_id = ${String(made[0]!.invoiceId)}`,
    );
    expect(audit.rows[0]!.n).toBe(1);
  });
});
