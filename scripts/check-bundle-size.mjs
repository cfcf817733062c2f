// Bar W3: the JavaScript the first page loads is at most 300 KB compressed (gzip).
// The first page loads the entry chunk and, through it, every chunk it imports statically —
// Vite lists those in index.html as <link rel="modulepreload">, and records them in its build
// manifest (`build.manifest` in vite.config.ts). Pages loaded lazily (web/lib/routes.ts
// `lazyPage`) are dynamic imports and are not counted. We take the static-import closure of the
// entry from the manifest, check that every script and modulepreload link of index.html is in
// it (so the HTML cannot load something the count missed), and print each chunk's size.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT = 300 * 1024;
const dist = 'dist/web';
const html = readFileSync(`${dist}/index.html`, 'utf8');
const inHtml = new Set([...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const manifestPath = `${dist}/.vite/manifest.json`;
if (!existsSync(manifestPath)) {
  console.error(`${manifestPath} is missing: vite.config.ts must set build.manifest`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
const initial = new Set();
const visit = (key) => {
  const c = manifest[key];
  if (!c || initial.has(c.file)) return;
  initial.add(c.file);
  for (const k of c.imports ?? []) visit(k);
};
for (const [key] of entries) visit(key);
const missed = [...inHtml].filter((f) => !initial.has(f));
for (const f of missed) initial.add(f);
// The first page also loads its language's catalogs (web/lib/i18n.ts: one chunk per language,
// imported dynamically before the app renders): the heavier language's chunk is counted as initial.
const gzOf = (f) => gzipSync(readFileSync(`${dist}/${f}`)).length;
const languageChunks = Object.entries(manifest)
  .filter(([key]) => /(^|\/)lib\/locales-(hi|en)\.ts$/.test(key))
  .map(([, c]) => c.file);
if (languageChunks.length === 0) {
  console.error('no language chunk (web/lib/locales-<lang>.ts) in the manifest: the count would miss the catalogs');
  process.exit(1);
}
const heaviestLanguage = languageChunks.reduce((a, b) => (gzOf(b) > gzOf(a) ? b : a));
initial.add(heaviestLanguage);

const gz = (f) => gzipSync(readFileSync(`${dist}/${f}`)).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
const rows = [...initial].map((f) => ({ f, raw: readFileSync(`${dist}/${f}`).length, gzip: gz(f) })).sort((a, b) => b.gzip - a.gzip);
console.log("initial chunks (entry, its static imports and the heavier language's catalogs; gzip / raw):");
for (const r of rows) {
  total += r.gzip;
  console.log(`  ${r.f.padEnd(48)} ${kb(r.gzip).padStart(10)} ${kb(r.raw).padStart(11)}${inHtml.has(r.f) ? '' : '  (not linked from index.html)'}`);
}
const lazy = readdirSync(`${dist}/assets`).filter((f) => f.endsWith('.js') && !initial.has(`assets/${f}`));
const lazyGz = lazy.reduce((s, f) => s + gz(`assets/${f}`), 0);
console.log(`initial JS: ${kb(total)} gzip in ${initial.size} file(s); limit ${kb(LIMIT)}. Loaded on demand: ${lazy.length} chunk(s), ${kb(lazyGz)} gzip`);
if (missed.length) console.log(`index.html loads ${missed.length} script(s) the manifest does not reach from the entry; counted: ${missed.join(', ')}`);
if (total > LIMIT) {
  console.error('initial JavaScript exceeds the 300 KB budget (bar W3)');
  process.exit(1);
}
