import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { MAX_REVISION_DOC_BYTES } from '../contracts/attendance.ts';
import { MAX_ECR_BYTES } from '../contracts/proof.ts';
import { MAX_PHOTO_BYTES } from '../contracts/resource.ts';
import { MAX_ORDER_FILE_BYTES } from '../contracts/sanction.ts';
import { LOCALES } from '../locales/index.ts';
import { loadCatalogs } from '../locales/node.ts';
import { FILE_TYPES, fileLimit, formatFileSize } from './file-limits.ts';

const i18n = i18next.createInstance();
await i18n.init({ resources: loadCatalogs(), lng: 'en', fallbackLng: false, interpolation: { escapeValue: false } });

describe('the limits named in file messages', () => {
  it('say each limit as it is set', () => {
    expect(formatFileSize(MAX_ORDER_FILE_BYTES)).toBe('2 MB');
    expect(formatFileSize(MAX_REVISION_DOC_BYTES)).toBe('5 MB');
    expect(formatFileSize(MAX_PHOTO_BYTES)).toBe('200 KB');
    expect(formatFileSize(MAX_ECR_BYTES)).toBe('12 MB');
    expect(formatFileSize(1.5 * 1024 * 1024)).toBe('1.5 MB');
  });

  it('render in both languages for every kind of file: the limit and the kinds, no placeholder left', () => {
    const words = { en: ['PDF', 'PDF, JPEG or PNG', 'JPEG or PNG'], hi: ['PDF', 'PDF, JPEG या PNG', 'JPEG या PNG'] };
    for (const lng of LOCALES) {
      const t = i18n.getFixedT(lng);
      for (const types of FILE_TYPES) {
        const kinds = t(`common.fileTypes.${types}`);
        expect(kinds).not.toBe(`common.fileTypes.${types}`);
        for (const key of ['errors.file_too_large', 'errors.file_required', 'validation.file_too_large', 'validation.file_required']) {
          const text = t(key, fileLimit(5 * 1024 * 1024, types));
          expect(text, `${lng} ${key} ${types}`).toContain('5 MB');
          expect(text, `${lng} ${key} ${types}`).toContain(kinds);
          expect(text, `${lng} ${key} ${types}`).not.toMatch(/\{\{|\$t\(|2 MB/);
        }
      }
      for (const w of words[lng]) expect(Object.values(i18n.getResource(lng, 'translation', 'common.fileTypes'))).toContain(w);
    }
  });
});
