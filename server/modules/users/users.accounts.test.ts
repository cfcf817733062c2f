import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { roleAssignments, sessions, users } from '../../platform/auth/auth.table.ts';
import { claimAlert } from '../../platform/outbox/alerts.ts';
import type { Ctx } from '../../platform/context.ts';
import { openTestDatabase } from '../../test/harness.ts';
import * as accounts from './index.ts';

// The account functions other modules (agencies) call inside their transactions: one way to
// create a user with a role, end a role, deactivate a user — each with its sessions and audit.

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;
const now = new Date('2026-11-25T05:00:00Z');
const ctx: Ctx = { actor: null, ip: '10.0.0.9', locale: 'en', now };

beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
  db = database.db;
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

async function openSession(userId: number, assignmentId: number, id: string) {
  await db
    .insert(sessions)
    .values({ id, userId, assignmentId, csrfToken: 'x', createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 3600_000) });
}
async function liveSessions(userId: number) {
  return (
    await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
  )
    .map((s) => s.id)
    .sort();
}

describe('users accounts (called by other modules)', () => {
  let userId = 0;
  let firstId = 0;
  let secondId = 0;

  it('creates a user with a first role, audited without the password hash', async () => {
    const { user, assignment } = await db.transaction((tx) =>
      accounts.createUserWithAssignment(
        tx,
        ctx,
        { username: 'Asha1234', name: 'Asha Verma', mobile: '9000012345', passwordHash: 'HASH-SECRET', mustChangePassword: true, locale: 'en' },
        { role: 'agency_admin', scopeKind: 'agency', scopeId: 77, officialEmail: 'asha@example.in' },
        { action: 'operator_added' },
      ),
    );
    userId = user.id;
    firstId = assignment.id;
    expect(user).toMatchObject({ username: 'Asha1234', status: 'active', mustChangePassword: true, locale: 'en' });
    expect(user.passwordChangedAt).toEqual(now);
    expect(assignment).toMatchObject({
      userId,
      role: 'agency_admin',
      scopeKind: 'agency',
      scopeId: 77,
      active: true,
      officialEmail: 'asha@example.in',
      officeId: null,
    });
    expect(assignment.emailUpdatedAt).toEqual(now);
    const audit = await db.select().from(auditLog);
    expect(audit.map((a) => [a.entity, a.action])).toEqual([
      ['user', 'created'],
      ['role_assignment', 'operator_added'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('HASH-SECRET');
    expect(await accounts.mobileRegistered(db, '9000012345')).toBe(true);
    expect(await accounts.mobileRegistered(db, '9000099999')).toBe(false);
    expect(await accounts.usernameTaken(db, 'asha1234')).toBe(true);
  });

  it('a role without an e-mail has no e-mail update time; members of a scope are listed active first', async () => {
    const { user: ravi, assignment: second } = await db.transaction((tx) =>
      accounts.createUserWithAssignment(
        tx,
        ctx,
        { username: 'ravi5678', name: 'Ravi', mobile: '9000015678', passwordHash: 'h', mustChangePassword: true },
        { role: 'agency_operator', scopeKind: 'agency', scopeId: 77 },
      ),
    );
    expect(second.emailUpdatedAt).toBeNull();
    expect(ravi.locale).toBe('hi'); // the table's default when the caller names none
    const members = await accounts.listScopeMembers(db, { scopeKind: 'agency', scopeId: 77, roles: ['agency_admin', 'agency_operator'] });
    expect(members.map((m) => m.username)).toEqual(['Asha1234', 'ravi5678']);
    // A second role for Asha (in another agency), to end one at a time.
    const [b] = await db.insert(roleAssignments).values({ userId, role: 'agency_operator', scopeKind: 'agency', scopeId: 78, createdAt: now }).returning();
    secondId = b!.id;
    expect(await accounts.otherActiveAssignments(db, userId, firstId)).toBe(1);
  });

  it('ending a role ends only the sessions acting in it, and says how many', async () => {
    await openSession(userId, firstId, 's-first');
    await openSession(userId, secondId, 's-second');
    const ended = await db.transaction(async (tx) => {
      const a = await accounts.lockAssignment(tx, firstId);
      expect(a?.active).toBe(true);
      return accounts.endAssignment(tx, firstId, now);
    });
    expect(ended).toBe(1);
    expect(await liveSessions(userId)).toEqual(['s-second']);
    const [a] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, firstId));
    expect(a).toMatchObject({ active: false, endedAt: now });
    expect(await accounts.otherActiveAssignments(db, userId, secondId)).toBe(0);
  });

  it('deactivating a user ends every session; activating ends none', async () => {
    await openSession(userId, secondId, 's-third');
    expect(await db.transaction((tx) => accounts.setUserStatus(tx, userId, 'inactive', now))).toBe(2);
    expect(await liveSessions(userId)).toEqual([]);
    expect((await db.select().from(users).where(eq(users.id, userId)))[0]?.status).toBe('inactive');
    expect(await db.transaction((tx) => accounts.setUserStatus(tx, userId, 'active', now))).toBe(0);
  });
});

describe('claimAlert (platform outbox)', () => {
  it('claims an alert once per kind, entity and date; a new date claims afresh', async () => {
    const a = { kind: 'licence_expiring_30', entity: 'agency', entityId: 5, aboutDate: '2026-12-20', at: now };
    expect(await claimAlert(db, a)).toBe(true);
    expect(await claimAlert(db, a)).toBe(false);
    expect(await claimAlert(db, { ...a, aboutDate: '2027-12-20' })).toBe(true);
    expect(await claimAlert(db, { ...a, entity: 'contract' })).toBe(true);
  });
});
