import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/platform/auth/password.ts';
import { createTestApp, type TestApp } from '../server/test/harness.ts';
import { BENCH_PASSWORD, generateOrgMasters, type GenerateReport, officeIndexForUser } from './generate.ts';

// The generator at a small scale: the counts asked for, referential integrity (including the
// links the schema cannot enforce), and the two things the benchmark relies on — generated users
// can log in, and the bench admin sees the large offices' users through the list route.

let t: TestApp;
let report: GenerateReport;
const SCALE = { offices: 100, ddoCodes: 90, departments: 15, users: 300 };

async function one(q: ReturnType<typeof sql>): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(q);
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  report = await generateOrgMasters(t.database.db, { ...SCALE, passwordHash: await hashPassword(BENCH_PASSWORD) });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('bench generator (small scale)', () => {
  it('makes the numbers of rows asked for', () => {
    const c = report.counts;
    expect(c.districts).toBe(55);
    expect(c.treasuries).toBe(55);
    expect(c.departments).toBe(15);
    // 12 real departments bring 16 HODs; numbered departments 13-15 bring 1, 2 and 3.
    expect(c.hods).toBe(22);
    expect(c.offices).toBe(100);
    expect(c.ddo_codes).toBe(90);
    expect(c.ddo_office_map).toBe(100);
    expect(c.budget_lines).toBe(30);
    expect(c.budget_line_map).toBe(100);
    expect(c.users).toBe(302); // + the bench admin and the bench finance admin
    // one assignment each, a second for one user in ten, and the admin's
    expect(c.role_assignments).toBe(300 + 30 + 2);
    // every 33rd user is inactive and cannot log in
    expect(report.loginUsernames).toHaveLength(300 - Math.floor(300 / 33));
  });

  it('keeps the office tree consistent', async () => {
    // each office's department is its HOD's, its treasury is in its own district
    expect(await one(sql`select count(*) as n from offices o join hods h on h.id = o.hod_id where o.department_id <> h.department_id`)).toBe(0);
    expect(await one(sql`select count(*) as n from offices o join treasuries t on t.id = o.treasury_id where t.district_id <> o.district_id`)).toBe(0);
    // every office draws through exactly one DDO code, of an office under the same HOD
    expect(await one(sql`select count(*) as n from offices o where (select count(*) from ddo_office_map m where m.office_id = o.id) <> 1`)).toBe(0);
    expect(
      await one(
        sql`select count(*) as n from ddo_office_map m join offices o on o.id = m.office_id join ddo_codes d on d.id = m.ddo_code_id join offices od on od.id = d.office_id where od.hod_id <> o.hod_id`,
      ),
    ).toBe(0);
    // a DDO's treasury is its office's
    expect(await one(sql`select count(*) as n from ddo_codes d join offices o on o.id = d.office_id where d.treasury_id <> o.treasury_id`)).toBe(0);
    // every office is mapped to a budget line of its own department
    expect(
      await one(
        sql`select count(*) as n from budget_line_map m join offices o on o.id = m.office_id join budget_lines b on b.id = m.budget_line_id where b.department_id <> o.department_id`,
      ),
    ).toBe(0);
  });

  it('gives every role assignment a real office and scope, and every user an active one', async () => {
    // office_id and scope_id carry no foreign key: check them here
    expect(
      await one(
        sql`select count(*) as n from role_assignments a where a.office_id is not null and not exists (select 1 from offices o where o.id = a.office_id)`,
      ),
    ).toBe(0);
    expect(await one(sql`select count(*) as n from role_assignments a where a.scope_kind = 'office' and a.scope_id <> a.office_id`)).toBe(0);
    expect(
      await one(
        sql`select count(*) as n from role_assignments a where a.scope_kind = 'ddo' and not exists (select 1 from ddo_office_map m where m.ddo_code_id = a.scope_id and m.office_id = a.office_id)`,
      ),
    ).toBe(0);
    expect(
      await one(
        sql`select count(*) as n from role_assignments a join offices o on o.id = a.office_id where a.scope_kind = 'department' and a.scope_id <> o.department_id`,
      ),
    ).toBe(0);
    expect(await one(sql`select count(*) as n from users u where not exists (select 1 from role_assignments a where a.user_id = u.id and a.active)`)).toBe(0);
    expect(await one(sql`select count(*) as n from role_assignments where not active and ended_at is null`)).toBe(0);
  });

  it('puts the most users in the large offices', async () => {
    const r = await t.database.db.execute<{ office_id: number; n: number }>(
      sql`select office_id, count(*)::int as n from role_assignments group by office_id order by n desc, office_id limit 1`,
    );
    expect(report.largeOfficeIds).toContain(r.rows[0]!.office_id);
    // 20 % of the users sit in the large offices, 28.5 % in mid-sized ones
    const idx = Array.from({ length: 1000 }, (_, i) => officeIndexForUser(i, 1000, 12_000, 10, 190));
    expect(idx.filter((k) => k < 10)).toHaveLength(200);
    expect(idx.filter((k) => k >= 10 && k < 200)).toHaveLength(285);
  });

  it('refuses to run twice on the same database', async () => {
    await expect(generateOrgMasters(t.database.db, SCALE)).rejects.toThrow(/empty database/);
  });

  it('lets generated users log in and the admin list a large office', async () => {
    const u = await t.login(report.loginUsernames[5]!, BENCH_PASSWORD);
    const me = await u.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    const admin = await t.login(report.adminUsername, BENCH_PASSWORD);
    const office = report.largeOfficeIds[0]!;
    const res = await admin.get(`/api/v1/office-users?officeId=${office}&page=1&pageSize=25`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: { officeId: number }[]; total: number };
    const expected = await one(sql`select count(*) as n from role_assignments where office_id = ${office} and active`);
    expect(body.total).toBe(expected);
    expect(body.items.length).toBe(Math.min(25, expected));
    expect(body.items.every((i) => i.officeId === office)).toBe(true);
    const search = await admin.get(`/api/v1/office-users?officeId=${office}&q=${report.commonSurname}`);
    expect(search.statusCode).toBe(200);
    expect((search.json() as { total: number }).total).toBeGreaterThan(0);
  });
});
