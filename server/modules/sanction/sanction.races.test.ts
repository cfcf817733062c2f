import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCapacityRow, TSanctionOrder } from '../../../shared/contracts/sanction.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from './sanction.demo.ts';

/**
 * Twenty identical "lock" requests at once on one sanction order (the review's double click;
 * sanction.test.ts has two), on PGlite and on PostgreSQL (TEST_DATABASE_URL), five rounds each
 * (one round lets a lost race through too rarely to be seen): locked once, one audit entry, the
 * office's sanctioned posts moved once; every other answer 409 sanction_locked, never a 500.
 * For an original order (posts added) and for a reduction and a cancellation (posts taken away,
 * checked against what is deployed under the department's lock).
 */
const N = 20;
const ROUNDS = 5;
const OFFICE = 4881;
let t: TestApp;
let fin: Client; // officeadmin_fin: Finance's sanction orders
let ids: { cif: number; skill: number; post: number };
const PDF = demoPdf(['Sanction order', 'race']);

async function createOrder(kind = 'original', refOrderId?: number): Promise<TSanctionOrder> {
  const m = multipart(
    {
      orderNo: `RACE/${randomBytes(4).toString('hex')}`,
      orderDate: '2026-01-15',
      issuingOfficerName: 'Test',
      issuingOfficerDesignation: 'Deputy Secretary',
      remark: '',
      kind,
      ...(refOrderId ? { refOrderId: String(refOrderId) } : {}),
    },
    { field: 'order', name: 'order.pdf', bytes: PDF },
  );
  const res = await fin.request({ method: 'POST', url: '/api/v1/sanction-orders', payload: m.payload, headers: m.headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function addPosts(orderId: number, n: number) {
  const res = await fin.post(`/api/v1/sanction-orders/${orderId}/posts`, {
    hodId: ids.cif,
    skillLevelId: ids.skill,
    postNameId: ids.post,
    total: n,
    offices: [{ officeId: OFFICE, posts: n }],
  });
  expect(res.statusCode, res.body).toBe(201);
}
async function sanctioned(): Promise<number> {
  const res = await fin.get(`/api/v1/sanction/capacity?officeId=${OFFICE}&skillLevelId=${ids.skill}&postNameId=${ids.post}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as TCapacityRow[]).reduce((s, r) => s + r.sanctioned, 0);
}
const locks = async (id: number) =>
  Number(
    (
      await t.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_log where entity = 'sanction_order' and entity_id = ${String(id)} and action = 'lock'`,
      )
    ).rows[0]!.n,
  );

/** Twenty locks of `id` at once: one 200, nineteen 409 sanction_locked; one audit entry. */
async function lockAtOnce(id: number) {
  const rs = await Promise.all(Array.from({ length: N }, () => fin.post(`/api/v1/sanction-orders/${id}/lock`, {})));
  const seen = rs.map((r) => (r.statusCode === 200 ? `200 ${(r.json() as TSanctionOrder).lockedAt ? 'locked' : 'open'}` : `${r.statusCode} ${r.json().code}`));
  const detail = rs.map((r) => `${r.statusCode} ${r.body.slice(0, 160)}`).join('\n');
  expect(
    seen.filter((s) => s !== '200 locked' && s !== '409 sanction_locked'),
    detail,
  ).toEqual([]);
  expect(
    seen.filter((s) => s === '200 locked'),
    detail,
  ).toHaveLength(1);
  expect(await locks(id)).toBe(1);
}

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('officeadmin_fin');
  const db = t.database.db;
  const [cif] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  const [skill] = await db.select().from(skillLevels).where(eq(skillLevels.code, 'highly_skilled'));
  const [post] = await db.select().from(postNames).where(eq(postNames.code, 'accountant'));
  ids = { cif: cif!.id, skill: skill!.id, post: post!.id };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical lock requests at once, ${ROUNDS} rounds`, () => {
  it('an original order: locked once, one audit entry, its posts counted once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = await sanctioned();
      const o = await createOrder();
      await addPosts(o.id, 3);
      await lockAtOnce(o.id);
      expect(await sanctioned()).toBe(before + 3);
    }
  });

  it('a reduction and a cancellation: each locked once, one audit entry, the posts taken away once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = await sanctioned();
      const o = await createOrder();
      await addPosts(o.id, 4);
      expect((await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {})).statusCode).toBe(200);
      const r = await createOrder('reduction', o.id);
      await addPosts(r.id, -1);
      await lockAtOnce(r.id);
      expect(await sanctioned()).toBe(before + 3);
      const o2 = await createOrder();
      await addPosts(o2.id, 2);
      expect((await fin.post(`/api/v1/sanction-orders/${o2.id}/lock`, {})).statusCode).toBe(200);
      expect(await sanctioned()).toBe(before + 5);
      const c = await createOrder('cancellation', o2.id);
      await lockAtOnce(c.id);
      expect(await sanctioned()).toBe(before + 3);
    }
  });
});
