import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TResource, TResourceSummary, TTimeline } from '../../../shared/contracts/resource.ts';
import { verhoeffDigit, verhoeffValid } from '../../../shared/domain/aadhaar.ts';
import { SANDBOX_RESIDENTS } from '../../platform/adapters/ekyc.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import type { Client, TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { JPEG, PDF, PNG, type ResourceIds, resourceWorld } from './resource.world.fixtures.ts';

/**
 * Resources (issue 14) against the real engine (PGlite, or PostgreSQL with TEST_DATABASE_URL):
 * adding and every refusal of bad input, the Aadhaar number into the vault and one person one
 * deployment (also two agencies at one moment), alternative verification, submission, approval
 * (double click, vacancy, contract period, another department), relieving, the timeline, the
 * ghost list, who sees what, and no full Aadhaar number in any response.
 */

let t: TestApp;
let agency: Client; // agency_admin: agency 1
let agency2: Client; // a test user of agency 2 (made verified here)
let dm: Client; // dm_bhopal: department manager, office 79 (Finance)
let finance: Client; // finance_admin: state
let ids: ResourceIds;
const { start, bodies, keep, particulars, draft, submitted, approveBody, deployedPeons } = resourceWorld();
const { refused } = checksOn(() => t.database);

/** A Verhoeff-valid 12-digit number starting with `first` (synthetic, never a real person's). */
function aadhaar(first = '7'): string {
  const partial = first + String(Math.floor(Math.random() * 1e10)).padStart(10, '0');
  return partial + verhoeffDigit(partial);
}

const consent = (c: Client, id: number) =>
  c.post(`/api/v1/resources/${id}/kyc/consent`, { givenBy: 'Test Worker', textVersion: 'ekyc-consent-v1', language: 'hi' });

