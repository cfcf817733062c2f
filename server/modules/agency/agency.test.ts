import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAgency } from '../../../shared/contracts/agency.ts';
import { gstinCheckChar } from '../../../shared/domain/identifiers.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import { outbox } from '../../platform/outbox/outbox.table.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { type FilePart, multipart } from '../../test/helpers.ts';
import { agencyContractability, getAgencyStatusBadge, sendLicenceAlerts } from './index.ts';
import { agencies, agencyDocuments, agencyStatusEvents, signupOtps } from './agency.table.ts';

let t: TestApp;
let dm: Client; // dm_bhopal: department manager (agency.read, register, verify)
let fin: Client; // finance_admin
let ddo: Client; // ddo_bhopal: read only, bank account masked
let ag: Client; // agency_admin of demo agency 1

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

const DOCS: FilePart[] = [
  { field: 'pan_card', name: 'pan.pdf', bytes: PDF },
  { field: 'gst_certificate', name: 'gst.pdf', bytes: Buffer.concat([PDF, Buffer.from('gst')]) },
  { field: 'labour_licence', name: 'licence.pdf', bytes: Buffer.concat([PDF, Buffer.from('licence')]) },
];

/** A GSTIN for a PAN with the right check character. */
function gstinFor(pan: string, state = '23') {
  const first14 = `${state}${pan}1Z`;
  return first14 + gstinCheckChar(first14);
}

function particulars(over: Record<string, string> = {}): Record<string, string> {
  return {
    legalName: 'Betwa Facility Management Pvt. Ltd.',
    type: 'private_company',
    pan: 'AAPFU0939F',
    gstin: '27AAPFU0939F1ZV',
    epfoCode: 'MPBPL0076543000',
    esicCode: '18000765430001001',
    licenceNo: 'CLRA/BPL/2025/0901',
    licenceWorkmen: '250',
    licenceValidTo: '2027-09-30',
    address: '5, Arera Colony, Bhopal 462016',
    districtId: '1',
    contactName: 'Meera Awasthi',
    mobile: '9123456701',
    email: 'meera@betwafacility.in',
    bankAccount: '30299887766',
    ifsc: 'SBIN0001308',
    ...over,
  };
}

async function requestOtp(mobile: string) {
  const res = await t.anon.post('/api/v1/agency-signup/otp', { mobile });
  expect(res.statusCode, res.body).toBe(202);
  await t.flushOutbox();
  const sms = await t.lastSms(mobile);
  const code = /\b(\d{6})\b/.exec(sms ?? '')?.[1];
  if (!code) throw new Error(`no code in ${sms}`);
  return { requestId: res.json().requestId as string, code };
}

async function signup(fields: Record<string, string>, files: FilePart[] = DOCS) {
  return t.anon.request({ method: 'POST', url: '/api/v1/agency-signup', ...multipart(fields, files) });
}

async function counts() {
  const [a] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(agencies);
  const [u] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(users);
  const [d] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(agencyDocuments);
  return { agencies: a!.n, users: u!.n, docs: d!.n };
}

function fieldsOf(res: { json: () => { errors?: { field: string; code: string; message?: string }[] } }) {
  return Object.fromEntries((res.json().errors ?? []).map((e) => [e.field, e.code]));
}

/** Logs the demo users in (again after the clock moved past the idle limit); dm_bhopal acts in office 79. */
async function loginAll() {
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json();
  const a79 = me.assignments.find((a: { officeId: number }) => a.officeId === 79);
  expect((await dm.post('/api/v1/auth/switch', { assignmentId: a79.id })).statusCode).toBe(200);
  fin = await t.login('finance_admin');
  ddo = await t.login('ddo_bhopal');
  ag = await t.login('agency_admin');
}

