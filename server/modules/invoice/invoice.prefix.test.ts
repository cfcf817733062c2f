import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInvoice, TInvoiceSummary } from '../../../shared/contracts/invoice.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { checksOn } from '../../test/helpers.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { invoiceNumber, seriesYear } from './invoice.rules.ts';
import { lastMonthOver } from './invoice.service.ts';

/**
 * The agency's invoice-number prefix: the agency admin sets it, the next number (invoice or credit
 * note) carries it, the year's counter goes on; bad prefixes refused naming the field; audited;
 * nobody else may set it.
 */
const URL = '/api/v1/invoices/prefix';
const LAST = lastMonthOver(todayIst(new Date()));
let t: TestApp;
let agency: Client;
const { refused, dbRefusal } = checksOn(() => t.database);

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  agency = await t.login('agency_admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function lastNo(): Promise<{ fy: string; n: number }> {
  const fy = seriesYear(todayIst(new Date()));
  const r = await t.database.db.execute<{ n: number }>(sql`select last_no as n from invoice_series where agency_id = 1 and fy = ${fy}`);
  return { fy, n: Number(r.rows[0]?.n ?? 0) };
}

describe('invoice prefix', () => {
  it('starts as the default INV', async () => {
    const r = await agency.get(URL);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ prefix: 'INV', isDefault: true });
  });

  it('refuses a prefix that is empty, too long, lower-case or with other characters, naming the field, saving nothing', async () => {
    const empty = await refused(() => agency.put(URL, { prefix: '' }), 400, 'validation_failed', 'prefix');
    expect(empty.json().errors[0].code).toBe('required');
    const long = await refused(() => agency.put(URL, { prefix: 'ABCDEFG' }), 400, 'validation_failed', 'prefix');
    expect(long.json().errors[0].code).toBe('too_long');
    for (const prefix of ['nms', 'NM/S', 'NM S', 'NMŚ']) {
      const r = await refused(() => agency.put(URL, { prefix }), 400, 'validation_failed', 'prefix');
      expect(r.json().errors[0].code, prefix).toBe('invalid_format');
    }
    await refused(() => agency.put(URL, {}), 400, 'validation_failed', 'prefix');
    expect(long.json().errors[0].message).toBeTruthy();
    expect((await agency.get(URL)).json().prefix).toBe('INV');
  });

  it('other roles may neither read nor set it', async () => {
    for (const u of ['dm_bhopal', 'finance_admin', 'ddo_bhopal', 'auditor_state']) {
      const c = await t.login(u);
      await refused(() => c.put(URL, { prefix: 'GOV' }), 403, 'forbidden');
      expect((await c.get(URL)).statusCode, u).toBe(403);
    }
  });

  it('the new prefix applies to the next number; the year’s counter goes on; earlier numbers keep theirs; audited', async () => {
    const before = await lastNo();
    const r = await agency.put(URL, { prefix: 'NMS1' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ prefix: 'NMS1', isDefault: false });
    expect((await agency.get(URL)).json()).toEqual({ prefix: 'NMS1', isDefault: false });
    expect(await lastNo()).toEqual(before);

    const audit = await t.database.db.execute<{ before: unknown; after: unknown; entity_id: string }>(
      sql`select before, after, entity_id from audit_log where entity = 'invoice_prefix' order by seq`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ entity_id: '1', before: { prefix: 'INV' }, after: { prefix: 'NMS1' } });
    // The same prefix again changes nothing and is not audited twice.
    expect((await agency.put(URL, { prefix: 'NMS1' })).statusCode).toBe(200);
    expect((await t.database.db.execute(sql`select 1 from audit_log where entity = 'invoice_prefix'`)).rows).toHaveLength(1);

    // Cancel an active invoice: its credit note takes the next number with the new prefix.
    const items = (await agency.get(`/api/v1/invoices?pageSize=200&status=active&month=${LAST}`)).json().items as TInvoiceSummary[];
    const active = items.find((i) => i.contractId === 2)!;
    expect(active.invoiceNo).toMatch(/^INV\//);
    const c = await agency.post(`/api/v1/invoices/${active.id}/cancel`, { reason: 'Issued again under the new prefix' });
    expect(c.statusCode, c.body).toBe(200);
    expect((c.json() as TInvoice).creditNoteNo).toBe(invoiceNumber('NMS1', before.fy, before.n + 1));
    expect((c.json() as TInvoice).invoiceNo).toBe(active.invoiceNo);
    const again = await agency.post('/api/v1/invoices', { contractId: 2, month: LAST });
    expect(again.statusCode, again.body).toBe(201);
    expect((again.json() as TInvoice).invoiceNo).toBe(invoiceNumber('NMS1', before.fy, before.n + 2));
  });

  it('the database itself keeps the format', async () => {
    expect(await dbRefusal(sql`update invoice_prefixes set prefix = 'bad/one' where agency_id = 1`)).toMatch(/invoice_prefixes_format/);
  });
});