beforeAll(async () => {
  ({ t, agency, agency2, dm, finance, ids } = await start({ sanctioned: 3, contractA: 2 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

describe('resources — who sees what', () => {
  it('requires a login', async () => {
    expect((await t.anon.get('/api/v1/resources')).statusCode).toBe(401);
  });

  it("an agency lists only its own; the department manager its office's; Finance all; another's by id is not found", async () => {
    const own = keep(await agency.get('/api/v1/resources?pageSize=200')).json() as { items: TResourceSummary[]; total: number };
    expect(own.total).toBeGreaterThan(5);
    expect(own.items.every((r) => r.agencyId === 1)).toBe(true);
    const mine = keep(await dm.get('/api/v1/resources?pageSize=200')).json() as { items: TResourceSummary[] };
    expect(mine.items.every((r) => r.contractOfficeId === 79)).toBe(true);
    const all = keep(await finance.get('/api/v1/resources?pageSize=200')).json() as { items: TResourceSummary[] };
    const foreign = all.items.find((r) => r.agencyId === 3)!;
    expect(foreign).toBeTruthy();
    for (const c of [agency, agency2, dm]) {
      await refused(() => c.get(`/api/v1/resources/${foreign.id}`), 404, 'not_found');
      await refused(() => c.get(`/api/v1/resources/${foreign.id}/timeline`), 404, 'not_found');
    }
    const a1 = own.items[0]!;
    await refused(() => agency2.get(`/api/v1/resources/${a1.id}`), 404, 'not_found');
    expect(keep(await finance.get(`/api/v1/resources/${foreign.id}`)).statusCode).toBe(200);
  });

  it('exports the caller’s list as CSV and Excel, audited', async () => {
    const csv = await agency.get('/api/v1/resources/export?format=csv');
    expect(csv.statusCode).toBe(200);
    const own = keep(await agency.get('/api/v1/resources?pageSize=100')).json() as { items: { nameEn: string }[] };
    for (const r of own.items) expect(csv.body).toContain(r.nameEn);
    // Another agency's worker: in Finance's export, not in this agency's.
    const all = keep(await finance.get('/api/v1/resources?pageSize=200')).json() as { items: TResourceSummary[] };
    const foreign = all.items.find((r) => r.agencyId !== 1 && r.nameEn)!;
    expect(foreign).toBeTruthy();
    expect((await finance.get('/api/v1/resources/export?format=csv')).body).toContain(foreign.nameEn);
    expect(csv.body).not.toContain(foreign.nameEn);
    const xlsx = await dm.get('/api/v1/resources/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('lists the demo pair of possible ghosts for the department and Finance, not for an agency', async () => {
    const g = keep(await dm.get('/api/v1/resources/ghosts')).json() as { items: { kind: string; value: string; resources: { id: number }[] }[] };
    const bank = g.items.find((x) => x.kind === 'bank_account')!;
    expect(bank.resources).toHaveLength(2);
    expect(bank.value).toMatch(/^X+\d{4}$/);
    expect(keep(await finance.get('/api/v1/resources/ghosts')).statusCode).toBe(200);
    await refused(() => agency.get('/api/v1/resources/ghosts'), 403, 'forbidden');
  });
});

describe('resources — adding, and every refusal of bad input', () => {
  it('adds a draft under an active contract (IFSC upper-cased), audited', async () => {
    const r = await draft(agency, { ifsc: 'sbin0001308', uan: '100200300400', esicIp: '1234567890' });
    expect(r).toMatchObject({ status: 'draft', kycStatus: 'none', ifsc: 'SBIN0001308', aadhaarMasked: null, agencyId: 1, contractOfficeId: 79 });
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.entity} = 'resource' and ${auditLog.entityId} = ${String(r.id)} and ${auditLog.action} = 'create'`);
    expect(a).toBeTruthy();
  });

  const cases: [string, Record<string, unknown>, number, string, string][] = [
    ['under age', { dob: '2010-01-01' }, 400, 'validation_failed', 'dob'],
    ['over the retirement age', { dob: '1960-01-01' }, 400, 'validation_failed', 'dob'],
    ['31/02', { dob: '2000-02-31' }, 400, 'validation_failed', 'dob'],
    ['a bank account with letters', { bankAccount: '12345ABC9012' }, 400, 'validation_failed', 'bankAccount'],
    ['a malformed IFSC', { ifsc: 'SBIN1001308' }, 400, 'validation_failed', 'ifsc'],
    ['a UAN of 11 digits', { uan: '10020030040' }, 400, 'validation_failed', 'uan'],
    ['an ESIC IP of 9 digits', { esicIp: '123456789' }, 400, 'validation_failed', 'esicIp'],
    ['a mobile of 9 digits', { mobile: '987654321' }, 400, 'validation_failed', 'mobile'],
    ['no name in either script', { nameEn: '', nameHi: '' }, 400, 'validation_failed', 'nameEn'],
    ['a post not in the contract', { postNameId: 999 }, 400, 'validation_failed', 'postNameId'],
  ];
  for (const [what, over, status, code, field] of cases) {
    it(`refuses ${what}, naming ${field}, saving nothing`, async () => {
      await refused(() => agency.post('/api/v1/resources', particulars(over)), status, code, field);
    });
  }

  it("refuses another agency's contract and a department user adding", async () => {
    await refused(() => agency.post('/api/v1/resources', particulars({ contractId: ids.contractB })), 400, 'validation_failed', 'contractId');
    await refused(() => dm.post('/api/v1/resources', particulars()), 403, 'forbidden');
  });

  it('takes a PNG or JPEG photo by content; refuses a PDF renamed .jpg, a photo too large, empty or missing, and another file part', async () => {
    const r = await draft();
    const put = (bytes: Buffer, name: string, type = 'image/jpeg') => {
      const m = multipart({}, { field: 'photo', name, bytes, type });
      return agency.request({ method: 'PUT', url: `/api/v1/resources/${r.id}/photo`, payload: m.payload, headers: m.headers });
    };
    await refused(() => put(PDF, 'me.jpg'), 400, 'file_not_image', 'photo');
    await refused(() => put(Buffer.concat([JPEG, Buffer.alloc(210 * 1024)]), 'big.jpg'), 413, 'file_too_large', 'photo');
    await refused(() => put(Buffer.alloc(0), 'empty.jpg'), 400, 'file_empty', 'photo');
    const send = (m: ReturnType<typeof multipart>) =>
      agency.request({ method: 'PUT', url: `/api/v1/resources/${r.id}/photo`, payload: m.payload, headers: m.headers });
    await refused(() => send(multipart({ note: 'no file' })), 400, 'file_required', 'photo');
    await refused(() => send(multipart({}, { field: 'document', name: 'me.jpg', bytes: JPEG, type: 'image/jpeg' })), 400, 'validation_failed', 'document');
    expect((await put(PNG, 'me.png', 'image/png')).statusCode).toBe(200);
    const ok = await put(JPEG, 'me.jpg');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().hasPhoto).toBe(true);
    const got = await agency.get(`/api/v1/resources/${r.id}/photo`);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.rawPayload.equals(JPEG)).toBe(true);
  });
});

describe('resources — Aadhaar, one person one deployment', () => {
  it('asks for consent first, then refuses every malformed number naming the field', async () => {
    const r = await draft();
    await refused(() => agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: aadhaar() }), 409, 'kyc_consent_required');
    expect((await consent(agency, r.id)).statusCode).toBe(200);
    const good = aadhaar();
    const bad: [string, string][] = [
      [`${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`, 'aadhaar_checksum'],
      [good.slice(0, 11), 'aadhaar_format'],
      [`${good}1`, 'aadhaar_format'],
      ['23456789ABCD', 'aadhaar_format'],
      [`0${good.slice(1)}`, 'aadhaar_first_digit'],
      [`1${good.slice(1)}`, 'aadhaar_first_digit'],
    ];
    for (const [n, code] of bad) {
      const res = await refused(() => agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: n }), 400, 'validation_failed', 'aadhaar');
      expect(res.json().errors?.[0]?.code, n).toBe(code);
    }
    const ok = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: `${good.slice(0, 4)} ${good.slice(4, 8)} ${good.slice(8)}` }));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ aadhaarMasked: `XXXX XXXX ${good.slice(8)}`, kycStatus: 'aadhaar_entered' });
    const row = (await t.database.db.execute<Record<string, unknown>>(sql`select * from resources where id = ${r.id}`)).rows[0]!;
    expect(JSON.stringify(row)).not.toContain(good);
  });

  it('two agencies entering the same Aadhaar at the same moment: exactly one wins, the other learns nothing of where', async () => {
    const a = await draft(agency);
    const b = await draft(agency2, { contractId: ids.contractB });
    expect((await consent(agency, a.id)).statusCode).toBe(200);
    expect((await consent(agency2, b.id)).statusCode).toBe(200);
    const n = aadhaar('8');
    const [ra, rb] = await Promise.all([
      agency.post(`/api/v1/resources/${a.id}/kyc/aadhaar`, { aadhaar: n }),
      agency2.post(`/api/v1/resources/${b.id}/kyc/aadhaar`, { aadhaar: n }),
    ]);
    keep(ra);
    keep(rb);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
    const loser = ra.statusCode === 409 ? ra : rb;
    expect(loser.json()).toMatchObject({ code: 'aadhaar_already_deployed' });
    expect(loser.body).not.toMatch(/Narmada|Second Agency|contract|office/i);
    const held = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from resources where aadhaar_last4 = ${n.slice(8)} and status <> 'rejected'`,
    );
    expect(held.rows[0]!.n).toBe(1);
    // Once the holder is rejected (ended), the same person may be entered again.
    const holder = ra.statusCode === 200 ? { c: agency, id: a.id } : { c: agency2, id: b.id };
    const other = ra.statusCode === 200 ? { c: agency2, id: b.id } : { c: agency, id: a.id };
    const m = multipart({ docType: 'passport', docNumber: 'K7654321', remark: '' }, { field: 'document', name: 'p.pdf', bytes: PDF });
    expect(
      (await dm.request({ method: 'POST', url: `/api/v1/resources/${holder.id}/kyc/alternative`, payload: m.payload, headers: m.headers })).statusCode,
    ).toBe(200);
    expect((await holder.c.post(`/api/v1/resources/${holder.id}/submit`, {})).statusCode).toBe(200);
    expect((await dm.post(`/api/v1/resources/${holder.id}/reject`, { reason: 'Documents not genuine' })).statusCode).toBe(200);
    expect(keep(await other.c.post(`/api/v1/resources/${other.id}/kyc/aadhaar`, { aadhaar: n })).statusCode).toBe(200);
  });
});

describe('resources — e-KYC with the sandbox provider', () => {
  // Residents the demo data does not hold (it uses the first six active ones with a mobile).
  const free = SANDBOX_RESIDENTS.filter((r) => r.status === 'active' && r.mobile !== null && !r.serviceDown).slice(8);
  const noMobile = SANDBOX_RESIDENTS.find((r) => r.status === 'active' && r.mobile === null)!;

  async function ready(resident: (typeof SANDBOX_RESIDENTS)[number], over: Record<string, unknown> = {}) {
    const r = await draft(agency, { nameEn: resident.name.toUpperCase(), nameHi: '', dob: resident.dob, ...over });
    expect((await consent(agency, r.id)).statusCode).toBe(200);
    const a = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/aadhaar`, { aadhaar: resident.aadhaar }));
    expect(a.statusCode, a.body).toBe(200);
    return r;
  }
  async function otpFor(id: number, mobile: string): Promise<string> {
    const s = keep(await agency.post(`/api/v1/resources/${id}/kyc/otp`, {}));
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().maskedMobile).not.toContain(mobile);
    const sms = (await t.lastSms(mobile)) ?? '';
    const otp = /\b(\d{6})\b/.exec(sms)?.[1];
    expect(otp, sms).toBeTruthy();
    return otp!;
  }

  it('a second OTP within 30 seconds is refused (409 kyc_otp_just_sent, no SMS, in Hindi too); after 30 seconds the resend goes and only its OTP verifies', async () => {
    const who = free[3]!;
    const r = await ready(who);
    const first = await otpFor(r.id, who.mobile!);
    const smsCount = async () =>
      Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sandbox_messages where recipient = ${who.mobile!}`)).rows[0]!.n);
    const sent = await smsCount();
    t.clock.advance(29_000);
    const again = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {}));
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({ code: 'kyc_otp_just_sent' });
    expect(again.json().title).toMatch(/30 सेकंड/);
    const lang = agency.cookies.roams_lang;
    agency.cookies.roams_lang = 'en';
    expect((await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {})).json().title).toMatch(/30 seconds/);
    if (lang === undefined) delete agency.cookies.roams_lang;
    else agency.cookies.roams_lang = lang;
    expect(await smsCount()).toBe(sent);
    t.clock.advance(1_000);
    const second = await otpFor(r.id, who.mobile!);
    expect(await smsCount()).toBe(sent + 1);
    if (second !== first) {
      const stale = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: first }));
      expect(stale.statusCode, stale.body).not.toBe(200);
    }
    const v = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: second }));
    expect(v.statusCode, v.body).toBe(200);
  });

  it('OTP → KYC response matching the entry (name in either case): verified by e-KYC, then submitted', async () => {
    const who = free[0]!;
    const r = await ready(who);
    const otp = await otpFor(r.id, who.mobile!);
    const wrong = otp === '000000' ? '111111' : '000000';
    // The provider counts the wrong attempt (its own state); the resource is untouched and the OTP may be retried.
    const bad = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: wrong }));
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().code).toBe('ekyc_invalid_otp');
    expect((await agency.get(`/api/v1/resources/${r.id}`)).json()).toMatchObject({ status: 'draft', kycStatus: 'otp_sent' });
    const v = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp }));
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ kycStatus: 'verified', verificationMethod: 'ekyc_otp', kyc: { mismatches: [] } });
    expect(keep(await agency.post(`/api/v1/resources/${r.id}/submit`, {})).json()).toMatchObject({ status: 'submitted' });
  });

  it('a date of birth that differs is a mismatch to resolve before submission: corrected, or explained', async () => {
    const who = free[1]!;
    const r = await ready(who, { dob: '1990-01-01' });
    const v = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/verify`, { otp: await otpFor(r.id, who.mobile!) }));
    expect(v.json()).toMatchObject({ kycStatus: 'mismatch', kyc: { mismatches: [{ field: 'dob', entered: '1990-01-01', kyc: who.dob }] } });
    await refused(() => agency.post(`/api/v1/resources/${r.id}/submit`, {}), 409, 'kyc_mismatch_unresolved');
    await refused(() => agency.post(`/api/v1/resources/${r.id}/kyc/resolve`, { resolution: 'corrected', remark: '' }), 409, 'kyc_mismatch_unresolved', 'dob');
    const fixed = keep(await agency.put(`/api/v1/resources/${r.id}`, particulars({ nameEn: who.name, nameHi: '', dob: who.dob })));
    expect(fixed.statusCode, fixed.body).toBe(200);
    const ok = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/resolve`, { resolution: 'corrected', remark: '' }));
    expect(ok.json()).toMatchObject({ kycStatus: 'verified', kyc: { resolution: 'corrected' } });

    const other = free[2]!;
    const r2 = await ready(other, { nameEn: 'Someone Else' });
    keep(await agency.post(`/api/v1/resources/${r2.id}/kyc/verify`, { otp: await otpFor(r2.id, other.mobile!) }));
    await refused(() => agency.post(`/api/v1/resources/${r2.id}/kyc/resolve`, { resolution: 'explained', remark: '' }), 400, 'validation_failed', 'remark');
    const ex = keep(
      await agency.post(`/api/v1/resources/${r2.id}/kyc/resolve`, { resolution: 'explained', remark: 'Known by this name locally; affidavit on file' }),
    );
    expect(ex.json()).toMatchObject({ kycStatus: 'verified', kyc: { resolution: 'explained' } });
  });

  it('no linked mobile: a clear provider error, the resource stays a draft; the department verifies another document', async () => {
    const r = await ready(noMobile);
    const nm = keep(await agency.post(`/api/v1/resources/${r.id}/kyc/otp`, {}));
    expect([nm.statusCode, nm.json().code]).toEqual([422, 'ekyc_no_mobile']);
    expect((await agency.get(`/api/v1/resources/${r.id}`)).json()).toMatchObject({ status: 'draft', kycStatus: 'aadhaar_entered' });
    const m = multipart(
      { docType: 'ration_card', docNumber: 'MP-RC-0099', remark: 'No mobile linked to Aadhaar' },
      { field: 'document', name: 'rc.pdf', bytes: PDF },
    );
    const alt = keep(await dm.request({ method: 'POST', url: `/api/v1/resources/${r.id}/kyc/alternative`, payload: m.payload, headers: m.headers }));
    expect(alt.json()).toMatchObject({
      kycStatus: 'alternative',
      verificationMethod: 'alternative_document',
      aadhaarMasked: `XXXX XXXX ${noMobile.aadhaar.slice(8)}`,
    });
  });
});

