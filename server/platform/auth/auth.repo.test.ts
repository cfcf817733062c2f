import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agencies } from '../../modules/agency/agency.table.ts';
import { departments, districts, hods, offices, treasuries } from '../../modules/org/org.table.ts';
import { pdAccounts } from '../../modules/pd/pd.table.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { listAssignments, loadSessions } from './auth.repo.ts';
import { roleAssignments, sessions } from './auth.table.ts';

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

it('loads one session (its own statement) and several (the array form) alike, and no revoked or unknown one', async () => {
  const db = database.db;
  const users = (await db.execute<{ id: number }>(sql`select id from users order by id limit 3`)).rows;
  const ids = users.map((u, i) => `test-session-${i}-${u.id}`);
  const later = new Date(Date.now() + 3_600_000);
  for (const [i, u] of users.entries())
    await db.insert(sessions).values({
      id: ids[i]!,
      userId: u.id,
      csrfToken: `csrf-${i}`,
      ip: '127.0.0.1',
      userAgent: 'test',
      createdAt: new Date(),
      lastSeenAt: new Date(),
      expiresAt: later,
    });
  const many = await loadSessions(db, ids);
  expect(many.map((r) => r.session.id).sort()).toEqual([...ids].sort());
  const one = await loadSessions(db, [ids[1]!]);
  expect(one).toEqual([many.find((r) => r.session.id === ids[1])]);
  expect(await loadSessions(db, ['no-such-session'])).toEqual([]);
  // Run often enough for PostgreSQL to weigh its generic plan (from the sixth run), on one
  // connection (a transaction): the answers stay the same. Which plan it keeps depends on the
  // tables' size (at 200,000 workers the array form was planned afresh on every run; on this
  // small database either is chosen), so the plan is measured by the bench, not asserted here.
  await db.transaction(async (tx) => {
    for (let i = 0; i < 8; i++) expect((await loadSessions(tx, [ids[i % 3]!])).map((r) => r.session.id)).toEqual([ids[i % 3]]);
  });
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, ids[2]!));
  expect(await loadSessions(db, [ids[2]!])).toEqual([]);
  expect((await loadSessions(db, ids)).map((r) => r.session.id).sort()).toEqual([ids[0], ids[1]].sort());
});
