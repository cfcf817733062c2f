import { rmSync } from 'node:fs';
// @ts-expect-error a JavaScript module without declarations (scripts/ are plain Node)
import { bundleServer } from '../scripts/lib/server-bundle.mjs';
import { adminSql, databaseUrl, E2E_DATABASE_URL, startServer, TEMPLATE_DIR } from './fixtures.ts';

/** Seeds the demo data once (a first server start on an empty data directory); every spec file's server starts from a copy. */
export default async function globalSetup() {
  const started = Date.now();
  rmSync(TEMPLATE_DIR, { recursive: true, force: true });
  // Every server of the run (this one and each spec file's) starts from one bundle of the server
  // (≈ 0.6 s of CPU a start instead of ≈ 1.8 s through tsx); the workers inherit the variable.
  // Built afresh each run unless the caller (.ci/run) built one already.
  process.env.ROAMS_SERVER_BUNDLE ||= await bundleServer();
  // This run's template database; the workers read the name from the environment (fixtures.ts).
  const TEMPLATE_DB = `roams_e2e_template_${process.pid}`;
  process.env.E2E_TEMPLATE_DB = TEMPLATE_DB;
  // On a PostgreSQL server the template is a database (no connections may remain when it is copied:
  // the server stops before the journeys start); the data directory still holds uploaded files.
  if (E2E_DATABASE_URL) await adminSql(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`, `CREATE DATABASE ${TEMPLATE_DB}`);
  const server = await startServer(TEMPLATE_DIR, { timeoutMs: 300_000, databaseUrl: E2E_DATABASE_URL ? databaseUrl(TEMPLATE_DB) : undefined });
  await server.stop();
  if (server.child.exitCode !== 0) throw new Error(`the template server exited ${server.child.exitCode}`);
  console.log(`e2e data template (${E2E_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}) seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Playwright runs the returned function after the last worker ends: the template database goes.
  return async () => {
    if (E2E_DATABASE_URL) await adminSql(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  };
}