describe('resources — submission and approval', () => {
  it('refuses submission before identity is verified', async () => {
    const r = await draft();
    await refused(() => agency.post(`/api/v1/resources/${r.id}/submit`, {}), 409, 'kyc_incomplete');
  });

  it('alternative verification by the department, submission, a double click on approve approves once; deployed counts it', async () => {
    const before = await deployedPeons();
    const r = await submitted();
    expect(r).toMatchObject({ status: 'submitted', kycStatus: 'alternative', verificationMethod: 'alternative_document' });
    const got = keep(await dm.get(`/api/v1/resources/${r.id}`)).json() as TResource;
    expect(got.alternative?.docNumberMasked).toMatch(/^X+8901$/);
    const [x, y] = await Promise.all([
      dm.post(`/api/v1/resources/${r.id}/approve`, approveBody()),
      dm.post(`/api/v1/resources/${r.id}/approve`, approveBody()),
    ]);
    keep(x);
    keep(y);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    expect((x.statusCode === 409 ? x : y).json().code).toBe('resource_not_submitted');
    const approvals = await t.database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.entity} = 'resource' and ${auditLog.entityId} = ${String(r.id)} and ${auditLog.action} = 'approve'`);
    expect(approvals).toHaveLength(1);
    expect(await deployedPeons()).toBe(before + 1);
  });

  it('refuses a joining date outside the contract period, then no vacancy beyond the contract’s posts', async () => {
    const r = await submitted();
    await refused(
      () => dm.post(`/api/v1/resources/${r.id}/approve`, approveBody({ joiningDate: '2027-04-01' })),
      400,
      'joining_date_outside_contract',
      'joiningDate',
    );
    expect(keep(await dm.post(`/api/v1/resources/${r.id}/approve`, approveBody())).statusCode).toBe(200);
    const third = await submitted();
    await refused(() => dm.post(`/api/v1/resources/${third.id}/approve`, approveBody()), 409, 'no_vacancy');
    const rej = keep(await dm.post(`/api/v1/resources/${third.id}/reject`, { reason: 'No vacancy' }));
    expect(rej.json()).toMatchObject({ status: 'rejected', rejectionReason: 'No vacancy' });
  });

  it("refuses approving another department's resource by id (404) and an agency approving", async () => {
    const all = (await finance.get('/api/v1/resources?pageSize=200')).json() as { items: TResourceSummary[] };
    const foreign = all.items.find((r) => r.agencyId === 3)!;
    await refused(() => dm.post(`/api/v1/resources/${foreign.id}/approve`, approveBody()), 404, 'not_found');
    const r = await submitted();
    await refused(() => agency.post(`/api/v1/resources/${r.id}/approve`, approveBody()), 403, 'forbidden');
  });

  it("refuses approval beyond the agency's contract-labour licence (workmen limit)", async () => {
    const r = await submitted();
    const db = t.database.db;
    const working = (await db.execute<{ n: number }>(sql`select count(*)::int as n from resources where agency_id = 1 and status = 'approved'`)).rows[0]!.n;
    expect(working).toBeGreaterThan(0);
    const [{ workmen }] = (await db.execute<{ workmen: number }>(sql`select licence_workmen as workmen from agencies where id = 1`)).rows as [
      { workmen: number },
    ];
    await db.execute(sql`update agencies set licence_workmen = ${working} where id = 1`);
    try {
      await refused(() => dm.post(`/api/v1/resources/${r.id}/approve`, approveBody()), 409, 'agency_workmen_limit');
    } finally {
      await db.execute(sql`update agencies set licence_workmen = ${workmen} where id = 1`);
    }
  });

  it('refuses approval for a blacklisted agency', async () => {
    const r = await draft(agency2, { contractId: ids.contractB });
    const m = multipart({ docType: 'passport', docNumber: 'K1234567', remark: '' }, { field: 'document', name: 'p.pdf', bytes: PDF });
    expect((await dm.request({ method: 'POST', url: `/api/v1/resources/${r.id}/kyc/alternative`, payload: m.payload, headers: m.headers })).statusCode).toBe(
      200,
    );
    expect((await agency2.post(`/api/v1/resources/${r.id}/submit`, {})).statusCode).toBe(200);
    await t.database.db.execute(sql`update agencies set status = 'blacklisted' where id = 2`);
    try {
      await refused(() => dm.post(`/api/v1/resources/${r.id}/approve`, approveBody({ contractId: ids.contractB })), 409, 'agency_blacklisted');
    } finally {
      await t.database.db.execute(sql`update agencies set status = 'verified' where id = 2`);
    }
  });
});

describe('resources — relieving and the timeline', () => {
  it('the agency requests; it takes effect when the department approves with the reason; the timeline shows it all', async () => {
    const list = (await agency.get('/api/v1/resources?status=approved&pageSize=200')).json() as { items: TResourceSummary[] };
    const r = list.items.find((x) => x.contractId === ids.contractA)!;
    expect(r).toBeTruthy();
    await refused(
      () => agency.post(`/api/v1/resources/${r.id}/relieving`, { relieveOn: '2026-11-01', reasonCode: 'resigned', remark: '' }),
      400,
      'validation_failed',
      'relieveOn',
    );
    const req = keep(await agency.post(`/api/v1/resources/${r.id}/relieving`, { relieveOn: '2026-12-31', reasonCode: 'resigned', remark: 'Moving away' }));
    expect(req.statusCode, req.body).toBe(200);
    expect(req.json()).toMatchObject({ status: 'approved' });
    await refused(
      () => agency.post(`/api/v1/resources/${r.id}/relieving`, { relieveOn: '2026-12-31', reasonCode: 'other', remark: '' }),
      409,
      'relieving_pending',
    );
    await refused(() => dm.post(`/api/v1/resources/${r.id}/relieving/refuse`, { remark: '' }), 400, 'validation_failed', 'remark');
    const ok = keep(await dm.post(`/api/v1/resources/${r.id}/relieving/approve`, { remark: 'Accepted' }));
    expect(ok.json()).toMatchObject({ status: 'relieved', relievedOn: '2026-12-31', relieveReason: 'resigned' });
    await refused(() => dm.post(`/api/v1/resources/${r.id}/relieving/approve`, { remark: 'Again' }), 409, 'resource_not_approved');
    const tl = keep(await agency.get(`/api/v1/resources/${r.id}/timeline`)).json() as TTimeline;
    expect(tl.items.map((i) => i.action)).toEqual(
      expect.arrayContaining(['create', 'kyc_alternative', 'submit', 'approve', 'relieving_request', 'relieving_approve']),
    );
  });
});

describe('resources — no full Aadhaar number in any response', () => {
  it('holds for every response this file kept', async () => {
    const stored = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from aadhaar_vault`);
    expect(stored.rows[0]!.n).toBeGreaterThan(0);
    const leak = bodies.flatMap((b) => [...b.matchAll(/(?<!\d)[2-9]\d{11}(?!\d)/g)].map((m) => m[0]).filter((n) => verhoeffValid(n)));
    expect(leak).toEqual([]);
  });
});
