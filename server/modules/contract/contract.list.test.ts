import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContractListQuery } from '../../../shared/contracts/contract.ts';
import { placeScope, type Reach } from '../../platform/access/access.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { listContracts, listContractsAll } from './contract.repo.ts';

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
