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
 *   written by login and the users module only: no other module imports them;
 * - a module does not import `server/db/schema.ts` (every table at once);
 * - a module names no other module's table in SQL (`from contracts`, `join agencies a`, …): it asks
 *   the owner through its index (a function, or a published read-only relation such as
 *   `contractNames`). The organisation masters are the one exception (read-only reference data
 *   every module joins for names, CONVENTIONS rule 2), and so is `ALLOWED_TABLE_READS` below;
 * - modules do not import each other in a loop (a seam breaks a loop: see ARCHITECTURE "Seams").
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

/**
 * Reads of another module's table that are allowed, each with its reason: `<file>` → table names.
 * Empty: every such read goes through the owner's index.
 */
const ALLOWED_TABLE_READS: Record<string, { tables: string[]; why: string }> = {};

/** Modules whose tables every module may read by name: the organisation masters (reference data). */
const SHARED_TABLE_OWNERS = new Set(['org']);

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
  if (fromModule && to === 'server/db/schema.ts') out.push('a module reads its own tables and asks other modules through their index, not the whole schema');
  if (to === 'server/platform/auth/auth.table.ts' && fromModule && fromModule !== 'users' && !from.endsWith('.table.ts'))
    out.push('users and role assignments belong to the users module: ask it through its index');
  return out;
}

function violations(files: string[]): string[] {
  return files.flatMap((f) => importsOf(f).flatMap((t) => judge(rel(f), rel(t)).map((why) => `${rel(f)} → ${rel(t)}: ${why}`)));
}

/** Table name → owning module, from every `pgTable('name', …)` in `server/modules/<m>/*.table.ts`. */
function tableOwners(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of sourceFiles(path.join(root, 'server/modules')).filter((f) => f.endsWith('.table.ts'))) {
    const m = moduleOf(rel(f))!;
    for (const t of readFileSync(f, 'utf8').matchAll(/pgTable\(\s*['"]([a-z0-9_]+)['"]/g)) out.set(t[1] as string, m);
  }
  return out;
}

/** The tables a piece of source text names in SQL (comments dropped): `from t`, `join t`, `update t`, `into t`. */
function tablesNamedIn(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return [...code.matchAll(/\b(?:from|join|update|into)\s+([a-z_][a-z0-9_]*)\b/gi)].map((m) => m[1] as string);
}

/** What is wrong with the file `from` (relative path) naming `table` in SQL, or nothing. */
function judgeTable(from: string, table: string, owners: Map<string, string>): string[] {
  const fromModule = moduleOf(from);
  const owner = owners.get(table);
  if (!fromModule || !owner || owner === fromModule || SHARED_TABLE_OWNERS.has(owner)) return [];
  if (ALLOWED_TABLE_READS[from]?.tables.includes(table)) return [];
  return [`${table} belongs to the ${owner} module: ask it through server/modules/${owner}/index.ts`];
}

function tableViolations(files: string[], owners: Map<string, string>): string[] {
  return files.flatMap((f) => {
    const from = rel(f);
    return [...new Set(tablesNamedIn(readFileSync(f, 'utf8')))].flatMap((t) => judgeTable(from, t, owners).map((why) => `${from} names ${t}: ${why}`));
  });
}

/** Module → the modules it imports (any file of it, through any path). */
function moduleGraph(files: string[]): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const f of files) {
    const from = moduleOf(rel(f));
    if (!from) continue;
    for (const t of importsOf(f)) {
      const to = moduleOf(rel(t));
      if (to && to !== from && !(f.endsWith('.table.ts') && t.endsWith('.table.ts'))) g.set(from, (g.get(from) ?? new Set()).add(to));
    }
  }
  return g;
}

/** The first import loop between modules (`a → b → a`), or null. */
function loopIn(g: Map<string, Set<string>>): string | null {
  const state = new Map<string, 'open' | 'done'>();
  const walk = (m: string, trail: string[]): string | null => {
    if (state.get(m) === 'open') return [...trail.slice(trail.indexOf(m)), m].join(' → ');
    if (state.get(m) === 'done') return null;
    state.set(m, 'open');
    for (const n of [...(g.get(m) ?? [])].sort()) {
      const found = walk(n, [...trail, m]);
      if (found) return found;
    }
    state.set(m, 'done');
    return null;
  };
  for (const m of [...g.keys()].sort()) {
    const found = walk(m, []);
    if (found) return found;
  }
  return null;
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

  it("no module names another module's table in SQL", () => {
    const owners = tableOwners();
    expect(owners.get('contracts')).toBe('contract');
    expect(owners.get('agencies')).toBe('agency');
    expect(tableViolations(files, owners)).toEqual([]);
  });

  it('every allow-listed table read is still needed and says why', () => {
    const owners = tableOwners();
    for (const [file, { tables, why }] of Object.entries(ALLOWED_TABLE_READS)) {
      expect(why.length, file).toBeGreaterThan(20);
      const named = tablesNamedIn(readFileSync(path.join(root, file), 'utf8'));
      for (const t of tables) expect(named, `${file} no longer names ${t}: drop it from the allow-list`).toContain(t);
      for (const t of tables) expect(owners.has(t), t).toBe(true);
    }
  });

  it('modules do not import each other in a loop', () => {
    expect(loopIn(moduleGraph(files))).toBeNull();
  });

  it('would catch a table named in SQL, a loop, the whole schema', () => {
    const owners = new Map([
      ['contracts', 'contract'],
      ['agencies', 'agency'],
      ['offices', 'org'],
      ['resources', 'resource'],
    ]);
    const named = tablesNamedIn(
      '// from contracts\nconst q = sql`select * from resources r join agencies a on a.id = r.agency_id left join offices o on true`;',
    );
    expect(named).toEqual(['resources', 'agencies', 'offices']);
    expect(named.flatMap((t) => judgeTable('server/modules/resource/resource.repo.ts', t, owners))).toHaveLength(1);
    expect(judgeTable('server/modules/agency/agency.policy.ts', 'contracts', owners)).toHaveLength(1);
    expect(judgeTable('server/modules/contract/contract.repo.ts', 'contracts', owners)).toEqual([]);
    expect(judgeTable('server/platform/access/access.ts', 'contracts', owners)).toEqual([]);
    expect(tablesNamedIn("import { x } from './contract.table.ts'; db.select().from(contracts)")).toEqual([]);
    expect(
      loopIn(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
        ]),
      ),
    ).toBe('a → b → c → a');
    expect(
      loopIn(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
        ]),
      ),
    ).toBeNull();
    expect(judge('server/modules/resource/resource.repo.ts', 'server/db/schema.ts')).toHaveLength(1);
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
