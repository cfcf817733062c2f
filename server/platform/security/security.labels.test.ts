import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECURITY_EVENT_KINDS } from '../../../shared/contracts/security.ts';
import { ERROR_STATUS } from '../../../shared/errors.ts';
import { loadCatalogs } from '../../../shared/locales/node.ts';

/**
 * Issue 11 finding 6: the security-log page shows what was refused and why in people's words,
 * never a code such as `csrf_failed`. Every kind the server records must be one of the page's
 * choices (SECURITY_EVENT_KINDS) with a label and a reason in both languages: the codes of
 * refusals the error handler logs (the statuses and codes it tests, read from its source), and
 * every literal `code: '…'` passed to `recordSecurityEvent` anywhere in the server.
 */
const root = join(import.meta.dirname, '../..');
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' || e.name === 'migrations' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}
const text = sources(root).map((f) => readFileSync(f, 'utf8'));

/** The string literals of `code:` in each `recordSecurityEvent(…)` call (a ternary gives two). */
function recordedEventCodes(): string[] {
  return text.flatMap((s) =>
    [...s.matchAll(/recordSecurityEvent\(([\s\S]*?)\);/g)].flatMap((call) => {
      const code = /\bcode:\s*([^,}\n]+)/.exec(call[1] ?? '')?.[1] ?? '';
      return [...code.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1] as string);
    }),
  );
}

/** The statuses and extra codes the error handler sends to the log, as its source names them. */
function handlerLogged(): string[] {
  const http = readFileSync(join(root, 'platform/http/http.ts'), 'utf8');
  const guard = /function recordRefusal[\s\S]*?\n}\n/.exec(http)?.[0] ?? '';
  expect(guard).toContain('SECURITY_LOGGED_STATUSES.includes(err.status)');
  expect(guard).toContain('LOGGED_CODES.has(err.code)');
  expect(http).toContain('new Set<string>(SECURITY_LOGGED_ERRORS)');
  return Object.keys(ERROR_STATUS);
}

describe('security log labels (issue 11 finding 6)', () => {
  const cat = loadCatalogs();
  const kinds = (lang: 'en' | 'hi') =>
    ((cat[lang].translation as Record<string, Record<string, Record<string, Record<string, { label?: string; why?: string }>>>>).audit?.security?.kinds ??
      {}) as Record<string, { label?: string; why?: string }>;

  it('finds the codes it checks (the scan itself works)', () => {
    expect(recordedEventCodes()).toEqual(expect.arrayContaining(['locale_changed', 'password_reset_unknown_user', 'password_reset_inactive_user']));
    expect(SECURITY_EVENT_KINDS).toEqual(expect.arrayContaining(['invalid_credentials', 'csrf_failed', 'not_found', 'too_many_attempts', 'otp_invalid']));
  });

  it('every kind the server records is a choice on the page', () => {
    const refusals = handlerLogged().filter(
      (c) => [401, 403, 404, 429].includes(ERROR_STATUS[c as keyof typeof ERROR_STATUS]) || ['otp_invalid', 'otp_expired'].includes(c),
    );
    const missing = [...new Set([...refusals, ...recordedEventCodes()])].filter((c) => !SECURITY_EVENT_KINDS.includes(c));
    expect(missing).toEqual([]);
  });

  it('every kind has a label and a reason in Hindi and English, and no two kinds read the same', () => {
    for (const lang of ['en', 'hi'] as const) {
      const missing = SECURITY_EVENT_KINDS.filter((k) => !kinds(lang)[k]?.label || !kinds(lang)[k]?.why);
      expect({ lang, missing }).toEqual({ lang, missing: [] });
      const labels = SECURITY_EVENT_KINDS.map((k) => kinds(lang)[k]?.label);
      expect(new Set(labels).size).toBe(labels.length);
    }
  });

  it('calls a failed login what a person would search for', () => {
    expect(kinds('en').invalid_credentials?.label).toBe('Failed login');
    expect(kinds('hi').invalid_credentials?.label).toBe('लॉगिन विफल');
  });
});
