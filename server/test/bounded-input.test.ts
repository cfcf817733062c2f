import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from './harness.ts';

/**
 * Bar A9, issue 11 finding 1: the reproductions that answered 500 — ids above 2^31 − 1, dates
 * in year 0000 / 0001, and a lone surrogate in text that reaches the audit record. Each is now
 * a 400 naming the field, with a message in both languages.
 */
let t: TestApp;
let dm: Client;
let finance: Client;
let auditor: Client;
let officeAdmin: Client;

beforeAll(async () => {
  t = await createTestApp();
  dm = await t.login('dm_bhopal');
  // Two offices: choose one, as the screen asks.
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number }[] };
  await dm.post('/api/v1/auth/switch', { assignmentId: me.assignments[0]!.id });
  officeAdmin = await t.login('officeadmin_state');
  finance = await t.login('finance_admin');
  auditor = await t.login('auditor_state');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function refused(res: { statusCode: number; json: () => unknown; body: string }, field: string, code: string) {
  expect(res.statusCode, res.body).toBe(400);
  const p = res.json() as { code: string; errors: { field: string; code: string; message: string }[] };
  expect(p.code).toBe('validation_failed');
  expect(
    p.errors.map((e) => `${e.field}:${e.code}`),
    res.body,
  ).toContain(`${field}:${code}`);
  return p.errors.find((e) => e.field === field)!;
}

const sanction = { reason: 'Order of the collector', orderRef: 'ORD/1', periodFrom: '2026-05-01', periodTo: '2026-06-30' };

describe('ids above 2^31 − 1', () => {
  it('POST /auth/switch', async () => {
    refused(await dm.post('/api/v1/auth/switch', { assignmentId: 2147483648 }), 'assignmentId', 'too_big');
  });
  it('GET /audit?actorUserId=', async () => {
    refused(await auditor.get('/api/v1/audit?actorUserId=2147483648'), 'actorUserId', 'too_big');
  });
});

describe('dates in year 0000 / 0001', () => {
  it('audit from / to', async () => {
    refused(await auditor.get('/api/v1/audit?from=0000-01-01'), 'from', 'date_out_of_range');
    refused(await auditor.get('/api/v1/audit?to=0001-01-01'), 'to', 'date_out_of_range');
  });
  it('minimum-wage effectiveFrom', async () => {
    const res = await finance.post('/api/v1/rates/minimum-wages', {
      skillLevelId: 1,
      effectiveFrom: '0001-01-01',
      basicPaise: 1_000_000,
      vdaPaise: 0,
      notificationRef: 'F-1',
    });
    refused(res, 'effectiveFrom', 'date_out_of_range');
  });
  it('sanction orderDate', async () => {
    const res = await officeAdmin.put('/api/v1/sanction-orders/1', {
      orderNo: 'X/1',
      orderDate: '0001-01-01',
      issuingOfficerName: 'A',
      issuingOfficerDesignation: 'B',
      remark: '',
    });
    refused(res, 'orderDate', 'date_out_of_range');
  });
  it('agency suspend / blacklist periodFrom', async () => {
    refused(await dm.post('/api/v1/agencies/1/suspend', { ...sanction, periodFrom: '0000-01-01' }), 'periodFrom', 'date_out_of_range');
    refused(await dm.post('/api/v1/agencies/1/blacklist', { ...sanction, periodFrom: '0001-01-01' }), 'periodFrom', 'date_out_of_range');
  });
  it('contract contractDate', async () => {
    const res = await dm.put('/api/v1/contracts/1', { contractNo: 'C-1', contractDate: '0001-01-01', agencyId: 1, procurementMode: 'other' });
    refused(res, 'contractDate', 'date_out_of_range');
  });
  it('says the range in Hindi and English', async () => {
    auditor.cookies.roams_lang = 'hi';
    const hi = await auditor.get('/api/v1/audit?from=0001-01-01');
    auditor.cookies.roams_lang = 'en';
    const en = await auditor.get('/api/v1/audit?from=0001-01-01');
    delete auditor.cookies.roams_lang;
    const mHi = refused(hi, 'from', 'date_out_of_range').message;
    const mEn = refused(en, 'from', 'date_out_of_range').message;
    expect(mEn).toContain('01/01/1900');
    expect(mHi).toContain('01/01/1900');
    expect(mHi).not.toBe(mEn);
  });
  it('still takes an ordinary date', async () => {
    expect((await auditor.get('/api/v1/audit?from=2026-01-01&to=2026-12-31')).statusCode).toBe(200);
  });
});

describe('a lone surrogate, control characters and bidi overrides in text', () => {
  const bad = ['\ud800', 'a\udfffb', 'x\u202ey', 'bell\u0007', 'esc\u001b[31m'];
  it('agency verify / reject / suspend / blacklist / reinstate', async () => {
    for (const v of bad) {
      refused(await dm.post('/api/v1/agencies/1/verify', { remark: v }), 'remark', 'text_invalid_chars');
      refused(await dm.post('/api/v1/agencies/1/reject', { reason: v }), 'reason', 'text_invalid_chars');
      refused(await dm.post('/api/v1/agencies/1/suspend', { ...sanction, reason: v }), 'reason', 'text_invalid_chars');
      refused(await dm.post('/api/v1/agencies/1/blacklist', { ...sanction, reason: v }), 'reason', 'text_invalid_chars');
      refused(await dm.post('/api/v1/agencies/1/reinstate', { reason: v }), 'reason', 'text_invalid_chars');
    }
  });
  it('contract version remark and minimum-wage notificationRef', async () => {
    const terms = {
      kind: 'extension',
      startDate: '2026-05-01',
      endDate: '2027-04-30',
      ddoCodeId: 1,
      budgetLineIds: [1],
      paymentMode: 'through_agency',
      wageBasis: 'monthly',
      serviceChargeBp: 0,
      epfMode: 'none',
      esicApplies: false,
      bonusBp: 0,
      remark: '\ud800',
      posts: [{ officeId: 1, skillLevelId: 1, postNameId: 1, positions: 1, basicPaise: 1, vdaPaise: 0 }],
    };
    refused(await dm.post('/api/v1/contracts/1/versions', terms), 'remark', 'text_invalid_chars');
    const mw = await finance.post('/api/v1/rates/minimum-wages', {
      skillLevelId: 1,
      effectiveFrom: '2026-05-01',
      basicPaise: 1_000_000,
      vdaPaise: 0,
      notificationRef: '\ud800',
    });
    refused(mw, 'notificationRef', 'text_invalid_chars');
  });
  it('keeps newlines and tabs in multi-line text, Devanagari and emoji everywhere', async () => {
    const res = await dm.post('/api/v1/agencies/1/verify', { remark: 'पहली पंक्ति\n\tदूसरी 👍' });
    expect(res.statusCode).not.toBe(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});
