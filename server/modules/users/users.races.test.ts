import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';

/**
 * Twenty identical requests at once on the office-user routes (the review's double click), on
 * PGlite and on PostgreSQL (TEST_DATABASE_URL), five rounds (one round lets a lost race through
 * too rarely to be seen): a new person added once (one user, one role, one SMS), every other
 * answer 409 already_in_office (or 429 when the password gate sheds the burst of hashes); a role ended, a user deactivated and activated again
 * once each (one audit entry) — the others answer the same state, as a second click does.
 */
const N = 20;
const ROUNDS = 5;
let t: TestApp;
let fin: Client; // officeadmin_fin: Finance's office users

const count = async (s: ReturnType<typeof sql>) => Number((await t.database.db.execute<{ n: number }>(s)).rows[0]!.n);
type Res = { statusCode: number; body: string; json: () => Record<string, unknown> };
const detailOf = (rs: Res[]) => rs.map((r) => `${r.statusCode} ${r.body.slice(0, 160)}`).join('\n');

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('officeadmin_fin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical requests at once, ${ROUNDS} rounds`, () => {
  it('add a new person to office 79, then end one of the roles, deactivate and activate the user: each done once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const mobile = `90000222${String(round).padStart(2, '0')}`;
      const body = {
        officeId: 79,
        mobile,
        name: 'Race Person',
        employeeId: '',
        officePhone: '',
        officialEmail: '',
        designation: 'Clerk',
        role: 'department_manager',
      };
      const rs = await Promise.all(Array.from({ length: N }, () => fin.post('/api/v1/office-users', body)));
      const seen = rs.map((r) => (r.statusCode === 201 ? `201 ${r.json().outcome}` : `${r.statusCode} ${r.json().code}`));
      // 429: the password gate (password.ts) sheds a burst of new-user hashes, as for any burst; a retry is then 409.
      expect(
        seen.filter((s) => s !== '201 created' && s !== '409 already_in_office' && s !== '429 rate_limited'),
        detailOf(rs),
      ).toEqual([]);
      expect(
        seen.filter((s) => s === '201 created'),
        detailOf(rs),
      ).toHaveLength(1);
      const created = rs.find((r) => r.statusCode === 201)!.json() as { userId: number; assignmentId: number };
      expect(await count(sql`select count(*)::int as n from users where mobile = ${mobile}`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from role_assignments where user_id = ${created.userId}`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from outbox where recipient = ${mobile}`)).toBe(1);

      // A second role (the auditor's) in the same office, so the first may be ended.
      const second = await fin.post('/api/v1/office-users', { ...body, role: 'auditor' });
      expect(second.statusCode, second.body).toBe(201);

      const ends = await Promise.all(Array.from({ length: N }, () => fin.post(`/api/v1/office-users/assignments/${created.assignmentId}/end`, {})));
      expect(
        ends.filter((r) => r.statusCode !== 200 || r.json().active !== false),
        detailOf(ends),
      ).toEqual([]);
      expect(
        await count(
          sql`select count(*)::int as n from audit_log where entity = 'role_assignment' and entity_id = ${String(created.assignmentId)} and action = 'ended'`,
        ),
      ).toBe(1);

      for (const [verb, status, action] of [
        ['deactivate', 'inactive', 'deactivated'],
        ['activate', 'active', 'activated'],
      ] as const) {
        const rs2 = await Promise.all(Array.from({ length: N }, () => fin.post(`/api/v1/office-users/users/${created.userId}/${verb}`, {})));
        expect(
          rs2.filter((r) => r.statusCode !== 200 || r.json().status !== status),
          detailOf(rs2),
        ).toEqual([]);
        expect(
          await count(sql`select count(*)::int as n from audit_log where entity = 'user' and entity_id = ${String(created.userId)} and action = ${action}`),
        ).toBe(1);
      }
    }
  });
});
