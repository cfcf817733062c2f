import { catalogsFrom } from '../../shared/locales/index.ts';

// Every Hindi catalog file, in one chunk loaded when the page starts in Hindi or switches to it (web/lib/i18n.ts).
export const catalogs = catalogsFrom(import.meta.glob('../../shared/locales/hi/*.json', { eager: true, import: 'default' })).hi.translation;
