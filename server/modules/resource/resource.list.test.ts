import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TResourceListQuery, type TResourceSummary, ZResourceListQuery } from '../../../shared/contracts/resource.ts';
import type { Reach } from '../../platform/access/access.ts';
import { type Client, createTestApp, switchTo, type TestApp } from '../../test/harness.ts';
import { listResources } from './resource.repo.ts';

/**
 * The resource list's paging, order and search (resource.repo.ts listSql: the page and its total
 * in one statement, the scope indexes of migration 0015) on the demo resources, against the real
 * engine (PGlite, or PostgreSQL with TEST_DATABASE_URL): what a user of the list sees — every
 * page carries the same total (also a page past the end), the pages together are the whole list
 * once each in the order asked for, and the search box finds by name in either script, mobile
 * and the last four Aadhaar digits, inside the caller's scope only.
 */

type Page = { items: TResourceSummary[]; total: number; totalCapped: boolean; page: number; pageSize: number };

let t: TestApp;
let finance: Client; // state scope
let agency: Client; // agency 1

beforeAll(async () => {
  t = await createTestApp();
  finance = await t.login('finance_admin');
  agency = await t.login('agency_admin');
}, 240_000);
afterAll(async () => {
  await t?.close();
});

async function page(c: Client, q: string): Promise<Page> {
  const res = await c.get(`/api/v1/resources?${q}`);
  expect(res.statusCode).toBe(200);
  return res.json() as Page;
}

