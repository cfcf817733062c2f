import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCalculatorInput, TCalculatorResult } from '../../../shared/contracts/calculator.ts';
import { computeInvoice, SEED_HEADS, SEED_WAGE_DEFINITION, withPaisaRounding } from '../../../shared/domain/invoice-engine.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let skill: Record<string, number>;
beforeAll(async () => {
  t = await createTestApp();
  const r = await t.database.db.execute<{ id: number; code: string }>(sql`select id, code from skill_levels`);
  skill = Object.fromEntries(r.rows.map((x) => [x.code, Number(x.id)]));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const URL = '/api/v1/public/cost-calculator';
// Spec 06 worked reference: MP rates from 1 Oct 2025, full month (31 days), EPF ceiling, ESIC,
// service charge 3.85 %, inter-state supply (IGST 18 %), bonus outside the sub-total (none billed).
const unskilled = { basicPaise: 957_500, vdaPaise: 257_500, paidDays: 31, daysInMonth: 31, count: 1 };
const highly = { basicPaise: 1_391_900, vdaPaise: 257_500, paidDays: 31, daysInMonth: 31, count: 1 };
const reference: TCalculatorInput = {
  wageBasis: 'monthly',
  rows: [unskilled],
  epf: 'capped',
  esic: true,
  bonusBp: 0,
  serviceChargeBp: 385,
  supply: 'inter_state',
  on: '2026-01-31',
};
const post = async (body: unknown) => t.anon.post(URL, body);
const calc = async (body: TCalculatorInput) => {
  const res = await post(body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TCalculatorResult;
};
const amount = (lines: { code: string; amountPaise: number }[], code: string) => lines.find((l) => l.code === code)?.amountPaise;

describe('the spec worked reference through the public API (heads in force: the default rounding)', () => {
  it('unskilled ₹12,150: EPF 1,458 + 61 + 61 (half-up to the rupee), ESIC 395 (up), total ₹17,309', async () => {
    const r = await calc(reference);
    const w = r.rows[0]!;
    expect(w.earnedWagePaise).toBe(1_215_000);
    expect(['EPF_ER', 'EPF_ADMIN', 'EDLI', 'ESIC_ER'].map((c) => amount(w.lines, c))).toEqual([145_800, 6_100, 6_100, 39_500]);
    expect(w.lines.find((l) => l.code === 'EPF_ER')).toMatchObject({
      nameEn: 'EPF employer 12%',
      nameHi: 'ईपीएफ नियोक्ता 12%',
      basePaise: 1_215_000,
      ratePpm: 120_000,
    });
    expect([r.subtotalPaise, r.serviceChargePaise, r.taxablePaise, r.gstPaise, r.grossTotalPaise, r.roundOffPaise, r.totalPaise]).toEqual([
      1_412_500, 54_381, 1_466_881, 264_039, 1_730_920, -20, 1_730_900,
    ]);
    expect(r.lines.map((l) => l.code)).toEqual(['SERVICE_CHARGE', 'IGST']);
    // The worker's own share and what reaches the account: 12,150 − 1,458 − 92 = 10,600.
    expect([amount(w.lines, 'EPF_EE'), amount(w.lines, 'ESIC_EE'), w.netWagePaise]).toEqual([145_800, 9_200, 1_060_000]);
  });

  it('highly skilled ₹16,494: EPF on the ₹15,000 ceiling, ESIC 536.055 → 537, total ₹23,260', async () => {
    const r = await calc({ ...reference, rows: [highly] });
    const w = r.rows[0]!;
    expect(w.lines.find((l) => l.code === 'EPF_ER')).toMatchObject({ basePaise: 1_500_000, amountPaise: 180_000 });
    expect(['EPF_ADMIN', 'EDLI', 'ESIC_ER'].map((c) => amount(w.lines, c))).toEqual([7_500, 7_500, 53_700]);
    expect([r.subtotalPaise, r.serviceChargePaise, r.taxablePaise, r.gstPaise, r.grossTotalPaise, r.roundOffPaise, r.totalPaise]).toEqual([
      1_898_100, 73_077, 1_971_177, 354_812, 2_325_989, 11, 2_326_000,
    ]);
  });

  it('uncapped EPF: 12 % of the whole ₹16,494 (1,979.28 → 1,979)', async () => {
    const r = await calc({ ...reference, epf: 'uncapped', rows: [highly] });
    expect(r.rows[0]!.lines.find((l) => l.code === 'EPF_ER')).toMatchObject({ basePaise: 1_649_400, amountPaise: 197_900 });
  });

  it('intra-state: CGST and SGST 9 % each rounded, no IGST', async () => {
    const r = await calc({ ...reference, supply: 'intra_state' });
    expect(r.lines.map((l) => [l.code, l.amountPaise])).toEqual([
      ['SERVICE_CHARGE', 54_381],
      ['CGST', 132_019],
      ['SGST', 132_019],
    ]);
  });

  it('the same figures as the engine; with every head half-up to the paisa the engine gives the spec table (₹17,308.44 and ₹23,258.73)', async () => {
    for (const row of [unskilled, highly]) {
      const api = await calc({ ...reference, rows: [row] });
      const terms = { wageBasis: 'monthly', epfMode: 'capped', esicApplies: true, bonusBp: 0, serviceChargeBp: 385, intraState: false } as const;
      const resources = [{ key: '0', ...row }];
      const engine = computeInvoice({ terms, heads: SEED_HEADS, wageDefinition: SEED_WAGE_DEFINITION, resources });
      expect(api.grossTotalPaise).toBe(engine.grossTotalPaise);
      expect(api.rows[0]!.lines.map((l) => l.amountPaise)).toEqual(engine.resources[0]!.lines.map((l) => l.amountPaise));
      const paisa = computeInvoice({ terms, heads: withPaisaRounding(SEED_HEADS), wageDefinition: SEED_WAGE_DEFINITION, resources });
      expect(paisa.grossTotalPaise).toBe(row === unskilled ? 1_730_844 : 2_325_873);
    }
  });
});

describe('rows, counts and the day basis', () => {
  it('a bid for 200 workers is one row × 200: totals are 200 workers’ invoice, head totals sum every worker', async () => {
    const one = await calc(reference);
    const many = await calc({
      ...reference,
      rows: [
        { ...unskilled, count: 200 },
        { ...highly, count: 3 },
      ],
    });
    expect(many.workers).toBe(203);
    expect(many.rows.map((r) => r.count)).toEqual([200, 3]);
    expect(many.rows[0]!.lines).toEqual(one.rows[0]!.lines);
    expect(many.subtotalPaise).toBe(200 * 1_412_500 + 3 * 1_898_100);
    expect(amount(many.headTotals, 'EPF_ER')).toBe(200 * 145_800 + 3 * 180_000);
    expect(many.earnedWagePaise).toBe(200 * 1_215_000 + 3 * 1_649_400);
    expect(many.totalPaise % 100).toBe(0);
  });

  it('one wage figure counts as basic + DA; day basis: ÷ 26 then × paid days', async () => {
    const r = await calc({ ...reference, wageBasis: 'daily', rows: [{ wagePaise: 1_486_900, paidDays: 20, daysInMonth: 30, count: 1 }] });
    // 14,869 ÷ 26 = 571.88 (571.884…), × 20 = 11,437.60
    expect([r.rows[0]!.dayRatePaise, r.rows[0]!.earnedWagePaise, r.rows[0]!.pfWagePaise]).toEqual([57_188, 1_143_760, 1_143_760]);
  });

  it('skill level: bonus 8.33 % on the capped base max(₹7,000, the minimum wage in force)', async () => {
    const r = await calc({ ...reference, bonusBp: 833, rows: [{ ...highly, basicPaise: 2_000_000, skillLevelId: skill.unskilled! }] });
    const w = r.rows[0]!;
    expect(w.minimumWagePaise).toBe(1_215_000);
    expect(w.lines.find((l) => l.code === 'BONUS')).toMatchObject({ basePaise: 1_215_000, ratePpm: 83_300, amountPaise: 101_210 }); // 1,012.095 → 1,012.10
    expect(r.taxablePaise).toBe(r.subtotalPaise + r.serviceChargePaise + 101_210);
  });

  it('the heads in force on the date: a future revision changes the figures from its date only', async () => {
    await t.database.db.execute(sql`insert into statutory_heads (code, effective_from, name_en, name_hi, kind, stage, base, rate_ppm, condition, threshold_paise, rounding, sort_order)
      values ('ESIC_ER', '2099-01-01', 'ESIC employer 3%', 'ईएसआईसी नियोक्ता 3%', 'payable', 'cost', 'esic_wage', 30000, 'esic', 2100000, 'rupee_up', 40)`);
    const before = await calc({ ...reference, on: '2098-12-31' });
    const after = await calc({ ...reference, on: '2099-01-01' });
    expect(amount(before.rows[0]!.lines, 'ESIC_ER')).toBe(39_500);
    expect(after.rows[0]!.lines.find((l) => l.code === 'ESIC_ER')).toMatchObject({ nameEn: 'ESIC employer 3%', amountPaise: 36_500 });
    await t.database.db.execute(sql`delete from statutory_heads where effective_from = '2099-01-01'`);
  });

  it('the skill levels with their minimum wage, for the page', async () => {
    const res = await t.anon.get('/api/v1/public/cost-calculator/skill-levels?on=2026-01-31');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.find((s: { id: number }) => s.id === skill.highly_skilled)).toMatchObject({ minimumWagePaise: 1_649_400 });
  });
});

describe('bad input: 400 validation_failed naming the field, never a figure', () => {
  const cases: [string, unknown, string][] = [
    ['negative paise', { ...reference, rows: [{ ...unskilled, vdaPaise: -1 }] }, 'rows.0.vdaPaise'],
    ['fractional paise', { ...reference, rows: [{ ...unskilled, basicPaise: 957_500.5 }] }, 'rows.0.basicPaise'],
    ['32 paid days', { ...reference, rows: [{ ...unskilled, paidDays: 32 }] }, 'rows.0.paidDays'],
    ['0 days in the month', { ...reference, rows: [{ ...unskilled, daysInMonth: 0 }] }, 'rows.0.daysInMonth'],
    ['paid days beyond the month', { ...reference, rows: [{ ...unskilled, paidDays: 31, daysInMonth: 30 }] }, 'rows.0.paidDays'],
    ['service charge 1,000 %', { ...reference, serviceChargeBp: 100_000 }, 'serviceChargeBp'],
    ['bonus above 20 %', { ...reference, bonusBp: 2_001 }, 'bonusBp'],
    ['501 rows', { ...reference, rows: Array.from({ length: 501 }, () => unskilled) }, 'rows'],
    [
      '10,001 workers',
      {
        ...reference,
        rows: [
          { ...unskilled, count: 5_000 },
          { ...unskilled, count: 5_001 },
        ],
      },
      'rows',
    ],
    ['10,001 in one row', { ...reference, rows: [{ ...unskilled, count: 10_001 }] }, 'rows.0.count'],
    ['a date before GST (1 July 2017)', { ...reference, on: '2017-06-30' }, 'on'],
    ['no wage at all', { ...reference, rows: [{ paidDays: 31, daysInMonth: 31, count: 1 }] }, 'rows.0.basicPaise'],
    ['a wage and its parts', { ...reference, rows: [{ ...unskilled, wagePaise: 1_215_000 }] }, 'rows.0.wagePaise'],
    ['an unknown field', { ...reference, status: 'paid' }, 'status'],
    ['an unknown skill level', { ...reference, rows: [{ ...unskilled, skillLevelId: 999_999 }] }, 'rows.0.skillLevelId'],
  ];
  for (const [what, body, field] of cases) {
    it(what, async () => {
      const res = await post(body);
      expect(res.statusCode, res.body).toBe(400);
      const p = res.json();
      expect(p.code).toBe('validation_failed');
      expect(p.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  }

  it('0 days in the month is refused on that field alone (paid days are not also called "at most 0")', async () => {
    const res = await post({ ...reference, rows: [{ ...unskilled, daysInMonth: 0 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([['rows.0.daysInMonth', 'too_small']]);
  });

  it('10,000 workers in one request is accepted (the bound, not beyond)', async () => {
    const r = await calc({ ...reference, rows: [{ ...unskilled, count: 10_000 }] });
    expect(r.workers).toBe(10_000);
    expect(r.subtotalPaise).toBe(10_000 * 1_412_500);
  });
});

describe('the route is public, documented and rate-limited per address', () => {
  it('appears in the OpenAPI document with its request and reply schemas', async () => {
    const doc = (await t.anon.get('/api/openapi.json')).json();
    const op = doc.paths['/api/v1/public/cost-calculator'].post;
    expect(op.requestBody.content['application/json'].schema.properties).toHaveProperty('serviceChargeBp');
    expect(op.responses['200'].content['application/json'].schema.properties).toHaveProperty('totalPaise');
  });

  it('after the minute’s allowance the same address gets 429 rate_limited; another address still answers', async () => {
    let last = { statusCode: 200, code: '' };
    for (let i = 0; i < 130 && last.statusCode !== 429; i++) {
      const res = await t.anon.request({ method: 'GET', url: '/api/v1/public/cost-calculator/skill-levels', remoteAddress: '10.9.9.9' });
      last = { statusCode: res.statusCode, code: res.statusCode === 429 ? res.json().code : '' };
    }
    expect(last).toEqual({ statusCode: 429, code: 'rate_limited' });
    const other = await t.anon.request({ method: 'GET', url: '/api/v1/public/cost-calculator/skill-levels', remoteAddress: '10.9.9.10' });
    expect(other.statusCode).toBe(200);
  });
});
