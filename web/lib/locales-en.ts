import { catalogsFrom } from '../../shared/locales/index.ts';

// Every English catalog file, in one chunk loaded when the page starts in English or switches to it (web/lib/i18n.ts).
export const catalogs = catalogsFrom(import.meta.glob('../../shared/locales/en/*.json', { eager: true, import: 'default' })).en.translation;
