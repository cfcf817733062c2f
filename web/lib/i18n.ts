import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogsFrom, isLocale, type TLocale } from '../../shared/locales/index.ts';

// Every catalog file, found by convention (shared/locales/<lang>/<namespace>.json).
const resources = catalogsFrom(import.meta.glob('../../shared/locales/*/*.json', { eager: true, import: 'default' }));

function initialLocale(): TLocale {
  const m = document.cookie.match(/(?:^|; )roams_lang=(hi|en)/);
  if (m && isLocale(m[1])) return m[1];
  const stored = localStorage.getItem('roams_lang');
  return isLocale(stored) ? stored : 'hi';
}

void i18next.use(initReactI18next).init({ resources, lng: initialLocale(), fallbackLng: 'en', interpolation: { escapeValue: false }, initAsync: false });
document.documentElement.lang = i18next.language;
i18next.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  localStorage.setItem('roams_lang', lng);
  document.cookie = `roams_lang=${lng}; path=/; max-age=31536000; samesite=strict`;
});

export { i18next };
