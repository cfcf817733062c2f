// Bar W3: the initial JavaScript of the web app is at most 300 KB compressed.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT = 300 * 1024;
const html = readFileSync('dist/web/index.html', 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const f of initial) total += gzipSync(readFileSync(`dist/web/${f}`)).length;
const all = readdirSync('dist/web/assets').filter((f) => f.endsWith('.js')).length;
console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzip in ${initial.length} file(s) (${all} chunks in all); limit ${LIMIT / 1024} KB`);
if (total > LIMIT) {
  console.error('initial JavaScript exceeds the 300 KB budget (bar W3)');
  process.exit(1);
}
