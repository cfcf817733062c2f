import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContract, TContractSummary } from '../../shared/contracts/contract.ts';
import { MASTERS } from '../../shared/contracts/org.ts';
import type { TMinimumWage } from '../../shared/contracts/rates.ts';
import type { TResourceSummary } from '../../shared/contracts/resource.ts';
import type { TSanctionOrderSummary } from '../../shared/contracts/sanction.ts';
import { DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT, XLSX_HEADER_ROW } from '../platform/tabular/report.ts';
import { findAadhaarLike } from './aadhaar-scan.ts';
import { type Client, createTestApp, type TestApp } from './harness.ts';
import { multipart } from './helpers.ts';

/**
 * Issue 12, item 2: every list export reads like a report. Each export is read back as a user's
 * spreadsheet would read it (exceljs, csv-parse): the title block, headers in the request's
 * language, typed and formatted cells (dates, rupees, numbers), yes / no words, and a CSV with
 * the same columns as the Excel file.
 */

let t: TestApp;
let finance: Client;
let fin: Client;

const catalog = (lang: 'en' | 'hi', ns: string) => JSON.parse(readFileSync(new URL(`../../shared/locales/${lang}/${ns}.json`, import.meta.url), 'utf8'));
const hi = {
  common: catalog('hi', 'common'),
  sanction: catalog('hi', 'sanction'),
  contract: catalog('hi', 'contract'),
  rates: catalog('hi', 'rates'),
  resource: catalog('hi', 'resource'),
  ex: catalog('hi', 'export'),
};

