import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContractListQuery } from '../../../shared/contracts/contract.ts';
import { placeScope, type Reach } from '../../platform/access/access.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { belowMinimumFlags } from './contract.mappers.ts';
import { versionPosts } from './contract.repo.ts';
import { getSummary, listContracts, listContractsAll } from './contract.search.repo.ts';
import { addDays, isRegisteredLate, LATE_RULE } from './contract.rules.ts';

// The contract list pages on the contracts' own columns first and derives the summary for the
// page only (the fast path), unless a filter needs a derived value. Both paths must give the
// same rows in the same order and the same total as deriving everything: checked here on the
// demo contracts plus a few more, for every sort and direction, scope and search.

let t: TestApp;
const TODAY = '2026-11-25';
const state: Reach = { scopeKind: 'state', scopeId: 0, departmentId: null, hodId: null, officeId: null };

beforeAll(async () => {
  t = await createTestApp();
  // More contracts (copies of demo contract 1 under other numbers and dates), so pages have several rows.
  await t.database.db.execute(sql`
    insert into contracts (department_id, office_id, agency_id, contract_no, contract_date, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, status)
    select department_id, office_id, agency_id, 'LIST/' || g, contract_date - g, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, 'draft'
      from contracts, generate_series(1, 6) g where id = 1`);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('contract list: paging first gives what deriving everything gives', () => {
  const sorts = ['contractDate', 'contractNo', 'createdAt', 'endDate'] as const;
  for (const sort of sorts) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`sort ${sort} ${dir}, pages of 3`, async () => {
        const all = await listContractsAll(t.database.db, state, { sort, dir }, TODAY);
        expect(all.length).toBeGreaterThanOrEqual(10);
        const seen: number[] = [];
        for (let page = 1; page <= Math.ceil(all.length / 3); page++) {
          const q: TContractListQuery = { page, pageSize: 3, sort, dir };
          const r = await listContracts(t.database.db, state, q, TODAY);
          expect(r.total).toBe(all.length);
          seen.push(...r.items.map((i) => Number(i.id)));
        }
        expect(seen).toEqual(all.map((i) => Number(i.id)));
      });
    }
  }

  it('search and scope give the same rows on both paths', async () => {
    for (const [actor, q] of [
      [state, 'narmada'],
      [state, 'LIST/'],
      [await placeScope(t.database.db, 'office', 79), ''],
      [await placeScope(t.database.db, 'agency', 1), 'gem'],
      [await placeScope(t.database.db, 'agency', 2), ''],
    ] as const) {
      const all = await listContractsAll(t.database.db, actor, { q: q || undefined, sort: 'createdAt', dir: 'desc' }, TODAY);
      const r = await listContracts(t.database.db, actor, { q: q || undefined, page: 1, pageSize: 100, sort: 'createdAt', dir: 'desc' }, TODAY);
      expect(r.items.map((i) => Number(i.id))).toEqual(all.map((i) => Number(i.id)));
      expect(r.total).toBe(all.length);
    }
  });
});

describe('registered late: the list and dashboard flag is contract.rules.isRegisteredLate', () => {
  it('gives the rule’s answer on both sides of the 1 April 2026 start, the 30-day limit and IST midnight', async () => {
    const db = t.database.db;
    const dates = [
      addDays(LATE_RULE.from, -40),
      addDays(LATE_RULE.from, -1),
      LATE_RULE.from,
      '2026-05-01',
      addDays(TODAY, -LATE_RULE.afterDays),
      addDays(TODAY, -LATE_RULE.afterDays - 1),
      TODAY,
    ];
    // Activation instants (UTC) relative to the contract date: none (a draft), the 30th and 31st day in IST, and 18:29 / 18:30 UTC (23:59 / 00:00 IST).
    const activations = [null, 'T06:00:00Z+30', 'T06:00:00Z+31', 'T18:29:00Z+30', 'T18:30:00Z+30'];
    const cases: { no: string; date: string; activatedAt: string | null }[] = [];
    for (const date of dates) {
      for (const a of activations) {
        const at = a === null ? null : `${addDays(date, Number(a.split('+')[1]))}${a.split('+')[0]}`;
        if (at !== null && at.slice(0, 10) > TODAY) continue;
        cases.push({ no: `LATE/${cases.length}`, date, activatedAt: at });
      }
    }
    for (const c of cases) {
      const r = await db.execute<{ id: number }>(sql`
        insert into contracts (department_id, office_id, agency_id, contract_no, contract_date, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, status)
        select department_id, office_id, agency_id, ${c.no}, ${c.date}::date, procurement_mode, gem_contract_no, gem_bid_no, ${c.date < LATE_RULE.from}, 'draft'
          from contracts where id = 1 returning id`);
      if (c.activatedAt === null) continue;
      await db.execute(sql`
        insert into contract_versions (contract_id, version_no, kind, state, start_date, end_date, ddo_code_id, payment_mode, wage_basis, service_charge_bp, epf_mode, esic_applies, bonus_bp, activated_at)
        select ${r.rows[0]!.id}, 1, 'original', 'in_force', ${c.date}::date, ${c.date}::date + 365, ddo_code_id, payment_mode, wage_basis, service_charge_bp, epf_mode, esic_applies, bonus_bp, ${c.activatedAt}::timestamptz
          from contract_versions where contract_id = 1 order by version_no limit 1`);
    }
    const rows = await listContractsAll(db, state, { q: 'LATE/', sort: 'createdAt', dir: 'asc' }, TODAY);
    expect(rows.length).toBe(cases.length);
    for (const row of rows) {
      const c = cases.find((x) => x.no === row.contract_no)!;
      const registeredOn = c.activatedAt === null ? null : new Date(Date.parse(c.activatedAt) + 330 * 60_000).toISOString().slice(0, 10);
      expect(row.registered_on, c.no).toBe(registeredOn);
      expect(Boolean(row.registered_late), `${c.no} ${c.date} ${c.activatedAt}`).toBe(isRegisteredLate(c.date, registeredOn, TODAY));
    }
    // Both answers occur, so the comparison is not vacuous.
    expect(new Set(rows.map((r) => Boolean(r.registered_late))).size).toBe(2);
    // The list's `late` filter (derived path) keeps exactly the rows the rule calls late.
    const late = await listContracts(db, state, { q: 'LATE/', late: 'true', page: 1, pageSize: 100, sort: 'createdAt', dir: 'asc' }, TODAY);
    expect(late.items.map((r) => r.contract_no).sort()).toEqual(
      rows
        .filter((r) => r.registered_late)
        .map((r) => r.contract_no)
        .sort(),
    );
  });
});

