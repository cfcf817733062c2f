import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agencies } from '../../modules/agency/agency.table.ts';
import { departments, districts, hods, offices, treasuries } from '../../modules/org/org.table.ts';
import { pdAccounts } from '../../modules/pd/pd.table.ts';
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
  // An office role is named by its office: no scope name beside it.
  if (a!.scopeKind === 'office') expect(rows.find((r) => r.id === a!.id)).toMatchObject({ scopeNameEn: null, scopeNameHi: null });
});

it('names every scope that is not an office by the record it names, in English and Hindi; an office, DDO-code, state or self scope by nothing', async () => {
  const db = database.db;
  const all = await db.select().from(roleAssignments).where(eq(roleAssignments.active, true));
  const seen = new Set<string>();
  for (const a of all) {
    const row = (await listAssignments(db, a.userId)).find((r) => r.id === a.id)!;
    const table = { district: districts, department: departments, hod: hods, treasury: treasuries }[a.scopeKind as string];
    if (table) {
      const [m] = await db.select().from(table).where(eq(table.id, a.scopeId));
      expect(row, `${a.scopeKind} ${a.scopeId}`).toMatchObject({ scopeNameEn: m!.nameEn, scopeNameHi: m!.nameHi });
    } else if (a.scopeKind === 'agency') {
      const [m] = await db.select().from(agencies).where(eq(agencies.id, a.scopeId));
      expect(row).toMatchObject({ scopeNameEn: m!.legalName, scopeNameHi: m!.legalName });
    } else if (a.scopeKind === 'pd_account') {
      const [m] = await db.select().from(pdAccounts).where(eq(pdAccounts.id, a.scopeId));
      expect(row).toMatchObject({ scopeNameEn: m!.nameEn, scopeNameHi: m!.nameHi });
    } else expect(row, a.scopeKind).toMatchObject({ scopeNameEn: null, scopeNameHi: null });
    seen.add(a.scopeKind);
  }
  // The demo data holds the kinds a newcomer logs in as (agency_admin, treasury_bhopal, districtadmin_bhopal …).
  for (const k of ['district', 'agency', 'treasury', 'office', 'state']) expect(seen, k).toContain(k);
});
