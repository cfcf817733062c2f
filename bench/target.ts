// The process under load, started by bench/run.ts (so that autocannon does not share its event
// loop): opens the database (PGlite in BENCH_DATA_DIR, or the server at BENCH_DATABASE_URL),
// migrates, generates the state-scale dataset (with BENCH_RESOURCE_SCALE resources), then serves
//   - ROAMS itself (buildApp, exactly as main.ts builds it, request logging off), and
//   - the floor: a bare Fastify with `GET /ok` → {ok:true}, and two partial floors: `GET /db`
//     → `select 1` through the same pool the app uses, `GET /argon2` → one argon2id
//     verification with the app's parameters (what a login cannot avoid),
// on loopback ports, and tells the parent over IPC.
import Fastify from 'fastify';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { hashPassword, verifyPassword } from '../server/platform/auth/password.ts';
import { generateAgenciesContracts } from './generate-contracts.ts';
import { type AuditGenReport, generateAuditTrail } from './generate-audit.ts';
import { generateResources, type ResourceGenReport } from './generate-resources.ts';
import { BENCH_PASSWORD, generateOrgMasters, type GenerateOptions } from './generate.ts';

export type TargetReady = {
  type: 'ready';
  engine: 'pglite' | 'postgres';
  serverVersion: string;
  appPort: number;
  floorPort: number;
  openMs: number;
  migrateMs: number;
  report: Awaited<ReturnType<typeof generateOrgMasters>>;
  contractsReport: Awaited<ReturnType<typeof generateAgenciesContracts>>;
  /** Null when BENCH_RESOURCE_SCALE asked for none. */
  resourcesReport: ResourceGenReport | null;
  /** Null when BENCH_AUDIT_SCALE asked for none. */
  auditReport: AuditGenReport | null;
};

const send = (m: unknown) => process.send?.(m);

async function main() {
  const t0 = performance.now();
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const config = loadConfig({
    ROAMS_MODE: 'test',
    SEED_DEMO: 'false',
    WEB_DIST: '/nonexistent',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE,
  });
  const database = await openDatabase({ databaseUrl, dataDir: process.env.BENCH_DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  const t1 = performance.now();
  await migrateDatabase(database);
  const t2 = performance.now();
  const scale: GenerateOptions = JSON.parse(process.env.BENCH_SCALE ?? '{}');
  const report = await generateOrgMasters(database.db, scale);
  const contractScale: { agencies?: number; contracts?: number } = JSON.parse(process.env.BENCH_CONTRACT_SCALE ?? '{}');
  const contractsReport = await generateAgenciesContracts(database.db, contractScale);
  const resourceCount = Number(process.env.BENCH_RESOURCE_SCALE ?? 0);
  const resourcesReport = resourceCount > 0 ? await generateResources(database.db, { resources: resourceCount }) : null;
  const auditCount = Number(process.env.BENCH_AUDIT_SCALE ?? 0);
  const auditReport = auditCount > 0 ? await generateAuditTrail(database.db, auditCount) : null;
  const { rows } = await database.pool.query<{ v: string }>("select current_setting('server_version') as v");

  // BENCH_ZOD_RESPONSES=1: zod's response serialiser instead of the compiled writer (the before of bench/RESULTS.md, "Compiled response writer").
  const app = await buildApp({ database, config, logger: false, zodResponses: process.env.BENCH_ZOD_RESPONSES === '1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const floor = Fastify({ logger: false });
  floor.get('/ok', async () => ({ ok: true }));
  floor.get('/db', async () => {
    await database.pool.query('select 1');
    return { ok: true };
  });
  const benchHash = await hashPassword(BENCH_PASSWORD);
  floor.get('/argon2', async () => ({ ok: await verifyPassword(benchHash, BENCH_PASSWORD) }));
  await floor.listen({ host: '127.0.0.1', port: 0 });
  const portOf = (s: typeof floor.server) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  };

  const ready: TargetReady = {
    type: 'ready',
    engine: database.engine,
    serverVersion: rows[0]?.v ?? '',
    appPort: portOf(app.server),
    floorPort: portOf(floor.server),
    openMs: Math.round(t1 - t0),
    migrateMs: Math.round(t2 - t1),
    report,
    contractsReport,
    resourcesReport,
    auditReport,
  };
  send(ready);

  process.on('message', async (m: { type?: string }) => {
    if (m?.type !== 'stop') return;
    await floor.close();
    await app.close();
    await database.close();
    send({ type: 'stopped' });
    process.exit(0);
  });
}

main().catch((e) => {
  send({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  process.exit(1);
});
