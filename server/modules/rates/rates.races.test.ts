import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIst } from '../../../shared/domain/dates.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { skillLevels } from '../org/index.ts';

/**
 * The rates routes that change state (Finance's effective-dated money inputs), each fired 20 times
 * at once on PGlite and on PostgreSQL (TEST_DATABASE_URL): a revision is one row per skill level (or
 * head code) and date — a second row for the same day would change invoices — the others a clear
 * 409; a delete is done and audited once with the true 'before', the others 404.
 */
const N = 20;
const MW = '/api/v1/rates/minimum-wages';
const HB = '/api/v1/rates/heads';
let t: TestApp;
let finance: Client;
let skill: Record<string, number>;
let future: string;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  finance = await t.login('finance_admin');
  skill = Object.fromEntries((await db().select().from(skillLevels)).map((s) => [s.code, s.id]));
  future = `${Number(todayIst(new Date()).slice(0, 4)) + 2}-04-01`;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const head = (effectiveFrom: string) => ({
  code: 'ESIC_ER',
  effectiveFrom,
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
  notificationRef: 'ESIC notification (race)',
});

describe(`minimum wages, ${N} at once`, () => {
  it('the same revision: one row for the skill level and date, audited once; the others 409 minimum_wage_exists', async () => {
    const body = { skillLevelId: skill.skilled, effectiveFrom: future, basicPaise: 1_300_000, vdaPaise: 300_000, notificationRef: 'Order (race)' };
    const rs = await burst(N, () => finance.post(MW, body));
    const win = oneWinner(rs, ['409 minimum_wage_exists'], { status: 201 });
    const id = (JSON.parse(win.body) as { id: number }).id;
    expect(
      await countOf(db(), sql`select count(*)::int as n from minimum_wages where skill_level_id = ${body.skillLevelId} and effective_from = ${future}`),
    ).toBe(1);
    expect(await auditCount(db(), 'minimum_wage', id, 'create')).toBe(1);
  });

  it('two different amounts for the same day (two tabs): one row, the one the winner was told', async () => {
    const date = `${future.slice(0, 4)}-10-01`;
    const bodies = [1_400_000, 1_500_000].map((basicPaise) => ({
      skillLevelId: skill.skilled,
      effectiveFrom: date,
      basicPaise,
      vdaPaise: 0,
      notificationRef: 'Order (race 2)',
    }));
    let i = 0;
    const rs = await spread(N, () => finance.post(MW, bodies[i++ % 2]), 2);
    const win = JSON.parse(oneWinner(rs, ['409 minimum_wage_exists'], { status: 201 }).body) as { id: number; basicPaise: number };
    const stored = (
      await db().execute<{ basic_paise: number }>(
        sql`select basic_paise from minimum_wages where skill_level_id = ${skill.skilled} and effective_from = ${date}`,
      )
    ).rows;
    expect(stored.map((r) => Number(r.basic_paise))).toEqual([win.basicPaise]);
  });

  it('deleting a future row: deleted once, audited once with the row as before; the others 404', async () => {
    const [row] = (await db().execute<{ id: number }>(sql`select id from minimum_wages where skill_level_id = ${skill.skilled} and effective_from = ${future}`))
      .rows;
    const id = Number(row!.id);
    const rs = await burst(N, () => finance.del(`${MW}/${id}`));
    oneWinner(rs, ['404 not_found'], { status: 204 });
    expect(await countOf(db(), sql`select count(*)::int as n from minimum_wages where id = ${id}`)).toBe(0);
    expect(await auditCount(db(), 'minimum_wage', id, 'delete')).toBe(1);
    const [a] = (
      await db().execute<{ before: Record<string, unknown> }>(
        sql`select before from audit_log where entity = 'minimum_wage' and entity_id = ${String(id)} and action = 'delete'`,
      )
    ).rows;
    expect(a!.before).toMatchObject({ skillLevelId: skill.skilled, effectiveFrom: future, basicPaise: 1_300_000, vdaPaise: 300_000 });
  });
});

describe(`statutory heads and wage definitions, ${N} at once`, () => {
  it('the same head revision: one row for the code and date, audited once; the others 409 duplicate', async () => {
    const rs = await burst(N, () => finance.post(HB, head(future)));
    const id = (JSON.parse(oneWinner(rs, ['409 duplicate'], { status: 201 }).body) as { id: number }).id;
    expect(await countOf(db(), sql`select count(*)::int as n from statutory_heads where code = 'ESIC_ER' and effective_from = ${future}`)).toBe(1);
    expect(await auditCount(db(), 'statutory_head', id, 'create')).toBe(1);
  });

  it('deleting a future head row: deleted once, audited once with the row as before; the others 404', async () => {
    const [row] = (await db().execute<{ id: number }>(sql`select id from statutory_heads where code = 'ESIC_ER' and effective_from = ${future}`)).rows;
    const id = Number(row!.id);
    const rs = await burst(N, () => finance.del(`${HB}/${id}`));
    oneWinner(rs, ['404 not_found'], { status: 204 });
    expect(await countOf(db(), sql`select count(*)::int as n from statutory_heads where id = ${id}`)).toBe(0);
    expect(await auditCount(db(), 'statutory_head', id, 'delete')).toBe(1);
    const [a] = (
      await db().execute<{ before: Record<string, unknown> }>(
        sql`select before from audit_log where entity = 'statutory_head' and entity_id = ${String(id)} and action = 'delete'`,
      )
    ).rows;
    expect(a!.before).toMatchObject({ code: 'ESIC_ER', effectiveFrom: future, ratePpm: 30_000 });
  });

  it('the same wage definition: one row for the date, audited once; the others 409 duplicate', async () => {
    const body = { effectiveFrom: future, kind: 'labour_code', allowanceSharePpm: 500_000, notificationRef: 'Code on Wages (race)' };
    const rs = await burst(N, () => finance.post(`${HB}/wage-definitions`, body));
    const id = (JSON.parse(oneWinner(rs, ['409 duplicate'], { status: 201 }).body) as { id: number }).id;
    expect(await countOf(db(), sql`select count(*)::int as n from wage_definitions where effective_from = ${future}`)).toBe(1);
    expect(await auditCount(db(), 'wage_definition', id, 'create')).toBe(1);
  });

  it('deleting a future wage definition: deleted once, audited once; the others 404', async () => {
    const [row] = (await db().execute<{ id: number }>(sql`select id from wage_definitions where effective_from = ${future}`)).rows;
    const id = Number(row!.id);
    const rs = await burst(N, () => finance.del(`${HB}/wage-definitions/${id}`));
    oneWinner(rs, ['404 not_found'], { status: 204 });
    expect(await countOf(db(), sql`select count(*)::int as n from wage_definitions where id = ${id}`)).toBe(0);
    expect(await auditCount(db(), 'wage_definition', id, 'delete')).toBe(1);
  });
});
