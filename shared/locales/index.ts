// One catalog per language, made of namespace files that server and web both read, found by
// convention: `<lang>/<namespace>.json`, the namespace being the module's name (or common,
// errors, validation, auth). Add a module's strings: create `en/<module>.json` and
// `hi/<module>.json` with the same keys; nothing to list. The server reads them with
// `loadCatalogs()` (./node.ts), the web with Vite's import.meta.glob (web/lib/i18n.ts); both
// hand the files to `catalogsFrom`.

export const LOCALES = ['hi', 'en'] as const;
export type TLocale = (typeof LOCALES)[number];

export function isLocale(v: unknown): v is TLocale {
  return v === 'hi' || v === 'en';
}

type Catalog = Record<string, unknown>;
export type TResources = Record<TLocale, { translation: Record<string, Catalog> }>;

/** i18next resources from catalog files keyed by a path ending in `<lang>/<namespace>.json`. */
export function catalogsFrom(files: Record<string, unknown>): TResources {
  const out: TResources = { hi: { translation: {} }, en: { translation: {} } };
  for (const [path, content] of Object.entries(files)) {
    const m = path.match(/(?:^|\/)(hi|en)\/([a-z][a-z0-9-]*)\.json$/);
    if (!m) continue;
    out[m[1] as TLocale].translation[m[2] as string] = ((content as { default?: Catalog }).default ?? content) as Catalog;
  }
  return out;
}
