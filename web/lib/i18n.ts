import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLocale, type TLocale } from '../../shared/locales/index.ts';

// Bar W3: a language's catalogs (every namespace file, shared/locales/<lang>/*.json) are one chunk
// of their own, loaded for the language the page starts in and, on a switch, for the other one —
// not both in the first page's JavaScript (they were ~110 KB of its 300 KB compressed). i18next
// loads the new language before it changes to it (`changeLanguage` resolves, and `languageChanged`
// fires, once the catalogs are in). Every key is in both languages (shared/locales tests), so no
// fallback language is loaded.
const LOAD: Record<TLocale, () => Promise<{ catalogs: Record<string, unknown> }>> = {
  hi: () => import('./locales-hi.ts'),
  en: () => import('./locales-en.ts'),
};

const catalogBackend: BackendModule = {
  type: 'backend',
  init: () => {},
  read: (language, _namespace, callback) => {
    if (!isLocale(language)) return callback(null, {});
    LOAD[language]().then(
      (m) => callback(null, m.catalogs as never),
      (e: Error) => callback(e, null),
    );
  },
};

function initialLocale(): TLocale {
  const m = document.cookie.match(/(?:^|; )roams_lang=(hi|en)/);
  if (m && isLocale(m[1])) return m[1];
  const stored = localStorage.getItem('roams_lang');
  return isLocale(stored) ? stored : 'hi';
}

/**
 * Resolves when the starting language's catalogs are loaded: the app renders after it (web/main.tsx).
 * A language is remembered on this browser only when the user changes it — init's own
 * `languageChanged` (the starting language) is not a choice: the login page lets a user's saved
 * language win on a browser that never picked one (LoginPage).
 */
export const i18nReady = i18next
  .use(catalogBackend)
  .use(initReactI18next)
  .init({
    lng: initialLocale(),
    fallbackLng: false,
    supportedLngs: ['hi', 'en'],
    load: 'currentOnly',
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  })
  .then(() => {
    document.documentElement.lang = i18next.language;
    i18next.on('languageChanged', (lng) => {
      document.documentElement.lang = lng;
      localStorage.setItem('roams_lang', lng);
      document.cookie = `roams_lang=${lng}; path=/; max-age=31536000; samesite=strict`;
    });
  });

export { i18next };