beforeAll(async () => {
  t = await createTestApp();
  await loginAll();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('agencies — reading and scope', () => {
  it('requires a login; the sign-up districts are public', async () => {
    expect((await t.anon.get('/api/v1/agencies')).statusCode).toBe(401);
    expect((await t.anon.get('/api/v1/agencies/1')).statusCode).toBe(401);
    const d = await t.anon.get('/api/v1/agency-signup/districts');
    expect(d.statusCode).toBe(200);
    expect(d.json().items.map((x: { nameEn: string }) => x.nameEn)).toContain('Bhopal');
  });

  it('department roles see every agency; an agency user only its own, and another agency is 404', async () => {
    const all = (await dm.get('/api/v1/agencies')).json();
    expect(all.total).toBe(3);
    const own = (await ag.get('/api/v1/agencies')).json();
    expect(own.items.map((a: { id: number }) => a.id)).toEqual([1]);
    expect((await ag.get('/api/v1/agencies/1')).statusCode).toBe(200);
    const before = await dbFingerprint(t.database);
    for (const url of ['/api/v1/agencies/2', '/api/v1/agencies/2/documents', '/api/v1/agencies/2/documents/1/file'])
      expect((await ag.get(url)).statusCode, url).toBe(404);
    const up = await ag.request({
      method: 'POST',
      url: '/api/v1/agencies/2/documents',
      ...multipart({ kind: 'other' }, [{ field: 'file', name: 'x.pdf', bytes: PDF }]),
    });
    expect(up.statusCode).toBe(404);
    expect(await dbFingerprint(t.database)).toBe(before);
    const mine = (await ag.get('/api/v1/my-agency')).json();
    expect(mine).toMatchObject({ id: 1, status: 'verified', legalName: 'Narmada Manpower Services Pvt. Ltd.' });
    expect((await dm.get('/api/v1/my-agency')).statusCode).toBe(404);
  });

  it('shows the bank account in full to the department manager and the agency, masked to a DDO', async () => {
    expect((await dm.get('/api/v1/agencies/1')).json()).toMatchObject({ bankAccount: '30211456789', bankAccountMasked: false });
    expect((await ag.get('/api/v1/agencies/1')).json()).toMatchObject({ bankAccount: '30211456789', bankAccountMasked: false });
    const masked = (await ddo.get('/api/v1/agencies/1')).json();
    expect(masked).toMatchObject({ bankAccount: 'XXXXXXX6789', bankAccountMasked: true });
    expect(JSON.stringify(masked)).not.toContain('30211456789');
  });

  it('filters, searches, sorts and pages on the server, with the licence alert on each row', async () => {
    const pending = (await dm.get('/api/v1/agencies?status=pending')).json();
    expect(pending.items.map((a: { id: number }) => a.id)).toEqual([2]);
    // Clock: 25 Nov 2026 (IST); agency 2's licence runs to 15 Dec 2026.
    expect(pending.items[0].licenceAlert).toEqual({ kind: 'expiring', days: 20 });
    expect((await dm.get('/api/v1/agencies?q=kshipra')).json().items.map((a: { id: number }) => a.id)).toEqual([3]);
    expect((await dm.get('/api/v1/agencies?q=aabcn')).json().items.map((a: { id: number }) => a.id)).toEqual([1]);
    expect((await dm.get('/api/v1/agencies?licence=alert')).json().items.map((a: { id: number }) => a.id)).toEqual([2]);
    const sorted = (await dm.get('/api/v1/agencies?sort=licenceValidTo&dir=desc')).json();
    expect(sorted.items.map((a: { id: number }) => a.id)).toEqual([3, 1, 2]);
    const p2 = (await dm.get('/api/v1/agencies?pageSize=2&page=2')).json();
    expect(p2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(p2.items).toHaveLength(1);
    const indore = (await dm.get('/api/v1/agencies?districtId=999')).json();
    expect(indore.total).toBe(0);
  });
});

describe('agency sign-up with a mobile OTP', () => {
  it('refuses each bad identifier naming the field, before the code is spent', async () => {
    const { requestId, code } = await requestOtp('9123456701');
    const base = { ...particulars(), requestId, otp: code, username: 'betwa_admin', password: 'Betwa river flows 2026' };
    const before = await counts();
    const cases: [Record<string, string>, string, string][] = [
      [{ pan: 'AABXU0939F', gstin: gstinFor('AABXU0939F') }, 'pan', 'pan_holder_type'],
      [{ pan: 'AAPFU093F' }, 'pan', 'pan_format'],
      [{ gstin: '27AAPFU0939F1ZA' }, 'gstin', 'gstin_check_char'],
      [{ gstin: gstinFor('AABCN1234F') }, 'gstin', 'gstin_pan_mismatch'],
      [{ gstin: gstinFor('AAPFU0939F', '40') }, 'gstin', 'gstin_state_code'],
      [{ ifsc: 'SBIN1001308' }, 'ifsc', 'ifsc_format'],
      [{ mobile: '5123456701' }, 'mobile', 'mobile_format'],
      [{ email: 'meera@' }, 'email', 'email_format'],
      [{ bankAccount: '12AB' }, 'bankAccount', 'bank_account_format'],
    ];
    for (const [over, field, codeName] of cases) {
      const res = await signup({ ...base, ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(fieldsOf(res)[field], JSON.stringify(over)).toBe(codeName);
      const e = res.json().errors.find((x: { field: string }) => x.field === field);
      expect(e.message).toBeTruthy();
    }
    // Hindi messages too.
    const m = multipart({ ...base, pan: 'AABXU0939F' }, DOCS);
    const inLang = async (lang: string) =>
      (
        await t.anon.request({ method: 'POST', url: '/api/v1/agency-signup', headers: { ...m.headers, cookie: `roams_lang=${lang}` }, payload: m.payload })
      ).json().errors[0].message;
    expect(await inLang('en')).toContain('4th letter of the PAN');
    expect(await inLang('hi')).toContain('PAN का चौथा अक्षर');
    // Not a PDF (a renamed PNG) and a missing document.
    const png = await signup(base, [{ ...DOCS[0]!, bytes: PNG }, DOCS[1]!, DOCS[2]!]);
    expect(png.statusCode).toBe(400);
    expect(fieldsOf(png)).toEqual({ pan_card: 'file_not_pdf' });
    const missing = await signup(base, [DOCS[0]!, DOCS[1]!]);
    expect(missing.statusCode).toBe(400);
    expect(fieldsOf(missing)).toEqual({ labour_licence: 'file_required' });
    const weak = await signup({ ...base, password: 'password1234' });
    expect(fieldsOf(weak)).toEqual({ password: 'password_common' });
    expect(await counts()).toEqual(before);
    const [otp] = await t.database.db
      .select()
      .from(signupOtps)
      .where(eq(signupOtps.requestHash, (await import('../../platform/auth/tokens.ts')).sha256(requestId)));
    expect(otp).toMatchObject({ attempts: 0, usedAt: null });
    expect(otp!.codeHash).not.toContain(code);

    // The same code still works: lower-case identifiers are upper-cased.
    const ok = await signup({ ...base, pan: 'aapfu0939f', gstin: '27aapfu0939f1zv', ifsc: 'sbin0001308' });
    expect(ok.statusCode, ok.body).toBe(201);
    const { agencyId, username, status } = ok.json();
    expect({ username, status }).toEqual({ username: 'betwa_admin', status: 'pending' });
    const [row] = await t.database.db.select().from(agencies).where(eq(agencies.id, agencyId));
    expect(row).toMatchObject({
      pan: 'AAPFU0939F',
      gstin: '27AAPFU0939F1ZV',
      ifsc: 'SBIN0001308',
      status: 'pending',
      registeredVia: 'self',
      licenceWorkmen: 250,
    });
    expect(await counts()).toEqual({ agencies: before.agencies + 1, users: before.users + 1, docs: before.docs + 3 });
    const [u] = await t.database.db.select().from(users).where(eq(users.username, 'betwa_admin'));
    const [a] = await t.database.db.select().from(roleAssignments).where(eq(roleAssignments.userId, u!.id));
    expect(a).toMatchObject({ role: 'agency_admin', scopeKind: 'agency', scopeId: agencyId, active: true });
    expect(u!.mustChangePassword).toBe(false);

    // The new admin logs in and sees the agency pending, with its documents and one status event.
    const c = await t.login('betwa_admin', 'Betwa river flows 2026');
    const mine = (await c.get('/api/v1/my-agency')).json() as TAgency;
    expect(mine).toMatchObject({ id: agencyId, status: 'pending' });
    expect(mine.documents.map((d) => d.kind).sort()).toEqual(['gst_certificate', 'labour_licence', 'pan_card']);
    expect(mine.events).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'pending' })]);
    const file = await c.get(`/api/v1/agencies/${agencyId}/documents/${mine.documents.find((d) => d.kind === 'pan_card')!.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);

    // Audited, without the password or the full bank account.
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'agency'), eq(auditLog.entityId, String(agencyId))));
    expect(audit.map((x) => x.action)).toEqual(['registered']);
    const all = JSON.stringify(await t.database.db.select().from(auditLog));
    expect(all).not.toContain('Betwa river flows 2026');
    expect(all).not.toContain('30299887766');

    // Reusing the code: refused, nothing saved.
    const again = await signup({ ...base, pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9123456701', username: 'betwa_two' });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('otp_expired');
  });

  it('a wrong code saves nothing and counts; the fifth wrong try burns the code', async () => {
    const { requestId, code } = await requestOtp('9123456702');
    const wrong = code === '000000' ? '111111' : '000000';
    const base = {
      ...particulars({ pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9123456702' }),
      requestId,
      username: 'ken_admin',
      password: 'Ken river flows 2026',
    };
    const before = await counts();
    for (let i = 0; i < 5; i++) {
      const res = await signup({ ...base, otp: wrong });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('otp_invalid');
    }
    const burnt = await signup({ ...base, otp: code });
    expect(burnt.statusCode).toBe(422);
    expect(burnt.json().code).toBe('otp_expired');
    expect(await counts()).toEqual(before);
  });

  it('a code bound to another mobile or request does not work', async () => {
    const one = await requestOtp('9123456703');
    const two = await requestOtp('9123456704');
    const base = {
      ...particulars({ pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9123456703' }),
      username: 'ken_admin',
      password: 'Ken river flows 2026',
    };
    if (two.code !== one.code) expect((await signup({ ...base, requestId: one.requestId, otp: two.code })).json().code).toBe('otp_invalid');
    expect((await signup({ ...base, mobile: '9123456704', requestId: one.requestId, otp: one.code })).json().code).toBe('otp_invalid');
    const [a] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(agencies).where(eq(agencies.pan, 'AAGCR4375J'));
    expect(a!.n).toBe(0);
  });

  it('an expired code (over 10 minutes) is refused', async () => {
    const { requestId, code } = await requestOtp('9123456705');
    t.clock.advance(10 * 60_000 + 1000);
    const res = await signup({
      ...particulars({ pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9123456705' }),
      requestId,
      otp: code,
      username: 'ken_admin',
      password: 'Ken river flows 2026',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('otp_expired');
    await loginAll();
  });

  it('a PAN already registered is a 409 that names nothing of the other agency', async () => {
    const { requestId, code } = await requestOtp('9123456706');
    const before = await counts();
    const res = await signup({
      ...particulars({ pan: 'AABCN1234F', gstin: '23AABCN1234F1Z4', mobile: '9123456706', legalName: 'Copycat Services' }),
      requestId,
      otp: code,
      username: 'copycat',
      password: 'Copycat river 2026 x',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('agency_pan_registered');
    expect(fieldsOf(res)).toEqual({ pan: 'pan_registered' });
    expect(res.body).not.toMatch(/Narmada|9876500006|accounts@/);
    expect(await counts()).toEqual(before);
  });

  it('a mobile that is already a portal user gets a field error', async () => {
    const { requestId, code } = await requestOtp('9876500004'); // dm_bhopal's mobile
    const res = await signup({
      ...particulars({ pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9876500004' }),
      requestId,
      otp: code,
      username: 'ken_admin',
      password: 'Ken river flows 2026',
    });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual({ mobile: 'mobile_registered' });
  });

  it('sends at most 5 codes an hour to one mobile', async () => {
    for (let i = 0; i < 5; i++) expect((await t.anon.post('/api/v1/agency-signup/otp', { mobile: '9123456709' })).statusCode).toBe(202);
    const sixth = await t.anon.post('/api/v1/agency-signup/otp', { mobile: '9123456709' });
    expect(sixth.statusCode).toBe(429);
    expect((await t.anon.post('/api/v1/agency-signup/otp', { mobile: '51234' })).statusCode).toBe(400);
    t.clock.advance(3600_000 + 1000);
    expect((await t.anon.post('/api/v1/agency-signup/otp', { mobile: '9123456709' })).statusCode).toBe(202);
    await loginAll();
  });
});

describe('department registration', () => {
  let agencyId: number;
  it('creates a pending agency and an admin whose temporary password goes by SMS and must be changed', async () => {
    const res = await dm.request({
      method: 'POST',
      url: '/api/v1/agencies',
      ...multipart(
        particulars({ pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9123456710', contactName: 'Kiran Rao', legalName: 'Ken Valley Services' }),
        DOCS,
      ),
    });
    expect(res.statusCode, res.body).toBe(201);
    agencyId = res.json().agencyId;
    const [row] = await t.database.db.select().from(agencies).where(eq(agencies.id, agencyId));
    expect(row).toMatchObject({ status: 'pending', registeredVia: 'department' });
    await t.flushOutbox();
    const [sms] = (
      await t.database.db.execute<{ body: string }>(
        sql`select body from sandbox_messages where recipient = '9123456710' and body like '%password%' or recipient = '9123456710' and body like '%पासवर्ड%'`,
      )
    ).rows;
    const password = /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/.exec(sms!.body)?.[1];
    expect(password).toBeTruthy();
    const c = await t.login(res.json().username, password!);
    expect((await c.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    expect((await c.get('/api/v1/my-agency')).statusCode).toBe(403);
  });

  it('refuses roles without agency.register and a duplicate PAN', async () => {
    expect((await ddo.request({ method: 'POST', url: '/api/v1/agencies', ...multipart(particulars(), DOCS) })).statusCode).toBe(403);
    const dup = await fin.request({
      method: 'POST',
      url: '/api/v1/agencies',
      ...multipart(particulars({ pan: 'AAGCR4375J', gstin: '29AAGCR4375J1ZU', mobile: '9123456711' }), DOCS),
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('agency_pan_registered');
  });

  it('verification: verify once (a double click gets 409), with an event, an audit entry and an SMS', async () => {
    const [first, second] = await Promise.all([dm.post(`/api/v1/agencies/${agencyId}/verify`, {}), dm.post(`/api/v1/agencies/${agencyId}/verify`, {})]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    expect((first.statusCode === 409 ? first : second).json().code).toBe('agency_status_conflict');
    const events = await t.database.db.select().from(agencyStatusEvents).where(eq(agencyStatusEvents.agencyId, agencyId));
    expect(events.map((e) => e.toStatus)).toEqual(['pending', 'verified']);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'agency'), eq(auditLog.entityId, String(agencyId)), eq(auditLog.action, 'status_verified')));
    expect(audit).toHaveLength(1);
    const sms = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.recipient, '9123456710'), eq(outbox.template, 'agency.sms.status_verify')));
    expect(sms).toHaveLength(1);
    expect((await dm.post(`/api/v1/agencies/${agencyId}/reject`, { reason: 'late' })).statusCode).toBe(409);
  });

  it('blacklisting needs a reason, the order reference and the period; a department suspends for its own contracts; blacklisting and reinstating are for Finance', async () => {
    const [{ departmentId: dmDept, otherDept }] = (
      await t.database.db.execute<{ departmentId: number; otherDept: number }>(sql`
        select o.department_id as "departmentId", (select d.id from departments d where d.id <> o.department_id order by d.id limit 1) as "otherDept"
          from role_assignments ra join users u on u.id = ra.user_id join offices o on o.id = ra.scope_id
         where u.username = 'dm_bhopal' and ra.role = 'department_manager'`)
    ).rows as [{ departmentId: number; otherDept: number }];
    const before = await dbFingerprint(t.database);
    const noRef = await dm.post(`/api/v1/agencies/${agencyId}/blacklist`, { reason: 'Wages unpaid', periodFrom: '2026-11-25', periodTo: '2027-11-24' });
    expect(noRef.statusCode).toBe(400);
    expect(fieldsOf(noRef)).toMatchObject({ orderRef: 'required' });
    const badPeriod = await dm.post(`/api/v1/agencies/${agencyId}/suspend`, { reason: 'x', orderRef: 'O/1', periodFrom: '2026-11-25', periodTo: '2026-11-01' });
    expect(fieldsOf(badPeriod)).toEqual({ periodTo: 'period_order' });
    expect(fieldsOf(await dm.post(`/api/v1/agencies/${agencyId}/reject`, {}))).toEqual({ reason: 'required' });
    expect(await dbFingerprint(t.database)).toBe(before);

    const sus = await dm.post(`/api/v1/agencies/${agencyId}/suspend`, {
      reason: 'ESI dues',
      orderRef: 'GAD/2026/SUS/3',
      periodFrom: '2026-11-25',
      periodTo: '2027-02-24',
    });
    expect(sus.statusCode, sus.body).toBe(200);
    expect(sus.json()).toMatchObject({
      status: 'suspended',
      statusOrderRef: 'GAD/2026/SUS/3',
      statusFrom: '2026-11-25',
      statusTo: '2027-02-24',
      statusReason: 'ESI dues',
    });
    // The suspension is the Bhopal department's: its contracts are refused, another department's are not.
    expect(await agencyContractability(t.database.db, agencyId, '2026-12-01', dmDept)).toEqual({
      ok: false,
      status: 'suspended',
      reason: 'suspended',
      legalName: 'Ken Valley Services',
    });
    expect(await agencyContractability(t.database.db, agencyId, '2026-12-01', otherDept)).toMatchObject({ ok: true, status: 'verified' });
    expect(await getAgencyStatusBadge(t.database.db, agencyId, '2026-12-02', otherDept)).toMatchObject({ status: 'verified', statusOrderRef: '' });
    const [row] = await t.database.db.select().from(agencies).where(eq(agencies.id, agencyId));
    expect(row?.statusDepartmentId).toBe(dmDept);
    // Finance sees the department's suspension and which department imposed it.
    expect((await fin.get(`/api/v1/agencies/${agencyId}`)).json()).toMatchObject({ status: 'suspended', statusDepartmentId: dmDept });
    // Statewide blacklisting is Finance's alone.
    const dmBl = await dm.post(`/api/v1/agencies/${agencyId}/blacklist`, {
      reason: 'Wages unpaid',
      orderRef: 'GAD/2026/BL/9',
      periodFrom: '2026-12-01',
      periodTo: '2029-11-30',
    });
    expect(dmBl.statusCode).toBe(403);
    expect(dmBl.json().code).toBe('agency_not_in_charge');
    const bl = await fin.post(`/api/v1/agencies/${agencyId}/blacklist`, {
      reason: 'Wages unpaid',
      orderRef: 'GAD/2026/BL/9',
      periodFrom: '2026-12-01',
      periodTo: '2029-11-30',
    });
    expect(bl.json().status).toBe('blacklisted');
    expect(await getAgencyStatusBadge(t.database.db, agencyId, '2026-12-02', otherDept)).toMatchObject({
      status: 'blacklisted',
      statusOrderRef: 'GAD/2026/BL/9',
      statusFrom: '2026-12-01',
      statusTo: '2029-11-30',
    });
    const byDm = await dm.post(`/api/v1/agencies/${agencyId}/reinstate`, { reason: 'Dues paid' });
    expect(byDm.statusCode).toBe(403);
    const byFin = await fin.post(`/api/v1/agencies/${agencyId}/reinstate`, { reason: 'Dues paid' });
    expect(byFin.statusCode).toBe(200);
    expect(byFin.json().events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['pending', 'verified', 'suspended', 'blacklisted', 'verified']);
    expect(await agencyContractability(t.database.db, agencyId, '2026-12-01', dmDept)).toMatchObject({ ok: true, status: 'verified' });
    expect(await agencyContractability(t.database.db, agencyId, '2027-10-01', dmDept)).toMatchObject({ ok: false, reason: 'licence_expired' });
    expect(await agencyContractability(t.database.db, 2, '2026-12-01', dmDept)).toMatchObject({ ok: false, reason: 'not_verified' });
    expect(await agencyContractability(t.database.db, 3, '2026-12-01', otherDept)).toMatchObject({ ok: false, reason: 'blacklisted' });
    // The status history is append-only in the database.
    await expect(t.database.db.execute(sql`update agency_status_events set reason = 'x' where agency_id = ${agencyId}`)).rejects.toThrow();
  });

  it('agency users cannot verify', async () => {
    expect((await ag.post('/api/v1/agencies/2/verify', {})).statusCode).toBe(403);
  });
});

describe('documents and operators of the agency itself', () => {
  it('the agency admin uploads a newer document; it supersedes the older one; not-a-PDF is refused', async () => {
    const send = (bytes: Buffer, kind = 'labour_licence') =>
      ag.request({ method: 'POST', url: '/api/v1/agencies/1/documents', ...multipart({ kind }, [{ field: 'file', name: 'renewed licence.pdf', bytes }]) });
    const bad = await send(PNG);
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual({ file: 'file_not_pdf' });
    expect((await send(Buffer.concat([PDF, Buffer.from('v1')]))).statusCode).toBe(201);
    const res = await send(Buffer.concat([PDF, Buffer.from('v2')]));
    expect(res.statusCode).toBe(201);
    const docs = (res.json() as TAgency).documents.filter((d) => d.kind === 'labour_licence');
    expect(docs.map((d) => d.superseded)).toEqual([false, true]);
    const dl = await dm.get(`/api/v1/agencies/1/documents/${docs[0]!.id}/file`);
    expect(dl.rawPayload.equals(Buffer.concat([PDF, Buffer.from('v2')]))).toBe(true);
    expect(
      (
        await dm.request({
          method: 'POST',
          url: '/api/v1/agencies/1/documents',
          ...multipart({ kind: 'other' }, [{ field: 'file', name: 'x.pdf', bytes: PDF }]),
        })
      ).statusCode,
    ).toBe(403);
  });

  it("the agency admin adds an operator (must change the password) and removes it; another agency's user is 404", async () => {
    const res = await ag.post('/api/v1/my-agency/operators', { name: 'Pooja Yadav', mobile: '9123456720' });
    expect(res.statusCode, res.body).toBe(201);
    const { assignmentId, username } = res.json();
    await t.flushOutbox();
    const password = /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/.exec((await t.lastSms('9123456720'))!)?.[1];
    const op = await t.login(username, password!);
    expect((await op.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    const list = (await ag.get('/api/v1/my-agency/operators')).json();
    expect(list.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ username, role: 'agency_operator', active: true, mustChangePassword: true })]),
    );
    const dupMobile = await ag.post('/api/v1/my-agency/operators', { name: 'X', mobile: '9876500004' });
    expect(fieldsOf(dupMobile)).toEqual({ mobile: 'mobile_registered' });

    // The admin of another agency cannot remove this operator.
    const [betwa] = await t.database.db.select().from(users).where(eq(users.username, 'betwa_admin'));
    expect(betwa).toBeTruthy();
    const other = await t.login('betwa_admin', 'Betwa river flows 2026');
    expect((await other.post(`/api/v1/my-agency/operators/${assignmentId}/deactivate`)).statusCode).toBe(404);

    const off = await ag.post(`/api/v1/my-agency/operators/${assignmentId}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().items.find((o: { assignmentId: number }) => o.assignmentId === assignmentId).active).toBe(false);
    expect((await op.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await t.anon.post('/api/v1/auth/login', { username, password })).statusCode).toBe(401);
    expect((await dm.get('/api/v1/my-agency/operators')).statusCode).toBe(403);
  });
});

describe('licence alerts', () => {
  it('alerts an agency whose licence expires within 30 days, once per licence date and threshold', async () => {
    const db = t.database.db;
    const now = new Date('2026-11-25T05:00:00Z');
    const first = await sendLicenceAlerts(db, now);
    expect(first).toBe(1); // agency 2 (15 Dec 2026); agency 3 is blacklisted, the others run longer
    const msgs = await db.select().from(outbox).where(eq(outbox.template, 'agency.sms.licence_expiring'));
    expect(msgs.map((m) => [m.channel, m.recipient]).sort()).toEqual([
      ['email', 'office@shivamfacility.in'],
      ['sms', '9876500106'],
    ]);
    expect(await sendLicenceAlerts(db, now)).toBe(0);
    expect(await sendLicenceAlerts(db, new Date('2026-12-16T05:00:00Z'))).toBe(1); // now expired
    expect(await sendLicenceAlerts(db, new Date('2026-12-20T05:00:00Z'))).toBe(0);
    // The agency's page shows the alert (the app's clock is still 25 Nov 2026).
    expect((await dm.get('/api/v1/agencies/2')).json().licenceAlert).toEqual({ kind: 'expiring', days: 20 });
    // A renewed licence alerts afresh when it nears its new date.
    await db.update(agencies).set({ licenceValidTo: '2027-01-10' }).where(eq(agencies.id, 2));
    expect(await sendLicenceAlerts(db, new Date('2026-12-20T05:00:00Z'))).toBe(1);
    expect((await dm.get('/api/v1/agencies/2')).json().licenceAlert).toBeNull();
  });
});

describe('authority over an agency (issue 11 finding 7)', () => {
  it('refuses verification to a department that neither registered the agency nor holds a contract with it', async () => {
    const id = await pendingAgency('Shivam Facility Services');
    const before = await dbFingerprint(t.database);
    const res = await dm.post(`/api/v1/agencies/${id}/verify`, {});
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('agency_not_in_charge');
    // The page is told what it may offer: nothing, for this department manager.
    expect((await dm.get(`/api/v1/agencies/${id}`)).json().actions).toEqual([]);
    expect(
      (await dm.post(`/api/v1/agencies/${id}/suspend`, { reason: 'x', orderRef: 'O/1', periodFrom: '2026-11-25', periodTo: '2026-12-01' })).statusCode,
    ).toBe(409);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('refuses to verify an agency that has uploaded no document (agency_no_documents), even for Finance', async () => {
    const id = await pendingAgency('Shivam Facility Services');
    expect(await t.database.db.select().from(agencyDocuments).where(eq(agencyDocuments.agencyId, id))).toHaveLength(0);
    expect((await fin.get(`/api/v1/agencies/${id}`)).json().actions).toEqual(['verify', 'reject']);
    const before = await dbFingerprint(t.database);
    const res = await fin.post(`/api/v1/agencies/${id}/verify`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('agency_no_documents');
    expect(res.json().title).toMatch(/कोई दस्तावेज़ अपलोड नहीं/);
    expect(await dbFingerprint(t.database)).toBe(before);
  });
});

async function pendingAgency(legalName: string): Promise<number> {
  const [row] = await t.database.db.select({ id: agencies.id, status: agencies.status }).from(agencies).where(eq(agencies.legalName, legalName));
  expect(row?.status).toBe('pending');
  return row!.id;
}
