import type { DbOrTx } from '../../db/client.ts';

/**
 * The Aadhaar vault, the Aadhaar number checks and the e-KYC adapter, as res-vault provides
 * them (shared/domain/aadhaar.ts, server/platform/vault/index.ts, server/platform/adapters/ekyc.ts).
 * TEMPORARY: loaded at call time until that branch is merged here; then these become static
 * re-exports and this indirection goes.
 */
export type VaultEntry = { refKey: string; last4: string; hash: string };
export type EkycResult = { name: string; dob: string; gender: 'M' | 'F' | 'T'; address: string; photo: Buffer | null; refId: string };
export type EkycAdapter = {
  startOtp(aadhaar: string, consentId: string): Promise<{ txnId: string; maskedMobile: string }>;
  verifyOtp(txnId: string, aadhaar: string, otp: string): Promise<EkycResult>;
};
type AadhaarModule = {
  aadhaarProblem(raw: string): 'aadhaar_format' | 'aadhaar_first_digit' | 'aadhaar_checksum' | null;
  normaliseAadhaar(raw: string): string;
};
type VaultModule = { vaultPut(tx: DbOrTx, aadhaar: string): Promise<VaultEntry>; vaultGet(tx: DbOrTx, refKey: string): Promise<string> };
type EkycModule = {
  ekycAdapterFor(db: DbOrTx, opts?: { now?: () => Date }): EkycAdapter;
  EkycError: new (...a: never[]) => Error & { code: string; retryable: boolean };
};

const paths = { aadhaar: '../../../shared/domain/aadhaar.ts', vault: '../../platform/vault/index.ts', ekyc: '../../platform/adapters/ekyc.ts' };
const load = <T>(p: string): Promise<T> => import(/* @vite-ignore */ p) as Promise<T>;

export async function aadhaarChecks(): Promise<AadhaarModule> {
  return load<AadhaarModule>(paths.aadhaar);
}
export async function vault(): Promise<VaultModule> {
  return load<VaultModule>(paths.vault);
}
export async function ekyc(): Promise<EkycModule> {
  return load<EkycModule>(paths.ekyc);
}
