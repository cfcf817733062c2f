import { createHash } from 'node:crypto';

/**
 * The Aadhaar Data Vault's keys (spec 04, issue 14 item 3). They come from the environment and
 * never from the database or the repository:
 *  - `AADHAAR_VAULT_KEYS` = `version:base64key[,version:base64key…]`, each key 32 bytes
 *    (AES-256). The highest version encrypts; every listed version decrypts, so a key is rotated
 *    by adding a higher version, restarting, and running `npm run vault:reencrypt`; the old
 *    version may be dropped from the list once no row uses it.
 *  - `AADHAAR_HMAC_KEY` = base64, at least 32 bytes: the key of the lookup hash (HMAC-SHA256).
 *    It cannot be rotated by re-encryption (the hash is the duplicate check's index), so pick it once.
 * Demo and test mode without these variables use the DEMO keys below, derived in code from a
 * public phrase: they protect nothing and production refuses them (config.ts).
 */
export type VaultKeyring = {
  /** Key version → 32-byte AES key. */
  keys: ReadonlyMap<number, Buffer>;
  /** The version new ciphertexts are written with: the highest listed. */
  current: number;
  hmacKey: Buffer;
  /** True when these are the in-code demo keys. */
  demo: boolean;
};

/** DEMO ONLY — derived from a public phrase; anyone can recompute it. Never used in production. */
export const DEMO_VAULT_KEY = createHash('sha256').update('ROAMS DEMO ONLY aadhaar-vault AES-256 key; public, protects nothing').digest();
/** DEMO ONLY — the lookup-hash key of demo and test mode. */
export const DEMO_HMAC_KEY = createHash('sha256').update('ROAMS DEMO ONLY aadhaar-vault HMAC key; public, protects nothing').digest();
export const DEMO_KEY_VERSION = 1;

export class VaultKeyError extends Error {
  override name = 'VaultKeyError';
}

/** Parses `version:base64key,…`; throws a VaultKeyError naming the entry (never the key) on any defect. */
export function parseVaultKeys(raw: string): Map<number, Buffer> {
  const keys = new Map<number, Buffer>();
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new VaultKeyError('AADHAAR_VAULT_KEYS is empty');
  for (const [i, entry] of entries.entries()) {
    const m = entry.match(/^([0-9]{1,6}):([A-Za-z0-9+/]+={0,2})$/);
    if (!m) throw new VaultKeyError(`AADHAAR_VAULT_KEYS entry ${i + 1} is not version:base64key`);
    const version = Number(m[1]);
    const key = Buffer.from(m[2]!, 'base64');
    if (version < 1) throw new VaultKeyError(`AADHAAR_VAULT_KEYS entry ${i + 1}: the version must be 1 or more`);
    if (key.length !== 32) throw new VaultKeyError(`AADHAAR_VAULT_KEYS version ${version}: the key must be 32 bytes (AES-256), it is ${key.length}`);
    if (keys.has(version)) throw new VaultKeyError(`AADHAAR_VAULT_KEYS lists version ${version} twice`);
    keys.set(version, key);
  }
  return keys;
}

export function parseHmacKey(raw: string): Buffer {
  const v = raw.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) throw new VaultKeyError('AADHAAR_HMAC_KEY is not base64');
  const key = Buffer.from(v, 'base64');
  if (key.length < 32) throw new VaultKeyError(`AADHAAR_HMAC_KEY must be at least 32 bytes, it is ${key.length}`);
  return key;
}

/**
 * Why this environment cannot run the vault in production: missing, malformed or demo keys. One
 * reason a line, for config.ts's production check. Empty: fine.
 */
export function vaultKeyProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!env.AADHAAR_VAULT_KEYS) problems.push('AADHAAR_VAULT_KEYS (version:base64key of 32 bytes) is required in production');
  else {
    try {
      const keys = parseVaultKeys(env.AADHAAR_VAULT_KEYS);
      if ([...keys.values()].some((k) => k.equals(DEMO_VAULT_KEY))) problems.push('AADHAAR_VAULT_KEYS must not contain the demo key in production');
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (!env.AADHAAR_HMAC_KEY) problems.push('AADHAAR_HMAC_KEY (base64, at least 32 bytes) is required in production');
  else {
    try {
      if (parseHmacKey(env.AADHAAR_HMAC_KEY).equals(DEMO_HMAC_KEY)) problems.push('AADHAAR_HMAC_KEY must not be the demo key in production');
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return problems;
}

/**
 * The keyring of this environment. Keys given → those keys (in any mode). None given → the demo
 * keys, except in production, which throws (config.ts refuses to start first; this is the
 * second lock, for a tool that skips loadConfig).
 */
export function keyringFromEnv(env: Record<string, string | undefined>): VaultKeyring {
  const production = env.ROAMS_MODE === 'production';
  if (production) {
    const problems = vaultKeyProblems(env);
    if (problems.length > 0) throw new VaultKeyError(problems.join('; '));
  }
  if (!env.AADHAAR_VAULT_KEYS && !env.AADHAAR_HMAC_KEY) {
    return { keys: new Map([[DEMO_KEY_VERSION, DEMO_VAULT_KEY]]), current: DEMO_KEY_VERSION, hmacKey: DEMO_HMAC_KEY, demo: true };
  }
  if (!env.AADHAAR_VAULT_KEYS || !env.AADHAAR_HMAC_KEY) throw new VaultKeyError('set both AADHAAR_VAULT_KEYS and AADHAAR_HMAC_KEY, or neither (demo keys)');
  const keys = parseVaultKeys(env.AADHAAR_VAULT_KEYS);
  return { keys, current: Math.max(...keys.keys()), hmacKey: parseHmacKey(env.AADHAAR_HMAC_KEY), demo: false };
}

let active: VaultKeyring | undefined;

/** The keyring in use: read from process.env on first use. */
export function vaultKeyring(): VaultKeyring {
  active ??= keyringFromEnv(process.env);
  return active;
}

/** Replace the keyring (tests, the re-encryption command); `undefined` re-reads process.env on next use. */
export function useVaultKeyring(k: VaultKeyring | undefined): void {
  active = k;
}
