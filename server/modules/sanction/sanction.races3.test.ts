import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { allSucceed, auditCount, burst, countOf, spread } from '../../test/races.ts';
import { demoPdf } from './sanction.demo.ts';
import { hods, postNames, skillLevels } from '../org/index.ts';
import { addSanctionPosts, newSanctionOrder } from './sanction.fixtures.ts';

/**
 * (races3) Twenty identical replacements of an unlocked sanction order's file at once (the double
 * click on "replace", a retry, two tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL): every
 * answer 200, the order holding that file, one stored file and one audit entry — the same file
 * again changes nothing and is neither written nor audited. On a locked order every answer is
 * 409 sanction_locked and nothing is stored or audited.
 */
const N = 20;
let t: TestApp;
let fin: Client;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('officeadmin_fin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const pdf = (what: string) => demoPdf(['Sanction order', `${what} ${randomBytes(6).toString('hex')}`]);
function replace(id: number, bytes: Buffer, name = 'order-corrected.pdf') {
  const m = multipart({}, { field: 'order', name, bytes });
  return fin.request({ method: 'PUT', url: `/api/v1/sanction-orders/${id}/file`, payload: m.payload, headers: m.headers });
}
const filesOf = (bytes: Buffer) => count(sql`select count(*)::int as n from stored_files where sha256 = encode(sha256(${bytes}), 'hex')`);
const replaced = (id: number) => auditCount(t.database.db, 'sanction_order', id, 'replace_file');
const orderFile = async (id: number) =>
  (
    await t.database.db.execute<{ sha256: string; updated_at: string }>(sql`
    select f.sha256, o.updated_at::text from sanction_orders o join stored_files f on f.id = o.file_id where o.id = ${id}`)
  ).rows[0]!;

for (const [how, fire] of [
  ['at once', burst],
  ['a few milliseconds apart', spread],
] as const)
  describe(`${N} identical replacements of an order's file ${how}`, () => {
    it('every answer 200, the order holding that file, stored and audited once; another file replaces it once more', async () => {
      const o = await newSanctionOrder(fin, { prefix: 'RACE3', pdf: pdf('first') });
      const next = pdf('corrected');
      allSucceed(await fire(N, () => replace(o.id, next)), 200);
      expect(await filesOf(next)).toBe(1);
      expect(await replaced(o.id)).toBe(1);
      const held = await orderFile(o.id);
      expect(held.sha256).toBe((await t.database.db.execute<{ h: string }>(sql`select encode(sha256(${next}), 'hex') as h`)).rows[0]!.h);

      const again = pdf('corrected again');
      allSucceed(await fire(N, () => replace(o.id, again)), 200);
      expect(await filesOf(again)).toBe(1);
      expect(await replaced(o.id)).toBe(2);
      expect((await orderFile(o.id)).sha256).not.toBe(held.sha256);
    });
  });

describe(`${N} replacements at once of a locked order's file`, () => {
  it('every answer 409 sanction_locked; nothing stored or audited', async () => {
    const o = await newSanctionOrder(fin, { prefix: 'RACE3', pdf: pdf('locked') });
    const db = t.database.db;
    const [cif] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
    const [skill] = await db.select().from(skillLevels).where(eq(skillLevels.code, 'highly_skilled'));
    const [post] = await db.select().from(postNames).where(eq(postNames.code, 'accountant'));
    await addSanctionPosts(fin, o.id, { hodId: cif!.id, skillLevelId: skill!.id, postNameId: post!.id, officeId: 4881, posts: 1 });
    expect((await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {})).statusCode).toBe(200);
    const late = pdf('late');
    const rs = await burst(N, () => replace(o.id, late));
    for (const r of rs) expect(`${r.statusCode} ${(r.json() as { code: string }).code}`, r.body).toBe('409 sanction_locked');
    expect(await filesOf(late)).toBe(0);
    expect(await replaced(o.id)).toBe(0);
  });
});
