import { describe, expect, it } from 'vitest';
import en from '../../shared/locales/en/common.json' with { type: 'json' };
import hi from '../../shared/locales/hi/common.json' with { type: 'json' };
import { scopePlace } from './scope.ts';

// The real locale text, interpolated as i18next does ({{name}}), so a missing key fails here.
const tr =
  (lang: 'en' | 'hi') =>
  (key: string, params: Record<string, string | number> = {}) => {
    const text = key
      .split('.')
      .slice(1)
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], lang === 'en' ? en : hi);
    if (typeof text !== 'string') throw new Error(`no ${lang} text for ${key}`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k]));
  };

// The demo's districtadmin_bhopal: scoped to Bhopal district, listed under office 79.
const districtAdmin = {
  scopeKind: 'district',
  officeId: 79,
  officeNameEn: 'Office of the Collector, Bhopal',
  officeNameHi: 'कलेक्टर कार्यालय, भोपाल',
  districtNameEn: 'Bhopal',
  districtNameHi: 'भोपाल',
} as const;

describe('the place a role acts in, as the header and the role switcher name it', () => {
  it('a district admin is named by its district, not by the office it is listed under (en, hi)', () => {
    expect(scopePlace(districtAdmin, 'en', tr('en'))).toBe('Bhopal district');
    expect(scopePlace(districtAdmin, 'hi', tr('hi'))).toBe('भोपाल ज़िला');
  });

  it('a role in an office is that office with its number; a state or agency role has no place to name', () => {
    const office = { ...districtAdmin, scopeKind: 'office', districtNameEn: null, districtNameHi: null } as const;
    expect(scopePlace(office, 'en', tr('en'))).toBe('Office of the Collector, Bhopal (79)');
    expect(scopePlace(office, 'hi', tr('hi'))).toBe('कलेक्टर कार्यालय, भोपाल (79)');
    const state = { scopeKind: 'state', officeId: null, officeNameEn: null, officeNameHi: null, districtNameEn: null, districtNameHi: null } as const;
    expect(scopePlace(state, 'en', tr('en'))).toBeNull();
  });
});
