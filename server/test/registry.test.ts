import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../shared/locales/node.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import { MODULES } from '../modules/registry.ts';
import { tablesOf } from '../platform/module.ts';
import { openTestDatabase } from './harness.ts';

/**
 * Adding a module is one manifest (`<name>.module.ts`) and one line in the registry; everything
 * else is found by convention. This test fails, naming what is missing, when a module's folder,
 * table, migration, catalog, matrix fixtures, record kinds or web feature is not registered —
 * the things that used to fail silently when forgotten.
 */
const root = path.resolve(import.meta.dirname, '../..');
let database: Database & { drop: () => Promise<void> };

beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await database?.drop();
});

const tableName = (t: PgTable) => getTableConfig(t).name;

describe('module registry', () => {
  it('lists every folder of server/modules, each with its manifest under its own name', () => {
    const folders = readdirSync(path.join(root, 'server/modules')).filter((f) => statSync(path.join(root, 'server/modules', f)).isDirectory());
    expect(MODULES.map((m) => m.name).sort()).toEqual(folders.sort());
    for (const f of folders) expect(existsSync(path.join(root, `server/modules/${f}/${f}.module.ts`)), `server/modules/${f}/${f}.module.ts`).toBe(true);
  });

  it('has every table of every *.table.ts in the schema drizzle-kit reads, and in the migrated database', async () => {
    const inSchema = new Set<unknown>(Object.values(schema).filter((v) => is(v, PgTable)));
    const r = await database.db.execute<{ t: string }>(sql`select table_name as t from information_schema.tables where table_schema = 'public'`);
    const inDb = new Set(r.rows.map((x) => x.t));
    const tableFiles = ['server/modules', 'server/platform', 'server/db'].flatMap((d) => walk(path.join(root, d))).filter((f) => f.endsWith('.table.ts'));
    expect(tableFiles.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const f of tableFiles) {
      for (const t of tablesOf(await import(f))) {
        if (!inSchema.has(t)) missing.push(`${tableName(t)} (${path.relative(root, f)}) is not exported by server/db/schema.ts`);
        if (!inDb.has(tableName(t))) missing.push(`${tableName(t)} (${path.relative(root, f)}) has no migration: npm run db:generate`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives each module its own tables, owned once', () => {
    const owner = new Map<string, string>();
    for (const m of MODULES) {
      for (const t of tablesOf(m.tables)) {
        expect(owner.get(tableName(t)), `${tableName(t)} owned by ${owner.get(tableName(t))} and ${m.name}`).toBeUndefined();
        owner.set(tableName(t), m.name);
      }
    }
    expect(owner.size).toBeGreaterThan(10);
  });

  it('exposes no table through a module index, except the organisation masters (read-only reference data for joins)', async () => {
    const leaks: string[] = [];
    for (const m of MODULES) {
      if (m.name === 'org') continue;
      const index = (await import(`../modules/${m.name}/index.ts`)) as Record<string, unknown>;
      for (const [k, v] of Object.entries(index)) if (is(v, PgTable)) leaks.push(`${m.name}/index.ts exports the table ${k}`);
    }
    expect(leaks).toEqual([]);
  });

  it('has the strings of every module with routes in both catalogs', () => {
    const c = loadCatalogs();
    for (const m of MODULES.filter((x) => x.routes)) {
      expect(c.en.translation[m.name], `shared/locales/en/${m.name}.json`).toBeTruthy();
      expect(c.hi.translation[m.name], `shared/locales/hi/${m.name}.json`).toBeTruthy();
    }
  });

  it('has authorisation-matrix fixtures for every module with routes', () => {
    for (const m of MODULES.filter((x) => x.routes))
      expect(existsSync(path.join(root, `server/modules/${m.name}/${m.name}.fixtures.ts`)), `${m.name}.fixtures.ts`).toBe(true);
  });

  it('has a web feature (pages and menu) for every module with screens', () => {
    for (const m of MODULES.filter((x) => x.routes && !x.headless)) {
      const f = path.join(root, `web/features/${m.name}/index.ts`);
      expect(existsSync(f), `web/features/${m.name}/index.ts`).toBe(true);
      expect(readFileSync(f, 'utf8'), `web/features/${m.name}/index.ts exports its feature`).toMatch(
        new RegExp(`export const feature: WebFeature = \\{ name: '${m.name}'`),
      );
    }
  });

  it('gives every record kind of the access layer a source in some module (checked by the access property test)', async () => {
    const { RECORD_KINDS } = await import('../platform/access/access.ts');
    const kinds = new Set(MODULES.flatMap((m) => (m.access ?? []).map((a) => a.kind)));
    expect([...kinds].sort()).toEqual([...RECORD_KINDS].sort());
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
