import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TResource } from '../../../shared/contracts/resource.ts';
import { SANDBOX_RESIDENTS } from '../../platform/adapters/ekyc.ts';
import { aadhaarHash } from '../../platform/vault/index.ts';
import { fakeClock, type Client, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { allSucceed, type Answer, answers, auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';
import { JPEG, PNG, resourceWorld } from './resource.world.fixtures.ts';

/**
 * Twenty identical agency requests at once on the steps of adding a resource that
 * resource.races.test.ts does not cover (the review's double click on "save", a retry, two tabs),
 * on PGlite and on PostgreSQL (TEST_DATABASE_URL): creating a draft, correcting it, the e-KYC
 * OTP request and its verification, the photo. Never a 500; each action taken once where it is
 * one action; the record whole.
 */
let t: TestApp;
let agency: Client; // agency_admin: agency 1
let dm: Client; // dm_bhopal: department manager, office 79
const N = 20;
const { start, draft, particulars, submitted, approveBody } = resourceWorld();

beforeAll(async () => {
  ({ t, agency, dm } = await start({ app: { clock: fakeClock(new Date('2026-12-04T06:00:00Z')) }, sanctioned: 4, contractA: 2 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const db = () => t.database.db;
const audits = (id: number, action: string) => auditCount(db(), 'resource', id, action);
const consent = (id: number) => agency.post(`/api/v1/resources/${id}/kyc/consent`, { givenBy: 'Test Worker', textVersion: 'ekyc-consent-v1', language: 'hi' });
const no500 = (rs: readonly Answer[]) => expect(rs.filter((r) => r.statusCode >= 500).length, answers(rs)).toBe(0);

// Residents the world does not hold: active, with a linked mobile, the provider up.
const free = SANDBOX_RESIDENTS.filter((r) => r.status === 'active' && r.mobile !== null && !r.serviceDown).slice(6);

/** A draft of `who` with consent recorded and the number entered. */
async function ready(who: (typeof SANDBOX_RESIDENTS)[number]): Promise<TResource> {
  const r = await draft(agency, { nameEn: who.name, nameHi: '', dob: who.dob });
  expect((await consent(r.id)).statusCode).toBe(200);
  const a = await agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: who.aadhaar });
  expect(a.statusCode, a.body).toBe(200);
  return r;
}
const sms = async (mobile: string) => count(sql`select count(*)::int as n from sandbox_messages where recipient = ${mobile}`);
const count = (s: ReturnType<typeof sql>) => countOf(db(), s);
async function lastOtp(mobile: string): Promise<string> {
  const body = (await t.lastSms(mobile)) ?? '';
  const otp = /\b(\d{6})\b/.exec(body)?.[1];
  expect(otp, body).toBeTruthy();
  return otp!;
}

describe(`${N} identical requests at once on adding a resource`, () => {
  it('create a draft with the same body: no 500; drafts carry no Aadhaar, so the person is held once — at the number, statewide', async () => {
    // A draft is particulars only; "one person, one deployment" is decided when the number is entered
    // (resources_aadhaar_active_uq). So the same body twenty times is twenty drafts, and the number
    // entered on all of them at once is taken by one: the person is never held twice.
    const who = free[0]!;
    const body = particulars({ nameEn: who.name, nameHi: '', dob: who.dob });
    const before = await count(sql`select count(*)::int as n from resources`);
    const rs = await burst(N, () => agency.post('/api/v1/resources', body));
    allSucceed(rs, 201);
    const ids = rs.map((r) => (r.json() as TResource).id);
    expect(new Set(ids).size).toBe(N);
    expect(await count(sql`select count(*)::int as n from resources`)).toBe(before + N);
    for (const id of ids) expect(await audits(id, 'create')).toBe(1);
    for (const id of ids) expect((await consent(id)).statusCode).toBe(200);
    let i = 0;
    const entered = await burst(N, () => agency.post(`/api/v1/resources/${ids[i++]}/kyc/aadhaar`, { aadhaar: who.aadhaar }));
    oneWinner(entered, ['409 aadhaar_already_deployed'], { read: (r: TResource) => r.kycStatus, is: 'aadhaar_entered' });
    expect(await count(sql`select count(*)::int as n from resources where aadhaar_last4 = ${who.aadhaar.slice(-4)} and status = 'draft'`)).toBe(1);
  });

  it('correct a draft with the same body: every answer 200, the record that body, one audit entry each', async () => {
    const r = await draft();
    const body = particulars({ nameEn: 'Corrected Name', address: 'Ward 9, Bhopal' });
    const rs = await burst(N, () => agency.put(`/api/v1/resources/${r.id}`, body));
    allSucceed(rs, 200);
    const got = (await agency.get(`/api/v1/resources/${r.id}`)).json() as TResource;
    expect(got).toMatchObject({ nameEn: 'Corrected Name', address: 'Ward 9, Bhopal', mobile: body.mobile, status: 'draft' });
    expect(await audits(r.id, 'update')).toBe(N);
  });

  it('correct a draft with two different bodies at once: no 500, the record is one of them whole, and the last audit entry says which', async () => {
    const r = await draft();
    const a = particulars({ nameEn: 'Body A', address: 'Address A', qualification: 'graduate', gender: 'F' });
    const b = particulars({ nameEn: 'Body B', address: 'Address B', qualification: 'primary', gender: 'M' });
    const fields = ['nameEn', 'address', 'qualification', 'gender', 'mobile', 'bankAccount'] as const;
    const rs = await burst(
      N,
      (() => {
        let i = 0;
        return () => agency.put(`/api/v1/resources/${r.id}`, i++ % 2 ? a : b);
      })(),
    );
    allSucceed(rs, 200);
    const got = (await agency.get(`/api/v1/resources/${r.id}`)).json() as TResource;
    const pick = (x: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, x[f]]));
    const winner = got.nameEn === 'Body A' ? a : b;
    expect(pick(got)).toEqual(pick(winner));
    expect(await audits(r.id, 'update')).toBe(N);
    const [last] = (
      await db().execute<{ name: string; address: string }>(
        sql`select after->>'nameEn' as name, after->>'address' as address from audit_log where entity = 'resource' and entity_id = ${String(r.id)} and action = 'update' order by seq desc limit 1`,
      )
    ).rows;
    expect(last).toEqual({ name: winner.nameEn, address: winner.address });
  });
});

describe(`${N} identical e-KYC requests at once`, () => {
  it('consent, then the number: every answer 200, each recorded once (one audit entry each), the number held once', async () => {
    const who = free[4]!;
    const r = await draft(agency, { nameEn: who.name, nameHi: '', dob: who.dob });
    allSucceed(await burst(N, () => consent(r.id)), 200);
    expect(await audits(r.id, 'kyc_consent')).toBe(1);
    const rs = await burst(N, () => agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: who.aadhaar }));
    allSucceed(rs, 200);
    for (const x of rs) expect(x.json()).toMatchObject({ kycStatus: 'aadhaar_entered' });
    expect(await audits(r.id, 'kyc_aadhaar')).toBe(1);
    expect(await count(sql`select count(*)::int as n from aadhaar_vault where hash = ${aadhaarHash(who.aadhaar)}`)).toBe(1);
  });

  it('a mismatch explained: resolved once (one audit entry); the others 409 no mismatch', async () => {
    const who = free[5]!;
    const r = await draft(agency, { nameEn: who.name, nameHi: '', dob: '1990-01-01' });
    expect((await consent(r.id)).statusCode).toBe(200);
    expect((await agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: who.aadhaar })).statusCode).toBe(200);
    expect((await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {})).statusCode).toBe(200);
    const v = await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: await lastOtp(who.mobile!) });
    expect(v.json()).toMatchObject({ kycStatus: 'mismatch' });
    const rs = await burst(N, () => agency.post(`/api/v1/resources/${r.id}/kyc/resolve`, { resolution: 'explained', remark: 'Affidavit on file' }));
    oneWinner(rs, ['409 kyc_no_mismatch'], { read: (x: TResource) => x.kycStatus, is: 'verified' });
    expect(await audits(r.id, 'kyc_resolve')).toBe(1);
  });

  it('OTP request: one OTP sent (one SMS, one audit entry); the others 409 in progress; the OTP of the SMS verifies', async () => {
    const who = free[1]!;
    const r = await ready(who);
    const smsBefore = await sms(who.mobile!);
    const rs = await burst(N, () => agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {}));
    no500(rs);
    // Refused while the first is in flight, or — reaching the server after it finished — within the resend gap.
    oneWinner(rs, ['409 kyc_in_progress', '409 kyc_otp_just_sent'], { read: (x: { resource: TResource }) => x.resource.kycStatus, is: 'otp_sent' });
    expect(await sms(who.mobile!)).toBe(smsBefore + 1);
    expect(await audits(r.id, 'kyc_otp')).toBe(1);
    // The transaction the resource holds is the one whose OTP the resident received.
    const v = await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: await lastOtp(who.mobile!) });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ kycStatus: 'verified' });
  });

  it('OTP request a few milliseconds apart (a double click, then a resend): one OTP (the resend gap), and it verifies', async () => {
    const who = free[2]!;
    const r = await ready(who);
    const rs = await spread(N, () => agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {}), 15);
    no500(rs);
    const ok = rs.filter((x) => x.statusCode === 200).length;
    // Spread over 300 ms, well inside the 30 s resend gap: one OTP however the requests fall.
    expect(ok, answers(rs)).toBe(1);
    expect(await audits(r.id, 'kyc_otp')).toBe(1);
    const codes = new Set(rs.filter((x) => x.statusCode !== 200).map((x) => `${x.statusCode} ${x.json().code}`));
    for (const c of codes) expect(['409 kyc_in_progress', '409 kyc_otp_just_sent']).toContain(c);
    const v = await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: await lastOtp(who.mobile!) });
    expect(v.statusCode, v.body).toBe(200);
  });

  it('OTP verify with the right code: verified once (one audit entry); the others 409', async () => {
    const who = free[3]!;
    const r = await ready(who);
    expect((await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {})).statusCode).toBe(200);
    const otp = await lastOtp(who.mobile!);
    const rs = await burst(N, () => agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp }));
    no500(rs);
    oneWinner(rs, ['409 kyc_in_progress', '409 kyc_already_done'], { read: (x: TResource) => x.kycStatus, is: 'verified' });
    expect(await audits(r.id, 'kyc_verify')).toBe(1);
    const [row] = (await db().execute<{ kyc_status: string; otp_txn_id: string | null }>(sql`select kyc_status, otp_txn_id from resources where id = ${r.id}`))
      .rows;
    expect(row).toEqual({ kyc_status: 'verified', otp_txn_id: null });
  });
});

