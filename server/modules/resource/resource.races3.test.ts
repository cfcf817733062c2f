import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TResource } from '../../../shared/contracts/resource.ts';
import { SANDBOX_RESIDENTS } from '../../platform/adapters/ekyc.ts';
import { aadhaarHash } from '../../platform/vault/index.ts';
import { type Client, fakeClock, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { type Answer, answers, auditCount, countOf, spread } from '../../test/races.ts';
import { PDF, resourceWorld } from './resource.world.fixtures.ts';

/**
 * Different e-KYC steps on one draft at the same moment (two tabs, the agency and the department):
 * a new Aadhaar number entered while an OTP request or its verification is with the provider,
 * and the department's alternative verification while the OTP verification is with the provider.
 * On PGlite and on PostgreSQL (TEST_DATABASE_URL). Never a 500; the record never holds one
 * person's number with another person's OTP transaction or verified identity; each change
 * audited once.
 */
let t: TestApp;
let agency: Client;
let dm: Client;
const N = 12;
const { start, draft } = resourceWorld();

beforeAll(async () => {
  ({ t, agency, dm } = await start({ app: { clock: fakeClock(new Date('2026-12-04T06:00:00Z')) }, sanctioned: 4, contractA: 2 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const db = () => t.database.db;
const audits = (id: number, action: string) => auditCount(db(), 'resource', id, action);
const no500 = (rs: readonly Answer[]) => expect(rs.filter((r) => r.statusCode >= 500).length, answers(rs)).toBe(0);
const codes = (rs: readonly Answer[]) =>
  new Set(rs.map((r) => (r.statusCode === 200 ? '200' : `${r.statusCode} ${(JSON.parse(r.body) as { code?: string }).code}`)));

const free = SANDBOX_RESIDENTS.filter((r) => r.status === 'active' && r.mobile !== null && !r.serviceDown).slice(6);
let next = 0;
/** The residents in turn (each round frees the numbers it held: `done`), so none reaches the provider's resend limit. */
const person = () => free[next++ % free.length]!;
const done = (id: number) => db().execute(sql`update resources set status = 'rejected' where id = ${id}`);

async function ready(who: (typeof SANDBOX_RESIDENTS)[number]): Promise<TResource> {
  const r = await draft(agency, { nameEn: who.name, nameHi: '', dob: who.dob });
  const c = await agency.post(`/api/v1/resources/${r.id}/kyc/consent`, { givenBy: 'Test Worker', textVersion: 'ekyc-consent-v1', language: 'hi' });
  expect(c.statusCode, c.body).toBe(200);
  const a = await agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: who.aadhaar });
  expect(a.statusCode, a.body).toBe(200);
  return r;
}
async function lastOtp(mobile: string): Promise<string> {
  const body = (await t.lastSms(mobile)) ?? '';
  const otp = /\b(\d{6})\b/.exec(body)?.[1];
  expect(otp, body).toBeTruthy();
  return otp!;
}
type Row = {
  kyc_status: string;
  aadhaar_hash: string | null;
  otp_txn_id: string | null;
  kyc_name: string | null;
  kyc_call_at: unknown;
  txn_hash: string | null;
};
async function rowOf(id: number): Promise<Row> {
  const [row] = (
    await db().execute<Row>(sql`
      select r.kyc_status, r.aadhaar_hash, r.otp_txn_id, r.kyc_name, r.kyc_call_at, x.aadhaar_hash as txn_hash
      from resources r left join ekyc_sandbox_txns x on x.txn_id = r.otp_txn_id where r.id = ${id}`)
  ).rows;
  return row!;
}
const enter = (id: number, aadhaar: string) => () => agency.post(`/api/v1/resources/${id}/kyc/aadhaar`, { aadhaar });

describe('a new Aadhaar number entered while a call to the provider is in flight', () => {
  it('during the OTP request: the OTP transaction the record holds is always for the number it holds; no 500; the new number audited at most once', async () => {
    for (let round = 0; round < 3; round++) {
      const a = person();
      const b = person();
      const r = await ready(a);
      const [otp, entries] = await Promise.all([agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {}), spread(N, enter(r.id, b.aadhaar), 2)]);
      const all = [otp, ...entries];
      no500(all);
      for (const c of codes(entries)) expect(['200', '409 kyc_in_progress'], answers(all)).toContain(c);
      const row = await rowOf(r.id);
      expect(row.kyc_call_at, answers(all)).toBeNull();
      if (row.kyc_status === 'otp_sent') expect(row.txn_hash, `${answers(all)}\n${JSON.stringify(row)}`).toBe(row.aadhaar_hash);
      const bHeld = row.aadhaar_hash === aadhaarHash(b.aadhaar);
      expect(await audits(r.id, 'kyc_aadhaar'), answers(all)).toBe(bHeld ? 2 : 1);
      expect(await audits(r.id, 'kyc_otp'), answers(all)).toBe(otp.statusCode === 200 ? 1 : 0);
      await done(r.id);
    }
  });

  it('during the OTP verification: a record verified is verified for the number it holds; no 500', async () => {
    for (let round = 0; round < 3; round++) {
      const a = person();
      const b = person();
      const r = await ready(a);
      expect((await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {})).statusCode).toBe(200);
      const code = await lastOtp(a.mobile!);
      const [v, entries] = await Promise.all([agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: code }), spread(N, enter(r.id, b.aadhaar), 2)]);
      const all = [v, ...entries];
      no500(all);
      for (const c of codes(entries)) expect(['200', '409 kyc_in_progress', '409 kyc_already_done'], answers(all)).toContain(c);
      const row = await rowOf(r.id);
      expect(row.kyc_call_at, answers(all)).toBeNull();
      if (row.kyc_status === 'verified' || row.kyc_status === 'mismatch') {
        expect(row.aadhaar_hash, `${answers(all)}\n${JSON.stringify(row)}`).toBe(aadhaarHash(a.aadhaar));
        expect(row.kyc_name).toBe(a.name);
        expect(v.statusCode, answers(all)).toBe(200);
        expect(await audits(r.id, 'kyc_verify')).toBe(1);
      } else {
        expect(row.aadhaar_hash, `${answers(all)}\n${JSON.stringify(row)}`).toBe(aadhaarHash(b.aadhaar));
        expect(v.statusCode, answers(all)).not.toBe(200);
        expect(await audits(r.id, 'kyc_verify')).toBe(0);
      }
      await done(r.id);
    }
  });
});

