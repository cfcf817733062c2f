import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TSanctionOrder } from '../../../shared/contracts/sanction.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner } from '../../test/races.ts';
import { hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from './sanction.demo.ts';
import { newSanctionOrder } from './sanction.fixtures.ts';

/**
 * Twenty identical requests at once on an unlocked sanction order's edits (sanction.races.test.ts
 * has the lock): the order's particulars saved, a post added, changed and deleted, the order
 * deleted. On PGlite and on PostgreSQL (TEST_DATABASE_URL). Never a 500; each change written and
 * audited once (the same edit again changes nothing, so it is not audited again); a deletion done
 * once, the others 404.
 */
const N = 20;
const OFFICE = 4881;
let t: TestApp;
let fin: Client;
let ids: { cif: number; skill: number; post: number };
const PDF = demoPdf(['Sanction order', 'race 2']);
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('officeadmin_fin');
  const [cif] = await db().select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  const [skill] = await db().select().from(skillLevels).where(eq(skillLevels.code, 'highly_skilled'));
  const [post] = await db().select().from(postNames).where(eq(postNames.code, 'accountant'));
  ids = { cif: cif!.id, skill: skill!.id, post: post!.id };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const postBody = (posts: number) => ({ hodId: ids.cif, skillLevelId: ids.skill, postNameId: ids.post, total: posts, offices: [{ officeId: OFFICE, posts }] });

describe(`${N} identical requests at once on an unlocked order`, () => {
  it('the same particulars saved: every answer 200, the order that body, audited once', async () => {
    const o = await newSanctionOrder(fin, { prefix: 'RACE2', pdf: PDF });
    const body = { orderNo: `${o.orderNo}-E`, orderDate: '2026-01-16', issuingOfficerName: 'Edited', issuingOfficerDesignation: 'Secretary', remark: 'edited' };
    const rs = await burst(N, () => fin.put(`/api/v1/sanction-orders/${o.id}`, body));
    allSucceed(rs, 200);
    for (const r of rs) expect((r.json() as TSanctionOrder).orderNo).toBe(body.orderNo);
    expect(await auditCount(db(), 'sanction_order', o.id, 'update')).toBe(1);
  });

  it('a post added, the same change of it saved, then it deleted: one post row, one audit entry each; the deletes after the first 404', async () => {
    const o = await newSanctionOrder(fin, { prefix: 'RACE2', pdf: PDF });
    // Two identical posts of one kind on one order are refused (one line per HOD, skill and post name): one row.
    const added = await burst(N, () => fin.post(`/api/v1/sanction-orders/${o.id}/posts`, postBody(3)));
    const rows = () => countOf(db(), sql`select count(*)::int as n from sanction_posts where order_id = ${o.id}`);
    expect(await rows(), added.map((r) => `${r.statusCode} ${r.body.slice(0, 120)}`).join('\n')).toBe(1);
    oneWinner(added, ['409 sanction_post_duplicate'], { status: 201 });
    const [p] = (await db().execute<{ id: number }>(sql`select id from sanction_posts where order_id = ${o.id}`)).rows;
    const postId = Number(p!.id);
    expect(await auditCount(db(), 'sanction_post', postId, 'create')).toBe(1);

    const changed = await burst(N, () => fin.put(`/api/v1/sanction-orders/${o.id}/posts/${postId}`, postBody(5)));
    allSucceed(changed, 200);
    expect(await auditCount(db(), 'sanction_post', postId, 'update')).toBe(1);

    const deleted = await burst(N, () => fin.del(`/api/v1/sanction-orders/${o.id}/posts/${postId}`));
    oneWinner(deleted, ['404 not_found']);
    expect(await rows()).toBe(0);
    expect(await auditCount(db(), 'sanction_post', postId, 'delete')).toBe(1);
  });

  it('the order deleted: gone once, audited once; the others 404', async () => {
    const o = await newSanctionOrder(fin, { prefix: 'RACE2', pdf: PDF });
    const rs = await burst(N, () => fin.del(`/api/v1/sanction-orders/${o.id}`));
    oneWinner(rs, ['404 not_found'], { status: 204 });
    expect(await countOf(db(), sql`select count(*)::int as n from sanction_orders where id = ${o.id}`)).toBe(0);
    expect(await auditCount(db(), 'sanction_order', o.id, 'delete')).toBe(1);
  });
});