describe('below minimum wage: the list flag and the detail’s flags come from one rule', () => {
  it('agrees on periods before, across and after a revision, at the minimum and one paisa below', async () => {
    const db = t.database.db;
    const [base] = (
      await db.execute<{ skill_level_id: number; total: number }>(sql`
      select skill_level_id, (basic_paise + vda_paise)::int as total from minimum_wages where effective_from = '2025-10-01' order by skill_level_id limit 1`)
    ).rows;
    const skill = base!.skill_level_id;
    const T = Number(base!.total);
    await db.execute(
      sql`insert into minimum_wages (skill_level_id, effective_from, basic_paise, vda_paise, notification_ref) values (${skill}, '2026-04-01', ${T + 10_000}, 0, 'List test revision')`,
    );
    const cases: [string, string, number][] = [
      ['2026-01-01', '2026-03-31', T],
      ['2026-01-01', '2026-04-01', T],
      ['2026-01-01', '2026-12-31', T + 10_000],
      ['2026-01-01', '2026-12-31', T - 1],
      ['2026-05-01', '2026-12-31', T + 9_999],
      ['2026-05-01', '2026-12-31', T + 10_000],
      ['2025-01-01', '2025-06-30', 1],
    ];
    const versions: { id: number; versionId: number; startDate: string; endDate: string }[] = [];
    for (const [i, [start, end, wage]] of cases.entries()) {
      const c = await db.execute<{ id: number }>(sql`
        insert into contracts (department_id, office_id, agency_id, contract_no, contract_date, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, status)
        select department_id, office_id, agency_id, 'WAGE/' || ${i}, contract_date, procurement_mode, gem_contract_no, gem_bid_no, is_legacy, 'active'
          from contracts where id = 1 returning id`);
      const id = c.rows[0]!.id;
      const v = await db.execute<{ id: number }>(sql`
        insert into contract_versions (contract_id, version_no, kind, state, start_date, end_date, ddo_code_id, payment_mode, wage_basis, service_charge_bp, epf_mode, esic_applies, bonus_bp)
        select ${id}, 1, 'original', 'draft', ${start}::date, ${end}::date, ddo_code_id, payment_mode, wage_basis, service_charge_bp, epf_mode, esic_applies, bonus_bp
          from contract_versions where contract_id = 1 order by version_no limit 1 returning id`);
      const versionId = v.rows[0]!.id;
      await db.execute(sql`insert into contract_posts (version_id, office_id, skill_level_id, post_name_id, positions, basic_paise, vda_paise)
        select ${versionId}, office_id, ${skill}, (select min(id) from post_names), 1, ${wage}, 0 from contracts where id = ${id}`);
      await db.execute(sql`update contract_versions set state = 'in_force' where id = ${versionId}`);
      versions.push({ id, versionId, startDate: start, endDate: end });
    }
    // The demo contracts' in-force versions too.
    const demo = await db.execute<{ id: number; version_id: number; start_date: string; end_date: string }>(sql`
      select c.id, v.id as version_id, to_char(v.start_date, 'YYYY-MM-DD') as start_date, to_char(v.end_date, 'YYYY-MM-DD') as end_date
        from contracts c join contract_versions v on v.contract_id = c.id and v.state = 'in_force' where c.contract_no not like 'WAGE/%'`);
    versions.push(...demo.rows.map((r) => ({ id: r.id, versionId: r.version_id, startDate: r.start_date, endDate: r.end_date })));
    const flagged: number[] = [];
    for (const v of versions) {
      const summary = await getSummary(db, v.id, TODAY);
      const flags = await belowMinimumFlags(db, v, await versionPosts(db, [v.versionId]));
      expect(Boolean(summary!.below_minimum), `${summary!.contract_no} ${v.startDate}..${v.endDate}`).toBe(flags.length > 0);
      if (flags.length > 0) flagged.push(v.id);
    }
    expect(versions.slice(0, cases.length).map((v) => flagged.includes(v.id))).toEqual([false, true, false, true, true, false, false]);
    const listed = await listContracts(db, state, { belowMinimumWage: 'true', page: 1, pageSize: 200, sort: 'createdAt', dir: 'asc' }, TODAY);
    expect(listed.items.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual([...new Set(flagged)].sort((a, b) => a - b));
  });
});
