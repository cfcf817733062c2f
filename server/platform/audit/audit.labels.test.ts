import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../../shared/locales/node.ts';

/**
 * Issue 12.3: the audit page shows people's words, never internal codes such as `login_failed`.
 * Every action and record type the server writes to the trail (a literal `action: '…'` or
 * `entity: '…'` in its source, and the agency's `status_<to>` actions) must have a label in both
 * languages; the page offers exactly these labels as its filter choices.
 */
const root = join(import.meta.dirname, '../..');
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' || e.name === 'migrations' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.includes('fixtures') ? [p] : [];
  });
}
const text = sources(root).map((f) => readFileSync(f, 'utf8'));
const found = (key: string) => new Set(text.flatMap((s) => [...s.matchAll(new RegExp(`\\b${key}: '([a-z0-9_]+)'`, 'g'))].map((m) => m[1] as string)));
const AGENCY_STATUS_ACTIONS = ['verified', 'rejected', 'suspended', 'blacklisted', 'reinstated'].map((s) => `status_${s}`);

describe('audit trail labels (issue 12.3)', () => {
  const cat = loadCatalogs();
  const audit = (lang: 'en' | 'hi') => (cat[lang].translation as Record<string, Record<string, Record<string, string>>>).audit ?? {};

  it('finds the codes it checks (the scan itself works)', () => {
    expect(found('action').has('login_failed')).toBe(true);
    expect(found('entity').has('sanction_order')).toBe(true);
  });

  it('label every action and record type the server records, in Hindi and English', () => {
    const actions = [...found('action'), ...AGENCY_STATUS_ACTIONS, 'activated', 'deactivated', 'deactivate'];
    for (const lang of ['en', 'hi'] as const) {
      const missingActions = actions.filter((a) => !audit(lang).actions?.[a]);
      const missingEntities = [...found('entity')].filter((e) => e !== 'probe' && !audit(lang).entities?.[e]);
      expect({ lang, missingActions, missingEntities }).toEqual({ lang, missingActions: [], missingEntities: [] });
    }
  });

  it('call a failed login what a person would search for', () => {
    expect(audit('en').actions?.login_failed).toBe('Login failed');
    expect(audit('hi').actions?.login_failed).toBe('लॉगिन विफल');
  });
});
