import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/platform/auth/password.ts';
import { createTestApp, type TestApp } from '../server/test/harness.ts';
import { benchPan, type ContractGenReport, generateAgenciesContracts, gstinCheckChar } from './generate-contracts.ts';
import { BENCH_PASSWORD, generateOrgMasters } from './generate.ts';

// The agencies / contracts generator at a small scale: the counts asked for, and the data obeys
// the rules the service enforces (so list and registration benchmarks run on realistic rows).

let t: TestApp;
let report: ContractGenReport;

async function one(q: ReturnType<typeof sql>): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(q);
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  await generateOrgMasters(t.database.db, { offices: 100, ddoCodes: 90, departments: 15, users: 50, passwordHash: await hashPassword(BENCH_PASSWORD) });
  report = await generateAgenciesContracts(t.database.db, { agencies: 120, contracts: 90 });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('bench generator: agencies and contracts (small scale)', () => {
  it('check character matches the published GSTIN example', () => {
    expect(gstinCheckChar('27AAPFU0939F1Z')).toBe('V');
  });

  it('makes the rows asked for, PANs unique and typed', async () => {
    expect(report.agencies).toBe(120);
    expect(report.contracts).toBe(90);
    expect(await one(sql`select count(distinct pan)::int as n from agencies`)).toBe(120);
    expect(new Set(Array.from({ length: 5000 }, (_, i) => benchPan(i).pan)).size).toBe(5000);
    expect(await one(sql`select count(*)::int as n from agencies where substr(gstin, 3, 10) <> pan`)).toBe(0);
  });

  it('gives contracts only to verified agencies, each with one version in force', async () => {
    expect(await one(sql`select count(*)::int as n from contracts c join agencies a on a.id = c.agency_id where a.status <> 'verified'`)).toBe(0);
    expect(await one(sql`select count(*)::int as n from contract_versions where state = 'in_force'`)).toBe(90);
  });

  it('never covers more positions than sanctioned for an (office, skill, post)', async () => {
    const over = await one(sql`
      with cov as (select p.office_id, p.skill_level_id, p.post_name_id, sum(p.positions) as n from contract_posts p
                   join contract_versions v on v.id = p.version_id and v.state = 'in_force' group by 1, 2, 3),
           san as (select spo.office_id, sp.skill_level_id, sp.post_name_id, sum(spo.posts) as n from sanction_post_offices spo
                   join sanction_posts sp on sp.id = spo.post_id join sanction_orders o on o.id = sp.order_id and o.locked_at is not null group by 1, 2, 3)
      select count(*)::int as n from cov left join san using (office_id, skill_level_id, post_name_id) where coalesce(san.n, 0) < cov.n`);
    expect(over).toBe(0);
    expect(await one(sql`select count(*)::int as n from contract_posts`)).toBe(report.contractPosts);
  });
});
