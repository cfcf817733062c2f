import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContract } from '../../../shared/contracts/contract.ts';
import type { TCapacityRow } from '../../../shared/contracts/sanction.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { allSucceed, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { ddoCodes, hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from '../sanction/sanction.demo.ts';
import { addSanctionPosts, newSanctionOrder } from '../sanction/sanction.fixtures.ts';
import { office79Terms } from './contract.fixtures.ts';

/**
 * Twenty identical requests at once on each decision of a contract's life (the review's double
 * click; contract.test.ts has two activations and eight contracts for one position), on PGlite and
 * on PostgreSQL (TEST_DATABASE_URL), five rounds (one round lets a lost race through too rarely to
 * be seen): activating the work order (its approval), creating an extension, activating it,
 * terminating the contract. Each is done once — one audit entry, the positions covered moved once —
 * and every other answer is a 409 naming why (already activated, a draft already there, no longer
 * active), never a 500. And on a contract's edits: the draft's identity and terms saved again (a
 * change written and audited once; the same body again changes nothing and is not audited), the
 * draft deleted, a draft version (extension) deleted (once, the others 404). And twenty identical
 * uploads of a draft version's document (at once and a few milliseconds apart): every answer 200,
 * one stored file, one audit entry; another document replaces it once; a version no longer draft
 * refuses every upload (409 version_not_draft), nothing stored.
 */
const N = 20;
const ROUNDS = 5;
let t: TestApp;
let dm: Client; // dm_bhopal: department manager, office 79
let fin: Client; // officeadmin_fin: Finance's sanction orders
let ids: { cif: number; ddo79: number; bl79: number; unskilled: number; peon: number };
const PDF = demoPdf(['Work order', 'race']);

function terms(endDate = '2027-03-31') {
  return {
    ...office79Terms(ids, endDate),
    remark: 'race',
    posts: [{ officeId: 79, skillLevelId: ids.unskilled, postNameId: ids.peon, positions: 1, basicPaise: 957_500, vdaPaise: 257_500 }],
  };
}

async function upload(id: number, versionNo: number) {
  const m = multipart({}, { field: 'document', name: 'work-order.pdf', bytes: PDF });
  const res = await dm.request({ method: 'PUT', url: `/api/v1/contracts/${id}/versions/${versionNo}/document`, payload: m.payload, headers: m.headers });
  expect(res.statusCode, res.body).toBe(200);
}

