import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_COLUMNS, BULK_SHEETS, type TBulkColumn, type TBulkReport } from '../../../shared/contracts/resource-bulk.ts';
import type { TResource, TResourceSummary } from '../../../shared/contracts/resource.ts';
import { verhoeffDigit, verhoeffValid } from '../../../shared/domain/aadhaar.ts';
import { verifyAuditChain } from '../../platform/audit/audit.service.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import type { Client, TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { PDF, type ResourceIds, resourceWorld } from './resource.world.fixtures.ts';

/**
 * Bulk onboarding of resources (issue 14 item 1) against the real engine (PGlite, or PostgreSQL
 * with TEST_DATABASE_URL): the template, the dry run naming every bad row (each rule of the single
 * add form, duplicates inside the file, the Aadhaar checksum), files that are refused whole (not
 * a spreadsheet, a formula, an extra sheet, another contract's template), the import of the good
 * rows (Devanagari names intact, audited), idempotency, and who may do it.
 */

let t: TestApp;
let agency: Client; // agency_admin: agency 1
let agency2: Client; // admin of agency 2
let dm: Client; // department manager, office 79
let ids: ResourceIds & { contractA2: number }; // contract A2: agency 1's second contract, for "another contract's template"
const { start, bodies, keep, contract } = resourceWorld();
const { refused } = checksOn(() => t.database);

function aadhaar(first = '6'): string {
  const partial = first + String(Math.floor(Math.random() * 1e10)).padStart(10, '0');
  return partial + verhoeffDigit(partial);
}

type Row = Partial<Record<TBulkColumn, string | Date>>;
let seq = 0;
/** A good row (every value as the single add form accepts it); `over` changes some. */
function row(over: Row = {}): Row {
  seq += 1;
  return {
    nameEn: `Bulk Worker ${seq}`,
    nameHi: 'रामेश्वर प्रसाद त्रिपाठी',
    relation: 'Father',
    relativeName: 'श्री गोविंद त्रिपाठी',
    dob: new Date(Date.UTC(1992, 4, 17)),
    gender: 'Male',
    mobile: `7${String(Date.now() % 1e5).padStart(5, '0')}${String(seq).padStart(4, '0')}`,
    address: 'वार्ड 4, भोपाल',
    qualification: 'High school (10th)',
    post: '',
    bankAccount: `4${String(Date.now() % 1e7).padStart(7, '0')}${String(seq).padStart(5, '0')}`,
    ifsc: 'sbin0001308',
    uan: '',
    esicIp: '',
    ...over,
  };
}

