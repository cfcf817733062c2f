import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11, finding 8: `ROAMS_MODE=production` with a refused configuration prints its reasons
 * as plain lines and exits 1 — no uncaught error, no stack trace.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));

function start(env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ROAMS_MODE|DATABASE_URL|SEED_DEMO|DEMO_PASSWORD|SMS_|PORT|HOST|DATA_DIR|AADHAAR_|EKYC_)/.test(k)),
  );
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
}

describe('a refused start', () => {
  it('production with demo settings: the reasons as plain lines, exit 1', () => {
    const r = start({ ROAMS_MODE: 'production', SEED_DEMO: 'true', DEMO_PASSWORD: 'Roams@Demo2026', DATA_DIR: '/nonexistent/roams' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('Refusing to start in production mode:');
    expect(r.stderr).toContain('SEED_DEMO must be false in production');
    expect(r.stderr).toContain('DATABASE_URL is required in production');
    expect(r.stderr).toContain('DEMO_PASSWORD must not be set in production');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/Error:|\.ts:\d+|node:internal/);
    expect(r.stdout).toBe('');
  }, 70_000);

  it('production without Aadhaar vault keys (or with the demo ones): plain lines naming them, exit 1', () => {
    const r = start({
      ROAMS_MODE: 'production',
      DATABASE_URL: 'postgres://roams@127.0.0.1:1/roams',
      SMS_ADAPTER: 'http',
      SMS_HTTP_URL: 'https://sms.example.in/send',
      EKYC_PROVIDER: 'http',
      EKYC_HTTP_URL: 'https://kua.example.in/ekyc',
      AADHAAR_HMAC_KEY: 'Uk9BTVMgREVNTyBPTkxZIC0gbm90IGEgcmVhbCBrZXkgISE=',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'Refusing to start in production mode:',
      '  AADHAAR_VAULT_KEYS (version:base64key of 32 bytes) is required in production',
    ]);
    expect(r.stdout).toBe('');
  }, 70_000);

  it('an invalid value: also plain lines, exit 1', () => {
    const r = start({ ROAMS_MODE: 'staging' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')[0]).toBe('Invalid configuration:');
    expect(r.stderr).toContain('ROAMS_MODE');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 70_000);
});
