import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules on who imports whom (CONVENTIONS "Rules of the house" 1 and 2), checked over
 * the import graph of the source files (tests, matrix fixtures and demo data excepted: they set
 * up records in any table, as a person with the database would):
 * - `shared/` imports neither `server/` nor `web/`; `web/` does not import `server/`;
 * - `server/platform/` does not import `server/modules/` (modules build on the platform);
 * - a module uses another module only through its `index.ts` — except that a `*.table.ts` may
 *   import another module's `*.table.ts` for foreign keys;
 * - a module's manifest (`<name>.module.ts`) is imported only by `server/modules/registry.ts`;
 * - the identity tables (`platform/auth/auth.table.ts`: users, role assignments, sessions) are
 *   written by login and the users module only: no other module imports them.
 */
const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.(test|fixtures|demo)\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
  return specs.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
}

const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
const moduleOf = (relPath: string) => /^server\/modules\/([^/]+)\//.exec(relPath)?.[1] ?? null;

/** What is wrong with `from` importing `to` (paths relative to the repository), or nothing. */
function judge(from: string, to: string): string[] {
  const out: string[] = [];
  const fromModule = moduleOf(from);
  const toModule = moduleOf(to);
  if (from.startsWith('shared/') && (to.startsWith('server/') || to.startsWith('web/'))) out.push('shared imports neither server nor web');
  if (from.startsWith('web/') && to.startsWith('server/')) out.push('web imports only shared');
  if (from.startsWith('server/platform/') && to.startsWith('server/modules/')) out.push('the platform does not import modules');
  if (to.endsWith('.module.ts') && toModule && from !== 'server/modules/registry.ts') out.push('a manifest is read only by the registry');
  if (fromModule && toModule && fromModule !== toModule) {
    const fk = from.endsWith('.table.ts') && to.endsWith('.table.ts');
    if (!fk && to !== `server/modules/${toModule}/index.ts`) out.push(`another module only through its index.ts (server/modules/${toModule}/index.ts)`);
  }
  if (to === 'server/platform/auth/auth.table.ts' && fromModule && fromModule !== 'users' && !from.endsWith('.table.ts'))
    out.push('users and role assignments belong to the users module: ask it through its index');
  return out;
}

function violations(files: string[]): string[] {
  return files.flatMap((f) => importsOf(f).flatMap((t) => judge(rel(f), rel(t)).map((why) => `${rel(f)} → ${rel(t)}: ${why}`)));
}

describe('import boundaries', () => {
  const files = ['server', 'shared', 'web'].flatMap((d) => sourceFiles(path.join(root, d)));

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf(path.join(root, 'server/app.ts')).length).toBeGreaterThan(3);
  });

  it('holds for every source file', () => {
    expect(violations(files)).toEqual([]);
  });

  it('would catch a module reaching into another module, the platform into a module, shared into the server', () => {
    expect(judge('server/modules/sanction/sanction.repo.ts', 'server/modules/contract/contract.table.ts')).toHaveLength(1);
    expect(judge('server/modules/sanction/sanction.repo.ts', 'server/modules/contract/index.ts')).toEqual([]);
    expect(judge('server/modules/contract/contract.table.ts', 'server/modules/agency/agency.table.ts')).toEqual([]);
    expect(judge('server/modules/agency/agency.repo.ts', 'server/platform/auth/auth.table.ts')).toHaveLength(1);
    expect(judge('server/modules/users/users.repo.ts', 'server/platform/auth/auth.table.ts')).toEqual([]);
    expect(judge('server/platform/auth/auth.repo.ts', 'server/modules/org/org.table.ts')).toHaveLength(1);
    expect(judge('server/app.ts', 'server/modules/org/org.module.ts')).toHaveLength(1);
    expect(judge('shared/domain/money.ts', 'server/db/client.ts')).toHaveLength(1);
    expect(judge('web/main.tsx', 'server/app.ts')).toHaveLength(1);
  });
});
