import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAgency } from '../../../shared/contracts/agency.ts';
import { gstinCheckChar } from '../../../shared/domain/identifiers.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { type FilePart, multipart } from '../../test/helpers.ts';
import { auditCount, burst, countOf, oneWinner, RATE_LIMITED } from '../../test/races.ts';

/**
 * Twenty identical requests at once on each move of an agency's status (the review's double
 * click; agency.test.ts has two verifications), on PGlite and on PostgreSQL (TEST_DATABASE_URL):
 * the department rejects a registration, then verifies it; then, five rounds (one round lets a
 * lost race through too rarely to be seen), the department suspends it, Finance blacklists and
 * reinstates it. Each move is made once — one status event, one audit entry, one SMS — and every
 * other answer is 409 agency_status_conflict, never a 500.
 */
const N = 20;
const ROUNDS = 5;
let t: TestApp;
let dm: Client; // dm_bhopal: department manager, office 79
let fin: Client; // finance_admin
let agencyId: number;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const DOCS: FilePart[] = [
  { field: 'pan_card', name: 'pan.pdf', bytes: PDF },
  { field: 'gst_certificate', name: 'gst.pdf', bytes: Buffer.concat([PDF, Buffer.from('gst')]) },
  { field: 'labour_licence', name: 'licence.pdf', bytes: Buffer.concat([PDF, Buffer.from('licence')]) },
];
const MOBILE = '9123456788';

const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
const events = (to: string) => count(sql`select count(*)::int as n from agency_status_events where agency_id = ${agencyId} and to_status = ${to}`);
const audits = (action: string) => auditCount(t.database.db, 'agency', agencyId, action);
const smses = () => count(sql`select count(*)::int as n from outbox where recipient = ${MOBILE} and template like 'agency.sms.status_%'`);

/** Twenty `action`s at once by `c`: moved once to `to` (one event, one audit entry, one SMS); the others 409. */
async function moveAtOnce(c: Client, action: string, body: object, to: string, audit: string) {
  const before = { events: await events(to), audits: await audits(audit), sms: await smses() };
  const rs = await burst(N, () => c.post(`/api/v1/agencies/${agencyId}/${action}`, body));
  oneWinner(rs, ['409 agency_status_conflict'], { read: (a: TAgency) => a.status, is: to });
  expect({ events: await events(to), audits: await audits(audit), sms: await smses() }).toEqual({
    events: before.events + 1,
    audits: before.audits + 1,
    sms: before.sms + 1,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  dm = await t.login('dm_bhopal');
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a79 = me.assignments.find((a) => a.officeId === 79);
  expect((await dm.post('/api/v1/auth/switch', { assignmentId: a79!.id })).statusCode).toBe(200);
  fin = await t.login('finance_admin');
  const res = await dm.request({
    method: 'POST',
    url: '/api/v1/agencies',
    ...multipart(
      {
        legalName: 'Race Facility Services',
        type: 'private_company',
        pan: 'AAGCR4375J',
        gstin: '29AAGCR4375J1ZU',
        epfoCode: 'MPBPL0076543000',
        esicCode: '18000765430001001',
        licenceNo: 'CLRA/BPL/2025/0999',
        licenceWorkmen: '250',
        licenceValidTo: '2027-09-30',
        address: '5, Arera Colony, Bhopal 462016',
        districtId: '1',
        contactName: 'Race Contact',
        mobile: MOBILE,
        email: 'race@example.in',
        bankAccount: '30299887799',
        ifsc: 'SBIN0001308',
      },
      DOCS,
    ),
  });
  expect(res.statusCode, res.body).toBe(201);
  agencyId = res.json().agencyId;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe(`${N} identical status moves at once`, () => {
  it('the department rejects the registration, then verifies it: each once', async () => {
    await moveAtOnce(dm, 'reject', { reason: 'Licence copy unreadable' }, 'rejected', 'status_rejected');
    await moveAtOnce(dm, 'verify', { remark: 'Licence copy received' }, 'verified', 'status_verified');
  });

  it(`suspended by the department, blacklisted and reinstated by Finance, ${ROUNDS} rounds: each move once`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const period = { periodFrom: '2026-11-25', periodTo: '2027-02-24' };
      await moveAtOnce(dm, 'suspend', { reason: 'ESI dues', orderRef: `GAD/2026/SUS/${round}`, ...period }, 'suspended', 'status_suspended');
      await moveAtOnce(fin, 'blacklist', { reason: 'Wages unpaid', orderRef: `GAD/2026/BL/${round}`, ...period }, 'blacklisted', 'status_blacklisted');
      await moveAtOnce(fin, 'reinstate', { reason: 'Dues paid' }, 'verified', 'status_reinstated');
    }
  });

  it(`a sign-up sent ${N} times at once (one code), ${ROUNDS} rounds: one agency, one admin; the others 409 already registered`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const mobile = `91234577${String(round).padStart(2, '0')}`;
      const otp = await t.anon.post('/api/v1/agency-signup/otp', { mobile });
      expect(otp.statusCode, otp.body).toBe(202);
      await t.flushOutbox();
      const code = /\b(\d{6})\b/.exec((await t.lastSms(mobile)) ?? '')![1]!;
      const pan = `AAKCR10${round}0Q`;
      const first14 = `23${pan}1Z`;
      const fields = {
        legalName: `Race Signup ${round} Pvt. Ltd.`,
        type: 'private_company',
        pan,
        gstin: first14 + gstinCheckChar(first14),
        epfoCode: 'MPBPL0076543000',
        esicCode: '18000765430001001',
        licenceNo: `CLRA/BPL/2025/09${round}`,
        licenceWorkmen: '250',
        licenceValidTo: '2027-09-30',
        address: '5, Arera Colony, Bhopal 462016',
        districtId: '1',
        contactName: 'Race Signup',
        mobile,
        email: `race${round}@example.in`,
        bankAccount: `3029988770${round}`,
        ifsc: 'SBIN0001308',
        requestId: otp.json().requestId as string,
        otp: code,
        username: `race_signup_${round}`,
        password: 'Narmada flows east 2026',
      };
      const m = multipart(fields, DOCS);
      const rs = await burst(N, () => t.anon.request({ method: 'POST', url: '/api/v1/agency-signup', payload: m.payload, headers: m.headers }));
      oneWinner(rs, ['409 agency_pan_registered', RATE_LIMITED], { status: 201 });
      expect(await count(sql`select count(*)::int as n from agencies where pan = ${pan}`)).toBe(1);
      expect(await count(sql`select count(*)::int as n from users where mobile = ${mobile}`)).toBe(1);
    }
  });
});
