import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContract } from '../../../shared/contracts/contract.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { allSucceed, auditCount, burst, countOf, spread } from '../../test/races.ts';
import { ddoCodes, hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from '../sanction/sanction.demo.ts';
import { addSanctionPosts, newSanctionOrder } from '../sanction/sanction.fixtures.ts';
import { office79Terms } from './contract.fixtures.ts';

/**
 * (races3) Twenty identical uploads of a draft version's document at once (the double click on
 * "attach", a retry, two tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL): every answer 200,
 * the version holding that document, one stored file and one audit entry — the same document again
 * changes nothing and is neither written nor audited. Another document then replaces it (audited
 * once more), and a version no longer draft refuses every upload with 409 version_not_draft.
 */
const N = 20;
let t: TestApp;
let dm: Client; // dm_bhopal: department manager, office 79
let fin: Client; // officeadmin_fin: Finance's sanction orders
let ids: { cif: number; ddo79: number; bl79: number; unskilled: number; peon: number };
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);

beforeAll(async () => {
  t = await createTestApp();
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === 79);
  if (a && me.assignments.length > 1) expect((await dm.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  const db = t.database.db;
  const [cif] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  const [ddo79] = await db.select().from(ddoCodes).where(eq(ddoCodes.officeId, 79));
  const bl = await db.execute<{ id: number }>(sql`select budget_line_id as id from budget_line_map where office_id = 79 limit 1`);
  const [unskilled] = await db.select().from(skillLevels).where(eq(skillLevels.code, 'unskilled'));
  const [peon] = await db.select().from(postNames).where(eq(postNames.code, 'peon'));
  ids = { cif: cif!.id, ddo79: ddo79!.id, bl79: bl.rows[0]!.id, unskilled: unskilled!.id, peon: peon!.id };
  // Peon posts of office 79, sanctioned and locked, for the contracts' terms (one is activated).
  fin = await t.login('officeadmin_fin');
  const o = await newSanctionOrder(fin, { prefix: 'RACE3', pdf: demoPdf(['Sanction order', 'race3']) });
  await addSanctionPosts(fin, o.id, { hodId: ids.cif, skillLevelId: ids.unskilled, postNameId: ids.peon, officeId: 79, posts: 5 });
  expect((await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {})).statusCode).toBe(200);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

async function draft(): Promise<TContract> {
  const created = await dm.post('/api/v1/contracts', {
    contractNo: `RACE3/${randomBytes(4).toString('hex')}`,
    contractDate: '2026-11-01',
    agencyId: 1,
    procurementMode: 'open_tender',
    gemContractNo: '',
    gemBidNo: '',
    ...office79Terms(ids, '2027-03-31'),
    remark: 'race',
    posts: [{ officeId: 79, skillLevelId: ids.unskilled, postNameId: ids.peon, positions: 1, basicPaise: 957_500, vdaPaise: 257_500 }],
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as TContract;
}
function upload(id: number, bytes: Buffer, name = 'work-order.pdf') {
  const m = multipart({}, { field: 'document', name, bytes });
  return dm.request({ method: 'PUT', url: `/api/v1/contracts/${id}/versions/1/document`, payload: m.payload, headers: m.headers });
}
const versionFile = async (id: number) =>
  (
    await t.database.db.execute<{ file_id: number | null; sha256: string | null }>(sql`
    select v.file_id, f.sha256 from contract_versions v left join stored_files f on f.id = v.file_id where v.contract_id = ${id} and v.version_no = 1`)
  ).rows[0]!;
const uploads = (id: number) => auditCount(t.database.db, 'contract_version', { after: { contractId: id } }, 'upload_document');
const filesOf = (bytes: Buffer) => count(sql`select count(*)::int as n from stored_files where sha256 = encode(sha256(${bytes}), 'hex')`);

for (const [how, fire] of [
  ['at once', burst],
  ['a few milliseconds apart', spread],
] as const)
  describe(`${N} identical uploads of a draft version's document ${how}`, () => {
    it('every answer 200, that document attached, stored and audited once; another document replaces it once', async () => {
      const c = await draft();
      const pdf = demoPdf(['Work order', `race3 ${randomBytes(6).toString('hex')}`]);
      const rs = await fire(N, () => upload(c.id, pdf));
      allSucceed(rs, 200);
      const f = await versionFile(c.id);
      expect(f.file_id).not.toBeNull();
      expect(await filesOf(pdf)).toBe(1);
      expect(await uploads(c.id)).toBe(1);

      const other = demoPdf(['Work order, signed', `race3 ${randomBytes(6).toString('hex')}`]);
      allSucceed(await fire(N, () => upload(c.id, other)), 200);
      expect(await filesOf(other)).toBe(1);
      expect(await uploads(c.id)).toBe(2);
      expect(Number((await versionFile(c.id)).file_id)).not.toBe(Number(f.file_id));
    });
  });

describe(`${N} uploads at once on a version no longer draft`, () => {
  it('every answer 409 version_not_draft; nothing stored or audited', async () => {
    const c = await draft();
    const pdf = demoPdf(['Work order', `race3 ${randomBytes(6).toString('hex')}`]);
    expect((await upload(c.id, pdf)).statusCode).toBe(200);
    const act = await dm.post(`/api/v1/contracts/${c.id}/versions/1/activate`, {});
    expect(act.statusCode, act.body).toBe(200);
    const other = demoPdf(['Work order, late', `race3 ${randomBytes(6).toString('hex')}`]);
    const rs = await burst(N, () => upload(c.id, other));
    for (const r of rs) expect(`${r.statusCode} ${(r.json() as { code: string }).code}`, r.body).toBe('409 version_not_draft');
    expect(await filesOf(other)).toBe(0);
    expect(await uploads(c.id)).toBe(1);
  });
});
