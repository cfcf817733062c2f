import type { TAssignment } from '../../shared/contracts/auth.ts';

type Translate = (key: string, params?: Record<string, string | number>) => string;
type Place = Pick<TAssignment, 'scopeKind' | 'officeId' | 'officeNameEn' | 'officeNameHi' | 'scopeNameEn' | 'scopeNameHi'>;

/**
 * Where a role assignment acts, as the header, the role switcher, the role picker and the profile
 * name it: a district admin its district ("Bhopal district" — the office it is listed under is
 * not where it acts); a role held in an office that office with its number; a department, HOD,
 * agency, treasury or PD-account role the name of that department, agency … (the role's own label
 * beside it says what kind it is); a state or self role null — the caller says the kind
 * (`common.scopes.*`) or nothing.
 */
export function scopePlace(a: Place, lang: string, t: Translate): string | null {
  const hi = lang === 'hi';
  const scopeName = a.scopeNameEn ? ((hi ? a.scopeNameHi : a.scopeNameEn) ?? a.scopeNameEn) : null;
  if (a.scopeKind === 'district' && scopeName) return t('common.scopeDistrict', { name: scopeName });
  if (a.officeId && a.officeNameEn) return `${(hi ? a.officeNameHi : a.officeNameEn) ?? a.officeNameEn} (${a.officeId})`;
  return scopeName;
}
