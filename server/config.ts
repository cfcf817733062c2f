import { isIP } from 'node:net';
import { z } from 'zod';
import { vaultKeyProblems } from './platform/vault/vault.keys.ts';

/**
 * Every setting comes from the environment, parsed once here. The README documents each one in
 * a single table; keep the two in step. Defaults suit the embedded demo; `ROAMS_MODE=production`
 * refuses to start with demo secrets or demo data (see `assertProductionSafe`).
 */
const ZBool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const ZConfig = z.object({
  ROAMS_MODE: z.enum(['demo', 'production', 'test']).default('demo'),
  /** Where to listen; unset = 127.0.0.1 in demo mode (a demo is not a service), 0.0.0.0 otherwise. */
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Absent: the embedded PostgreSQL (PGlite) with its data in DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  /** Pool size for a PostgreSQL server; the embedded database always uses exactly one. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Load the demo dataset on first start (only allowed in demo/test mode). */
  SEED_DEMO: ZBool,
  /** Password every demo user starts with; never used in production. */
  DEMO_PASSWORD: z.string().default('Roams@Demo2026'),
  /** `Secure` flag on cookies; forced on in production. */
  COOKIE_SECURE: ZBool,
  /** Comma-separated origins allowed by CORS (none by default: the web app is same-origin). */
  CORS_ORIGINS: z.string().default(''),
  SMS_ADAPTER: z.enum(['sandbox', 'http']).default('sandbox'),
  SMS_HTTP_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMS_HTTP_TOKEN: z.string().optional(),
  EMAIL_ADAPTER: z.enum(['sandbox', 'smtp']).default('sandbox'),
  /** Aadhaar e-KYC provider: the sandbox (synthetic residents, OTP to the developer outbox) or an AUA/KUA gateway. */
  EKYC_PROVIDER: z.enum(['sandbox', 'http']).default('sandbox'),
  EKYC_HTTP_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Aadhaar Data Vault keys (server/platform/vault/vault.keys.ts): `version:base64key,…` (32-byte
   * AES-256 keys; the highest version encrypts) and the lookup-hash key (base64, ≥ 32 bytes).
   * Unset in demo / test mode: public demo keys. Required, and never the demo ones, in production.
   * Read by the vault itself; here only checked.
   */
  AADHAAR_VAULT_KEYS: z.string().optional(),
  AADHAAR_HMAC_KEY: z.string().optional(),
  /** Directory for uploaded documents (local adapter). */
  FILES_DIR: z.string().default('./data/files'),
  /** Unset: `warn` in demo mode (request lines at `info` bury the start banner's URL and logins), `info` otherwise. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Serve the built web app from this directory. */
  WEB_DIST: z.string().default('./dist/web'),
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed: comma-separated addresses or CIDRs
   * (`127.0.0.1,10.0.0.0/8`). Empty: none, the client address is the socket's. `true` / `1`
   * mean loopback only (nginx on the same host) — never "any sender", which would let a client
   * choose its own address and dodge login throttling (issue 11 finding 2).
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const raw = (v ?? '').trim();
      if (raw === '' || raw === 'false' || raw === '0') return [] as string[];
      if (raw === 'true' || raw === '1') return ['127.0.0.1', '::1'];
      const list = raw
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      for (const item of list) {
        const [addr, bits, extra] = item.split('/');
        const family = isIP(addr ?? '');
        const max = family === 6 ? 128 : 32;
        const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
        if (family === 0 || !bitsOk || extra !== undefined) ctx.addIssue({ code: 'custom', message: `not an IP address or CIDR: ${item}` });
      }
      return list;
    }),
});

export type TConfig = Omit<z.infer<typeof ZConfig>, 'HOST' | 'LOG_LEVEL'> & { HOST: string; LOG_LEVEL: TLogLevel; isProduction: boolean };
export type TLogLevel = NonNullable<z.infer<typeof ZConfig>['LOG_LEVEL']>;

/**
 * A configuration the server refuses to start with. Its message is for the operator, one reason
 * a line; `main.ts` prints it as it is (no stack trace: nothing went wrong in the code) and exits 1.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): TConfig {
  const parsed = ZConfig.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isProduction = c.ROAMS_MODE === 'production';
  const config: TConfig = {
    ...c,
    HOST: c.HOST ?? (c.ROAMS_MODE === 'demo' ? '127.0.0.1' : '0.0.0.0'),
    LOG_LEVEL: c.LOG_LEVEL ?? (c.ROAMS_MODE === 'demo' ? 'warn' : 'info'),
    SEED_DEMO: env.SEED_DEMO === undefined ? c.ROAMS_MODE === 'demo' : c.SEED_DEMO,
    COOKIE_SECURE: isProduction || c.COOKIE_SECURE,
    isProduction,
  };
  assertProductionSafe(config, env);
  return config;
}

/** Production refuses demo secrets, demo data and sandbox adapters. */
export function assertProductionSafe(c: TConfig, env: Record<string, string | undefined>): void {
  if (!c.isProduction) return;
  const problems: string[] = [];
  if (c.SEED_DEMO) problems.push('SEED_DEMO must be false in production');
  if (!c.DATABASE_URL) problems.push('DATABASE_URL is required in production (no embedded database)');
  if (env.DEMO_PASSWORD !== undefined) problems.push('DEMO_PASSWORD must not be set in production');
  if (c.SMS_ADAPTER === 'sandbox') problems.push('SMS_ADAPTER=sandbox is not allowed in production');
  if (c.SMS_ADAPTER === 'http' && c.SMS_HTTP_URL?.startsWith('https://') !== true) problems.push('SMS_HTTP_URL (https://…) is required when SMS_ADAPTER=http');
  if (c.EKYC_PROVIDER === 'sandbox') problems.push('EKYC_PROVIDER=sandbox is not allowed in production (the sandbox answers for synthetic residents only)');
  if (c.EKYC_PROVIDER === 'http' && c.EKYC_HTTP_URL?.startsWith('https://') !== true)
    problems.push('EKYC_HTTP_URL (https://…) is required when EKYC_PROVIDER=http');
  problems.push(...vaultKeyProblems(env));
  if (problems.length > 0) throw new ConfigError(`Refusing to start in production mode:\n  ${problems.join('\n  ')}`);
}
