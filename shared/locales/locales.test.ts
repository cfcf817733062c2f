import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, FIELD_CODES } from '../errors.ts';
import { ROLES, SCOPE_KINDS } from '../roles.ts';
import { loadCatalogs } from './node.ts';

const resources = loadCatalogs();

function flatten(o: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (v && typeof v === 'object') Object.assign(out, flatten(v, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

const en = flatten(resources.en.translation);
const hi = flatten(resources.hi.translation);

describe('translation catalogs (bar W2)', () => {
  it('have identical keys in Hindi and English', () => {
    expect(Object.keys(hi).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty values', () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(hi)]) expect(String(v).trim(), k).not.toBe('');
  });

  it('keep the same {{placeholders}} in both languages', () => {
    for (const k of Object.keys(en)) {
      const ph = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(ph(hi[k]), k).toEqual(ph(en[k]));
    }
  });

  it('translate every error code, field code, role and scope', () => {
    for (const c of Object.keys(ERROR_STATUS)) expect(en[`errors.${c}`], c).toBeTruthy();
    for (const c of FIELD_CODES) expect(en[`validation.${c}`], c).toBeTruthy();
    for (const r of ROLES) expect(en[`common.roles.${r}`], r).toBeTruthy();
    for (const s of SCOPE_KINDS) expect(en[`common.scopes.${s}`], s).toBeTruthy();
  });

  it('are mostly Devanagari in Hindi', () => {
    const deva = Object.values(hi).filter((v) => /[\u0900-\u097F]/.test(String(v))).length;
    expect(deva / Object.values(hi).length).toBeGreaterThan(0.8);
  });
});

describe('the record count under a list (Pager)', () => {
  it('agrees with its number in both languages: 0 and 2+ plural, 1 singular', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources, lng: 'hi', fallbackLng: 'en', interpolation: { escapeValue: false } });
    const count = (lang: 'en' | 'hi', n: number) => i18n.getFixedT(lang)('common.total', { count: n });
    expect([0, 1, 2, 25].map((n) => count('en', n))).toEqual(['0 records', '1 record', '2 records', '25 records']);
    // CLDR's Hindi rule counts 0 as "one"; "0 प्रविष्टि" reads wrong, hence common.total_zero.
    expect([0, 1, 2, 25].map((n) => count('hi', n))).toEqual(['0 प्रविष्टियाँ', '1 प्रविष्टि', '2 प्रविष्टियाँ', '25 प्रविष्टियाँ']);
  });
});
