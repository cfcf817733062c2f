import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { capKey } from '../sanction/index.ts';
import { type CapacityKey, coveredFor } from './index.ts';
import { peakCoverageByKey } from './contract.coverage.ts';
import { addDays } from './contract.rules.ts';

// Coverage is the contract module's (issue 10): one implementation (contract.coverage.ts, the
// peak by contract.rules.peakCoverage) serves the capacity check on activation and sanction's
// capacity page. Checked here on contracts written straight into the tables, against a
// day-by-day count.

let t: TestApp;
let key: CapacityKey;
let unused: CapacityKey;
const periods: { status: string; start: string; end: string; positions: number }[] = [
  { status: 'active', start: '2026-01-01', end: '2026-06-30', positions: 3 },
  { status: 'active', start: '2026-07-01', end: '2026-12-31', positions: 3 },
  { status: 'active', start: '2026-06-01', end: '2026-08-31', positions: 2 },
  { status: 'terminated', start: '2026-03-01', end: '2026-12-31', positions: 7 },
];
const contractIds: number[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  // A key no demo contract covers: the demo's first version's office, with a skill level and post name pair not used there.
  const r = await db.execute<{ office_id: number; skill_level_id: number; post_name_id: number }>(sql`
    select o.office_id, s.id as skill_level_id, p.id as post_name_id
      from (select office_id from contracts where id = 1) o, skill_levels s, post_names p
     where not exists (select 1 from contract_posts cp where cp.office_id = o.office_id and cp.skill_level_id = s.id and cp.post_name_id = p.id)
     order by s.id, p.id limit 2`);
  const [a, b] = r.rows;
  key = { officeId: a!.office_id, skillLevelId: a!.skill_level_id, postNameId: a!.post_name_id };
  unused = { officeId: b!.office_id, skillLevelId: b!.skill_level_id, postNameId: b!.post_name_id };
  for (const [i, p] of periods.entries()) {
    const c = await db.execute<{ id: number }>(sql`
      insert into contracts (department_id, office_id, agency_id, contract_no, contract_date, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, status, terminated_on, termination_reason)
      select department_id, office_id, agency_id, 'COVER/' || ${i}, contract_date, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, ${p.status},
             ${p.status === 'terminated' ? p.start : null}::date, ${p.status === 'terminated' ? 'Coverage test' : ''}
        from contracts where id = 1 returning id`);
    const id = c.rows[0]!.id;
    contractIds.push(id);
    const v = await db.execute<{ id: number }>(sql`
      insert into contract_versions (contract_id, version_no, kind, state, start_date, end_date, ddo_code_id, payment_mode, wage_basis, service_charge_bp, epf_mode, esic_applies, bonus_bp)
      select ${id}, 1, 'original', 'draft', ${p.start}::date, ${p.end}::date, ddo_code_id, payment_mode, wage_basis, service_charge_bp, epf_mode, esic_applies, bonus_bp
        from contract_versions where contract_id = 1 order by version_no limit 1 returning id`);
    const versionId = v.rows[0]!.id;
    await db.execute(sql`insert into contract_posts (version_id, office_id, skill_level_id, post_name_id, positions, basic_paise, vda_paise)
      values (${versionId}, ${key.officeId}, ${key.skillLevelId}, ${key.postNameId}, ${p.positions}, 2000000, 0)`);
    await db.execute(sql`update contract_versions set state = 'in_force' where id = ${versionId}`);
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** The most positions active contracts cover on one day of [from, to], counted day by day. */
function dayByDay(from: string, to: string, except: number | null = null): number {
  let peak = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const n = periods.filter((p, i) => p.status === 'active' && contractIds[i] !== except && p.start <= d && p.end >= d).reduce((s, p) => s + p.positions, 0);
    peak = Math.max(peak, n);
  }
  return peak;
}

describe('coverage (contract module)', () => {
  it('counts the most covered at one time from a date on: overlapping contracts add up, successive ones do not; terminated ones do not count', async () => {
    const k = capKey(key.officeId, key.skillLevelId, key.postNameId);
    expect((await coveredFor(t.database.db, [key], '2026-01-01')).get(k)).toBe(5);
    expect((await coveredFor(t.database.db, [key], '2026-09-01')).get(k)).toBe(3);
    expect((await coveredFor(t.database.db, [key], '2027-01-01')).get(k)).toBe(0);
    // Every key asked is answered, 0 when nothing covers it.
    expect((await coveredFor(t.database.db, [key, unused], '2026-01-01')).get(capKey(unused.officeId, unused.skillLevelId, unused.postNameId))).toBe(0);
  });

  it('agrees with a day-by-day count from any date, and over any period leaving one contract out', async () => {
    const k = capKey(key.officeId, key.skillLevelId, key.postNameId);
    for (let d = '2025-12-01'; d <= '2027-01-15'; d = addDays(d, 11)) {
      expect((await coveredFor(t.database.db, [key], d)).get(k), d).toBe(dayByDay(d, '2027-12-31'));
      const to = addDays(d, 45);
      expect((await peakCoverageByKey(t.database.db, [key], d, to)).get(k), `${d}..${to}`).toBe(dayByDay(d, to));
      expect((await peakCoverageByKey(t.database.db, [key], d, to, contractIds[2]!)).get(k), `${d}..${to} without the third`).toBe(
        dayByDay(d, to, contractIds[2]!),
      );
    }
  });
});
