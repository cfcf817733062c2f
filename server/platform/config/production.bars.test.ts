import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';

/** A production environment as the deployment guide asks for it. */
const PROD = {
  ROAMS_MODE: 'production',
  DATABASE_URL: 'postgres://roams@db.internal:5432/roams',
  SMS_ADAPTER: 'http',
  SMS_HTTP_URL: 'https://sms-gateway.mp.gov.in/send',
  SMS_HTTP_TOKEN: 'token-from-the-vault',
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
    for (const k of ['SEED_DEMO', 'DATABASE_URL', 'DEMO_PASSWORD', 'SMS_ADAPTER']) expect(msg).toContain(k);
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
