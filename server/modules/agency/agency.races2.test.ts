import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { type Answer, answers, auditCount, burst, countOf, oneWinner, RATE_LIMITED } from '../../test/races.ts';

/**
 * Twenty identical requests at once on the agency admin's operators (a double click on "add", a
 * retry, two tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL): one user made (one SMS with
 * its temporary password, one audit entry), the others refused with a code, never a 500; the
 * operator's removal done and audited once.
 */
let t: TestApp;
let admin: Client;
const N = 20;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
const no500 = (rs: readonly Answer[]) => expect(rs.filter((r) => r.statusCode >= 500).length, answers(rs)).toBe(0);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('agency_admin');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical requests at once on operators`, () => {
  it('add an operator: one user, one role, one SMS, one audit entry; the others refused (mobile registered)', async () => {
    const mobile = '9123400077';
    const rs = await burst(N, () => admin.post('/api/v1/my-agency/operators', { name: 'Race Operator', mobile }));
    no500(rs);
    const win = oneWinner(rs, ['400 validation_failed', '409 validation_failed', RATE_LIMITED], { status: 201 });
    // Each loser told why: the number is registered (not that a login id is taken).
    for (const r of rs.filter((x) => x.statusCode !== 201 && x.statusCode !== 429))
      expect((r.json() as { errors?: { field: string; code: string }[] }).errors, answers(rs)).toEqual([
        expect.objectContaining({ field: 'mobile', code: 'mobile_registered' }),
      ]);
    const { userId, assignmentId } = win.json() as { userId: number; assignmentId: number };
    expect(await count(sql`select count(*)::int as n from users where mobile = ${mobile}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from role_assignments where user_id = ${userId}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from outbox where recipient = ${mobile}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'operator_added'`)).toBe(1);

    const removed = await burst(N, () => admin.post(`/api/v1/my-agency/operators/${assignmentId}/deactivate`, {}));
    no500(removed);
    expect(removed.filter((r) => r.statusCode !== 200).length, answers(removed)).toBe(0);
    expect(await auditCount(t.database.db, 'role_assignment', assignmentId, 'operator_removed')).toBe(1);
    expect(await count(sql`select count(*)::int as n from users where id = ${userId} and status = 'inactive'`)).toBe(1);
  });
});
