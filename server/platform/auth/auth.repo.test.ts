import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { departments, offices } from '../../modules/org/org.table.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { listAssignments } from './auth.repo.ts';
import { roleAssignments } from './auth.table.ts';

// The role picker's names come from the org masters through a named raw query (the platform does
// not import modules); the test may read the masters' tables to check them.

let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

it("lists a user's assignments with the office and department they are shown under", async () => {
  const db = database.db;
  const [a] = await db
    .select()
    .from(roleAssignments)
    .where(and(isNotNull(roleAssignments.officeId), eq(roleAssignments.active, true)))
    .limit(1);
  const [o] = await db.select().from(offices).where(eq(offices.id, a!.officeId!));
  const [d] = await db.select().from(departments).where(eq(departments.id, o!.departmentId));
  const rows = await listAssignments(db, a!.userId);
  expect(rows.find((r) => r.id === a!.id)).toMatchObject({
    officeId: o!.id,
    officeNameEn: o!.nameEn,
    officeNameHi: o!.nameHi,
    departmentNameEn: d!.nameEn,
    departmentNameHi: d!.nameHi,
  });
  const [noOffice] = await db.select().from(roleAssignments).where(eq(roleAssignments.scopeKind, 'state')).limit(1);
  const none = (await listAssignments(db, noOffice!.userId)).find((r) => r.id === noOffice!.id);
  if (none && none.officeId === null) expect(none).toMatchObject({ officeNameEn: null, departmentNameEn: null });
  // Only a district scope names a district: an office role listed in Bhopal is not a district admin.
  expect(rows.find((r) => r.id === a!.id)).toMatchObject({ districtNameEn: null, districtNameHi: null });
});
