import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { districts, hods, treasuries } from './org.table.ts';

/**
 * The organisation masters' routes that change state (Finance's offices, departments, districts,
 * DDO codes, mappings, state settings, imports), each fired 20 times at once on PGlite and on
 * PostgreSQL (TEST_DATABASE_URL): a create is one row, the others 409 duplicate; an edit, a
 * deactivation or a settings save is done and audited once, with the true 'before'; a mapping is
 * added and removed once; an import's rows are written once.
 */
const N = 20;
let t: TestApp;
let fin: Client;
let office: Record<string, unknown>;
const db = () => t.database.db;
type Audit = { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
const auditsOf = async (entity: string, id: number | string, action: string) =>
  (
    await db().execute<Audit>(
      sql`select before, after from audit_log where entity = ${entity} and entity_id = ${String(id)} and action = ${action} order by seq`,
    )
  ).rows;

function upload(url: string, content: string) {
  const boundary = `----roams${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.csv"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return fin.request({ method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('finance_admin');
  const [h] = await db().select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  const [b] = await db().select().from(districts).where(eq(districts.nameEn, 'Bhopal'));
  const [tr] = await db().select().from(treasuries).where(eq(treasuries.districtId, b!.id));
  office = {
    nameEn: 'Race Cell, Bhopal',
    nameHi: 'रेस प्रकोष्ठ, भोपाल',
    hodId: h!.id,
    districtId: b!.id,
    treasuryId: tr!.id,
    address: 'Vindhyachal Bhawan',
    phone: '0755-2551234',
  };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe(`creates, ${N} at once`, () => {
  it('the same office: one row, audited once; the others 409 duplicate', async () => {
    const rs = await burst(N, () => fin.post('/api/v1/org/offices', { id: 90101, ...office }));
    oneWinner(rs, ['409 duplicate'], { status: 201 });
    expect(await countOf(db(), sql`select count(*)::int as n from offices where id = 90101`)).toBe(1);
    expect(await auditCount(db(), 'office', 90101, 'create')).toBe(1);
  });

  it('the same post name (a serial id, a unique code): one row; the others 409 duplicate', async () => {
    const rs = await burst(N, () => fin.post('/api/v1/org/post-names', { code: 'race_runner', nameEn: 'Runner', nameHi: 'धावक' }));
    const id = (JSON.parse(oneWinner(rs, ['409 duplicate'], { status: 201 }).body) as { id: number }).id;
    expect(await countOf(db(), sql`select count(*)::int as n from post_names where code = 'race_runner'`)).toBe(1);
    expect(await auditCount(db(), 'post_name', id, 'create')).toBe(1);
  });

  it('the same DDO-office mapping: one link; the others 409 duplicate; removed once, the others 404', async () => {
    const [ddo] = (await db().execute<{ id: number }>(sql`select id from ddo_codes order by id limit 1`)).rows;
    const ddoId = Number(ddo!.id);
    const add = await burst(N, () => fin.post('/api/v1/org/ddo-office-map', { ddoCodeId: ddoId, officeId: 90101 }));
    oneWinner(add, ['409 duplicate'], { status: 201 });
    const links = () => countOf(db(), sql`select count(*)::int as n from ddo_office_map where ddo_code_id = ${ddoId} and office_id = 90101`);
    expect(await links()).toBe(1);
    const del = await burst(N, () => fin.del(`/api/v1/org/ddo-office-map/${ddoId}/90101`));
    oneWinner(del, ['404 not_found']);
    expect(await links()).toBe(0);
    expect(await auditCount(db(), 'ddo_office_map', `${ddoId}:90101`, 'delete')).toBe(1);
  });

  it('the same budget-line-office mapping: one link, audited once; the others 409 duplicate; removed once, the others 404', async () => {
    const [line] = (await db().execute<{ id: number }>(sql`select id from budget_lines order by id limit 1`)).rows;
    const lineId = Number(line!.id);
    const add = await burst(N, () => fin.post('/api/v1/org/budget-line-map', { budgetLineId: lineId, officeId: 90101 }));
    oneWinner(add, ['409 duplicate'], { status: 201 });
    const links = () => countOf(db(), sql`select count(*)::int as n from budget_line_map where budget_line_id = ${lineId} and office_id = 90101`);
    expect(await links()).toBe(1);
    expect(await auditCount(db(), 'budget_line_map', `${lineId}:90101`, 'create')).toBe(1);
    const del = await spread(N, () => fin.del(`/api/v1/org/budget-line-map/${lineId}/90101`), 2);
    oneWinner(del, ['404 not_found']);
    expect(await links()).toBe(0);
    expect(await auditCount(db(), 'budget_line_map', `${lineId}:90101`, 'delete')).toBe(1);
  });
});

describe(`the other masters (districts, departments, DDO codes), ${N} at once`, () => {
  const cases = () =>
    [
      ['districts', 'district', { code: 'RACE-D', nameEn: 'Race District', nameHi: 'रेस ज़िला' }, 'nameEn'],
      ['departments', 'department', { code: 'RACE-DEP', nameEn: 'Race Department', nameHi: 'रेस विभाग' }, 'nameEn'],
      [
        'ddo-codes',
        'ddo_code',
        { code: 'RACE-DDO', designationEn: 'Race DDO', designationHi: 'रेस आहरण अधिकारी', officeId: 90101, treasuryId: office.treasuryId },
        'designationEn',
      ],
    ] as const;
  it('each: created once (the others 409 duplicate), edited once, deactivated once — each audited once with the true before', async () => {
    for (const [master, entity, body, field] of cases()) {
      const created = await burst(N, () => fin.post(`/api/v1/org/${master}`, body));
      const id = (JSON.parse(oneWinner(created, ['409 duplicate'], { status: 201 }).body) as { id: number }).id;
      expect(await auditCount(db(), entity, id, 'create'), master).toBe(1);
      const edited = await burst(N, () => fin.put(`/api/v1/org/${master}/${id}`, { ...body, [field]: `${body[field as keyof typeof body]} (renamed)` }));
      allSucceed(edited, 200);
      const audits = await auditsOf(entity, id, 'update');
      expect(
        audits.map((a) => [a.before?.[field], a.after?.[field]]),
        master,
      ).toEqual([[body[field as keyof typeof body], `${body[field as keyof typeof body]} (renamed)`]]);
      allSucceed(await burst(N, () => fin.post(`/api/v1/org/${master}/${id}/deactivate`)), 200);
      expect(await auditCount(db(), entity, id, 'deactivate'), master).toBe(1);
    }
  });
});

describe(`edits, ${N} at once`, () => {
  it('the same edit of an office: saved, audited once with the true before; the others answered the same row', async () => {
    const rs = await burst(N, () => fin.put('/api/v1/org/offices/90101', { ...office, nameEn: 'Race Cell (renamed)' }));
    allSucceed(rs, 200);
    const audits = await auditsOf('office', 90101, 'update');
    expect(audits).toHaveLength(1);
    expect([audits[0]!.before?.nameEn, audits[0]!.after?.nameEn]).toEqual(['Race Cell, Bhopal', 'Race Cell (renamed)']);
  });

  it('two tabs editing an office differently: the last write stands; each audit entry changes something and its before is the previous after', async () => {
    const names = ['Race Cell A', 'Race Cell B'];
    let i = 0;
    const rs = await spread(N, () => fin.put('/api/v1/org/offices/90101', { ...office, nameEn: names[i++ % 2] }), 2);
    allSucceed(rs, 200);
    const audits = await auditsOf('office', 90101, 'update');
    for (const [k, a] of audits.entries()) {
      expect(a.before?.nameEn).not.toBe(a.after?.nameEn);
      if (k > 0) expect(a.before?.nameEn).toBe(audits[k - 1]!.after?.nameEn);
    }
    const [row] = (await db().execute<{ name_en: string }>(sql`select name_en from offices where id = 90101`)).rows;
    expect(row!.name_en).toBe(audits.at(-1)!.after?.nameEn);
  });

  for (const [verb, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    it(`${verb} an office: every answer the new state, audited once`, async () => {
      const rs = await burst(N, () => fin.post(`/api/v1/org/offices/90101/${verb}`));
      allSucceed(rs, 200);
      expect(rs.every((r) => (JSON.parse(r.body) as { active: boolean }).active === active)).toBe(true);
      expect(await auditCount(db(), 'office', 90101, verb)).toBe(1);
    });
  }

  it('the same state settings: saved, audited once with the true before', async () => {
    const s = (await fin.get('/api/v1/org/state-settings')).json() as Record<string, unknown>;
    const before = await auditsOf('state_settings', 1, 'update');
    const rs = await burst(N, () => fin.put('/api/v1/org/state-settings', { ...s, helpPhone: '0755-2559999' }));
    allSucceed(rs, 200);
    const audits = (await auditsOf('state_settings', 1, 'update')).slice(before.length);
    expect(audits).toHaveLength(1);
    expect([audits[0]!.before?.helpPhone, audits[0]!.after?.helpPhone]).toEqual([s.helpPhone, '0755-2559999']);
  });
});

describe(`imports, ${N} at once`, () => {
  it('the same file (a new row, an edited row): each row written and audited once; no 500', async () => {
    const csv = 'code,nameEn,nameHi,active\r\nrace_runner,Runner (senior),धावक,true\r\nrace_porter,Porter,कुली,true\r\n';
    const rs = await burst(N, () => upload('/api/v1/org/post-names/import?dryRun=false', csv));
    expect(rs.filter((r) => r.statusCode >= 500).map((r) => r.body)).toEqual([]);
    expect(await countOf(db(), sql`select count(*)::int as n from post_names where code = 'race_porter'`)).toBe(1);
    const [runner] = (await db().execute<{ id: number }>(sql`select id from post_names where code = 'race_runner'`)).rows;
    const [porter] = (await db().execute<{ id: number }>(sql`select id from post_names where code = 'race_porter'`)).rows;
    expect(await auditCount(db(), 'post_name', Number(porter!.id), 'import_create')).toBe(1);
    const upd = await auditsOf('post_name', Number(runner!.id), 'import_update');
    expect(upd).toHaveLength(1);
    expect([upd[0]!.before?.nameEn, upd[0]!.after?.nameEn]).toEqual(['Runner', 'Runner (senior)']);
    // The first saves both rows; the later ones, planned under the lock, find them as it left them.
    const counts = rs.map((r) => {
      const b = JSON.parse(r.body) as { created: number; updated: number; unchanged: number; saved: boolean };
      return `${r.statusCode} ${b.created}/${b.updated}/${b.unchanged} ${b.saved}`;
    });
    expect(counts.filter((c) => c === '200 1/1/0 true')).toHaveLength(1);
    expect(counts.filter((c) => c !== '200 1/1/0 true' && c !== '200 0/0/2 true')).toEqual([]);
  });

  it('the same file of edits only: each row updated and audited once, with the true before', async () => {
    const csv = 'code,nameEn,nameHi,active\r\nrace_runner,Runner (chief),धावक,true\r\nrace_porter,Porter (chief),कुली,true\r\n';
    const rs = await burst(N, () => upload('/api/v1/org/post-names/import?dryRun=false', csv));
    expect(rs.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    for (const [code, was] of [
      ['race_runner', 'Runner (senior)'],
      ['race_porter', 'Porter'],
    ] as const) {
      const [row] = (await db().execute<{ id: number }>(sql`select id from post_names where code = ${code}`)).rows;
      const upd = (await auditsOf('post_name', Number(row!.id), 'import_update')).filter((a) => String(a.after?.nameEn).endsWith('(chief)'));
      expect(upd.map((a) => [a.before?.nameEn, a.after?.nameEn])).toEqual([[was, `${was.replace(/ \(senior\)$/, '')} (chief)`]]);
    }
    const saved = rs.map((r) => JSON.parse(r.body) as { updated: number; unchanged: number });
    expect(saved.filter((b) => b.updated === 2)).toHaveLength(1);
  });
});
