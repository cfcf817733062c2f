import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aadhaarProblem } from '../shared/domain/aadhaar.ts';
import { hashPassword } from '../server/platform/auth/password.ts';
import { vaultFind, vaultGet } from '../server/platform/vault/index.ts';
import { aadhaarHash } from '../server/platform/vault/vault.ts';
import { createTestApp, type TestApp } from '../server/test/harness.ts';
import { generateAgenciesContracts } from './generate-contracts.ts';
import { benchAadhaar, generateResources, type ResourceGenReport } from './generate-resources.ts';
import { BENCH_PASSWORD, generateOrgMasters } from './generate.ts';

// The resources generator at a small scale: the rows asked for, obeying what the service
// enforces (deployments inside the contract's posts and the sanction, one active deployment per
// Aadhaar), and vault rows that the vault itself opens.

let t: TestApp;
let report: ResourceGenReport;

async function one(q: ReturnType<typeof sql>): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(q);
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  await generateOrgMasters(t.database.db, { offices: 100, ddoCodes: 90, departments: 15, users: 50, passwordHash: await hashPassword(BENCH_PASSWORD) });
  await generateAgenciesContracts(t.database.db, { agencies: 120, contracts: 90 });
  report = await generateResources(t.database.db, { resources: 4000 });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('bench generator: resources (small scale)', () => {
  it('makes the resources asked for, mostly approved, with every other state present', async () => {
    expect(report.resources).toBe(4000);
    expect(await one(sql`select count(*)::int as n from resources`)).toBe(4000);
    const approved = report.byStatus.approved ?? 0;
    expect(approved / 4000).toBeGreaterThan(0.6);
    for (const s of ['draft', 'submitted', 'relieved', 'rejected']) expect(report.byStatus[s] ?? 0).toBeGreaterThan(0);
    expect(await one(sql`select count(*)::int as n from resources where status = 'approved'`)).toBe(approved);
  });

  it('deploys inside the contract posts and the sanction, on the contract of the resource', async () => {
    const overContract = await one(sql`
      select count(*)::int as n from (
        select r.contract_id, r.office_id, r.skill_level_id, r.post_name_id, count(*) as k, max(cp.positions) as p
          from resources r join contract_versions v on v.contract_id = r.contract_id and v.state = 'in_force'
          join contract_posts cp on cp.version_id = v.id and cp.office_id = r.office_id and cp.skill_level_id = r.skill_level_id and cp.post_name_id = r.post_name_id
         where r.status = 'approved' group by 1, 2, 3, 4) x where k > p`);
    expect(overContract).toBe(0);
    const offPost = await one(sql`
      select count(*)::int as n from resources r where r.status = 'approved' and not exists (
        select 1 from contract_versions v join contract_posts cp on cp.version_id = v.id
         where v.contract_id = r.contract_id and v.state = 'in_force' and cp.office_id = r.office_id
           and cp.skill_level_id = r.skill_level_id and cp.post_name_id = r.post_name_id)`);
    expect(offPost).toBe(0);
    const overSanction = await one(sql`
      with dep as (select office_id, skill_level_id, post_name_id, count(*) as n from resources where status = 'approved' group by 1, 2, 3),
           san as (select spo.office_id, sp.skill_level_id, sp.post_name_id, sum(spo.posts) as n from sanction_post_offices spo
                   join sanction_posts sp on sp.id = spo.post_id group by 1, 2, 3)
      select count(*)::int as n from dep left join san using (office_id, skill_level_id, post_name_id) where coalesce(san.n, 0) < dep.n`);
    expect(overSanction).toBe(0);
    expect(
      await one(sql`select count(*)::int as n from resources r join contracts c on c.id = r.contract_id
      where c.agency_id <> r.agency_id or c.department_id <> r.department_id or c.office_id <> r.contract_office_id`),
    ).toBe(0);
  });

  it('stores Verhoeff-valid synthetic numbers outside the 9999 range in the vault, as the vault reads them', async () => {
    for (let i = 0; i < 3000; i += 7) {
      expect(aadhaarProblem(benchAadhaar(i))).toBeNull();
      expect(benchAadhaar(i).startsWith('9999')).toBe(false);
    }
    expect(await one(sql`select count(*)::int as n from aadhaar_vault`)).toBe(report.vault);
    expect(await one(sql`select count(*)::int as n from resources where aadhaar_ref is not null`)).toBe(report.vault);
    const [r] = (
      await t.database.db.execute<{ id: number; ref: string; hash: string; last4: string }>(
        sql`select id, aadhaar_ref as ref, aadhaar_hash as hash, aadhaar_last4 as last4 from resources where aadhaar_ref is not null order by id desc limit 1`,
      )
    ).rows;
    const number = await vaultGet(t.database.db, r!.ref);
    expect(aadhaarProblem(number)).toBeNull();
    expect(number.slice(-4)).toBe(r!.last4);
    expect(aadhaarHash(number)).toBe(r!.hash);
    expect((await vaultFind(t.database.db, r!.hash))?.refKey).toBe(r!.ref);
  });

  it('gives the list benchmarks users who see resources', async () => {
    expect(report.agencyUsernames).toHaveLength(10);
    expect(report.departmentResources).toBeGreaterThan(0);
    expect(report.sampleIds.length).toBeGreaterThan(0);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: report.agencyUsernames[0], password: BENCH_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/resources?page=1&pageSize=25', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(report.agencyResources[0]);
  });
});
