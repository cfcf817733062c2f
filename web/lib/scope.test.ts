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
  scopeNameEn: 'Bhopal',
  scopeNameHi: 'भोपाल',
} as const;

describe('the place a role acts in, as the header and the role switcher name it', () => {
  it('a district admin is named by its district, not by the office it is listed under (en, hi)', () => {
    expect(scopePlace(districtAdmin, 'en', tr('en'))).toBe('Bhopal district');
    expect(scopePlace(districtAdmin, 'hi', tr('hi'))).toBe('भोपाल ज़िला');
  });

  it('a role in an office is that office with its number; a state role has no place to name', () => {
    const office = { ...districtAdmin, scopeKind: 'office', scopeNameEn: null, scopeNameHi: null } as const;
    expect(scopePlace(office, 'en', tr('en'))).toBe('Office of the Collector, Bhopal (79)');
    expect(scopePlace(office, 'hi', tr('hi'))).toBe('कलेक्टर कार्यालय, भोपाल (79)');
    const state = { scopeKind: 'state', officeId: null, officeNameEn: null, officeNameHi: null, scopeNameEn: null, scopeNameHi: null } as const;
    expect(scopePlace(state, 'en', tr('en'))).toBeNull();
  });

  it('an agency, treasury or department role is named by its agency, treasury or department, in the chosen language', () => {
    const none = { officeId: null, officeNameEn: null, officeNameHi: null } as const;
    const agency = { ...none, scopeKind: 'agency', scopeNameEn: 'Shree Manpower Services Pvt Ltd', scopeNameHi: 'Shree Manpower Services Pvt Ltd' } as const;
    expect(scopePlace(agency, 'hi', tr('hi'))).toBe('Shree Manpower Services Pvt Ltd');
    const treasury = { ...none, scopeKind: 'treasury', scopeNameEn: 'District Treasury Bhopal', scopeNameHi: 'जिला कोषालय भोपाल' } as const;
    expect(scopePlace(treasury, 'en', tr('en'))).toBe('District Treasury Bhopal');
    expect(scopePlace(treasury, 'hi', tr('hi'))).toBe('जिला कोषालय भोपाल');
    // A Hindi name missing falls back to the English one rather than to nothing.
    expect(scopePlace({ ...treasury, scopeNameHi: null }, 'hi', tr('hi'))).toBe('District Treasury Bhopal');
  });
});
