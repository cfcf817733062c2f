import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCapacityRow, TOrderKind, TSanctionOrder } from '../../../shared/contracts/sanction.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { auditCount, burst, oneWinner } from '../../test/races.ts';
import { hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from './sanction.demo.ts';
import { addSanctionPosts, newSanctionOrder } from './sanction.fixtures.ts';

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

const createOrder = (kind: TOrderKind = 'original', refOrderId?: number) => newSanctionOrder(fin, { kind, refOrderId, prefix: 'RACE', pdf: PDF });
const addPosts = (orderId: number, n: number) =>
  addSanctionPosts(fin, orderId, { hodId: ids.cif, skillLevelId: ids.skill, postNameId: ids.post, officeId: OFFICE, posts: n });
async function sanctioned(): Promise<number> {
  const res = await fin.get(`/api/v1/sanction/capacity?officeId=${OFFICE}&skillLevelId=${ids.skill}&postNameId=${ids.post}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as TCapacityRow[]).reduce((s, r) => s + r.sanctioned, 0);
}
const locks = (id: number) => auditCount(t.database.db, 'sanction_order', id, 'lock');

/** Twenty locks of `id` at once: one 200, nineteen 409 sanction_locked; one audit entry. */
async function lockAtOnce(id: number) {
  const rs = await burst(N, () => fin.post(`/api/v1/sanction-orders/${id}/lock`, {}));
  oneWinner(rs, ['409 sanction_locked'], { read: (o: TSanctionOrder) => (o.lockedAt ? 'locked' : 'open'), is: 'locked' });
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
