/**
 * Aadhaar e-KYC seam (spec 04, issue 14 item 2). An `EkycAdapter` stands for UIDAI's OTP e-KYC
 * service as reached through an AUA/KUA: `startOtp` asks UIDAI to send a one-time password to
 * the resident's Aadhaar-linked mobile and returns the transaction id; `verifyOtp` sends the OTP
 * back with the same transaction id and number and gets the KYC data (name, date of birth,
 * gender, address, photo). Every failure is an `EkycError` with a stable code — a key in
 * shared/locales/{en,hi}/errors.json — and a `retryable` flag: true when the same person may
 * succeed by trying again (a new OTP, later, after unlocking), false when e-KYC cannot succeed for
 * this number (not found, cancelled, no linked mobile → the department's alternative verification).
 *
 * The provider keeps its own state (attempts, expiry, resend counts), as UIDAI does: pass the
 * database handle, not a transaction you may roll back — or a wrong OTP would not be counted.
 *
 * Chosen by `EKYC_PROVIDER` (config.ts): `sandbox` (default; demo and tests; refused in
 * production) or `http` (the AUA/KUA gateway; a stub until it is wired — see `httpEkyc`).
 */
import type { DbOrTx } from '../../db/client.ts';
import { sandboxEkyc } from './ekyc.sandbox.ts';

export type EkycStartResult = { txnId: string; maskedMobile: string };
export type EkycResult = {
  /** The name as in Aadhaar (English). */
  name: string;
  /** The name as in Aadhaar in Hindi (the sandbox always has one; a real response may not). */
  nameHi: string | null;
  /** yyyy-mm-dd */
  dob: string;
  gender: 'M' | 'F' | 'T';
  address: string;
  /** The photo in the KYC response (PNG / JPEG bytes), or null. */
  photo: Buffer | null;
  /** The provider's reference for this e-KYC (store it as the proof of verification). */
  refId: string;
};
export type EkycAdapter = {
  /** Also the resend: call again for the same number (the earlier OTP stops working). */
  startOtp(aadhaar: string, consentId: string): Promise<EkycStartResult>;
  verifyOtp(txnId: string, aadhaar: string, otp: string): Promise<EkycResult>;
};

export type EkycErrorCode =
  | 'ekyc_invalid_otp'
  | 'ekyc_txn_mismatch'
  | 'ekyc_otp_expired'
  | 'ekyc_resend_limit'
  | 'ekyc_attempts_exceeded'
  | 'ekyc_no_mobile'
  | 'ekyc_aadhaar_cancelled'
  | 'ekyc_aadhaar_locked'
  | 'ekyc_not_found'
  | 'ekyc_service_down';

/** Whether a code is worth retrying for the same person (see the file comment). */
export const EKYC_RETRYABLE: Readonly<Record<EkycErrorCode, boolean>> = {
  ekyc_invalid_otp: true,
  ekyc_txn_mismatch: true,
  ekyc_otp_expired: true,
  ekyc_resend_limit: true,
  ekyc_attempts_exceeded: true,
  ekyc_no_mobile: false,
  ekyc_aadhaar_cancelled: false,
  ekyc_aadhaar_locked: true,
  ekyc_not_found: false,
  ekyc_service_down: true,
};

/** A refusal by the e-KYC provider. The message is the code: never the number, never the OTP. */
export class EkycError extends Error {
  override name = 'EkycError';
  constructor(
    readonly code: EkycErrorCode,
    readonly retryable: boolean = EKYC_RETRYABLE[code],
  ) {
    super(code);
  }
}

/**
 * The production adapter: an AUA/KUA gateway at `url`. A documented stub — every call answers
 * `ekyc_service_down` (retryable) until the gateway is wired: the KUA's licence key and
 * certificate, the encrypted PID block with the OTP, the signed request XML and the decryption of
 * the KYC response are the AUA's contract, not something to guess. Until then the department's
 * alternative verification (spec 04) is the way through.
 */
export function httpEkyc(_url: string | undefined): EkycAdapter {
  return {
    async startOtp() {
      throw new EkycError('ekyc_service_down');
    },
    async verifyOtp() {
      throw new EkycError('ekyc_service_down');
    },
  };
}

/**
 * The adapter of this environment: the sandbox unless `EKYC_PROVIDER=http`. `now` is the clock
 * (tests pass a fake one for expiry and limits).
 */
export function ekycAdapterFor(db: DbOrTx, opts: { now?: () => Date; env?: Record<string, string | undefined> } = {}): EkycAdapter {
  const env = opts.env ?? process.env;
  if (env.EKYC_PROVIDER === 'http') return httpEkyc(env.EKYC_HTTP_URL);
  // config.ts refuses this combination at start; this is the second lock for tools that skip it.
  if (env.ROAMS_MODE === 'production') throw new Error('EKYC_PROVIDER=sandbox is not allowed in production');
  return sandboxEkyc(db, { now: opts.now ?? (() => new Date()), env });
}

export { SANDBOX_RESIDENTS, type SandboxResident } from './ekyc.sandbox.ts';
