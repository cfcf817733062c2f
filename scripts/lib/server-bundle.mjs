// The server as one JavaScript file for the test harnesses that start many app processes (the
// Playwright journeys: one server per spec file; the scale-out, crash and kill checks). Started
// as `node --import tsx server/main.ts`, each process transpiled and imported some 300 files:
// ≈ 1.8 s of CPU before it listened, paid 35+ times a CI run. Bundled once with esbuild (the
// compiler tsx itself uses), a start imports one file (≈ 0.5 s CPU). Figures: docs/TESTING.md.
//
// Packages stay external (resolved from node_modules as before), so the bundle must live inside
// the checkout. Each source file's `import.meta.url` is replaced by that file's own URL: the server
// finds its migrations, catalogs, fonts, seed CSV files and worker scripts next to its sources,
// and in one bundle every module would otherwise see the bundle's URL.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Bundles server/main.ts into `outfile` (ESM, Node 20); resolves with the file's path. */
export async function bundleServer(outfile = path.join(ROOT, '.tmp/server-bundle/main.mjs')) {
  await build({
    entryPoints: [path.join(ROOT, 'server/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    plugins: [
      {
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
            if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
            const source = await readFile(args.path, 'utf8');
            return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
  });
  return outfile;
}
