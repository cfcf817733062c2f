import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { seedDemo } from '../db/seed/demo.ts';

/**
 * Test database templates, built once per Vitest run (globalSetup) and cloned by every test
 * file, so that N files cost one migrate + seed instead of N:
 *  - PGlite: a migrated (and seeded) embedded database dumped to a tarball; each file opens a
 *    fresh in-memory PGlite loaded from it (`loadDataDir`).
 *  - PostgreSQL: databases `roams_tpl_…`; each file runs CREATE DATABASE … TEMPLATE ….
 * Both kinds come in two flavours: `seeded` (the demo data tests rely on) and `bare` (migrated
 * only, for files that load their own data). Built fresh on every run, so a changed migration or
 * seed is never served from a stale template.
 */
export type Templates =
  | { engine: 'pglite'; seeded: string; bare: string; dir: string }
  | { engine: 'postgres'; seeded: string; bare: string; serverUrl: string };

export const DEMO_PASSWORD = 'Roams@Demo2026';
/** The demo dataset the tests see: fewer district offices than the full demo. */
export const TEST_SEED = { password: DEMO_PASSWORD, districtOfficeLimit: 3 } as const;

/** A PGlite served on a loopback port for the build: migrated, dumped to `bare`, seeded, dumped to `seeded`. */
async function buildPgliteTemplates(bare: string, seeded: string): Promise<void> {
  // The template's WAL is copied into memory by every test file's open, and PostgreSQL starts on it
  // there: segments of 1 MB instead of 16 (`--wal-segsize`), and no used segment kept for reuse
  // (`wal_recycle=off`, a checkpoint before each dump): one segment of 1 MB instead of a 16 MB one,
  // 35.6 → 19.9 MB. With the held tarball and a 16 MB buffer pool (pglite-worker.mjs) an open
  // ≈ 1.06 → 0.5 s of CPU (docs/TESTING.md, session of 2026-12-07, eighth).
  const db = await PGlite.create({
    extensions: { pg_trgm, btree_gin },
    initDbStartParams: ['--wal-segsize=1'],
    startParams: [...PGlite.defaultStartParams, '-c', 'wal_recycle=off'],
  });
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  const port = Number(String(server.getServerConn()).split(':').pop());
  const database = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, poolSize: 1 });
  const dumpTo = async (file: string) => {
    await db.exec('checkpoint');
    writeFileSync(file, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  };
  try {
    // template0 and template1 go: nothing in the tests creates a database on PGlite, and their
    // ≈ 600 files made every test file's untar of the template ≈ 30 % slower (0.75 → 0.55 s CPU).
    await db.exec(`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
    await db.exec('drop database template0');
    await db.exec('drop database template1');
    await migrateDatabase(database);
    await dumpTo(bare);
    await seedDemo(database.db, TEST_SEED);
    await dumpTo(seeded);
  } finally {
    await database.close();
    await server.stop();
    await db.close();
  }
}

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(serverUrl: string, q: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(q);
  } finally {
    await admin.end();
  }
}

async function buildPostgresTemplate(serverUrl: string, name: string, seed: boolean): Promise<void> {
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const database = await openDatabase({ databaseUrl: withDatabase(serverUrl, name), poolSize: 2 });
  try {
    await migrateDatabase(database);
    if (seed) await seedDemo(database.db, TEST_SEED);
  } finally {
    await database.close();
  }
}

export async function buildTemplates(serverUrl: string | undefined): Promise<{ templates: Templates; dispose: () => Promise<void> }> {
  if (serverUrl) {
    const tag = randomBytes(4).toString('hex');
    const seeded = `roams_tpl_seeded_${tag}`;
    const bare = `roams_tpl_bare_${tag}`;
    await Promise.all([buildPostgresTemplate(serverUrl, seeded, true), buildPostgresTemplate(serverUrl, bare, false)]);
    return {
      templates: { engine: 'postgres', seeded, bare, serverUrl },
      dispose: async () => {
        for (const n of [seeded, bare]) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'roams-test-tpl-'));
  const seeded = path.join(dir, 'seeded.tar');
  const bare = path.join(dir, 'bare.tar');
  await buildPgliteTemplates(bare, seeded);
  return { templates: { engine: 'pglite', seeded, bare, dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}
