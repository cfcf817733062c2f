import i18next, { type TFunction } from 'i18next';
import { isLocale, type TLocale } from '../../../shared/locales/index.ts';
import { loadCatalogs } from '../../../shared/locales/node.ts';

const resources = loadCatalogs();

const instance = i18next.createInstance();
await instance.init({ resources, lng: 'hi', fallbackLng: 'en', interpolation: { escapeValue: false } });

export function translator(locale: TLocale): TFunction {
  return instance.getFixedT(locale);
}

/** The caller's language: explicit `lang` cookie, else the user's setting, else Accept-Language, else Hindi. */
export function pickLocale(opts: { cookie?: string | undefined; userLocale?: string | undefined; acceptLanguage?: string | undefined }): TLocale {
  if (isLocale(opts.cookie)) return opts.cookie;
  if (isLocale(opts.userLocale)) return opts.userLocale;
  const al = (opts.acceptLanguage ?? '').toLowerCase();
  if (al.startsWith('en')) return 'en';
  return 'hi';
}