describe(`${N} identical photo uploads at once`, () => {
  const files = () => count(sql`select count(*)::int as n from stored_files`);

  it('the same photo: every answer 200, one photo in force, stored once (one file row, one audit entry)', async () => {
    const r = await draft();
    const before = await files();
    const m = multipart({}, { field: 'photo', name: 'me.png', bytes: PNG });
    const rs = await burst(N, () => agency.request({ method: 'PUT', url: `/api/v1/resources/${r.id}/photo`, payload: m.payload, headers: m.headers }));
    allSucceed(rs, 200);
    expect(await files()).toBe(before + 1);
    expect(await audits(r.id, 'photo')).toBe(1);
    const [row] = (
      await db().execute<{ sha256: string }>(sql`select f.sha256 from resources r join stored_files f on f.id = r.photo_file_id where r.id = ${r.id}`)
    ).rows;
    expect(row).toBeTruthy();
    const got = await agency.get(`/api/v1/resources/${r.id}/photo`);
    expect(got.rawPayload.equals(PNG)).toBe(true);
  });

  it('two different photos at once: no 500, the photo in force is one of them, every file row kept is named by an audit entry', async () => {
    const r = await draft();
    const before = await files();
    const p = multipart({}, { field: 'photo', name: 'a.png', bytes: PNG });
    const j = multipart({}, { field: 'photo', name: 'b.jpg', bytes: JPEG });
    let i = 0;
    const rs = await burst(N, () => {
      const m = i++ % 2 ? p : j;
      return agency.request({ method: 'PUT', url: `/api/v1/resources/${r.id}/photo`, payload: m.payload, headers: m.headers });
    });
    allSucceed(rs, 200);
    const made = (await files()) - before;
    expect(made).toBeGreaterThanOrEqual(2);
    expect(made).toBeLessThanOrEqual(N);
    expect(await audits(r.id, 'photo')).toBe(made);
    const got = (await agency.get(`/api/v1/resources/${r.id}/photo`)).rawPayload;
    expect(got.equals(PNG) || got.equals(JPEG)).toBe(true);
    // The last audit entry names the photo in force.
    const [last] = (
      await db().execute<{ file_id: string; photo: number }>(
        sql`select a.after->>'fileId' as file_id, r.photo_file_id as photo from audit_log a join resources r on r.id = ${r.id}
             where a.entity = 'resource' and a.entity_id = ${String(r.id)} and a.action = 'photo' order by a.seq desc limit 1`,
      )
    ).rows;
    expect(Number(last!.file_id)).toBe(Number(last!.photo));
  });

  it('the same photo on a profile change of a working resource: one open request holding it, stored once, one audit entry', async () => {
    const r = await submitted();
    const ok = await dm.post(`/api/v1/resources/${r.id}/approve`, approveBody());
    expect(ok.statusCode, ok.body).toBe(200);
    const before = await files();
    const m = multipart({}, { field: 'photo', name: 'new.jpg', bytes: JPEG });
    const rs = await burst(N, () =>
      agency.request({ method: 'PUT', url: `/api/v1/resources/${r.id}/profile-change/photo`, payload: m.payload, headers: m.headers }),
    );
    allSucceed(rs, 200);
    expect(await files()).toBe(before + 1);
    expect(await audits(r.id, 'profile_change_request')).toBe(1);
    expect(
      await count(
        sql`select count(*)::int as n from resource_profile_changes where resource_id = ${r.id} and state = 'requested' and photo_file_id is not null`,
      ),
    ).toBe(1);
  });
});
