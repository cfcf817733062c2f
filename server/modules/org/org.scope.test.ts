import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayAccess, placeScope, type Reach } from '../../platform/access/access.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { searchOfficesInScope } from './org.repo.ts';
import { ddoCodes, offices } from './org.table.ts';

// The office search filters through the access layer (kind 'office', alias `o`): it finds exactly
// the active offices the record check allows.

let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

async function allowedOfficeIds(reach: Reach) {
  const rows = await database.db.select().from(offices).where(eq(offices.active, true)).orderBy(asc(offices.id));
  return rows.filter((o) => mayAccess(reach, 'office', { departmentId: o.departmentId, hodId: o.hodId, officeId: o.id })).map((o) => o.id);
}

describe('offices in scope', () => {
  it('a department, a HOD and an office find through the search exactly the offices the record check allows', async () => {
    const db = database.db;
    const [some] = await db.select().from(offices).where(eq(offices.active, true)).limit(1);
    for (const [scopeKind, scopeId] of [
      ['department', some!.departmentId],
      ['hod', some!.hodId],
      ['office', some!.id],
      ['state', 0],
    ] as const) {
      const reach = await placeScope(db, scopeKind, scopeId);
      const found = (await searchOfficesInScope(db, reach, '', 100_000)).map((o) => o.id).sort((a, b) => a - b);
      expect(found).toEqual(await allowedOfficeIds(reach));
      expect(found).toContain(some!.id);
    }
  });

  it('a DDO scope, placed by the access layer, reaches its own office', async () => {
    const db = database.db;
    const [ddo] = await db.select().from(ddoCodes).limit(1);
    const reach = await placeScope(db, 'ddo', ddo!.id);
    expect((await searchOfficesInScope(db, reach, '', 100)).map((o) => o.id)).toEqual([ddo!.officeId]);
    expect(await allowedOfficeIds(reach)).toEqual([ddo!.officeId]);
  });

  it('an agency scope reaches no office', async () => {
    const reach = await placeScope(database.db, 'agency', 1);
    expect(await searchOfficesInScope(database.db, reach, '', 100)).toEqual([]);
  });
});