async function covered(): Promise<number> {
  const res = await fin.get(`/api/v1/sanction/capacity?officeId=79&skillLevelId=${ids.unskilled}&postNameId=${ids.peon}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as TCapacityRow[]).reduce((n, r) => n + r.covered, 0);
}

/** Audit entries of the contract (`contract`) or of its versions (`contract_version`, which name it in `after`). */
const audits = (entity: 'contract' | 'contract_version', action: string, contractId: number) =>
  auditCount(t.database.db, entity, entity === 'contract' ? contractId : { after: { contractId } }, action);

beforeAll(async () => {
  t = await createTestApp();
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === 79);
  if (a && me.assignments.length > 1) expect((await dm.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  fin = await t.login('officeadmin_fin');
  const db = t.database.db;
  const [cif] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  const [ddo79] = await db.select().from(ddoCodes).where(eq(ddoCodes.officeId, 79));
  const bl = await db.execute<{ id: number }>(sql`select budget_line_id as id from budget_line_map where office_id = 79 limit 1`);
  const [unskilled] = await db.select().from(skillLevels).where(eq(skillLevels.code, 'unskilled'));
  const [peon] = await db.select().from(postNames).where(eq(postNames.code, 'peon'));
  ids = { cif: cif!.id, ddo79: ddo79!.id, bl79: bl.rows[0]!.id, unskilled: unskilled!.id, peon: peon!.id };
  // Ten peon posts of office 79, sanctioned and locked: each round covers one, and frees it again.
  const o = await newSanctionOrder(fin, { prefix: 'RACE', pdf: demoPdf(['Sanction order', 'race']) });
  await addSanctionPosts(fin, o.id, { hodId: ids.cif, skillLevelId: ids.unskilled, postNameId: ids.peon, officeId: 79, posts: 10 });
  expect((await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {})).statusCode).toBe(200);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical requests at once, ${ROUNDS} rounds`, () => {
  it('activate, extend, activate the extension, terminate: each done once, one audit entry, the position covered once; the others 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = await covered();
      const created = await dm.post('/api/v1/contracts', {
        contractNo: `RACE/${randomBytes(4).toString('hex')}`,
        contractDate: '2026-11-01',
        agencyId: 1,
        procurementMode: 'open_tender',
        gemContractNo: '',
        gemBidNo: '',
        ...terms(),
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as TContract).id;
      await upload(id, 1);

      // The work order's activation (the department's approval of the contract).
      let won = oneWinner(await burst(N, () => dm.post(`/api/v1/contracts/${id}/versions/1/activate`, {})), [
        '409 version_not_draft',
        '409 contract_not_draft',
      ]);
      expect((won.json() as TContract).status).toBe('active');
      expect(await audits('contract_version', 'activate', id)).toBe(1);
      expect(await covered()).toBe(before + 1);

      // An extension: one draft version made.
      const extensions = await burst(N, () => dm.post(`/api/v1/contracts/${id}/versions`, { kind: 'extension', ...terms('2027-06-30') }));
      won = oneWinner(extensions, ['409 version_draft_exists'], { status: 201 });
      expect((won.json() as TContract).draftVersionNo).toBe(2);
      expect(await audits('contract_version', 'create', id)).toBe(1);
      await upload(id, 2);

      // Its activation: version 2 in force once, version 1 superseded once.
      won = oneWinner(await burst(N, () => dm.post(`/api/v1/contracts/${id}/versions/2/activate`, {})), ['409 version_not_draft']);
      expect(
        (won.json() as TContract).versions.map((v) => [v.versionNo, v.state]),
        'versions after the extension',
      ).toEqual([
        [2, 'in_force'],
        [1, 'superseded'],
      ]);
      expect(await audits('contract_version', 'activate', id)).toBe(2);
      expect(await covered()).toBe(before + 1);

      // Termination.
      won = oneWinner(await burst(N, () => dm.post(`/api/v1/contracts/${id}/terminate`, { terminatedOn: '2026-12-31', reason: 'Work over' })), [
        '409 contract_not_active',
      ]);
      expect((won.json() as TContract).status).toBe('terminated');
      expect(await audits('contract', 'terminate', id)).toBe(1);
      expect(await covered()).toBe(before);
    }
  });
});

const identity = () => ({
  contractNo: `RACE2/${randomBytes(4).toString('hex')}`,
  contractDate: '2026-11-01',
  agencyId: 1,
  procurementMode: 'open_tender',
  gemContractNo: '',
  gemBidNo: '',
});
async function draft(): Promise<TContract> {
  const created = await dm.post('/api/v1/contracts', { ...identity(), ...terms() });
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as TContract;
}

describe(`${N} identical requests at once on a contract's edits`, () => {
  it('the same identity saved: every answer 200, the contract that body, audited once', async () => {
    const c = await draft();
    const body = { ...identity(), contractDate: '2026-11-02' };
    const rs = await burst(N, () => dm.put(`/api/v1/contracts/${c.id}`, body));
    allSucceed(rs, 200);
    for (const r of rs) expect((r.json() as TContract).contractNo).toBe(body.contractNo);
    expect(await audits('contract', 'update', c.id)).toBe(1);
  });

  it('the same terms of the draft version saved: every answer 200, audited once', async () => {
    const c = await draft();
    const rs = await burst(N, () => dm.put(`/api/v1/contracts/${c.id}/versions/1`, terms('2027-02-28')));
    allSucceed(rs, 200);
    expect(await audits('contract_version', 'update', c.id)).toBe(1);
  });

  it('the draft deleted: gone once, audited once; the others 404', async () => {
    const c = await draft();
    const rs = await burst(N, () => dm.del(`/api/v1/contracts/${c.id}`));
    oneWinner(rs, ['404 not_found'], { status: 204 });
    expect(await countOf(t.database.db, sql`select count(*)::int as n from contracts where id = ${c.id}`)).toBe(0);
    expect(await audits('contract', 'delete', c.id)).toBe(1);
  });

  it('a draft extension deleted: gone once, audited once; the others 404; the version in force untouched', async () => {
    const c = await draft();
    await upload(c.id, 1);
    expect((await dm.post(`/api/v1/contracts/${c.id}/versions/1/activate`, {})).statusCode).toBe(200);
    const ext = await dm.post(`/api/v1/contracts/${c.id}/versions`, { kind: 'extension', ...terms('2027-06-30') });
    expect(ext.statusCode, ext.body).toBe(201);
    const rs = await burst(N, () => dm.del(`/api/v1/contracts/${c.id}/versions/2`));
    oneWinner(rs, ['404 not_found'], { read: (x: TContract) => x.draftVersionNo, is: null });
    const vs = (
      await t.database.db.execute<{ version_no: number; state: string }>(
        sql`select version_no, state from contract_versions where contract_id = ${c.id} order by version_no`,
      )
    ).rows;
    expect(vs.map((v) => [Number(v.version_no), v.state])).toEqual([[1, 'in_force']]);
    expect(
      await countOf(
        t.database.db,
        sql`select count(*)::int as n from audit_log where entity = 'contract_version' and action = 'delete' and before->>'contractId' = ${String(c.id)}`,
      ),
    ).toBe(1);
    // The position it covered, freed for the next rounds' contracts.
    expect((await dm.post(`/api/v1/contracts/${c.id}/terminate`, { terminatedOn: '2026-12-31', reason: 'Race over' })).statusCode).toBe(200);
  });
});

