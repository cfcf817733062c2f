import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { THeadHistory, THeadsInForce, TStatutoryHead } from '../../../shared/contracts/rates.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { headsInForce, wageDefinitionOn } from './index.ts';

let t: TestApp;
let finance: Client;
let auditor: Client;
let agency: Client;
beforeAll(async () => {
  t = await createTestApp(); // clock: 2026-11-25 IST
  finance = await t.login('finance_admin');
  auditor = await t.login('auditor_state');
  agency = await t.login('agency_admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const revision = {
  code: 'ESIC_ER',
  effectiveFrom: '2027-04-01',
  nameEn: 'ESIC employer 3%',
  nameHi: 'ईएसआईसी नियोक्ता 3%',
  kind: 'payable',
  stage: 'cost',
  base: 'esic_wage',
  ratePpm: 30_000,
  condition: 'esic',
  thresholdPaise: 2_500_000,
  rounding: 'rupee_up',
  sortOrder: 40,
  notificationRef: 'ESIC notification 2027/1',
};
const audits = async (entity: string) =>
  Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int n from audit_log where entity = ${entity}`)).rows[0]!.n);

describe('Finance’s heads master', () => {
  it('everyone with rates.read lists the heads in force on a date and their history', async () => {
    for (const c of [finance, auditor, agency]) {
      const res = await c.get('/api/v1/rates/heads?on=2026-10-01');
      expect(res.statusCode).toBe(200);
      const body = res.json() as THeadsInForce;
      expect(body.heads.map((h) => h.code).slice(0, 4)).toEqual(['EPF_ER', 'EPF_ADMIN', 'EDLI', 'ESIC_ER']);
      expect(body.heads.find((h) => h.code === 'EPF_ER')).toMatchObject({ ratePpm: 120_000, ceilingPaise: 1_500_000, future: false });
      expect(body.wageDefinition).toMatchObject({ kind: 'basic_da', effectiveFrom: '2017-07-01' });
    }
    const hist = (await auditor.get('/api/v1/rates/heads/history?code=IGST')).json() as THeadHistory;
    expect(hist.rows.map((r) => [r.code, r.effectiveFrom])).toEqual([['IGST', '2017-07-01']]);
  });

  it('Finance adds a revision from a future date: the engine’s input changes from that date only; audited', async () => {
    const before = await audits('statutory_head');
    const res = await finance.post('/api/v1/rates/heads', revision);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'ESIC_ER', effectiveFrom: '2027-04-01', future: true, ceilingPaise: null, lumpSumPaise: null });
    expect((await headsInForce(t.database.db, '2027-03-31')).find((h) => h.code === 'ESIC_ER')?.ratePpm).toBe(32_500);
    expect((await headsInForce(t.database.db, '2027-04-01')).find((h) => h.code === 'ESIC_ER')).toMatchObject({ ratePpm: 30_000, thresholdPaise: 2_500_000 });
    const listed = (await auditor.get('/api/v1/rates/heads?on=2027-04-01')).json() as THeadsInForce;
    expect(listed.heads.find((h) => h.code === 'ESIC_ER')?.nameEn).toBe('ESIC employer 3%');
    expect(await audits('statutory_head')).toBe(before + 1);
    // The same code and date twice: one row.
    const again = await finance.post('/api/v1/rates/heads', revision);
    expect([again.statusCode, again.json().errors?.[0]?.field]).toEqual([409, 'effectiveFrom']);
  });

  it('a new code adds a head; a future row is deleted (audited); a row in force is refused with 409', async () => {
    const add = await finance.post('/api/v1/rates/heads', {
      ...revision,
      code: 'LWF',
      nameEn: 'Labour welfare fund',
      nameHi: 'श्रम कल्याण निधि',
      rateFrom: 'head',
      condition: null,
      thresholdPaise: null,
      lumpSumPaise: 1_000,
      ratePpm: 0,
      sortOrder: 45,
      effectiveFrom: '2026-11-25', // today
    });
    expect(add.statusCode, add.body).toBe(201);
    const future = (await finance.post('/api/v1/rates/heads', { ...revision, effectiveFrom: '2028-01-01' })).json() as TStatutoryHead;
    const before = await audits('statutory_head');
    expect((await finance.del(`/api/v1/rates/heads/${future.id}`)).statusCode).toBe(204);
    expect(await audits('statutory_head')).toBe(before + 1);
    const seedRow = (await auditor.get('/api/v1/rates/heads?on=2026-10-01')).json().heads.find((h: TStatutoryHead) => h.code === 'EPF_ER');
    const frozen = await finance.del(`/api/v1/rates/heads/${seedRow.id}`);
    expect([frozen.statusCode, frozen.json().code]).toEqual([409, 'record_frozen']);
    expect((await finance.del('/api/v1/rates/heads/999999')).statusCode).toBe(404);
  });

  it('the database’s ROAMS_FROZEN refusal is a 409 too (a row the server’s clock already has in force)', async () => {
    // The app's clock says 25 Nov 2026; the database's trigger uses its own clock (today, later):
    // a row from 30 Nov 2026 is "future" to the service but in force to the trigger.
    const row = (await finance.post('/api/v1/rates/heads', { ...revision, effectiveFrom: '2026-11-30' })).json() as TStatutoryHead;
    const now = (await t.database.db.execute<{ d: string }>(sql`select (now() at time zone 'Asia/Kolkata')::date::text d`)).rows[0]!.d;
    const res = await finance.del(`/api/v1/rates/heads/${row.id}`);
    if (now >= '2026-11-30') expect([res.statusCode, res.json().code]).toEqual([409, 'record_frozen']);
    else expect(res.statusCode).toBe(204);
  });

  it('the wage definition: Finance adds the labour codes’ rule from a future date; audited', async () => {
    const before = await audits('wage_definition');
    const res = await finance.post('/api/v1/rates/heads/wage-definitions', {
      effectiveFrom: '2027-01-01',
      kind: 'labour_code',
      allowanceSharePpm: 500_000,
      notificationRef: 'Code on Wages 2019, s. 2(y)',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await wageDefinitionOn(t.database.db, '2026-12-31')).toEqual({ kind: 'basic_da', allowanceSharePpm: 500_000 });
    expect(await wageDefinitionOn(t.database.db, '2027-01-01')).toEqual({ kind: 'labour_code', allowanceSharePpm: 500_000 });
    expect(await audits('wage_definition')).toBe(before + 1);
    const again = await finance.post('/api/v1/rates/heads/wage-definitions', { effectiveFrom: '2027-01-01', kind: 'basic_da', notificationRef: 'again' });
    expect([again.statusCode, again.json().code, again.json().errors?.[0]?.field]).toEqual([409, 'duplicate', 'effectiveFrom']);
    expect(await wageDefinitionOn(t.database.db, '2027-01-01')).toEqual({ kind: 'labour_code', allowanceSharePpm: 500_000 });
    expect(await audits('wage_definition')).toBe(before + 1);
    const hist = (await auditor.get('/api/v1/rates/heads/history')).json() as THeadHistory;
    expect(hist.wageDefinitions.map((d) => [d.kind, d.future])).toEqual([
      ['basic_da', false],
      ['labour_code', true],
    ]);
    expect((await finance.del(`/api/v1/rates/heads/wage-definitions/${res.json().id}`)).statusCode).toBe(204);
    const seed = hist.wageDefinitions[0]!;
    expect((await finance.del(`/api/v1/rates/heads/wage-definitions/${seed.id}`)).statusCode).toBe(409);
  });

  it('two revisions of the same head and date at once: one is saved, the other is 409', async () => {
    const body = { ...revision, effectiveFrom: '2031-01-01' };
    const res = await Promise.all([finance.post('/api/v1/rates/heads', body), finance.post('/api/v1/rates/heads', body)]);
    expect(res.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int n from statutory_heads where code = 'ESIC_ER' and effective_from = '2031-01-01'`,
    );
    expect(Number(n.rows[0]!.n)).toBe(1);
  });

  it('other roles read only: 403 on every write, nothing saved', async () => {
    const n = await audits('statutory_head');
    for (const c of [auditor, agency]) {
      expect((await c.post('/api/v1/rates/heads', { ...revision, effectiveFrom: '2029-01-01' })).statusCode).toBe(403);
      expect((await c.post('/api/v1/rates/heads/wage-definitions', { effectiveFrom: '2029-01-01', kind: 'basic_da', notificationRef: 'x' })).statusCode).toBe(
        403,
      );
      expect((await c.del('/api/v1/rates/heads/1')).statusCode).toBe(403);
    }
    expect(await audits('statutory_head')).toBe(n);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a rate above 100 %', { ratePpm: 1_000_001 }, 'ratePpm'],
    ['a negative rate', { ratePpm: -1 }, 'ratePpm'],
    ['no Hindi name', { nameHi: '' }, 'nameHi'],
    ['no English name', { nameEn: '  ' }, 'nameEn'],
    ['a date in the past', { effectiveFrom: '2026-11-24' }, 'effectiveFrom'],
    ['a code in lower case', { code: 'esic er' }, 'code'],
    ['an unknown rounding', { rounding: 'bankers' }, 'rounding'],
    ['a ceiling without when it applies', { ceilingPaise: 1_500_000 }, 'ceilingWhen'],
    ['fractional paise', { thresholdPaise: 10.5 }, 'thresholdPaise'],
    ['an unknown field', { id: 5 }, 'id'],
  ];
  for (const [what, change, field] of bad)
    it(`refused: ${what} (400 naming ${field}, nothing saved)`, async () => {
      const n = await audits('statutory_head');
      const res = await finance.post('/api/v1/rates/heads', { ...revision, effectiveFrom: '2030-01-01', ...change });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await audits('statutory_head')).toBe(n);
    });

  it('a wage definition share above 100 % or in the past is refused', async () => {
    const a = await finance.post('/api/v1/rates/heads/wage-definitions', {
      effectiveFrom: '2030-01-01',
      kind: 'labour_code',
      allowanceSharePpm: 1_000_001,
      notificationRef: 'x',
    });
    const b = await finance.post('/api/v1/rates/heads/wage-definitions', { effectiveFrom: '2020-01-01', kind: 'labour_code', notificationRef: 'x' });
    expect([a.statusCode, a.json().errors[0].field, b.statusCode, b.json().errors[0].field]).toEqual([400, 'allowanceSharePpm', 400, 'effectiveFrom']);
  });
});
