import { useTranslation } from 'react-i18next';

/** Picks the name in the current language from an `...En` / `...Hi` pair (the other one when it is empty). */
export function useBilingual() {
  const { i18n } = useTranslation();
  return (en: string, hi: string) => (i18n.language === 'hi' ? hi || en : en || hi);
}
