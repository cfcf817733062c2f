import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeScope } from '../../platform/access/access.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { officeScopeCondition, searchOfficesInScope } from './org.repo.ts';
import { ddoCodes, offices } from './org.table.ts';

// The office search filters through the access layer (kind 'office', alias `o`); the deprecated
// officeScopeCondition (un-aliased `offices`, for the contract module) gives the same offices.

let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

async function activeOfficeIds(cond: ReturnType<typeof officeScopeCondition>) {
  const rows = await database.db.select({ id: offices.id }).from(offices).where(and(eq(offices.active, true), cond)).orderBy(asc(offices.id));
  return rows.map((r) => r.id);
}

describe('offices in scope', () => {
  it('a department, a HOD and an office reach the same offices through the search and the deprecated condition', async () => {
    const db = database.db;
    const [some] = await db.select().from(offices).where(eq(offices.active, true)).limit(1);
    for (const [scopeKind, scopeId] of [['department', some!.departmentId], ['hod', some!.hodId], ['office', some!.id], ['state', 0]] as const) {
      const reach = await placeScope(db, scopeKind, scopeId);
      const found = (await searchOfficesInScope(db, reach, '', 100_000)).map((o) => o.id).sort((a, b) => a - b);
      expect(found).toEqual(await activeOfficeIds(officeScopeCondition({ scopeKind, scopeId })));
      expect(found).toEqual(await activeOfficeIds(officeScopeCondition(reach)));
      expect(found).toContain(some!.id);
    }
  });

  it('a DDO scope, placed by the access layer, reaches its own office (the deprecated condition, placing nothing, reaches none)', async () => {
    const db = database.db;
    const [ddo] = await db.select().from(ddoCodes).limit(1);
    const reach = await placeScope(db, 'ddo', ddo!.id);
    expect((await searchOfficesInScope(db, reach, '', 100)).map((o) => o.id)).toEqual([ddo!.officeId]);
    expect(await activeOfficeIds(officeScopeCondition({ scopeKind: 'ddo', scopeId: ddo!.id }))).toEqual([]);
  });

  it('an agency scope reaches no office', async () => {
    const reach = await placeScope(database.db, 'agency', 1);
    expect(await searchOfficesInScope(database.db, reach, '', 100)).toEqual([]);
  });
});
