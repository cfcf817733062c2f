import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aadhaarProblem, verhoeffDigit } from '../../../shared/domain/aadhaar.ts';
import type { Database } from '../../db/client.ts';
import { fakeClock, openTestDatabase } from '../../test/harness.ts';
import { EKYC_RETRYABLE, type EkycAdapter, ekycAdapterFor, EkycError, type EkycErrorCode, SANDBOX_RESIDENTS } from './ekyc.ts';

let database: Database & { drop: () => Promise<void> };
const clock = fakeClock();
let ekyc: EkycAdapter;
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
  ekyc = ekycAdapterFor(database.db, { now: clock.now });
});
afterAll(async () => {
  await database?.drop();
});
afterEach(() => {
  delete process.env.SANDBOX_EKYC_DOWN;
});

const resident = (pred: (r: (typeof SANDBOX_RESIDENTS)[number]) => boolean, skip = 0) => SANDBOX_RESIDENTS.filter(pred)[skip]!;
const active = (i: number) => resident((r) => r.status === 'active' && r.mobile !== null && !r.serviceDown, i);
const MIN = 60_000;

async function otpSentTo(mobile: string): Promise<string> {
  const r = await database.db.execute<{ body: string }>(sql`select body from sandbox_messages where recipient = ${mobile} order by id desc limit 1`);
  const m = r.rows[0]?.body.match(/([0-9]{6}) is the OTP/);
  if (!m) throw new Error(`no OTP SMS to ${mobile}`);
  return m[1]!;
}
async function counts(): Promise<{ sms: number; txns: number }> {
  const r = await database.db.execute<{ sms: number; txns: number }>(
    sql`select (select count(*)::int from sandbox_messages) as sms, (select count(*)::int from ekyc_sandbox_txns) as txns`,
  );
  return r.rows[0]!;
}
async function refusal(p: Promise<unknown>): Promise<EkycError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EkycError);
  return e as EkycError;
}
async function expectRefused(p: Promise<unknown>, code: EkycErrorCode, retryable: boolean) {
  const e = await refusal(p);
  expect(e.code).toBe(code);
  expect(e.retryable).toBe(retryable);
  expect(e.message).toBe(code);
}

