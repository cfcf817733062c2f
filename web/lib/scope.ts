import type { TAssignment } from '../../shared/contracts/auth.ts';

type Translate = (key: string, params?: Record<string, string | number>) => string;
type Place = Pick<TAssignment, 'scopeKind' | 'officeId' | 'officeNameEn' | 'officeNameHi' | 'districtNameEn' | 'districtNameHi'>;

/**
 * Where a role assignment acts, as the header, the role switcher, the role picker and the profile
 * name it: a district admin its district ("Bhopal district" — the office it is listed under is
 * not where it acts), a role held in an office that office with its number, any other scope
 * (state, agency, treasury …) null — the caller says the kind (`common.scopes.*`) or nothing.
 */
export function scopePlace(a: Place, lang: string, t: Translate): string | null {
  const hi = lang === 'hi';
  if (a.scopeKind === 'district' && a.districtNameEn)
    return t('common.scopeDistrict', { name: (hi ? a.districtNameHi : a.districtNameEn) ?? a.districtNameEn });
  if (a.officeId && a.officeNameEn) return `${(hi ? a.officeNameHi : a.officeNameEn) ?? a.officeNameEn} (${a.officeId})`;
  return null;
}
