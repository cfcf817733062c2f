import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import type { Ctx } from '../context.ts';
import { idempotencyOf } from './idempotency.ts';

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

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

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
