import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProof } from '../../../shared/contracts/proof.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { billedRupees } from '../../../shared/domain/ecr.ts';
import type { Db } from '../../db/client.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { ecrFor } from './proof.fixtures.ts';
import * as repo from './proof.repo.ts';
import { previousMonth } from './proof.rules.ts';

/**
 * The statutory-proof routes that change state, each fired 20 times at once on PGlite and on
 * PostgreSQL (TEST_DATABASE_URL): the agency's upload of the same ECR (a double click) is stored
 * once as the next version, the others a clear 409; Finance's gate switch is switched and audited
 * once. On the demo data: agency 1's proof of LAST has differences (proof.demo.ts).
 */
const N = 20;
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(`${CUR}-01`).slice(0, 7);
let t: TestApp;
let agency: Client;
let finance: Client;
let members: repo.BilledRow[];
let department: number;
const db = () => t.database.db as unknown as Db;

/** Every member's EPF wage `n` rupees below the billed one: a file of its own per n. */
const short = (n: number) => (m: repo.BilledRow) => billedRupees(m.epfWagePaise) - n;
function upload(text: string, esicAmountPaise: string) {
  const fields = {
    month: LAST,
    trrn: '3126123456789',
    paymentDate: `${CUR}-05`,
    esicChallanNo: 'ESIC-2026-0001',
    esicChallanDate: `${CUR}-05`,
    esicAmountPaise,
  };
  const body = multipart(fields, { field: 'ecr', name: 'ECR.txt', bytes: Buffer.from(text, 'utf8'), type: 'text/plain' });
  return agency.request({ method: 'POST', url: '/api/v1/proofs', ...body });
}
const versions = () => countOf(db(), sql`select count(*)::int as n from statutory_proofs where agency_id = 1 and month = ${`${LAST}-01`}`);

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(new Date()) });
  agency = await t.login('agency_admin');
  finance = await t.login('finance_admin');
  members = await repo.billedMembers(db(), 1, `${LAST}-01`);
  const d = await db().execute<{ id: number }>(
    sql`select department_id as id from invoices where agency_id = 1 and month = ${`${LAST}-01`} and status = 'active' limit 1`,
  );
  department = Number(d.rows[0]!.id);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe(`Finance's gate switch, ${N} at once`, () => {
  for (const enabled of [false, true]) {
    it(`switching the gate ${enabled ? 'back on' : 'off'}: one new setting, audited once; the others 409 proof_gate_unchanged`, async () => {
      const settings = await countOf(db(), sql`select count(*)::int as n from proof_gate_settings where department_id = ${department}`);
      const action = enabled ? 'switch_on' : 'switch_off';
      const audits = await auditCount(db(), 'proof_gate', department, action);
      const rs = await burst(N, () => finance.put(`/api/v1/proofs/gate/${department}`, { enabled, reason: 'IFMIS outage, race test' }));
      oneWinner(rs, ['409 proof_gate_unchanged'], { read: (b: { enabled: boolean }) => b.enabled, is: enabled });
      expect(await countOf(db(), sql`select count(*)::int as n from proof_gate_settings where department_id = ${department}`)).toBe(settings + 1);
      expect(await auditCount(db(), 'proof_gate', department, action)).toBe(audits + 1);
    });
  }
});

describe(`the agency's upload of the same ECR, ${N} at once`, () => {
  it('an ECR with differences: stored once as the next version, audited once; the others 409 proof_same_upload', async () => {
    const before = await versions();
    const rs = await burst(N, () => upload(ecrFor(members, short(1)), '99999999'));
    const win = JSON.parse(oneWinner(rs, ['409 proof_same_upload'], { status: 201 }).body) as TProof;
    expect(win).toMatchObject({ version: before + 1, status: 'differences' });
    expect(await versions()).toBe(before + 1);
    expect(await auditCount(db(), 'statutory_proof', win.id, 'upload')).toBe(1);
  });

  it('two tabs uploading two different ECRs: each stored version differs from the one before it, numbered in turn; the others 409 proof_same_upload', async () => {
    const before = await versions();
    const texts = [ecrFor(members, short(2)), ecrFor(members, short(3))];
    let i = 0;
    const rs = await spread(N, () => upload(texts[i++ % 2]!, '99999999'), 2);
    const stored = rs.filter((r) => r.statusCode === 201).map((r) => (JSON.parse(r.body) as TProof).version);
    expect(rs.filter((r) => r.statusCode !== 201 && !r.body.includes('"proof_same_upload"')).map((r) => r.body)).toEqual([]);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect([...stored].sort((a, b) => a - b)).toEqual(stored.map((_, k) => before + 1 + k));
    expect(await versions()).toBe(before + stored.length);
    const hashes = (
      await db().execute<{ sha256: string }>(
        sql`select f.sha256 from statutory_proofs p join stored_files f on f.id = p.ecr_file_id where p.agency_id = 1 and p.month = ${`${LAST}-01`} and p.version > ${before} order by p.version`,
      )
    ).rows.map((r) => r.sha256);
    for (let k = 1; k < hashes.length; k++) expect(hashes[k]).not.toBe(hashes[k - 1]);
  });

  it('the reconciling ECR: stored once, the month closed; the others 409 proof_already_reconciled', async () => {
    const before = await versions();
    const billedEsic = await repo.billedEsic(db(), 1, `${LAST}-01`);
    const rs = await burst(N, () => upload(ecrFor(members), String(billedEsic)));
    const win = JSON.parse(oneWinner(rs, ['409 proof_already_reconciled'], { status: 201 }).body) as TProof;
    expect(win).toMatchObject({ version: before + 1, status: 'reconciled' });
    expect(await versions()).toBe(before + 1);
    expect(await auditCount(db(), 'statutory_proof', { after: { agencyId: 1, month: LAST, status: 'reconciled' } }, 'upload')).toBe(1);
  });
});
