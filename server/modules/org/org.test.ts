import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { readTable } from '../../platform/tabular/tabular.ts';
import { masterHeaderAliases } from './org.export.ts';
import { MASTER_DEFS } from './org.masters.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { MASTERS } from '../../../shared/contracts/org.ts';
import { departments, districts, hods, offices, postNames, treasuries } from './org.table.ts';

let t: TestApp;
let fin: Client;
let dm: Client;
let auditor: Client;
let finHodId: number;
let bhopalId: number;
let bhopalTreasuryId: number;

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('finance_admin');
  dm = await t.login('officeadmin_fin');
  auditor = await t.login('auditor_state');
  const db = t.database.db;
  const [h] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  finHodId = h!.id;
  const [b] = await db.select().from(districts).where(eq(districts.nameEn, 'Bhopal'));
  bhopalId = b!.id;
  const [tr] = await db.select().from(treasuries).where(eq(treasuries.districtId, bhopalId));
  bhopalTreasuryId = tr!.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function upload(c: Client, url: string, content: string | Buffer, filename = 'data.csv') {
  const boundary = `----roams${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return c.request({ method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

const newOffice = (over: Record<string, unknown> = {}) => ({
  id: 90001,
  nameEn: 'Treasury Training Cell, Bhopal',
  nameHi: 'कोषालय प्रशिक्षण प्रकोष्ठ, भोपाल',
  hodId: finHodId,
  districtId: bhopalId,
  treasuryId: bhopalTreasuryId,
  address: 'Vindhyachal Bhawan',
  phone: '0755-2551234',
  ...over,
});

describe('lists', () => {
  it('every master lists for a reader, paged on the server', async () => {
    for (const m of MASTERS) {
      const res = await auditor.get(`/api/v1/org/${m}?pageSize=5`);
      expect(res.statusCode, m).toBe(200);
      const body = res.json();
      expect(body.items.length, m).toBeLessThanOrEqual(5);
      expect(body.total, m).toBeGreaterThan(0);
    }
  });

  it('pages, sorts and filters offices on the server', async () => {
    const p1 = (await dm.get('/api/v1/org/offices?pageSize=3&page=1&sort=id&dir=desc')).json();
    const p2 = (await dm.get('/api/v1/org/offices?pageSize=3&page=2&sort=id&dir=desc')).json();
    expect(p1.items).toHaveLength(3);
    const ids = [...p1.items, ...p2.items].map((o: { id: number }) => o.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(6);

    const byHod = (await dm.get(`/api/v1/org/offices?hodId=${finHodId}&pageSize=50`)).json();
    expect(byHod.items.map((o: { id: number }) => o.id).sort()).toEqual([4881, 79]);
    expect(byHod.items[0].hod.code).toBe('FIN-CIF');
    expect(byHod.items[0].department.nameHi).toBe('वित्त विभाग');

    const q = (await dm.get(`/api/v1/org/offices?q=${encodeURIComponent('संस्थागत वित्त')}`)).json();
    expect(q.items.some((o: { id: number }) => o.id === 4881)).toBe(true);
    const byId = (await dm.get('/api/v1/org/offices?q=4881')).json();
    expect(byId.items.map((o: { id: number }) => o.id)).toContain(4881);
  });

  it('sorts districts by Hindi name and filters hods by department', async () => {
    const res = (await dm.get('/api/v1/org/districts?sort=code&dir=asc&pageSize=3')).json();
    expect(res.items.map((d: { code: string }) => d.code)).toEqual(['01', '02', '03']);
    const [fin] = await t.database.db.select().from(departments).where(eq(departments.code, 'FIN'));
    const h = (await dm.get(`/api/v1/org/hods?departmentId=${fin!.id}`)).json();
    expect(h.items.map((x: { code: string }) => x.code).sort()).toEqual(['FIN-CIF', 'FIN-DTA']);
  });

  it('refuses a bad query (page 0) with a 400', async () => {
    const res = await dm.get('/api/v1/org/offices?page=0');
    expect(res.statusCode).toBe(400);
  });
});

describe('writes', () => {
  it('Finance creates an office with the given numeric id; its department comes from the HOD; audited', async () => {
    const res = await fin.post('/api/v1/org/offices', newOffice());
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o.id).toBe(90001);
    expect(o.department.code).toBe('FIN');
    const [a] = await t.database.db.select().from(auditLog).where(eq(auditLog.entity, 'office')).orderBy(sql`seq desc`).limit(1);
    expect(a?.action).toBe('create');
    expect((a!.after as { nameHi: string }).nameHi).toBe('कोषालय प्रशिक्षण प्रकोष्ठ, भोपाल');
  });

  it('a new post name or skill level is answered with itself, not the first on the list', async () => {
    const res = await fin.post('/api/v1/org/post-names', { code: 'lift_operator', nameEn: 'Lift Operator', nameHi: 'लिफ्ट ऑपरेटर' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'lift_operator', nameEn: 'Lift Operator', nameHi: 'लिफ्ट ऑपरेटर' });
    const id = res.json().id as number;
    const upd = await fin.put(`/api/v1/org/post-names/${id}`, { code: 'lift_operator', nameEn: 'Lift Operator (Senior)', nameHi: 'लिफ्ट ऑपरेटर' });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ id, nameEn: 'Lift Operator (Senior)' });
  });

  it('a duplicate office id or code is a 409 naming the field, and nothing changes', async () => {
    const before = await dbFingerprint(t.database);
    const dup = await fin.post('/api/v1/org/offices', newOffice({ id: 79 }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors).toEqual([expect.objectContaining({ field: 'id', code: 'duplicate' })]);
    const dupCode = await fin.post('/api/v1/org/post-names', { code: 'driver', nameEn: 'Driver 2', nameHi: 'चालक' });
    expect(dupCode.statusCode).toBe(409);
    expect(dupCode.json().errors[0].field).toBe('code');
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('bad input → 400 with field errors, nothing saved', async () => {
    const before = await dbFingerprint(t.database);
    const bad = await fin.post('/api/v1/org/offices', newOffice({ id: 90002, nameEn: '', hodId: 999999, phone: 'abc', extra: 1 }));
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['nameEn', 'phone']));
    const badRef = await fin.post('/api/v1/org/offices', newOffice({ id: 90002, hodId: 999999 }));
    expect(badRef.statusCode).toBe(400);
    expect(badRef.json().errors).toEqual([expect.objectContaining({ field: 'hodId', code: 'not_found' })]);
    const badBl = await fin.post('/api/v1/org/budget-lines', {
      demandNo: '06',
      majorHead: '205',
      subMajorHead: '00',
      minorHead: '001',
      subHead: '01',
      detailedHead: '31',
      objectHead: '007',
      schemeNameEn: 'x',
      schemeNameHi: 'x',
      departmentId: 1,
    });
    expect(badBl.statusCode).toBe(400);
    expect(badBl.json().errors[0].field).toBe('majorHead');
    const badUpd = await fin.put('/api/v1/org/offices/90001', { ...newOffice(), id: undefined, nameHi: '' });
    expect(badUpd.statusCode).toBe(400);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('updates an office (moving it to another HOD moves its department), with before/after in the audit', async () => {
    const [dta] = await t.database.db.select().from(hods).where(eq(hods.code, 'SED-DPI'));
    const { id: _id, ...fields } = newOffice({ hodId: dta!.id, nameEn: 'Training Cell (moved)' });
    const res = await fin.put('/api/v1/org/offices/90001', fields);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().department.code).toBe('SED');
    const [row] = await t.database.db.select().from(offices).where(eq(offices.id, 90001));
    expect(row?.nameEn).toBe('Training Cell (moved)');
    const [a] = await t.database.db.select().from(auditLog).where(eq(auditLog.entity, 'office')).orderBy(sql`seq desc`).limit(1);
    expect(a?.action).toBe('update');
    expect((a!.before as { nameEn: string }).nameEn).toBe('Treasury Training Cell, Bhopal');
    const missing = await fin.put('/api/v1/org/offices/999999', fields);
    expect(missing.statusCode).toBe(404);
  });

  it('deactivates (never deletes) and reactivates; the active filter follows', async () => {
    const res = await fin.post('/api/v1/org/offices/90001/deactivate');
    expect(res.json().active).toBe(false);
    const [row] = await t.database.db.select().from(offices).where(eq(offices.id, 90001));
    expect(row?.active).toBe(false);
    const inactive = (await dm.get('/api/v1/org/offices?active=false')).json();
    expect(inactive.items.map((o: { id: number }) => o.id)).toEqual([90001]);
    expect((await fin.post('/api/v1/org/offices/90001/activate')).json().active).toBe(true);
  });

  it('non-finance roles get 403 on every write', async () => {
    const office = await t.login('officeadmin_state');
    const before = await dbFingerprint(t.database);
    for (const c of [dm, auditor, office]) {
      expect((await c.post('/api/v1/org/offices', newOffice({ id: 90003 }))).statusCode).toBe(403);
      expect((await c.put('/api/v1/org/offices/79', newOffice())).statusCode).toBe(403);
      expect((await c.post('/api/v1/org/offices/79/deactivate')).statusCode).toBe(403);
      expect((await upload(c, '/api/v1/org/post-names/import?dryRun=false', 'code,nameEn,nameHi,active\nx,X,एक्स,true\n')).statusCode).toBe(403);
      expect((await c.put('/api/v1/org/state-settings', { nameEn: 'X', nameHi: 'X', gstStateCode: '23', currentFyStart: 2026 })).statusCode).toBe(403);
    }
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('mappings are added and removed, with a duplicate refused', async () => {
    const [ddo] = (await dm.get('/api/v1/org/ddo-codes?officeId=79')).json().items;
    const add = await fin.post('/api/v1/org/ddo-office-map', { ddoCodeId: ddo.id, officeId: 90001 });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json().ddoCode.code).toBe(ddo.code);
    const again = await fin.post('/api/v1/org/ddo-office-map', { ddoCodeId: ddo.id, officeId: 90001 });
    expect(again.statusCode).toBe(409);
    expect((await fin.del(`/api/v1/org/ddo-office-map/${ddo.id}/90001`)).statusCode).toBe(200);
    expect((await fin.del(`/api/v1/org/ddo-office-map/${ddo.id}/90001`)).statusCode).toBe(404);
  });

  it('state settings read and save', async () => {
    const s = (await dm.get('/api/v1/org/state-settings')).json();
    expect(s.gstStateCode).toBe('23');
    const bad = await fin.put('/api/v1/org/state-settings', { ...s, gstStateCode: '2A' });
    expect(bad.statusCode).toBe(400);
    const ok = await fin.put('/api/v1/org/state-settings', { ...s, helpPhone: '0755-2551001' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().helpPhone).toBe('0755-2551001');
  });
});

describe('import and export', () => {
  const header = 'code,nameEn,nameHi,active';

  it('a dry run lists every bad row with field and translated reason, and saves nothing', async () => {
    const before = await dbFingerprint(t.database);
    const csv = [
      header,
      'cook,Cook,रसोइया,true',
      ',Gardener,माली,true', // row 3: code missing
      'driver,Driver,वाहन चालक,true', // existing key → update, fine
      'cook,Cook again,रसोइया,true', // row 5: duplicate in file
      'lift op,Lift operator,लिफ्ट ऑपरेटर,maybe', // row 6: bad code and active
    ].join('\n');
    const res = await upload(fin, '/api/v1/org/post-names/import?dryRun=true', csv);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.saved).toBe(false);
    expect(r.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [3, 'code', 'required'],
      [5, 'code', 'duplicate'],
      [6, 'code', 'invalid_format'],
      [6, 'active', 'invalid_value'],
    ]);
    expect(r.errors[0].message).toMatch(/[\u0900-\u097F]/);
    // The same bad file confirmed: still nothing saved.
    const confirm = await upload(fin, '/api/v1/org/post-names/import?dryRun=false', csv);
    expect(confirm.json().saved).toBe(false);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it("reasons come in the caller's language", async () => {
    const csv = `${header}\n,Gardener,माली,true\n`;
    const hi = await upload(fin, '/api/v1/org/post-names/import?dryRun=true', csv);
    fin.cookies.roams_lang = 'en';
    const en = await upload(fin, '/api/v1/org/post-names/import?dryRun=true', csv);
    delete fin.cookies.roams_lang;
    expect(en.json().errors[0].message).toBe('This field is required.');
    expect(hi.json().errors[0].message).not.toBe('This field is required.');
  });

  it('offices import checks references by code and reports unknown ones', async () => {
    const before = await dbFingerprint(t.database);
    const csv =
      'id,nameEn,nameHi,hodCode,districtCode,treasuryCode,address,phone,active\n90010,Office A,कार्यालय अ,FIN-CIF,01,T01,,,true\n90011,Office B,कार्यालय ब,NOPE,01,T99,,,\n';
    const r = (await upload(fin, '/api/v1/org/offices/import?dryRun=true', csv)).json();
    expect(r.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [3, 'hodCode', 'not_found'],
      [3, 'treasuryCode', 'not_found'],
    ]);
    const wrongHeaders = (await upload(fin, '/api/v1/org/offices/import?dryRun=true', 'id,name\n1,x\n')).json();
    expect(wrongHeaders.errors.some((e: { row: number; field: string; code: string }) => e.row === 1 && e.field === 'nameEn' && e.code === 'required')).toBe(
      true,
    );
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('a clean file: the dry run counts, the confirm saves every row in one go (audited)', async () => {
    const csv = `\uFEFF${header}\r\ncook,Cook,रसोइया,true\r\ngardener,"Gardener, senior",माली,true\r\ndriver,Driver,वाहन चालक (हल्का),true\r\n`;
    const dry = (await upload(fin, '/api/v1/org/post-names/import?dryRun=true', csv)).json();
    expect(dry).toMatchObject({ rows: 3, created: 2, updated: 1, errors: [], saved: false });
    const [{ n: auditBefore }] = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log`)).rows as [{ n: number }];
    const done = (await upload(fin, '/api/v1/org/post-names/import?dryRun=false', csv)).json();
    expect(done).toMatchObject({ created: 2, updated: 1, saved: true });
    const rows = await t.database.db.select().from(postNames).where(sql`${postNames.code} in ('cook','gardener','driver')`);
    expect(rows.map((r) => r.nameHi).sort()).toEqual(['माली', 'रसोइया', 'वाहन चालक (हल्का)'].sort());
    expect(rows.find((r) => r.code === 'gardener')?.nameEn).toBe('Gardener, senior');
    const [{ n: auditAfter }] = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log`)).rows as [{ n: number }];
    expect(auditAfter - auditBefore).toBe(3);
  });

  it('export round-trip: CSV and Excel exports of every master import back (dry run) with no errors, Hindi intact', async () => {
    for (const m of MASTERS) {
      for (const format of ['csv', 'xlsx'] as const) {
        const ex = await fin.get(`/api/v1/org/${m}/export?format=${format}`);
        expect(ex.statusCode, `${m} ${format}`).toBe(200);
        expect(ex.headers['content-disposition']).toContain(`.${format}`);
        const buf = ex.rawPayload;
        if (format === 'csv') expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const back = await upload(fin, `/api/v1/org/${m}/import?dryRun=true`, buf, `x.${format}`);
        const r = back.json();
        expect(r.errors, `${m} ${format}`).toEqual([]);
        expect(r.created, `${m} ${format}`).toBe(0);
        expect(r.updated, `${m} ${format}`).toBe(0);
        expect(r.rows).toBeGreaterThan(0);
      }
    }
    const xlsx = (await fin.get('/api/v1/org/departments/export?format=xlsx')).rawPayload;
    // An export is a report (title block, headers in words): read back by its header words.
    const table = await readTable(xlsx, { aliases: masterHeaderAliases(MASTER_DEFS.departments) });
    expect(table.rows.map((r) => r.cells.nameHi)).toContain('सामान्य प्रशासन विभाग');
    const csvBuf = (await fin.get('/api/v1/org/offices/export?format=csv&q=4881')).rawPayload;
    expect(csvBuf.toString('utf8')).toContain('सहायक संचालक, संस्थागत वित्त संचालनालय भोपाल');
    const offices4881 = await readTable(csvBuf, { aliases: masterHeaderAliases(MASTER_DEFS.offices) });
    expect(offices4881.rows.map((r) => r.cells.id)).toEqual(['4881']);
  });

  it('an XLSX import saves Hindi unchanged', async () => {
    const { writeXlsx } = await import('../../platform/tabular/tabular.ts');
    const file = await writeXlsx(
      [
        { key: 'code', value: (r: string[]) => r[0] },
        { key: 'nameEn', value: (r) => r[1] },
        { key: 'nameHi', value: (r) => r[2] },
        { key: 'active', value: () => 'true' },
      ],
      [['mali2', 'Gardener II', 'माली द्वितीय श्रेणी']],
    );
    const r = (await upload(fin, '/api/v1/org/post-names/import?dryRun=false', file, 'x.xlsx')).json();
    expect(r).toMatchObject({ saved: true, created: 1 });
    const [row] = await t.database.db.select().from(postNames).where(eq(postNames.code, 'mali2'));
    expect(row?.nameHi).toBe('माली द्वितीय श्रेणी');
  });

  it('refuses a non-file request and a binary non-spreadsheet', async () => {
    expect((await fin.post('/api/v1/org/post-names/import?dryRun=true', {})).statusCode).toBe(415);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect((await upload(fin, '/api/v1/org/post-names/import?dryRun=true', png, 'x.csv')).statusCode).toBe(415);
  });

  it('a large file (over 1 MB) is accepted; 2,000 new offices are saved in one transaction', async () => {
    const lines = ['id,nameEn,nameHi,hodCode,districtCode,treasuryCode,address,phone,active'];
    for (let i = 0; i < 2000; i++)
      lines.push(`${200000 + i},Bulk office ${i} ${'x'.repeat(170)},थोक कार्यालय ${i} ${'क'.repeat(50)},FIN-DTA,01,T01,"Bhopal, MP ${'y'.repeat(270)}",,true`);
    const csv = lines.join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
    const r = (await upload(fin, '/api/v1/org/offices/import?dryRun=false', csv)).json();
    expect(r).toMatchObject({ rows: 2000, created: 2000, saved: true, errors: [] });
    const [{ n }] = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from offices where id >= 200000`)).rows as [{ n: number }];
    expect(n).toBe(2000);
  }, 120_000);
});