function uploadBytes(id: number, bytes: Buffer, name = 'work-order.pdf') {
  const m = multipart({}, { field: 'document', name, bytes });
  return dm.request({ method: 'PUT', url: `/api/v1/contracts/${id}/versions/1/document`, payload: m.payload, headers: m.headers });
}
const versionFile = async (id: number) =>
  (
    await t.database.db.execute<{ file_id: number | null; sha256: string | null }>(sql`
    select v.file_id, f.sha256 from contract_versions v left join stored_files f on f.id = v.file_id where v.contract_id = ${id} and v.version_no = 1`)
  ).rows[0]!;
const uploads = (id: number) => auditCount(t.database.db, 'contract_version', { after: { contractId: id } }, 'upload_document');
const filesOf = (bytes: Buffer) => countOf(t.database.db, sql`select count(*)::int as n from stored_files where sha256 = encode(sha256(${bytes}), 'hex')`);

for (const [how, fire] of [
  ['at once', burst],
  ['a few milliseconds apart', spread],
] as const)
  describe(`${N} identical uploads of a draft version's document ${how}`, () => {
    it('every answer 200, that document attached, stored and audited once; another document replaces it once', async () => {
      const c = await draft();
      const pdf = demoPdf(['Work order', `race3 ${randomBytes(6).toString('hex')}`]);
      const rs = await fire(N, () => uploadBytes(c.id, pdf));
      allSucceed(rs, 200);
      const f = await versionFile(c.id);
      expect(f.file_id).not.toBeNull();
      expect(await filesOf(pdf)).toBe(1);
      expect(await uploads(c.id)).toBe(1);

      const other = demoPdf(['Work order, signed', `race3 ${randomBytes(6).toString('hex')}`]);
      allSucceed(await fire(N, () => uploadBytes(c.id, other)), 200);
      expect(await filesOf(other)).toBe(1);
      expect(await uploads(c.id)).toBe(2);
      expect(Number((await versionFile(c.id)).file_id)).not.toBe(Number(f.file_id));
    });
  });

describe(`${N} uploads at once on a version no longer draft`, () => {
  it('every answer 409 version_not_draft; nothing stored or audited', async () => {
    const c = await draft();
    const pdf = demoPdf(['Work order', `race3 ${randomBytes(6).toString('hex')}`]);
    expect((await uploadBytes(c.id, pdf)).statusCode).toBe(200);
    const act = await dm.post(`/api/v1/contracts/${c.id}/versions/1/activate`, {});
    expect(act.statusCode, act.body).toBe(200);
    const other = demoPdf(['Work order, late', `race3 ${randomBytes(6).toString('hex')}`]);
    const rs = await burst(N, () => uploadBytes(c.id, other));
    for (const r of rs) expect(`${r.statusCode} ${(r.json() as { code: string }).code}`, r.body).toBe('409 version_not_draft');
    expect(await filesOf(other)).toBe(0);
    expect(await uploads(c.id)).toBe(1);
  });
});
