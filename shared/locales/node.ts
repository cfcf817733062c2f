// Node only (reads the folder): excluded from the web build's tsconfig.
import { readdirSync, readFileSync } from 'node:fs';
import { catalogsFrom, LOCALES, type TResources } from './index.ts';

/** The catalogs read from this folder (server and tests; the web bundles them with Vite). */
export function loadCatalogs(): TResources {
  const dir = new URL('./', import.meta.url);
  const files: Record<string, unknown> = {};
  for (const lang of LOCALES) {
    for (const f of readdirSync(new URL(`${lang}/`, dir))) {
      if (f.endsWith('.json')) files[`${lang}/${f}`] = JSON.parse(readFileSync(new URL(`${lang}/${f}`, dir), 'utf8'));
    }
  }
  return catalogsFrom(files);
}
