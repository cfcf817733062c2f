import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HEADS } from '../../../shared/domain/invoice-engine.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { checksOn } from '../../test/helpers.ts';
import { headsInForce, wageDefinitionOn } from './index.ts';

let t: TestApp;
const { dbRefusal } = checksOn(() => t.database);
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('statutory heads as dated data', () => {
  it('the migration seeds exactly the spec defaults the engine is tested with', async () => {
    expect(await headsInForce(t.database.db, '2026-10-01')).toEqual([...SEED_HEADS].sort((a, b) => a.sortOrder - b.sortOrder));
    expect(await wageDefinitionOn(t.database.db, '2026-10-01')).toEqual({ kind: 'basic_da', allowanceSharePpm: 500_000 });
  });

  it('a revision applies from its date; a withdrawal ends the head; months before keep the old row', async () => {
    const db = t.database.db;
    await db.execute(sql`insert into statutory_heads (code, effective_from, name_en, name_hi, kind, stage, base, rate_ppm, condition, threshold_paise, rounding, sort_order)
      values ('ESIC_ER', '2099-01-01', 'ESIC employer 3%', 'ईएसआईसी नियोक्ता 3%', 'payable', 'cost', 'esic_wage', 30000, 'esic', 2500000, 'rupee_up', 40)`);
    await db.execute(sql`insert into statutory_heads (code, effective_from, withdrawn, name_en, name_hi, kind, stage, base, rounding, sort_order)
      values ('EDLI', '2099-01-01', true, 'EDLI', 'ईडीएलआई', 'payable', 'cost', 'pf_wage', 'rupee_half_up', 30)`);
    const before = await headsInForce(db, '2098-12-31');
    const after = await headsInForce(db, '2099-01-01');
    expect(before.find((h) => h.code === 'ESIC_ER')?.ratePpm).toBe(32_500);
    expect(after.find((h) => h.code === 'ESIC_ER')).toMatchObject({ ratePpm: 30_000, thresholdPaise: 2_500_000 });
    expect(before.some((h) => h.code === 'EDLI')).toBe(true);
    expect(after.some((h) => h.code === 'EDLI')).toBe(false);
    // Future rows may still be corrected; a row in force may not.
    await db.execute(sql`delete from statutory_heads where effective_from = '2099-01-01'`);
    expect(await dbRefusal(sql`update statutory_heads set rate_ppm = 1 where code = 'EPF_ER'`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`delete from wage_definitions`)).toMatch(/ROAMS_FROZEN/);
  });
});