describe('the sandbox residents', () => {
  it('are about twenty synthetic, Verhoeff-valid, distinct numbers with Hindi and English names and every awkward case', () => {
    expect(SANDBOX_RESIDENTS.length).toBeGreaterThanOrEqual(18);
    for (const r of SANDBOX_RESIDENTS) {
      expect(aadhaarProblem(r.aadhaar), r.name).toBeNull();
      expect(r.aadhaar.startsWith('9999'), r.name).toBe(true);
      expect(r.nameHi, r.name).toMatch(/[\u0900-\u097F]/);
      expect(r.dob, r.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (r.mobile) expect(r.mobile).toMatch(/^[6-9][0-9]{9}$/);
    }
    expect(new Set(SANDBOX_RESIDENTS.map((r) => r.aadhaar)).size).toBe(SANDBOX_RESIDENTS.length);
    expect(new Set(SANDBOX_RESIDENTS.map((r) => r.aadhaar.slice(-4))).size).toBe(SANDBOX_RESIDENTS.length);
    expect(SANDBOX_RESIDENTS.filter((r) => r.mobile === null).length).toBeGreaterThanOrEqual(2);
    expect(SANDBOX_RESIDENTS.filter((r) => r.status === 'cancelled')).toHaveLength(1);
    expect(SANDBOX_RESIDENTS.filter((r) => r.status === 'locked')).toHaveLength(1);
    expect(SANDBOX_RESIDENTS.filter((r) => r.serviceDown)).toHaveLength(1);
    expect(new Set(SANDBOX_RESIDENTS.map((r) => r.gender))).toEqual(new Set(['M', 'F', 'T']));
  });
});

describe('the sandbox OTP e-KYC', () => {
  it('sends a bilingual OTP SMS to the linked mobile and returns the KYC data for the right OTP, once', async () => {
    const r = active(0);
    const start = await ekyc.startOtp(`${r.aadhaar.slice(0, 4)} ${r.aadhaar.slice(4, 8)} ${r.aadhaar.slice(8)}`, 'consent-1');
    expect(start.txnId).toMatch(/^SBX-/);
    expect(start.maskedMobile).toBe(`XXXXXX${r.mobile!.slice(-4)}`);
    const sms = (await database.db.execute<{ body: string }>(sql`select body from sandbox_messages where recipient = ${r.mobile} order by id desc limit 1`))
      .rows[0]!.body;
    expect(sms).toMatch(/OTP/);
    expect(sms).toMatch(/आधार/);
    expect(sms).toContain(`XXXX XXXX ${r.aadhaar.slice(-4)}`);
    expect(sms).not.toContain(r.aadhaar);
    const otp = await otpSentTo(r.mobile!);
    const kyc = await ekyc.verifyOtp(start.txnId, r.aadhaar, otp);
    expect(kyc).toMatchObject({ name: r.name, nameHi: r.nameHi, dob: r.dob, gender: r.gender, address: r.address });
    expect(kyc.refId).toMatch(/^SBX-KYC-/);
    expect(kyc.photo?.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The provider's table keeps neither the number nor the OTP in clear.
    const raw = JSON.stringify((await database.db.execute(sql`select * from ekyc_sandbox_txns`)).rows);
    expect(raw).not.toContain(r.aadhaar);
    expect(raw).not.toContain(otp);
    // An OTP works once.
    await expectRefused(ekyc.verifyOtp(start.txnId, r.aadhaar, otp), 'ekyc_otp_expired', true);
  });

  it('accepts the OTP until 10 minutes have passed, then answers ekyc_otp_expired', async () => {
    const r = active(1);
    const a = await ekyc.startOtp(r.aadhaar, 'consent-2');
    const otpA = await otpSentTo(r.mobile!);
    clock.advance(10 * MIN - 1000);
    await expect(ekyc.verifyOtp(a.txnId, r.aadhaar, otpA)).resolves.toMatchObject({ name: r.name });
    const b = await ekyc.startOtp(r.aadhaar, 'consent-2');
    const otpB = await otpSentTo(r.mobile!);
    clock.advance(10 * MIN);
    await expectRefused(ekyc.verifyOtp(b.txnId, r.aadhaar, otpB), 'ekyc_otp_expired', true);
  });

  it('ends the transaction after 3 wrong OTPs (ekyc_invalid_otp twice, then ekyc_attempts_exceeded), even for the right OTP after', async () => {
    const r = active(2);
    const s = await ekyc.startOtp(r.aadhaar, 'consent-3');
    const otp = await otpSentTo(r.mobile!);
    const wrong = String((Number(otp) + 1) % 1_000_000).padStart(6, '0');
    await expectRefused(ekyc.verifyOtp(s.txnId, r.aadhaar, wrong), 'ekyc_invalid_otp', true);
    await expectRefused(ekyc.verifyOtp(s.txnId, r.aadhaar, 'abcdef'), 'ekyc_invalid_otp', true);
    await expectRefused(ekyc.verifyOtp(s.txnId, r.aadhaar, wrong), 'ekyc_attempts_exceeded', true);
    await expectRefused(ekyc.verifyOtp(s.txnId, r.aadhaar, otp), 'ekyc_attempts_exceeded', true);
  });

  it('lets the right OTP through after one or two wrong ones', async () => {
    const r = active(3);
    const s = await ekyc.startOtp(r.aadhaar, 'consent-4');
    const otp = await otpSentTo(r.mobile!);
    await expectRefused(ekyc.verifyOtp(s.txnId, r.aadhaar, '000000' === otp ? '111111' : '000000'), 'ekyc_invalid_otp', true);
    await expect(ekyc.verifyOtp(s.txnId, r.aadhaar, otp)).resolves.toMatchObject({ dob: r.dob });
  });

  it('allows 3 OTP requests per number in 30 minutes; a new one supersedes the earlier OTP; the window then reopens', async () => {
    const r = active(4);
    const first = await ekyc.startOtp(r.aadhaar, 'consent-5');
    const firstOtp = await otpSentTo(r.mobile!);
    clock.advance(MIN);
    await ekyc.startOtp(r.aadhaar, 'consent-5');
    clock.advance(MIN);
    const third = await ekyc.startOtp(r.aadhaar, 'consent-5');
    const thirdOtp = await otpSentTo(r.mobile!);
    const before = await counts();
    await expectRefused(ekyc.startOtp(r.aadhaar, 'consent-5'), 'ekyc_resend_limit', true);
    expect(await counts()).toEqual(before);
    await expectRefused(ekyc.verifyOtp(first.txnId, r.aadhaar, firstOtp), 'ekyc_otp_expired', true);
    const resends = await database.db.execute<{ resends: number }>(
      sql`select resends from ekyc_sandbox_txns where consent_id = 'consent-5' order by created_at`,
    );
    expect(resends.rows.map((x) => x.resends)).toEqual([0, 1, 2]);
    // 30 minutes after the first request, one more is allowed.
    clock.advance(28 * MIN + 1000);
    await expect(ekyc.startOtp(r.aadhaar, 'consent-5')).resolves.toMatchObject({ maskedMobile: `XXXXXX${r.mobile!.slice(-4)}` });
    await expectRefused(ekyc.verifyOtp(third.txnId, r.aadhaar, thirdOtp), 'ekyc_otp_expired', true);
  });

  it('answers ekyc_txn_mismatch for a transaction id used with another number, or one it never issued', async () => {
    const [a, b] = [active(5), active(6)];
    const s = await ekyc.startOtp(a.aadhaar, 'consent-6');
    const otp = await otpSentTo(a.mobile!);
    await expectRefused(ekyc.verifyOtp(s.txnId, b.aadhaar, otp), 'ekyc_txn_mismatch', true);
    await expectRefused(ekyc.verifyOtp('SBX-00000000-0000-4000-8000-000000000000', a.aadhaar, otp), 'ekyc_txn_mismatch', true);
    // The mismatch did not use up the transaction.
    await expect(ekyc.verifyOtp(s.txnId, a.aadhaar, otp)).resolves.toMatchObject({ name: a.name });
  });

  it('refuses before any OTP, sending nothing: not found, cancelled, locked, no linked mobile, service down', async () => {
    const before = await counts();
    const unknown = `23456789012${verhoeffDigit('23456789012')}`;
    await expectRefused(ekyc.startOtp(unknown, 'c'), 'ekyc_not_found', false);
    await expectRefused(ekyc.startOtp('123', 'c'), 'ekyc_not_found', false);
    await expectRefused(ekyc.startOtp(resident((r) => r.status === 'cancelled').aadhaar, 'c'), 'ekyc_aadhaar_cancelled', false);
    await expectRefused(ekyc.startOtp(resident((r) => r.status === 'locked').aadhaar, 'c'), 'ekyc_aadhaar_locked', true);
    await expectRefused(ekyc.startOtp(resident((r) => r.mobile === null).aadhaar, 'c'), 'ekyc_no_mobile', false);
    await expectRefused(ekyc.startOtp(resident((r) => r.serviceDown === true).aadhaar, 'c'), 'ekyc_service_down', true);
    expect(await counts()).toEqual(before);
  });

  it('answers ekyc_service_down for every call while SANDBOX_EKYC_DOWN=1, and works again after', async () => {
    const r = active(7);
    const s = await ekyc.startOtp(r.aadhaar, 'consent-8');
    const otp = await otpSentTo(r.mobile!);
    process.env.SANDBOX_EKYC_DOWN = '1';
    await expectRefused(ekyc.startOtp(r.aadhaar, 'consent-8'), 'ekyc_service_down', true);
    await expectRefused(ekyc.verifyOtp(s.txnId, r.aadhaar, otp), 'ekyc_service_down', true);
    delete process.env.SANDBOX_EKYC_DOWN;
    await expect(ekyc.verifyOtp(s.txnId, r.aadhaar, otp)).resolves.toMatchObject({ name: r.name });
  });

  it('counts concurrent requests for one number exactly: of six at once, three get an OTP', async () => {
    const r = active(8);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => ekyc.startOtp(r.aadhaar, 'consent-9')));
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(3);
    for (const x of results) if (x.status === 'rejected') expect((x.reason as EkycError).code).toBe('ekyc_resend_limit');
  });

  it('never puts a number into an error: every code is its own message', () => {
    for (const [code, retryable] of Object.entries(EKYC_RETRYABLE)) {
      const e = new EkycError(code as EkycErrorCode);
      expect(e.message).toBe(code);
      expect(e.retryable).toBe(retryable);
    }
  });
});

describe('choosing the provider', () => {
  it('EKYC_PROVIDER=http is the gateway stub: ekyc_service_down until wired', async () => {
    const http = ekycAdapterFor(database.db, { env: { EKYC_PROVIDER: 'http', EKYC_HTTP_URL: 'https://kua.example.in' } });
    await expectRefused(http.startOtp(active(0).aadhaar, 'c'), 'ekyc_service_down', true);
    await expectRefused(http.verifyOtp('x', active(0).aadhaar, '123456'), 'ekyc_service_down', true);
  });
  it('production never gets the sandbox', () => {
    expect(() => ekycAdapterFor(database.db, { env: { ROAMS_MODE: 'production' } })).toThrow(/not allowed in production/);
  });
});
