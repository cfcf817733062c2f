import { verhoeffDigit } from '../../shared/domain/aadhaar.ts';

/** Test keys and numbers for the vault:reencrypt tests (vault-reencrypt.test.ts, vault-reencrypt.pg.test.ts). */

/** A 32-byte key of one repeated byte, base64 (a vault key version or the HMAC key). */
export const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const HMAC = key(77);
/** The environment that lists vault keys (`version:key,…`), with the same HMAC key throughout. */
export const keysEnv = (list: string) => ({ AADHAAR_VAULT_KEYS: list, AADHAAR_HMAC_KEY: HMAC });
/** The n-th synthetic Aadhaar-shaped test number (prefix 7654, a valid Verhoeff check digit). */
export const synthetic = (n: number) => {
  const body = `7654${String(n).padStart(7, '0')}`;
  return body + verhoeffDigit(body);
};