describe('the alternative verification while the OTP verification is with the provider', () => {
  it('one of them decides: one audit entry between them, the record says which; the other a 409; no 500', async () => {
    for (let round = 0; round < 3; round++) {
      const a = person();
      const r = await ready(a);
      expect((await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {})).statusCode).toBe(200);
      const code = await lastOtp(a.mobile!);
      const m = multipart(
        { docType: 'voter_id', docNumber: `MP/12/345/99${String(round).padStart(4, '0')}`, remark: 'No mobile linked' },
        { field: 'document', name: 'voter.pdf', bytes: PDF },
      );
      const alt = () => dm.request({ method: 'POST', url: `/api/v1/resources/${r.id}/kyc/alternative`, payload: m.payload, headers: m.headers });
      const [v, alts] = await Promise.all([agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: code }), spread(4, alt, 2)]);
      const all = [v, ...alts];
      no500(all);
      const verified = await audits(r.id, 'kyc_verify');
      const alternative = await audits(r.id, 'kyc_alternative');
      expect(verified + alternative, answers(all)).toBe(1);
      expect(all.filter((x) => x.statusCode === 200).length, answers(all)).toBe(1);
      for (const c of codes(all)) expect(['200', '409 kyc_in_progress', '409 kyc_already_done'], answers(all)).toContain(c);
      const row = await rowOf(r.id);
      expect(row.kyc_status).toBe(alternative ? 'alternative' : 'verified');
      expect(row.kyc_call_at, answers(all)).toBeNull();
      expect(await countOf(db(), sql`select count(*)::int as n from resources where id = ${r.id} and (alt_doc_file_id is null) = ${!alternative}`)).toBe(1);
      await done(r.id);
    }
  });
});
