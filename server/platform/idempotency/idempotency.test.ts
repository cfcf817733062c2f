import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import type { Ctx } from '../context.ts';
import { sql } from 'drizzle-orm';
import { runDueJobs } from '../jobs/jobs.ts';
import { IDEMPOTENCY_KEEP_DAYS, idempotencyKeysJob, idempotencyOf } from './idempotency.ts';

/**
 * The Idempotency-Key of record-creating routes (idempotency.ts): the claim a request makes, and
 * the OpenAPI document naming the optional header on every route that takes it (the races of
 * each route are in the modules' *.idempotency.races.test.ts).
 */
const ctx = (assignmentId = 7): Ctx => ({
  actor: { userId: 3, name: 'U', assignmentId, role: 'agency_admin', scopeKind: 'agency', scopeId: 1 },
  ip: '',
  locale: 'en',
  now: new Date(),
});

describe('the claim of a request', () => {
  it('no key (or a blank one): none — the route behaves as without idempotency', () => {
    expect(idempotencyOf(ctx(), 'x', undefined, {})).toBeNull();
    expect(idempotencyOf(ctx(), 'x', '   ', {})).toBeNull();
  });

  it('the same body in another field order hashes alike; another body, scope or role does not', () => {
    const a = idempotencyOf(ctx(), 'resource.create', 'key-12345', { a: 1, b: { c: [1, 2], d: 'x' } })!;
    const b = idempotencyOf(ctx(), 'resource.create', 'key-12345', { b: { d: 'x', c: [1, 2] }, a: 1 })!;
    expect(a.hash).toBe(b.hash);
    expect(idempotencyOf(ctx(), 'resource.create', 'key-12345', { a: 2, b: { c: [1, 2], d: 'x' } })!.hash).not.toBe(a.hash);
    expect(idempotencyOf(ctx(8), 'resource.create', 'key-12345', { a: 1, b: { c: [1, 2], d: 'x' } })!.hash).not.toBe(a.hash);
    expect(a).toMatchObject({ userId: 3, key: 'key-12345', scope: 'resource.create' });
  });

  it('a key outside 8–100 characters is refused', () => {
    expect(() => idempotencyOf(ctx(), 'x', 'short', {})).toThrow('idempotency_key_required');
    expect(() => idempotencyOf(ctx(), 'x', 'k'.repeat(101), {})).toThrow('idempotency_key_required');
  });
});

/** One app for the file's database tests (the OpenAPI document, the clean-up job). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: false });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the OpenAPI document', () => {
  it('names the optional Idempotency-Key header on every record-creating route that takes it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>>;
    };
    for (const path of [
      '/api/v1/resources',
      '/api/v1/resources/{id}/events',
      '/api/v1/pd/accounts/{id}/deposits',
      '/api/v1/pd/opening/proposals',
      '/api/v1/agencies/{id}/documents',
    ]) {
      const header = doc.paths[path]?.post?.parameters?.find((p) => p.in === 'header' && p.name === 'idempotency-key');
      expect(header, path).toBeTruthy();
      expect(header?.required ?? false, path).toBe(false);
    }
  });
});

describe('the daily clean-up of old keys', () => {
  it(`deletes the keys older than ${IDEMPOTENCY_KEEP_DAYS} days, once per day across instances, and keeps the others`, async () => {
    const now = new Date('2026-12-07T06:00:00Z');
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day).toISOString();
    await t.database.db.execute(sql`
      insert into idempotency_keys (user_id, key, scope, request_hash, entity_id, created_at) values
        (1, 'old-key-0001', 'resource.create', 'h', 1, ${at(IDEMPOTENCY_KEEP_DAYS + 1)}),
        (1, 'edge-key-002', 'resource.create', 'h', 2, ${at(IDEMPOTENCY_KEEP_DAYS - 1)}),
        (2, 'new-key-0003', 'pd.deposit', 'h', 3, ${at(0)})`);
    const ticks = await Promise.all(['a', 'b'].map((instance) => runDueJobs(t.database.db, [idempotencyKeysJob], { instance, now: () => now })));
    expect(ticks.flat().filter((r) => r.ran)).toHaveLength(1);
    const left = await t.database.db.execute<{ key: string }>(sql`select key from idempotency_keys order by key`);
    expect(left.rows.map((r: { key: string }) => r.key)).toEqual(['edge-key-002', 'new-key-0003']);
  });
});