async function template(c: Client, contractId: number): Promise<ExcelJS.Workbook> {
  const res = await c.get(`/api/v1/resources/bulk/template?contractId=${contractId}`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

/** The template of `contractId`, filled with `rows` under the template's own headers; `edit` may spoil it. */
async function filled(contractId: number, rows: Row[], edit?: (wb: ExcelJS.Workbook) => void, c: Client = agency): Promise<Buffer> {
  const wb = await template(c, contractId);
  const ws = wb.getWorksheet(BULK_SHEETS.data)!;
  const post = wb.getWorksheet(BULK_SHEETS.lists)!.getCell('A2').value as string;
  rows.forEach((r, i) => {
    BULK_COLUMNS.forEach((col, j) => {
      const v = col === 'post' && r.post === '' ? post : r[col];
      if (v !== undefined) ws.getCell(i + 2, j + 1).value = v;
    });
  });
  edit?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(file: Buffer, contractId: number, dryRun: boolean, c: Client = agency, name = 'resources.xlsx') {
  const m = multipart({}, { field: 'file', name, bytes: file, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const res = await c.request({
    method: 'POST',
    url: `/api/v1/resources/bulk?contractId=${contractId}&dryRun=${dryRun}`,
    payload: m.payload,
    headers: m.headers,
  });
  return keep(res);
}

async function count(contractId: number): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from resources where contract_id = ${contractId}`);
  return r.rows[0]!.n;
}

beforeAll(async () => {
  let world: ResourceIds;
  ({ t, agency, agency2, dm, ids: world } = await start({ sanctioned: 6, contractA: 2 }));
  ids = { ...world, contractA2: await contract(1, 2) };
}, 240_000);
afterAll(async () => {
  await t?.close();
});

describe('bulk onboarding — the template', () => {
  it("has the contract's posts as a list, headers in the user's language, an instructions sheet and a date column", async () => {
    const wb = await template(agency, ids.contractA);
    expect(wb.worksheets.map((w) => w.name)).toEqual([BULK_SHEETS.data, BULK_SHEETS.instructions, BULK_SHEETS.lists]);
    const heads = (wb.getWorksheet(BULK_SHEETS.data)!.getRow(1).values as string[]).slice(1);
    expect(heads).toHaveLength(BULK_COLUMNS.length);
    expect(heads[1]).toMatch(/[\u0900-\u097F]/); // the agency admin works in Hindi (the default)
    agency.cookies.roams_lang = 'en';
    const wbEn = await template(agency, ids.contractA).finally(() => delete agency.cookies.roams_lang);
    expect(wbEn.getWorksheet(BULK_SHEETS.data)!.getCell('E1').value).toBe('Date of birth');
    expect(wbEn.getWorksheet(BULK_SHEETS.lists)!.getCell('A2').value).toMatch(/Peon/i);
    expect(wbEn.getWorksheet(BULK_SHEETS.data)!.getColumn(5).numFmt).toBe('dd/mm/yyyy');
  });

  it("refuses another agency's contract, and department users", async () => {
    expect((await agency.get(`/api/v1/resources/bulk/template?contractId=${ids.contractB}`)).statusCode).toBe(400);
    expect((await dm.get(`/api/v1/resources/bulk/template?contractId=${ids.contractA}`)).statusCode).toBe(403);
    expect((await t.anon.get(`/api/v1/resources/bulk/template?contractId=${ids.contractA}`)).statusCode).toBe(401);
  });
});

describe('bulk onboarding — the dry run lists every bad row, saves nothing', () => {
  it('names row, column and reason for each rule of the add form and each duplicate in the file', async () => {
    const dupAadhaar = aadhaar();
    const rows: Row[] = [
      row({ aadhaar: dupAadhaar }), // 2 good
      row({ nameEn: '', nameHi: '' }), // 3 no name
      row({ dob: new Date(Date.UTC(2015, 0, 1)) }), // 4 under age
      row({ dob: '31/02/1990' }), // 5 no such date
      row({ mobile: '12345' }), // 6 mobile
      row({ ifsc: 'SBIN1234' }), // 7 IFSC malformed
      row({ bankAccount: '12AB5678901' }), // 8 bank account letters
      row({ uan: '10012345678' }), // 9 UAN of 11 digits
      row({ esicIp: '12345678901' }), // 10 ESIC 11 digits
      row({ post: 'Driver — Skilled' }), // 11 post not in contract
      row({ aadhaar: `${dupAadhaar.slice(0, 11)}${(Number(dupAadhaar[11]) + 1) % 10}` }), // 12 Verhoeff
      row({ aadhaar: dupAadhaar }), // 13 the same Aadhaar as row 2
      row({ mobile: '' }), // 14 required
      row({ gender: 'X' }), // 15 not a choice
    ];
    rows.push({ ...row(), mobile: rows[0]!.mobile as string }); // 16 the same mobile as row 2
    rows.push({ ...row(), bankAccount: rows[0]!.bankAccount as string }); // 17 the same bank account as row 2
    const file = await filled(ids.contractA, rows);
    const before = await count(ids.contractA);
    const r = await upload(file, ids.contractA, true);
    expect(r.statusCode, r.body).toBe(200);
    const rep = r.json() as TBulkReport;
    expect(await count(ids.contractA)).toBe(before);
    expect(rep).toMatchObject({ dryRun: true, rows: 16, good: 1, created: 0 });
    const got = rep.errors.map((e) => `${e.row}:${e.field}:${e.code}`);
    expect(got).toEqual([
      '3:nameEn:required',
      '4:dob:age_out_of_range',
      '5:dob:date_not_exist',
      '6:mobile:mobile_format',
      '7:ifsc:ifsc_format',
      '8:bankAccount:bank_account_format',
      '9:uan:uan_format',
      '10:esicIp:esic_ip_format',
      '11:post:post_not_in_contract',
      '12:aadhaar:aadhaar_checksum',
      '13:aadhaar:duplicate_in_file',
      '14:mobile:required',
      '15:gender:invalid_value',
      '16:mobile:duplicate_in_file',
      '17:bankAccount:duplicate_in_file',
    ]);
    // Messages in the user's language; the duplicate names the earlier row; no Aadhaar number anywhere.
    expect(rep.errors.find((e) => e.row === 13)!.message).toContain('2');
    expect(rep.errors.every((e) => /[\u0900-\u097F]/.test(e.message))).toBe(true);
    expect(r.body).not.toContain(dupAadhaar);
  });
});

describe('bulk onboarding — files refused whole', () => {
  it('a PDF renamed .xlsx', async () => {
    await refused(() => upload(PDF, ids.contractA, true, agency, 'workers.xlsx'), 415, 'unsupported_media_type', 'file');
  });
  it('a formula', async () => {
    const file = await filled(ids.contractA, [row()], (wb) => {
      wb.getWorksheet(BULK_SHEETS.data)!.getCell('H2').value = { formula: 'CONCAT("a","b")', result: 'ab' };
    });
    const r = await refused(() => upload(file, ids.contractA, false), 422, 'bulk_template_invalid', 'file');
    expect(r.json().errors![0]!.code).toBe('file_has_formula');
  });
  it('a formula on another sheet, and a shared formula', async () => {
    const inLists = await filled(ids.contractA, [row()], (wb) => {
      wb.getWorksheet(BULK_SHEETS.lists)!.getCell('Z1').value = { formula: '1+1', result: 2 };
    });
    const r = await refused(() => upload(inLists, ids.contractA, false), 422, 'bulk_template_invalid', 'file');
    expect(r.json().errors![0]).toMatchObject({ code: 'file_has_formula', params: { cell: `${BULK_SHEETS.lists}!Z1` } });
    const shared = await filled(ids.contractA, [row(), row()], (wb) => {
      const ws = wb.getWorksheet(BULK_SHEETS.data)!;
      ws.getCell('D2').value = { formula: 'UPPER("a")', result: 'A', shareType: 'shared', ref: 'D2:D3' } as ExcelJS.CellValue;
      ws.getCell('D3').value = { sharedFormula: 'D2', result: 'A' } as ExcelJS.CellValue;
    });
    const s = await refused(() => upload(shared, ids.contractA, true), 422, 'bulk_template_invalid', 'file');
    expect(s.json().errors![0]!.code).toBe('file_has_formula');
  });
  it('a damaged workbook (cut short) and a file that only starts like one', async () => {
    const good = await filled(ids.contractA, [row()]);
    await refused(() => upload(good.subarray(0, Math.floor(good.length * 0.6)), ids.contractA, true), 415, 'unsupported_media_type', 'file');
    const fake = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]);
    await refused(() => upload(fake, ids.contractA, true, agency, 'workers.xlsx'), 415, 'unsupported_media_type', 'file');
  });
  it('an extra sheet', async () => {
    const file = await filled(ids.contractA, [row()], (wb) => wb.addWorksheet('notes'));
    const r = await refused(() => upload(file, ids.contractA, false), 422, 'bulk_template_invalid', 'file');
    expect(r.json().errors![0]!.code).toBe('file_extra_sheet');
  });
  it('the template of another contract of the same agency', async () => {
    const file = await filled(ids.contractA2, [row()]);
    const r = await refused(() => upload(file, ids.contractA, false), 422, 'bulk_template_invalid', 'file');
    expect(r.json().errors![0]!.code).toBe('template_other_contract');
  });
  it('a workbook that is not the template', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet(BULK_SHEETS.data).addRow(['a', 'b']);
    const r = await refused(async () => upload(Buffer.from(await wb.xlsx.writeBuffer()), ids.contractA, false), 422, 'bulk_template_invalid', 'file');
    expect(r.json().errors![0]!.code).toBe('template_unknown');
  });
});

describe('bulk onboarding — who may', () => {
  it("an agency cannot upload under another agency's contract; department users cannot bulk add", async () => {
    const file = await filled(ids.contractB, [row()], undefined, agency2);
    await refused(() => upload(file, ids.contractB, false, agency), 400, 'validation_failed', 'contractId');
    await refused(() => upload(file, ids.contractB, false, dm), 403, 'forbidden');
    await refused(() => upload(file, ids.contractB, false, t.anon), 401, 'unauthenticated');
  });
});

describe('bulk onboarding — import', () => {
  it('imports the good rows as drafts awaiting e-KYC, Devanagari intact, audited; the same file twice creates them once', async () => {
    const a = aadhaar();
    const rows = [row({ aadhaar: a, nameEn: '' }), row({ mobile: 'bad' }), row({ nameHi: 'क्षत्रिय ज्ञानेश्वर श्रीवास्तव' })];
    const file = await filled(ids.contractA, rows);
    const before = await count(ids.contractA);
    const r = await upload(file, ids.contractA, false);
    expect(r.statusCode, r.body).toBe(200);
    const rep = r.json() as TBulkReport;
    expect(rep).toMatchObject({ dryRun: false, rows: 3, good: 2, created: 2, alreadyImported: false });
    expect(rep.errors.map((e) => `${e.row}:${e.field}`)).toEqual(['3:mobile']);
    expect(await count(ids.contractA)).toBe(before + 2);
    expect(r.body).not.toContain(a);

    const list = (await agency.get(`/api/v1/resources?contractId=${ids.contractA}&pageSize=100`)).json() as { items: TResourceSummary[] };
    const first = list.items.find((x) => x.mobile === rows[0]!.mobile)!;
    const third = list.items.find((x) => x.mobile === rows[2]!.mobile)!;
    expect(first).toMatchObject({ status: 'draft', kycStatus: 'none', nameEn: '', nameHi: 'रामेश्वर प्रसाद त्रिपाठी', dob: '1992-05-17' });
    expect(first.aadhaarMasked).toBe(`XXXX XXXX ${a.slice(-4)}`);
    expect(third.nameHi).toBe('क्षत्रिय ज्ञानेश्वर श्रीवास्तव'.normalize('NFC'));
    const full = (await agency.get(`/api/v1/resources/${third.id}`)).json() as TResource;
    expect(full).toMatchObject({ ifsc: 'SBIN0001308', relation: 'father', qualification: 'secondary', gender: 'M', relativeName: 'श्री गोविंद त्रिपाठी' });

    // One batch entry naming the count, and one per resource; no Aadhaar number in the trail.
    const db = t.database.db;
    const batch = await db.select().from(auditLog).where(eq(auditLog.action, 'bulk_import'));
    expect(batch.some((e) => (e.after as { created: number; batchId: number }).created === 2 && (e.after as { batchId: number }).batchId === rep.batchId)).toBe(
      true,
    );
    const per = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'resource' and action = 'create' and entity_id in (${String(first.id)}, ${String(third.id)})`,
    );
    expect(per.rows[0]!.n).toBe(2);
    const trail = await db.execute<{ s: string }>(sql`select coalesce(string_agg(after::text, ' '), '') as s from audit_log where entity = 'resource'`);
    expect(trail.rows[0]!.s).not.toContain(a);
    // The entries written many at a time keep the hash chain whole.
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, firstBadSeq: null });

    // The same file again: nothing created, told so.
    const again = await upload(file, ids.contractA, false);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, alreadyImported: true, batchId: rep.batchId });
    expect(await count(ids.contractA)).toBe(before + 2);

    // The rows fixed and uploaded in a new file: the ones added already are refused, the fixed one imported.
    const fixed = await filled(ids.contractA, [rows[0]!, { ...rows[1]!, mobile: '9123400000' }]);
    const next = (await upload(fixed, ids.contractA, false)).json() as TBulkReport;
    expect(next.errors.map((e) => `${e.row}:${e.field}:${e.code}`)).toEqual(['2:mobile:already_added', '2:aadhaar:aadhaar_already_deployed']);
    expect(next.created).toBe(1);
    expect(await count(ids.contractA)).toBe(before + 3);
  });

  it('two uploads of one file at the same moment create its rows once', async () => {
    const file = await filled(ids.contractA, [row(), row()]);
    const before = await count(ids.contractA);
    const res = await Promise.all([upload(file, ids.contractA, false), upload(file, ids.contractA, false)]);
    expect(res.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(res.map((r) => (r.json() as TBulkReport).created).sort()).toEqual([0, 2]);
    expect(await count(ids.contractA)).toBe(before + 2);
  });
});

describe('bulk onboarding — no Aadhaar number leaves the vault', () => {
  it('no response of this file holds a 12-digit Verhoeff-valid number', () => {
    expect(bodies.length).toBeGreaterThan(10);
    const hits = bodies.flatMap((b) => [...b.matchAll(/(?<!\d)\d{12}(?!\d)/g)].map((m) => m[0]).filter((n) => /^[2-9]/.test(n) && verhoeffValid(n)));
    expect(hits).toEqual([]);
  });
});
