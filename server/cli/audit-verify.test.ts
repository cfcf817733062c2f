import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { seedDemo } from '../db/seed/demo.ts';
import { recordAudit } from '../platform/audit/audit.service.ts';
import { DEMO_PASSWORD } from '../test/harness.ts';
import { runAuditVerify } from './audit-verify.ts';

// engine: PGlite only — the command reads a data directory of its own (scripts/lib/engine-files.mjs).
let dataDir: string;
const env = () => ({ ROAMS_MODE: 'test', DATA_DIR: dataDir });

async function withDatabase(f: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<void>) {
  const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
  try {
    await f(database.db);
  } finally {
    await database.close();
  }
}

function cli() {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts'], {
    env: { ...process.env, ...env() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'roams-audit-verify-'));
  const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
  await migrateDatabase(database);
  await seedDemo(database.db, { password: DEMO_PASSWORD, districtOfficeLimit: 3 });
  for (let i = 0; i < 5; i++)
    await database.db.transaction((tx) => recordAudit(tx, { actor: null, ip: '127.0.0.1' }, { entity: 'probe', entityId: i, action: 'cli_test' }));
  await database.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('audit:verify command (P5)', () => {
  it('P5 audit:verify reports an intact chain with the number of entries and exits 0', async () => {
    let n = 0;
    await withDatabase(async (db) => {
      n = Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log`)).rows[0]!.n);
    });
    expect(n).toBeGreaterThanOrEqual(5);
    expect(await runAuditVerify(env())).toEqual({ exitCode: 0, line: `audit-verify: OK checked=${n}` });
    const r = cli();
    expect(r.out).toBe(`audit-verify: OK checked=${n}`);
    expect(r.status).toBe(0);
  });

  it('P5 audit:verify names the first broken entry and exits 1 after tampering', async () => {
    let victim = 0;
    await withDatabase(async (db) => {
      victim = Number((await db.execute<{ seq: number }>(sql`select seq from audit_log where action = 'cli_test' order by seq limit 1 offset 2`)).rows[0]!.seq);
      await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await db.execute(sql`update audit_log set action = 'nothing_to_see' where seq = ${victim}`);
      await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });
    const r = await runAuditVerify(env());
    expect(r.exitCode).toBe(1);
    expect(r.line).toMatch(new RegExp(`^audit-verify: BROKEN checked=\\d+ first_bad_seq=${victim} reason=content_changed$`));
    const c = cli();
    expect(c.status).toBe(1);
    expect(c.out).toBe(r.line);
  });

  it('P5 audit:verify exits 1 with a message when it cannot run (production without a database)', async () => {
    const r = await runAuditVerify({ ROAMS_MODE: 'production' });
    expect(r.exitCode).toBe(1);
    expect(r.line).toMatch(/^audit-verify: ERROR .*DATABASE_URL/);
  });
});
