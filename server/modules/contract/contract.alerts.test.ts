import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContractSummary } from '../../../shared/contracts/contract.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { startJobRunner } from '../../platform/jobs/jobs.ts';
import { dailyAlertsJob, runDailyAlerts } from './index.ts';
import { contracts } from './contract.table.ts';
import { sentAlerts } from '../../platform/outbox/outbox.table.ts';

/**
 * The daily job with a fake clock, on the demo data: the legacy contract FIN/CIF/2025/112 of
 * office 79 / agency 1 is in force to 31 Jan 2027 (67 days after 25 Nov 2026).
 */
let t: TestApp;
const clock = fakeClock(new Date('2026-11-25T05:00:00Z'));
let legacyId: number;
const AGENCY_MOBILE = '9876500006';
const DM_MOBILE = '9876500004';

async function outboxFor(recipient: string) {
  const r = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where recipient = ${recipient}`);
  return Number(r.rows[0]?.n ?? 0);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  const [c] = await t.database.db.select().from(contracts).where(eq(contracts.contractNo, 'FIN/CIF/2025/112'));
  legacyId = c!.id;
  // The department manager of office 79 has an official e-mail in that assignment.
  const [dm] = await t.database.db.select().from(users).where(eq(users.username, 'dm_bhopal'));
  await t.database.db
    .update(roleAssignments)
    .set({ officialEmail: 'ramesh.sharma@mp.gov.in' })
    .where(and(eq(roleAssignments.userId, dm!.id), eq(roleAssignments.scopeId, 79)));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('daily job: contract-ending alerts and expiry', () => {
  it('alerts both sides once at 90 days, by SMS and e-mail, through the outbox', async () => {
    const first = await runDailyAlerts(t.database.db, clock.now());
    expect(first.contractAlerts).toBe(1);
    expect(first.expired).toBe(0);
    const claimed = await t.database.db
      .select()
      .from(sentAlerts)
      .where(and(eq(sentAlerts.entity, 'contract'), eq(sentAlerts.entityId, legacyId)));
    expect(claimed.map((a) => [a.kind, a.aboutDate])).toEqual([['contract_ending_90', '2027-01-31']]);
    expect(await outboxFor(AGENCY_MOBILE)).toBeGreaterThanOrEqual(1);
    expect(await outboxFor('accounts@narmadamanpower.in')).toBe(1);
    expect(await outboxFor(DM_MOBILE)).toBe(1);
    expect(await outboxFor('ramesh.sharma@mp.gov.in')).toBe(1);
    await t.flushOutbox();
    const sms = await t.lastSms(DM_MOBILE);
    expect(sms).toContain('FIN/CIF/2025/112');
    expect(sms).toContain('31/01/2027');
    expect(sms).toContain('67');
    // Same day again (another instance, a restart): nothing more.
    const again = await runDailyAlerts(t.database.db, clock.now());
    expect(again).toMatchObject({ contractAlerts: 0, licenceAlerts: 0, expired: 0 });
    expect(await outboxFor(DM_MOBILE)).toBe(1);
  });

  it('alerts again at 60 days, once', async () => {
    clock.set(new Date('2026-12-02T05:00:00Z'));
    expect((await runDailyAlerts(t.database.db, clock.now())).contractAlerts).toBe(1);
    clock.set(new Date('2026-12-03T05:00:00Z'));
    expect((await runDailyAlerts(t.database.db, clock.now())).contractAlerts).toBe(0);
    const kinds = (
      await t.database.db
        .select()
        .from(sentAlerts)
        .where(and(eq(sentAlerts.entity, 'contract'), eq(sentAlerts.entityId, legacyId)))
    )
      .map((a) => a.kind)
      .sort();
    expect(kinds).toEqual(['contract_ending_60', 'contract_ending_90']);
    expect(await outboxFor(DM_MOBILE)).toBe(2);
  });

  it('marks the contract expired the day after its end date, and audits it', async () => {
    clock.set(new Date('2027-01-31T12:00:00Z'));
    // The last day: not yet expired; its 30-day alert (no run since 3 Dec), and the other contracts are
    // now within 90 days (GeM, 30 Apr) and 60 days (School Education, 31 Mar): 3 alerts.
    expect(await runDailyAlerts(t.database.db, clock.now())).toMatchObject({ expired: 0, contractAlerts: 3 });
    clock.set(new Date('2027-02-01T05:00:00Z'));
    const r = await runDailyAlerts(t.database.db, clock.now());
    expect(r.expired).toBe(1);
    const [c] = await t.database.db.select().from(contracts).where(eq(contracts.id, legacyId));
    expect(c!.status).toBe('expired');
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'contract'), eq(auditLog.entityId, String(legacyId)), eq(auditLog.action, 'expire')));
    expect(audits).toHaveLength(1);
    const dm = await t.login('dm_bhopal');
    const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
    expect((await dm.post('/api/v1/auth/switch', { assignmentId: me.assignments.find((a) => a.officeId === 79)!.id })).statusCode).toBe(200);
    const list = (await dm.get('/api/v1/contracts?status=expired&pageSize=200')).json() as { items: TContractSummary[] };
    expect(list.items.map((x) => x.id)).toContain(legacyId);
    expect(r.contractAlerts).toBe(0);
  });

  it('the job runner runs the job at start (then once per 6-hour slot) and stops cleanly', async () => {
    clock.set(new Date('2027-03-05T05:00:00Z'));
    const jobs = startJobRunner(t.database.db, [dailyAlertsJob], { now: clock.now, tickMs: 3_600_000 });
    await jobs.stop();
    const kinds = (await t.database.db.select().from(sentAlerts).where(eq(sentAlerts.entity, 'contract'))).map((a) => a.kind);
    // 5 Mar 2027: the School Education contract (31 Mar) is within 30 days.
    expect(kinds).toContain('contract_ending_30');
  });
});
