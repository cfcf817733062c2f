import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/audit.table.ts';
import type { TResourceSummary } from '../../../shared/contracts/resource.ts';
import type { Client, TestApp } from '../../test/harness.ts';
import { resourceWorld } from './resource.world.fixtures.ts';

/**
 * Twenty identical requests at once on the department's decision on a submitted resource (the
 * review's double click, resource.test.ts has two), on PGlite and on PostgreSQL
 * (TEST_DATABASE_URL): decided once, one audit entry, the deployed count moves by one; every
 * other answer 409 resource_not_submitted, never a 500.
 */
let t: TestApp;
let agency: Client; // agency_admin: agency 1
let dm: Client; // dm_bhopal: department manager, office 79
const N = 20;
const used = new Set<number>();
const { start, submitted, approveBody, deployedPeons } = resourceWorld();

beforeAll(async () => {
  ({ t, agency, dm } = await start({ sanctioned: 3, contractA: 2 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const decisions = async (id: number, action: string) =>
  (
    await t.database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.entity} = 'resource' and ${auditLog.entityId} = ${String(id)} and ${auditLog.action} = ${action}`)
  ).length;

type Res = { statusCode: number; body: string; json: () => { code?: string; status?: string } };
function judge(rs: Res[], winner: string) {
  const seen = rs.map((r) => (r.statusCode === 200 ? `200 ${r.json().status}` : `${r.statusCode} ${r.json().code}`));
  const detail = rs.map((r) => `${r.statusCode} ${r.body.slice(0, 160)}`).join('\n');
  expect(
    seen.filter((s) => s !== `200 ${winner}` && s !== '409 resource_not_submitted'),
    detail,
  ).toEqual([]);
  expect(
    seen.filter((s) => s === `200 ${winner}`),
    detail,
  ).toHaveLength(1);
}

describe(`${N} identical requests at once`, () => {
  it('approve: approved once, one audit entry, deployed up by one; the others 409 not submitted', async () => {
    const before = await deployedPeons();
    const r = await submitted();
    const rs = await Promise.all(Array.from({ length: N }, () => dm.post(`/api/v1/resources/${r.id}/approve`, approveBody())));
    judge(rs, 'approved');
    expect(await decisions(r.id, 'approve')).toBe(1);
    expect(await deployedPeons()).toBe(before + 1);
  });

  it('reject: rejected once, one audit entry, nothing deployed; the others 409 not submitted', async () => {
    const before = await deployedPeons();
    const r = await submitted();
    const rs = await Promise.all(Array.from({ length: N }, () => dm.post(`/api/v1/resources/${r.id}/reject`, { reason: 'Documents not genuine' })));
    judge(rs, 'rejected');
    expect(await decisions(r.id, 'reject')).toBe(1);
    expect(await deployedPeons()).toBe(before);
  });

  const relieving = [
    ['approve', { remark: 'Accepted' }, 'relieved', 'relieving_approve', ['409 resource_not_approved', '409 relieving_not_pending']],
    ['refuse', { remark: 'Still needed' }, 'approved', 'relieving_refuse', ['409 relieving_not_pending']],
  ] as const;
  for (const [verb, body, status, action, others] of relieving)
    it(`relieving ${verb}: decided once, one audit entry; the others 409`, async () => {
      const list = (await agency.get('/api/v1/resources?status=approved&pageSize=200')).json() as { items: TResourceSummary[] };
      const r = list.items.find((x) => x.agencyId === 1 && !used.has(x.id) && x.contractOfficeId === 79)!;
      expect(r).toBeTruthy();
      used.add(r.id);
      const req = await agency.post(`/api/v1/resources/${r.id}/relieving`, { relieveOn: '2026-12-31', reasonCode: 'resigned', remark: 'Moving away' });
      expect(req.statusCode, req.body).toBe(200);
      const rs = await Promise.all(Array.from({ length: N }, () => dm.post(`/api/v1/resources/${r.id}/relieving/${verb}`, body)));
      const seen = rs.map((x) => (x.statusCode === 200 ? `200 ${x.json().status}` : `${x.statusCode} ${x.json().code}`));
      const detail = rs.map((x) => `${x.statusCode} ${x.body.slice(0, 160)}`).join('\n');
      expect(
        seen.filter((v) => v !== `200 ${status}` && !(others as readonly string[]).includes(v)),
        detail,
      ).toEqual([]);
      expect(
        seen.filter((v) => v === `200 ${status}`),
        detail,
      ).toHaveLength(1);
      expect(await decisions(r.id, action)).toBe(1);
    });
});