describe('resource list — paging, order and search', () => {
  it('gives every page the same total, past the end too, and the pages are the whole list once each, newest first', async () => {
    const all = await page(finance, 'pageSize=200');
    expect(all.total).toBeGreaterThan(5);
    expect(all.items).toHaveLength(all.total);
    const seen: TResourceSummary[] = [];
    for (let p = 1; p <= Math.ceil(all.total / 3); p++) {
      const x = await page(finance, `page=${p}&pageSize=3`);
      expect(x.total).toBe(all.total);
      seen.push(...x.items);
    }
    expect(seen.map((r) => r.id)).toEqual(all.items.map((r) => r.id));
    const created = seen.map((r) => `${r.createdAt}|${String(r.id).padStart(9, '0')}`);
    expect(created).toEqual([...created].sort().reverse());
    const past = await page(finance, `page=${Math.ceil(all.total / 3) + 5}&pageSize=3`);
    expect(past.items).toEqual([]);
    expect(past.total).toBe(all.total);
  });

  it('sorts by name and by joining date both ways, the id breaking ties', async () => {
    for (const dir of ['asc', 'desc'] as const) {
      const byName = (await page(finance, `pageSize=200&sort=name&dir=${dir}`)).items.map((r) => r.nameEn || r.nameHi);
      const sorted = [...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(byName).toEqual(dir === 'asc' ? sorted : sorted.reverse());
      const joined = (await page(finance, `pageSize=200&sort=joiningDate&dir=${dir}`)).items.map((r) => r.joiningDate);
      const dated = joined.filter((d): d is string => d !== null);
      // Resources not yet joined come last whichever the direction.
      expect(joined.slice(0, dated.length)).toEqual(dated);
      expect(dated).toEqual(dir === 'asc' ? [...dated].sort() : [...dated].sort().reverse());
    }
  });

  it('finds by a name in either script, a mobile number and the last four Aadhaar digits, inside the scope only', async () => {
    const all = (await page(finance, 'pageSize=200')).items;
    const own = (await page(agency, 'pageSize=200')).items;
    const named = all.find((x) => x.nameEn && x.nameHi)!;
    const kyc = all.find((x) => x.aadhaarMasked)!;
    const last4 = (x: TResourceSummary) => x.aadhaarMasked?.slice(-4) ?? null;
    expect(named && kyc).toBeTruthy();
    const surname = named.nameEn.split(' ').at(-1)!;
    const hindi = named.nameHi.split(' ')[0]!;
    const has = (x: TResourceSummary, q: string) =>
      x.nameEn.toLowerCase().includes(q.toLowerCase()) || x.nameHi.toLowerCase().includes(q.toLowerCase()) || x.mobile.includes(q) || last4(x) === q;
    for (const q of [surname.toUpperCase(), hindi, named.mobile, last4(kyc)!]) {
      for (const [c, list] of [
        [finance, all],
        [agency, own],
      ] as const) {
        const found = await page(c, `pageSize=200&q=${encodeURIComponent(q)}`);
        const expected = list.filter((x) => has(x, q)).map((x) => x.id);
        expect(found.items.map((x) => x.id).sort()).toEqual(expected.sort());
        expect(found.total).toBe(expected.length);
      }
    }
    expect((await page(finance, `q=${last4(kyc)}`)).items.map((x) => x.id)).toContain(kyc.id);
    // An agency never finds another agency's resource, even by its exact name.
    const foreign = all.find((x) => x.agencyId !== 1)!;
    expect((await page(agency, `pageSize=200&q=${encodeURIComponent(foreign.nameEn || foreign.nameHi)}`)).items.some((x) => x.id === foreign.id)).toBe(false);
    // A search's pages (the matches are found once, then counted and cut: listSql): every page
    // carries the search's total, past the end too, and together they are the matches once each.
    const wide = await page(finance, 'pageSize=200&q=a');
    expect(wide.total).toBeGreaterThan(4);
    expect(wide.items.map((x) => x.id).sort()).toEqual(
      all
        .filter((x) => has(x, 'a'))
        .map((x) => x.id)
        .sort(),
    );
    const paged: number[] = [];
    for (let p = 1; p <= Math.ceil(wide.total / 2); p++) {
      const x = await page(finance, `page=${p}&pageSize=2&q=a`);
      expect(x.total).toBe(wide.total);
      paged.push(...x.items.map((r) => r.id));
    }
    expect(paged).toEqual(wide.items.map((x) => x.id));
    const beyond = await page(finance, `page=${Math.ceil(wide.total / 2) + 3}&pageSize=2&q=a`);
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(wide.total);
    // `%` and `_` are taken literally: no resource has them in a name, a mobile or digits.
    expect((await page(finance, 'q=%25')).total).toBe(0);
    expect((await page(finance, 'q=_')).total).toBe(0);
  });

  it('finds by one or two characters (no trigram to look up) exactly what filtering the list would, in the state and an agency', async () => {
    // A search shorter than a trigram is filtered on the scope's rows instead of reading the
    // trigram indexes whole (listWhere, the same test in every scope): the same rows, only faster.
    for (const c of [finance, agency]) {
      const list = (await page(c, 'pageSize=200')).items;
      expect(list.length).toBeGreaterThan(0);
      const named = list.find((x) => x.nameEn && x.nameHi)!;
      for (const q of [
        named.nameEn.slice(0, 1),
        named.nameEn.slice(1, 3).toUpperCase(),
        [...named.nameHi].slice(0, 2).join(''),
        named.mobile.slice(-2),
        '%',
        'zq',
      ]) {
        const found = await page(c, `pageSize=200&q=${encodeURIComponent(q)}`);
        const want = list.filter(
          (x) => x.nameEn.toLowerCase().includes(q.toLowerCase()) || x.nameHi.includes(q) || x.mobile.includes(q) || x.aadhaarMasked?.slice(-4) === q,
        );
        expect(found.items.map((x) => x.id).sort(), q).toEqual(want.map((x) => x.id).sort());
        expect(found.total).toBe(want.length);
      }
    }
  });

  it("a department's search (by its search keys, migration 0049) finds exactly what filtering the department's list finds", async () => {
    // The keys path is taken for a department-scope user and for a list filtered to a department;
    // it must find the same rows as the plain filter, in every script and for every length.
    const all = (await page(finance, 'pageSize=200')).items;
    const counts = new Map<number, number>();
    for (const x of all) counts.set(x.departmentId, (counts.get(x.departmentId) ?? 0) + 1);
    const [deptId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const own = all.filter((x) => x.departmentId === deptId);
    // A department auditor (scope: the department) through an assignment at office 79.
    const [auditorUser] = (await t.database.db.execute<{ id: number }>(sql`select id from users where username = 'auditor_state'`)).rows;
    await t.database.db.execute(
      sql`insert into role_assignments (user_id, role, scope_kind, scope_id, office_id) values (${auditorUser!.id}, 'auditor', 'department', ${deptId}, 79)`,
    );
    const auditor = await t.login('auditor_state');
    await switchTo(auditor, 79, 'auditor');
    expect((await page(auditor, 'pageSize=200')).total).toBe(own.length);
    const named = own.find((x) => x.nameEn && x.nameHi)!;
    const kyc = all.find((x) => x.aadhaarMasked && x.departmentId === deptId);
    const has = (x: TResourceSummary, q: string) =>
      x.nameEn.toLowerCase().includes(q.toLowerCase()) ||
      x.nameHi.toLowerCase().includes(q.toLowerCase()) ||
      x.mobile.includes(q) ||
      x.aadhaarMasked?.slice(-4) === q;
    const surname = named.nameEn.split(' ').at(-1)!;
    const queries = [
      surname,
      surname.toUpperCase(),
      surname.slice(0, 2),
      surname.slice(1, 3).toUpperCase(),
      named.nameEn.slice(0, 1),
      [...named.nameHi].slice(0, 2).join(''),
      named.nameHi.split(' ')[0]!,
      named.mobile,
      named.mobile.slice(3, 8),
      named.mobile.slice(-2),
      ...(kyc ? [kyc.aadhaarMasked!.slice(-4)] : []),
      // A run across the space between two names (the API trims only the ends).
      named.nameEn.slice(named.nameEn.indexOf(' ') - 1, named.nameEn.indexOf(' ') + 3),
      '%',
      '_',
      'zqx',
      'zq',
    ];
    for (const q of queries) {
      const want = own
        .filter((x) => has(x, q))
        .map((x) => x.id)
        .sort();
      for (const [who, c, extra] of [
        ['the department auditor', auditor, ''],
        ['Finance, filtered to the department', finance, `&departmentId=${deptId}`],
      ] as const) {
        const found = await page(c, `pageSize=200&q=${encodeURIComponent(q)}${extra}`);
        expect(found.items.map((x) => x.id).sort(), `${who}: "${q}"`).toEqual(want);
        expect(found.total, `${who}: "${q}"`).toBe(want.length);
        // A later page (planned per call) and a page past the end carry the same total.
        if (want.length > 1) {
          const second = await page(c, `page=2&pageSize=1&q=${encodeURIComponent(q)}${extra}`);
          expect(second.total).toBe(want.length);
          expect(second.items).toHaveLength(1);
        }
        const past = await page(c, `page=${want.length + 2}&pageSize=1&q=${encodeURIComponent(q)}${extra}`);
        expect(past.items).toEqual([]);
        expect(past.total).toBe(want.length);
      }
    }
    // A name written after the search keys were made (an insert and an update keep them).
    const [target] = own;
    await t.database.db.execute(sql`update resources set name_en = 'Zebulon Quixotic' where id = ${target!.id}`);
    for (const q of ['quixot', 'QUIXOTIC', 'zeb', 'ze']) {
      expect(
        (await page(auditor, `pageSize=200&q=${q}`)).items.map((x) => x.id),
        q,
      ).toEqual([target!.id]);
    }
    await t.database.db.execute(sql`update resources set name_en = ${target!.nameEn} where id = ${target!.id}`);
    expect((await page(auditor, 'pageSize=200&q=quixot')).total).toBe(0);
  });

  it('a count stops at its cap and says so; the page, its order and a search are the same either way', async () => {
    const all = await page(finance, 'pageSize=200');
    expect(all.totalCapped).toBe(false);
    const n = all.total;
    expect(n).toBeGreaterThan(4);
    const state: Reach = { scopeKind: 'state', scopeId: 0, departmentId: null, hodId: null, officeId: null };
    const query = (over: Partial<TResourceListQuery> = {}) => ZResourceListQuery.parse({ pageSize: 3, ...over });
    for (const [cap, total, capped] of [
      [n - 1, n - 1, true],
      [n, n, false],
      [n + 1, n, false],
      [2, 2, true],
    ] as const) {
      const first = await listResources(t.database.db, state, query(), cap);
      expect({ total: first.total, capped: first.totalCapped }, `cap ${cap}`).toEqual({ total, capped });
      expect(first.items.map((x) => x.id)).toEqual(all.items.slice(0, 3).map((x) => x.id));
      // A later page (unnamed statement) and a page past the end (the count alone) are capped alike.
      const second = await listResources(t.database.db, state, query({ page: 2 }), cap);
      expect(second.items.map((x) => x.id)).toEqual(all.items.slice(3, 6).map((x) => x.id));
      expect({ total: second.total, capped: second.totalCapped }).toEqual({ total, capped });
      const past = await listResources(t.database.db, state, query({ page: 1000 }), cap);
      expect(past.items).toEqual([]);
      expect({ total: past.total, capped: past.totalCapped }).toEqual({ total, capped });
    }
    // A search's matches (materialised, then counted) stop at the cap too.
    const wide = await page(finance, 'pageSize=200&q=a');
    const cut = await listResources(t.database.db, state, query({ q: 'a', pageSize: 200 }), wide.total - 1);
    expect({ total: cut.total, capped: cut.totalCapped }).toEqual({ total: wide.total - 1, capped: true });
    expect(cut.items.map((x) => x.id)).toEqual(wide.items.map((x) => x.id));
  });

  it('the migration made the list indexes', async () => {
    const r = await t.database.db.execute<{ indexname: string }>(sql`select indexname from pg_indexes where tablename = 'resources' order by 1`);
    const names = r.rows.map((x) => x.indexname);
    for (const n of [
      'resources_agency_idx',
      'resources_department_idx',
      'resources_contract_office_idx',
      'resources_created_idx',
      'resources_aadhaar_last4_idx',
      'resources_dept_name_en_trgm_idx',
      'resources_dept_name_hi_trgm_idx',
      'resources_dept_mobile_trgm_idx',
      'resources_search_keys_idx',
    ])
      expect(names).toContain(n);
  });
});
