import type { DbOrTx } from '../../db/client.ts';

/**
 * The e-KYC adapter as res-vault provides it (server/platform/adapters/ekyc.ts: ekycAdapterFor,
 * EkycError, SANDBOX_RESIDENTS). TEMPORARY: loaded at call time until that part of the branch
 * is merged here; then this becomes a static import and the indirection goes.
 */
export type EkycResult = { name: string; dob: string; gender: 'M' | 'F' | 'T'; address: string; photo: Buffer | null; refId: string };
export type EkycAdapter = {
  startOtp(aadhaar: string, consentId: string): Promise<{ txnId: string; maskedMobile: string }>;
  verifyOtp(txnId: string, aadhaar: string, otp: string): Promise<EkycResult>;
};
type EkycModule = {
  ekycAdapterFor(db: DbOrTx, opts?: { now?: () => Date }): EkycAdapter;
  EkycError: new (...a: never[]) => Error & { code: string; retryable: boolean };
};

const paths = { ekyc: '../../platform/adapters/ekyc.ts' };
const load = <T>(p: string): Promise<T> => import(/* @vite-ignore */ p) as Promise<T>;

export async function ekyc(): Promise<EkycModule> {
  return load<EkycModule>(paths.ekyc);
}
