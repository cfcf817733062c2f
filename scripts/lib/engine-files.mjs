// Which Vitest files depend on the database engine, found from the import graph (not a hand list,
// which would rot): a test file that imports — directly or through any local module, value imports
// only — the test harness, the database client or the app (server/test/harness.ts,
// server/test/template.ts, server/db/client.ts, server/app.ts), or that reads TEST_DATABASE_URL
// itself, runs on both engines. The rest (pure rules, the invoice engine, locales, PDF layout,
// labels…) compute the same on either engine, so the PostgreSQL tier skips them: they run once, on
// the PGlite tier (docs/TESTING.md). A file that reaches the engine but always opens the embedded
// one itself (a data directory of its own, the socket it listens on, its maintenance job) says
// `engine: PGlite only` in a comment and runs once too: on the PostgreSQL tier it ran the same
// PGlite work again (audit-verify alone ≈ 40 s of that tier). `node scripts/lib/engine-files.mjs`
// prints both lists.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DATABASE_MODULES = new Set(['server/test/harness.ts', 'server/test/template.ts', 'server/db/client.ts', 'server/app.ts']);
const STATIC = /^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm;
const DYNAMIC = /import\(\s*'([^']+)'\s*\)/g;

/** Every test file Vitest runs (vitest.config.ts `include`), split by whether it reaches the database engine. */
export function engineFiles(cwd = process.cwd()) {
  const listed = execFileSync('git', ['ls-files', '*.test.ts'], { cwd, encoding: 'utf8' }).trim().split('\n');
  const files = listed.filter((f) => /^(server|shared|web\/lib|scripts|bench)\//.test(f));
  const memo = new Map();
  const reaches = (f, seen) => {
    if (DATABASE_MODULES.has(f)) return true;
    if (memo.has(f)) return memo.get(f);
    const abs = path.join(cwd, f);
    if (seen.has(f) || !existsSync(abs)) return false;
    seen.add(f);
    const src = readFileSync(abs, 'utf8');
    const specs = [...[...src.matchAll(STATIC)].filter((m) => !m[1]).map((m) => m[2]), ...[...src.matchAll(DYNAMIC)].map((m) => m[1])];
    const hit = specs.some((s) => s.startsWith('.') && reaches(path.normalize(path.join(path.dirname(f), s)), seen));
    seen.delete(f);
    memo.set(f, hit);
    return hit;
  };
  const engine = [];
  const pure = [];
  for (const f of files) {
    const own = readFileSync(path.join(cwd, f), 'utf8');
    const pgliteOnly = own.includes('engine: PGlite only') && !own.includes('TEST_DATABASE_URL');
    ((reaches(f, new Set()) || own.includes('TEST_DATABASE_URL')) && !pgliteOnly ? engine : pure).push(f);
  }
  return { engine, pure };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { engine, pure } = engineFiles();
  console.log(`${engine.length} files reach the database engine (both tiers); ${pure.length} do not (PGlite tier only):\n${pure.join('\n')}`);
}
