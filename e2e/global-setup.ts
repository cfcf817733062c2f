import { rmSync } from 'node:fs';
import { startServer, TEMPLATE_DIR } from './fixtures.ts';

/** Seeds the demo data once (a first server start on an empty data directory); every spec file's server starts from a copy. */
export default async function globalSetup() {
  const started = Date.now();
  rmSync(TEMPLATE_DIR, { recursive: true, force: true });
  const server = await startServer(TEMPLATE_DIR, { timeoutMs: 300_000 });
  await server.stop();
  if (server.child.exitCode !== 0) throw new Error(`the template server exited ${server.child.exitCode}`);
  console.log(`e2e data template seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