beforeAll(async () => {
  t = await createTestApp();
  finance = await t.login('finance_admin');
  fin = await t.login('officeadmin_fin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function as(c: Client, lang: 'en' | 'hi'): Client {
  c.cookies.roams_lang = lang;
  return c;
}

type Sheet = { ws: ExcelJS.Worksheet; title: string[]; headers: string[]; rows: ExcelJS.Row[]; col: (header: string) => number };

async function xlsx(c: Client, url: string): Promise<Sheet> {
  const res = await c.get(url);
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const title = [1, 2, 3, 4, 5].map((n) => String(ws.getRow(n).getCell(1).value ?? ''));
  const headerRow = ws.getRow(XLSX_HEADER_ROW);
  const headers: string[] = [];
  for (let i = 1; i <= ws.columnCount; i++) headers.push(String(headerRow.getCell(i).value ?? ''));
  const rows: ExcelJS.Row[] = [];
  for (let n = XLSX_HEADER_ROW + 1; n <= ws.rowCount; n++) rows.push(ws.getRow(n));
  return {
    ws,
    title,
    headers,
    rows,
    col: (h) => {
      const i = headers.indexOf(h);
      expect(i, `column ${h} in ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
      return i + 1;
    },
  };
}

async function csv(c: Client, url: string): Promise<{ title: string[]; headers: string[]; rows: string[][] }> {
  const res = await c.get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = parse(res.rawPayload, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  return { title: records.slice(0, 5).map((r) => r[0]!), headers: records[5]!, rows: records.slice(6) };
}

/** The fake clock stands at 2026-11-25 05:00 UTC: 10:30 in India. */
const WHEN_IST = '25/11/2026 10:30 IST';

describe('exports read like reports', () => {
  it('sanction orders (Hindi): title block, Hindi headers, real dates, yes / no words; the CSV has the same columns', async () => {
    const c = as(finance, 'hi');
    const s = await xlsx(c, '/api/v1/sanction-orders/export?format=xlsx&locked=true');
    expect(s.title[0]).toBe('स्वीकृति आदेश');
    expect(s.title[1]).toBe(`निर्यातकर्ता: Finance Administrator (${hi.common.roles.finance_admin})`);
    expect(s.title[2]).toBe(`निर्यात का समय: ${WHEN_IST}`);
    expect(s.title[3]).toBe(`फ़िल्टर: लॉक: हाँ`);
    expect(s.ws.getRow(1).font?.bold).toBe(true);
    expect(s.ws.model.merges).toContain(`A1:${s.ws.getColumn(s.headers.length).letter}1`);
    expect(s.ws.views[0]).toMatchObject({ state: 'frozen', ySplit: XLSX_HEADER_ROW });
    expect(s.ws.autoFilter).toBeTruthy();
    expect(s.ws.getRow(XLSX_HEADER_ROW).font?.bold).toBe(true);
    expect(s.headers.slice(0, 2)).toEqual([hi.sanction.field.orderNo, hi.sanction.field.orderDate]);
    expect(s.headers).not.toContain('orderNo');
    expect(s.headers).toContain(`${hi.ex.col.createdAt} (IST)`);
    expect(s.ws.getColumn(1).width).toBeGreaterThan(10);

    const list = (await c.get('/api/v1/sanction-orders?locked=true&pageSize=100')).json() as { items: TSanctionOrderSummary[]; total: number };
    expect(s.rows).toHaveLength(list.total);
    expect(s.title[4]).toBe(`पंक्तियाँ: ${list.total}`);
    const first = list.items.find((o) => o.orderNo === 'FIN/OS/2025/101')!;
    const row = s.rows.find((r) => r.getCell(1).value === first.orderNo)!;
    const date = row.getCell(s.col(hi.sanction.field.orderDate));
    expect(date.value).toBeInstanceOf(Date);
    expect((date.value as Date).toISOString().slice(0, 10)).toBe(first.orderDate);
    expect(date.numFmt).toBe(DATE_FORMAT);
    const lockedAt = row.getCell(s.col(`${hi.sanction.field.lockedAt} (IST)`));
    expect(lockedAt.value).toBeInstanceOf(Date);
    expect(lockedAt.numFmt).toBe(DATETIME_FORMAT);
    // The IST wall clock: the cell shows the time in India, not UTC.
    expect((lockedAt.value as Date).getTime() - new Date(first.lockedAt!).getTime()).toBe(330 * 60_000);
    expect(row.getCell(s.col(hi.ex.col.locked)).value).toBe('हाँ');
    expect(row.getCell(s.col(hi.sanction.kind.label)).value).toBe(hi.sanction.kind[first.kind]);
    expect(row.getCell(s.col(hi.sanction.field.department)).value).toBe(first.departmentNameHi);
    expect(row.getCell(s.col(hi.ex.col.totalPosts)).value).toBe(first.totalPosts);

    const f = await csv(c, '/api/v1/sanction-orders/export?format=csv&locked=true');
    expect(f.title).toEqual(s.title);
    expect(f.headers).toEqual(s.headers);
    expect(f.rows).toHaveLength(s.rows.length);
    const line = f.rows.find((r) => r[0] === first.orderNo)!;
    const [y, m, d] = first.orderDate.split('-');
    expect(line[f.headers.indexOf(hi.sanction.field.orderDate)]).toBe(`${d}/${m}/${y}`);
    expect(line[f.headers.indexOf(hi.ex.col.locked)]).toBe('हाँ');
    expect(f.rows.flat().join(' ')).not.toMatch(/\btrue\b|\bfalse\b|T\d\d:\d\d:\d\d/);
  });

  it('contracts (English): the monthly wage bill in rupees with the ₹ format, status labels, names in English', async () => {
    const c = as(fin, 'en');
    const s = await xlsx(c, '/api/v1/contracts/export?format=xlsx&legacy=true');
    expect(s.title[0]).toBe('Contracts');
    expect(s.title[1]).toBe('Exported by: Finance Office Admin (Office Admin)');
    expect(s.title[2]).toBe(`Exported on: ${WHEN_IST}`);
    expect(s.title[3]).toBe('Filters: Legacy contracts: Yes');
    expect(s.headers).toContain('Monthly wage bill (basic + VDA) (₹)');
    expect(s.headers).toContain('Contract / Work Order Number');

    const summary = ((await c.get('/api/v1/contracts?q=FIN/CIF/2025/112')).json() as { items: TContractSummary[] }).items[0]!;
    const detail = (await c.get(`/api/v1/contracts/${summary.id}`)).json() as TContract;
    const shown = detail.versions.find((v) => v.versionNo === (summary.currentVersionNo ?? summary.draftVersionNo))!;
    const monthlyPaise = shown.posts.reduce((n, p) => n + p.positions * (p.basicPaise + p.vdaPaise), 0);
    expect(monthlyPaise).toBeGreaterThan(0);

    const row = s.rows.find((r) => r.getCell(1).value === summary.contractNo)!;
    const money = row.getCell(s.col('Monthly wage bill (basic + VDA) (₹)'));
    expect(money.type).toBe(ExcelJS.ValueType.Number);
    expect(money.value).toBe(monthlyPaise / 100);
    expect(money.numFmt).toBe(MONEY_FORMAT);
    expect(row.getCell(s.col('Status')).value).toBe({ draft: 'Draft', active: 'Active', expired: 'Expired', terminated: 'Terminated' }[summary.status]);
    expect(row.getCell(s.col('Legacy contract')).value).toBe('Yes');
    expect(row.getCell(s.col('Contracting Office')).value).toBe(summary.officeNameEn);
    expect(row.getCell(s.col('Period to')).value).toEqual(new Date(`${summary.endDate}T00:00:00Z`));

    const f = await csv(c, '/api/v1/contracts/export?format=csv&legacy=true');
    expect(f.headers).toEqual(s.headers);
    const line = f.rows.find((r) => r[0] === summary.contractNo)!;
    expect(line[f.headers.indexOf('Monthly wage bill (basic + VDA) (₹)')]).toBe((monthlyPaise / 100).toFixed(2));
    expect(line[f.headers.indexOf('Registered late')]).toMatch(/^(Yes|No)$/);
  });

  it('contracts (Hindi): status and procurement labels in Hindi, office named in Hindi', async () => {
    const c = as(fin, 'hi');
    const s = await xlsx(c, '/api/v1/contracts/export?format=xlsx&status=active');
    expect(s.title[3]).toBe(`फ़िल्टर: स्थिति: ${hi.contract.status.active}`);
    expect(s.headers).toContain(`${hi.ex.col.monthlyWage} (₹)`);
    expect(s.rows.length).toBeGreaterThan(0);
    for (const r of s.rows) expect(r.getCell(s.col(hi.contract.field.status)).value).toBe(hi.contract.status.active);
    const modes = new Set(s.rows.map((r) => r.getCell(s.col(hi.contract.field.procurementMode)).value));
    for (const m of modes) expect(Object.values(hi.contract.procurement)).toContain(m);
    expect(String(s.rows[0]!.getCell(s.col(hi.contract.field.office)).value)).toMatch(/[\u0900-\u097F]/);
  });

  it('minimum wages (Hindi): rupees as numbers with the ₹ format; CSV plain 12294.00 under a (₹) header', async () => {
    const c = as(finance, 'hi');
    const s = await xlsx(c, '/api/v1/rates/minimum-wages/export?format=xlsx');
    expect(s.title[0]).toBe(hi.ex.title.minimumWages);
    expect(s.title[3]).toBe(`फ़िल्टर: ${hi.ex.noFilters}`);
    const list = (await c.get('/api/v1/rates/minimum-wages?pageSize=100')).json() as { items: TMinimumWage[] };
    const skilled = list.items.find((w) => w.basicPaise === 1_229_400)!;
    const row = s.rows.find((r) => r.getCell(1).value === skilled.skillLevelNameHi)!;
    const basic = row.getCell(s.col(`${hi.rates.col.basic} (₹)`));
    expect(basic.value).toBe(12294);
    expect(basic.numFmt).toBe(MONEY_FORMAT);
    expect(row.getCell(s.col(hi.rates.col.effectiveFrom)).value).toEqual(new Date(`${skilled.effectiveFrom}T00:00:00Z`));
    expect(row.getCell(s.col(hi.ex.col.inForceToday)).value).toBe(skilled.inForceToday ? 'हाँ' : 'नहीं');
    const f = await csv(c, '/api/v1/rates/minimum-wages/export?format=csv');
    expect(f.headers).toEqual(s.headers);
    const line = f.rows.find((r) => r[0] === skilled.skillLevelNameHi)!;
    expect(line[f.headers.indexOf(`${hi.rates.col.basic} (₹)`)]).toBe('12294.00');
  });

  it('resources (Hindi): Hindi headers, dates as dates, status labels, masked numbers only — no Aadhaar-like number anywhere', async () => {
    const c = as(finance, 'hi');
    const r = hi.resource;
    const s = await xlsx(c, '/api/v1/resources/export?format=xlsx');
    expect(s.title[0]).toBe(hi.ex.title.resources);
    expect(s.title[3]).toBe(`फ़िल्टर: ${hi.ex.noFilters}`);
    // The name in the caller's script first, then the other; no raw keys or codes as headers.
    expect(s.headers.slice(0, 3)).toEqual([r.export.id, r.export.nameHi, r.export.nameEn]);
    for (const h of [r.field.relativeName, r.field.dob, r.export.aadhaarMasked, r.field.status, r.field.verification, r.export.bankAccountMasked, r.field.ifsc])
      expect(s.headers).toContain(h);
    expect(s.headers.join(' ')).not.toMatch(/nameEn|aadhaar|kycStatus/);

    const list = (await c.get('/api/v1/resources?pageSize=100')).json() as { items: TResourceSummary[]; total: number };
    expect(list.total).toBeGreaterThan(5);
    expect(s.rows).toHaveLength(list.total);
    const sunita = list.items.find((x) => x.status === 'approved' && x.verificationMethod === 'ekyc_otp' && x.nameHi)!;
    expect(sunita.aadhaarMasked).toMatch(/^XXXX XXXX \d{4}$/);
    const row = s.rows.find((x) => x.getCell(1).value === sunita.id)!;
    expect(row.getCell(s.col(r.export.nameHi)).value).toBe(sunita.nameHi);
    const dob = row.getCell(s.col(r.field.dob));
    expect(dob.value).toEqual(new Date(`${sunita.dob}T00:00:00Z`));
    expect(dob.numFmt).toBe(DATE_FORMAT);
    expect(row.getCell(s.col(r.field.joiningDate)).value).toEqual(new Date(`${sunita.joiningDate}T00:00:00Z`));
    expect(row.getCell(s.col(r.field.status)).value).toBe(r.status.approved);
    expect(row.getCell(s.col(r.field.gender)).value).toBe(r.gender[sunita.gender]);
    expect(row.getCell(s.col(r.field.verification)).value).toBe(r.verification[sunita.verificationMethod!]);
    expect(row.getCell(s.col(r.field.relation)).value).toBe(r.relation.father);
    expect(row.getCell(s.col(r.export.aadhaarMasked)).value).toBe(sunita.aadhaarMasked);
    expect(row.getCell(s.col(r.export.bankAccountMasked)).value).toMatch(/^X{10}\d{4}$/);
    expect(String(row.getCell(s.col(r.export.department)).value)).toMatch(/[\u0900-\u097F]/);
    expect(row.getCell(s.col(r.export.post)).value).toBe(sunita.postNameHi);

    // Filters in words; a relieved person's date and reason as a date and a label.
    const rel = await xlsx(c, '/api/v1/resources/export?format=xlsx&status=relieved');
    expect(rel.title[3]).toBe(`फ़िल्टर: स्थिति: ${r.status.relieved}`);
    const vikas = list.items.find((x) => x.status === 'relieved' && x.relieveReason === 'resigned')!;
    const gone = rel.rows.find((x) => x.getCell(1).value === vikas.id)!;
    expect(gone.getCell(rel.col(r.export.relievedOn)).value).toEqual(new Date(`${vikas.relievedOn}T00:00:00Z`));
    expect(gone.getCell(rel.col(r.export.relieveReason)).value).toBe(r.relieveReason.resigned);
    for (const x of rel.rows) expect(x.getCell(rel.col(r.field.status)).value).toBe(r.status.relieved);

    const f = await csv(c, '/api/v1/resources/export?format=csv');
    expect(f.title).toEqual(s.title);
    expect(f.headers).toEqual(s.headers);
    const line = f.rows.find((x) => x[0] === String(sunita.id))!;
    const [y, m, d] = sunita.dob.split('-');
    expect(line[f.headers.indexOf(r.field.dob)]).toBe(`${d}/${m}/${y}`);
    expect(line[f.headers.indexOf(r.field.status)]).toBe(r.status.approved);

    // Bar P1: every cell of the workbook and the whole CSV, scanned for a full Aadhaar number.
    const cells: string[] = [];
    s.ws.eachRow((x) => x.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells.join('\n')).toContain(sunita.aadhaarMasked);
    expect(findAadhaarLike(cells.join('\n'))).toEqual([]);
    const raw = (await c.get('/api/v1/resources/export?format=csv')).rawPayload.toString('utf8');
    expect(findAadhaarLike(raw)).toEqual([]);
  });

  it('masters (Hindi): a report that still imports back (dry run) with no errors, every master, both formats', async () => {
    const c = as(finance, 'hi');
    const s = await xlsx(c, '/api/v1/org/departments/export?format=xlsx');
    expect(s.title[0]).toBe(`संगठन मास्टर: ${catalog('hi', 'org').masters.departments}`);
    expect(s.headers).toEqual(['code', 'nameEn', 'nameHi', 'active'].map((k) => catalog('hi', 'org').field[k]));
    expect(new Set(s.rows.map((r) => r.getCell(4).value))).toEqual(new Set(['हाँ']));
    for (const m of MASTERS) {
      for (const format of ['csv', 'xlsx'] as const) {
        const ex = await c.get(`/api/v1/org/${m}/export?format=${format}`);
        expect(ex.statusCode, `${m} ${format}`).toBe(200);
        const back = await c.request({
          method: 'POST',
          url: `/api/v1/org/${m}/import?dryRun=true`,
          ...multipart({}, { field: 'file', name: `x.${format}`, bytes: ex.rawPayload, type: 'application/octet-stream' }),
        });
        const r = back.json();
        expect(r.errors, `${m} ${format}`).toEqual([]);
        expect([r.created, r.updated], `${m} ${format}`).toEqual([0, 0]);
      }
    }
  });
});
