import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { DEMO_HMAC_KEY, DEMO_VAULT_KEY } from '../vault/vault.keys.ts';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

/** A production environment as the deployment guide asks for it. */
const PROD = {
  ROAMS_MODE: 'production',
  DATABASE_URL: 'postgres://roams@db.internal:5432/roams',
  SMS_ADAPTER: 'http',
  SMS_HTTP_URL: 'https://sms-gateway.mp.gov.in/send',
  SMS_HTTP_TOKEN: 'token-from-the-vault',
  EKYC_PROVIDER: 'http',
  EKYC_HTTP_URL: 'https://kua.mp.gov.in/ekyc',
  AADHAAR_VAULT_KEYS: `1:${key(11)},2:${key(12)}`,
  AADHAAR_HMAC_KEY: key(13),
} as const;

describe('production configuration', () => {
  it('production config: a proper production environment is accepted, with Secure cookies and no demo data', () => {
    const c = loadConfig({ ...PROD });
    expect(c.isProduction).toBe(true);
    expect(c.COOKIE_SECURE).toBe(true);
    expect(c.SEED_DEMO).toBe(false);
    expect(c.SMS_ADAPTER).toBe('http');
  });

  it('production config: cookies are Secure even if COOKIE_SECURE=false is set', () => {
    expect(loadConfig({ ...PROD, COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(true);
  });

  it.each([
    ['the demo password', { DEMO_PASSWORD: 'Roams@Demo2026' }, /DEMO_PASSWORD must not be set in production/],
    ['any demo password at all', { DEMO_PASSWORD: 'something-else-entirely' }, /DEMO_PASSWORD/],
    ['demo data', { SEED_DEMO: 'true' }, /SEED_DEMO must be false in production/],
    ['no DATABASE_URL (embedded database)', { DATABASE_URL: undefined }, /DATABASE_URL is required in production/],
    ['the sandbox SMS gateway', { SMS_ADAPTER: 'sandbox' }, /SMS_ADAPTER=sandbox is not allowed in production/],
    ['the default (sandbox) SMS gateway', { SMS_ADAPTER: undefined }, /SMS_ADAPTER=sandbox/],
    ['the default (sandbox) e-KYC provider', { EKYC_PROVIDER: undefined }, /EKYC_PROVIDER=sandbox is not allowed in production/],
    ['an e-KYC gateway without an https URL', { EKYC_HTTP_URL: 'http://kua.mp.gov.in/ekyc' }, /EKYC_HTTP_URL \(https/],
    ['no vault keys', { AADHAAR_VAULT_KEYS: undefined }, /AADHAAR_VAULT_KEYS .*is required in production/],
    ['no lookup-hash key', { AADHAAR_HMAC_KEY: undefined }, /AADHAAR_HMAC_KEY .*is required in production/],
    ['the demo vault key among real ones', { AADHAAR_VAULT_KEYS: `1:${key(11)},2:${DEMO_VAULT_KEY.toString('base64')}` }, /must not contain the demo key/],
    ['the demo lookup-hash key', { AADHAAR_HMAC_KEY: DEMO_HMAC_KEY.toString('base64') }, /AADHAAR_HMAC_KEY must not be the demo key/],
    ['a vault key of 16 bytes (AES-128)', { AADHAAR_VAULT_KEYS: `1:${Buffer.alloc(16, 1).toString('base64')}` }, /must be 32 bytes/],
    ['a vault key list that is not version:key', { AADHAAR_VAULT_KEYS: key(11) }, /entry 1 is not version:base64key/],
    ['a short lookup-hash key', { AADHAAR_HMAC_KEY: Buffer.alloc(8, 1).toString('base64') }, /at least 32 bytes/],
  ] as const)('production config: refuses %s with a clear message', (_what, patch, message) => {
    const env: Record<string, string | undefined> = { ...PROD, ...patch };
    expect(() => loadConfig(env)).toThrow(/^Refusing to start in production mode/);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('production config: lists every problem at once', () => {
    let msg = '';
    try {
      loadConfig({ ROAMS_MODE: 'production', DEMO_PASSWORD: 'x', SEED_DEMO: '1' });
    } catch (e) {
      msg = (e as Error).message;
    }
    for (const k of ['SEED_DEMO', 'DATABASE_URL', 'DEMO_PASSWORD', 'SMS_ADAPTER', 'EKYC_PROVIDER', 'AADHAAR_VAULT_KEYS', 'AADHAAR_HMAC_KEY'])
      expect(msg).toContain(k);
  });

  it('production config: no key material appears in the refusal', () => {
    let msg = '';
    try {
      loadConfig({ ...PROD, AADHAAR_VAULT_KEYS: `1:${key(11)},1:${key(12)}`, AADHAAR_HMAC_KEY: DEMO_HMAC_KEY.toString('base64') });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/lists version 1 twice/);
    for (const secret of [key(11), key(12), DEMO_HMAC_KEY.toString('base64')]) expect(msg).not.toContain(secret);
  });

  it('production config: demo and test modes keep their conveniences', () => {
    expect(loadConfig({}).ROAMS_MODE).toBe('demo');
    expect(loadConfig({}).SEED_DEMO).toBe(true);
    expect(loadConfig({ ROAMS_MODE: 'test' }).SEED_DEMO).toBe(false);
    expect(loadConfig({}).COOKIE_SECURE).toBe(false);
  });

  it('production config: malformed values are refused naming the variable', () => {
    expect(() => loadConfig({ ...PROD, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...PROD, ROAMS_MODE: 'prod' as 'production' })).toThrow(/ROAMS_MODE/);
  });

  it('production config: refuses SMS_ADAPTER=http without an https SMS_HTTP_URL', () => {
    expect(() => loadConfig({ ...PROD, SMS_HTTP_URL: undefined })).toThrow(/SMS_HTTP_URL/);
    expect(() => loadConfig({ ...PROD, SMS_HTTP_URL: 'http://sms.example.in/send' })).toThrow(/SMS_HTTP_URL/);
    expect(() => loadConfig({ ...PROD, SMS_HTTP_URL: 'not a url' })).toThrow(/SMS_HTTP_URL/);
  });
});
