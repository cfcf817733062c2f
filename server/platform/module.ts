import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db, DbOrTx } from '../db/client.ts';
import type { AccessSource } from './access/access.ts';
import type { FileStore } from './files/files.ts';
import type { JobSpec } from './jobs/jobs.ts';
import type { HttpDeps } from './http/http.ts';

/** What every module's routes get besides the HTTP platform. */
export type ModuleOptions = { filesDir: string };

/**
 * A module's manifest (`server/modules/<name>/<name>.module.ts`), listed once in
 * `server/modules/registry.ts`. The app mounts its routes, the demo seed runs its `seedDemo` in
 * registry order, the server starts its jobs, and the registry test checks that its tables are
 * in the schema and the migrations, its record kinds in the access property test, its routes in
 * the authorisation matrix (`<name>.fixtures.ts`) and its strings in both catalogs
 * (`shared/locales/{en,hi}/<name>.json`), and that the web has a feature of the same name.
 */
export type ServerModule = {
  /** The folder name; also its catalog namespace and its web feature's name. */
  name: string;
  routes?: (deps: HttpDeps, opts: ModuleOptions) => FastifyPluginAsyncZod;
  /** The module's `*.table.ts` namespace: the tables it owns (anything else exported there is ignored). */
  tables: Record<string, unknown>;
  /** Its records for the access layer (`<name>.policy.ts`). */
  access?: readonly AccessSource[];
  /** Demo data (demo mode and tests), inside the seeding transaction, after the modules before it. */
  seedDemo?: (tx: DbOrTx, env: { files: FileStore; now: Date }) => Promise<void>;
  /**
   * Scheduled jobs: the server runs each once per slot of its period across all instances,
   * claimed through the database (server/platform/jobs/jobs.ts).
   */
  jobs?: readonly JobSpec[];
  /** True for a module without screens (no web feature expected). */
  headless?: boolean;
};

/** The tables of a `*.table.ts` namespace. */
export function tablesOf(ns: Record<string, unknown>): PgTable[] {
  return Object.values(ns).filter((v): v is PgTable => is(v, PgTable));
}
