import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner, RATE_LIMITED } from '../../test/races.ts';

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

const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);

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
      const rs = await burst(N, () => fin.post('/api/v1/office-users', body));
      // 429: the password gate (password.ts) sheds a burst of new-user hashes, as for any burst; a retry is then 409.
      const won = oneWinner(rs, ['409 already_in_office', RATE_LIMITED], { status: 201, read: (b: { outcome: string }) => b.outcome, is: 'created' });
      const created = won.json() as { userId: number; assignmentId: number };
      expect(await count(sql`select count(*)::int as n from users where mobile = ${mobile}`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from role_assignments where user_id = ${created.userId}`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from outbox where recipient = ${mobile}`)).toBe(1);

      // A second role (the auditor's) in the same office, so the first may be ended.
      const second = await fin.post('/api/v1/office-users', { ...body, role: 'auditor' });
      expect(second.statusCode, second.body).toBe(201);

      const ends = allSucceed(await burst(N, () => fin.post(`/api/v1/office-users/assignments/${created.assignmentId}/end`, {})), 200);
      expect(ends.filter((r) => r.json().active !== false).map((r) => r.body)).toEqual([]);
      expect(await auditCount(t.database.db, 'role_assignment', created.assignmentId, 'ended')).toBe(1);

      for (const [verb, status, action] of [
        ['deactivate', 'inactive', 'deactivated'],
        ['activate', 'active', 'activated'],
      ] as const) {
        const rs2 = allSucceed(await burst(N, () => fin.post(`/api/v1/office-users/users/${created.userId}/${verb}`, {})), 200);
        expect(rs2.filter((r) => r.json().status !== status).map((r) => r.body)).toEqual([]);
        expect(await auditCount(t.database.db, 'user', created.userId, action)).toBe(1);
      }
    }
  });
});
