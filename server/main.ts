import { ConfigError, loadConfig, type TConfig } from './config.ts';
import { buildApp } from './app.ts';
import { startBanner } from './banner.ts';
import { migrateDatabase, openDatabase } from './db/client.ts';
import { embeddedMaintenanceJob } from './db/maintenance.ts';
import { DEMO_USERS, isDemoSeeded, seedDemo } from './db/seed/demo.ts';
import { httpSms, sandboxEmail, sandboxSms } from './platform/adapters/sms.ts';
import { localFileStore } from './platform/files/files.ts';
import { idempotencyKeysJob } from './platform/idempotency/idempotency.ts';
import { orphanFilesJob } from './platform/files/files.sweep.ts';
import { startJobRunner } from './platform/jobs/jobs.ts';
import { startOutboxWorker } from './platform/outbox/outbox.service.ts';
import { MODULES } from './modules/registry.ts';
import path from 'node:path';

let config: TConfig;
try {
  config = loadConfig();
} catch (e) {
  // A refused configuration is the operator's to fix: say why in plain lines, exit 1.
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
const started = Date.now();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, 'pglite'), poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);

const seeded = await isDemoSeeded(database.db);
if (config.isProduction && seeded) {
  console.error('Refusing to start in production mode: this database holds the demo dataset.');
  await database.close();
  process.exit(1);
}
if (config.SEED_DEMO && !seeded) {
  console.log('Loading the demo dataset (first start)…');
  await seedDemo(database.db, { password: config.DEMO_PASSWORD });
}

const app = await buildApp({
  database,
  config,
  logger: { level: config.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'] },
});
// config.ts refuses SMS_ADAPTER=http without SMS_HTTP_URL, so there is no silent fallback here.
const sms =
  config.SMS_ADAPTER === 'http'
    ? httpSms(config.SMS_HTTP_URL ?? '', config.SMS_HTTP_TOKEN ?? '')
    : sandboxSms(database.db, { failRate: Number(process.env.SANDBOX_SMS_FAIL_RATE ?? 0) });
const worker = startOutboxWorker(database.db, { sms, email: sandboxEmail(database.db) });
// Scheduled jobs — every module's (contract expiry and alerts every 6 h, …), the daily sweep of
// stored bytes no `stored_files` row holds, of Idempotency-Keys older than 30 days and, on PGlite only, the daily VACUUM (ANALYZE) — each
// run once per slot across all instances, claimed through the database
// (server/platform/jobs/jobs.ts). Not in test mode: tests drive the jobs with a fake clock.
const jobs = startJobRunner(
  database.db,
  config.ROAMS_MODE !== 'test'
    ? [...MODULES.flatMap((m) => m.jobs ?? []), orphanFilesJob(localFileStore(config.FILES_DIR)), idempotencyKeysJob, ...embeddedMaintenanceJob(database)]
    : [],
);

await app.listen({ host: config.HOST, port: config.PORT });
const url = `http://localhost:${config.PORT}`;
// Printed after listen; request lines are at `warn` in demo mode (config.ts), so nothing buries it.
console.log(
  startBanner({
    url,
    database: database.engine === 'pglite' ? `embedded PGlite in ${path.resolve(config.DATA_DIR)}` : 'PostgreSQL server',
    readySeconds: (Date.now() - started) / 1000,
    demo: config.SEED_DEMO ? { password: config.DEMO_PASSWORD, users: DEMO_USERS } : undefined,
  }),
);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    if (closing) return;
    closing = true;
    // Graceful (rolling restarts behind nginx, bar S7): finish the job or delivery in progress,
    // stop accepting connections (nginx sends new ones to another instance), answer the
    // requests in flight, then close the pool. Never longer than 30 s.
    setTimeout(() => process.exit(1), 30_000).unref();
    await worker.stop();
    await jobs.stop();
    await app.close();
    await database.close();
    process.exit(0);
  });
}
