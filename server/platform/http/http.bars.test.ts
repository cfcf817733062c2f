import cookie from '@fastify/cookie';
import fc from 'fast-check';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { registerHttpPlatform } from './http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A concrete URL for a route pattern: every `:param` becomes 1. */
const concrete = (url: string, value = '1') => url.replace(/:[A-Za-z]+/g, value);
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function expectSecurityHeaders(res: { headers: Record<string, unknown> }, where: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("default-src 'self'");
  expect(res.headers['x-content-type-options'], where).toBe('nosniff');
  expect(res.headers['x-frame-options'], where).toBeDefined();
  expect(res.headers['referrer-policy'], where).toBe('no-referrer');
}

describe('A8 CSRF, CORS and security headers', () => {
  it('A8 every cookie-authenticated write without the CSRF header, or with a wrong one, is refused with 403 and changes nothing', async () => {
    const c = await t.login('finance_admin');
    const writes = t.app.routeTable.filter((r) => WRITE.has(r.method) && r.permission !== 'public');
    expect(writes.length).toBeGreaterThan(5);
    const before = await dbFingerprint(t.database);
    for (const r of writes) {
      for (const header of [undefined, 'forged-token', c.cookies.roams_csrf!.slice(0, -1)]) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: concrete(r.url),
          payload: {},
          headers: {
            cookie: `roams_session=${c.cookies.roams_session}; roams_csrf=${c.cookies.roams_csrf}`,
            ...(header === undefined ? {} : { 'x-csrf-token': header }),
          },
        });
        expect(res.statusCode, `${r.method} ${r.url} csrf=${header}`).toBe(403);
        expect(res.json().code).toBe('csrf_failed');
      }
    }
    expect(await dbFingerprint(t.database)).toBe(before);
    // The same client with the right header is still logged in and can write.
    expect((await c.put('/api/v1/auth/locale', { locale: 'en' })).statusCode).toBe(200);
  });

  it('A8 every API route answers with CSP (object-src none, frame-ancestors none), nosniff, frame options, no-referrer and no-store — errors included', async () => {
    const c = await t.login('auditor_state');
    const reads = t.app.routeTable.filter((r) => r.method === 'GET');
    for (const r of reads) {
      const res = await c.get(concrete(r.url));
      expectSecurityHeaders(res, `GET ${r.url} → ${res.statusCode}`);
      expect(res.headers['cache-control'], r.url).toBe('no-store');
    }
    const anon = await t.anon.get('/api/v1/audit');
    expect(anon.statusCode).toBe(401);
    expectSecurityHeaders(anon, 'anonymous 401');
    expect(anon.headers['cache-control']).toBe('no-store');
    const missing = await t.anon.get('/api/v1/no-such-route');
    expect(missing.statusCode).toBe(404);
    expectSecurityHeaders(missing, '404');
  });

  it('A8 no CORS grant to a foreign origin', async () => {
    const c = await t.login('finance_admin');
    const res = await c.request({ method: 'GET', url: '/api/v1/auth/me', headers: { origin: 'https://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/locale',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('A8 production sends HSTS', async () => {
    const config = loadConfig({
      ROAMS_MODE: 'production',
      DATABASE_URL: 'postgres://unused',
      SMS_ADAPTER: 'http',
      SMS_HTTP_URL: 'https://sms.example',
      SMS_HTTP_TOKEN: 'x',
      EKYC_PROVIDER: 'http',
      EKYC_HTTP_URL: 'https://kua.example',
      AADHAAR_VAULT_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
      AADHAAR_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
      WEB_DIST: '/nonexistent',
    });
    const app = await buildApp({ database: t.database, config, now: t.clock.now });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{8,}/);
      expectSecurityHeaders(res, 'production health');
    } finally {
      await app.close();
    }
  });
});

/** JSON values, including the awkward ones: NUL bytes, huge numbers, deep nesting, Devanagari. */
const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '%00',
    '../../etc/passwd',
    "' or 1=1 --",
    '🙂',
    'नमस्ते',
    '1e309',
    '-1',
    '0',
    'NaN',
    'null',
    '2026-02-30',
    '9'.repeat(40),
    'x'.repeat(5000),
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -2147483649, 2147483648, 1e300),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }
    >
  >;
};

describe('A9 fuzzing', () => {
  it('A9 the app refuses to build with an /api/v1 route that declares no permission or no schema', async () => {
    const make = async (route: (app: ReturnType<typeof Fastify>) => void) => {
      const app = Fastify();
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      await app.register(cookie);
      registerHttpPlatform(app, { db: t.database.db, now: t.clock.now, cookieSecure: false });
      route(app);
      try {
        await app.ready();
      } finally {
        await app.close();
      }
    };
    await expect(make((app) => app.get('/api/v1/naked', { schema: { querystring: z.object({}) } }, async () => ({})))).rejects.toThrow(
      /declares no permission/,
    );
    await expect(make((app) => app.post('/api/v1/schemaless', { config: { permission: 'org.read' } }, async () => ({})))).rejects.toThrow(
      /declares no request schema/,
    );
    await expect(
      make((app) => app.get('/api/v1/fine', { config: { permission: 'org.read' }, schema: { querystring: z.object({}) } }, async () => ({}))),
    ).resolves.toBeUndefined();
    // And every route of the real app is in the table the matrix and this fuzz walk.
    for (const r of t.app.routeTable) expect(r.permission, `${r.method} ${r.url}`).toBeTruthy();
  });

  /**
   * 40 random cases per route on PGlite; on the PostgreSQL server (the second pass) 10, a sample:
   * the schema and the error handler that refuse them are the same code on both engines, and the
   * NUL-byte sweep below (what the engines could treat differently) runs in full on both.
   * FUZZ_RUNS sets the number (docs/TESTING.md: the CI time budget).
   */
  const RANDOM_RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.TEST_DATABASE_URL ? 10 : 40));
  it('A9 random bodies, query strings and path parameters to every route, as finance_admin, never give a 5xx', async () => {
    const doc = (await t.anon.get('/api/openapi.json')).json() as OpenApi;
    let c: Client = await t.login('finance_admin');
    const routes = t.app.routeTable;
    expect(routes.length).toBeGreaterThan(10);
    let requests = 0;
    const failures: string[] = [];
    for (const r of routes) {
      const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const bodyKeys = Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      const queryKeys = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const shapedBody = bodyKeys.length ? fc.record(Object.fromEntries(bodyKeys.map((k) => [k, jsonValue])), { requiredKeys: [] }) : fc.constant({});
      const body = fc.oneof(shapedBody, jsonValue);
      const query = fc.dictionary(fc.constantFrom(...queryKeys, 'page', 'pageSize', 'q', 'x'), fc.oneof(fc.string({ maxLength: 30 }), nasty.map(String)), {
        maxKeys: 5,
      });
      const param = fc.oneof(
        fc.constantFrom('1', '0', '-1', '2147483648', 'abc', '%00', '1.5', '99999999999999999999'),
        fc.string({ minLength: 1, maxLength: 12 }),
      );
      await fc.assert(
        fc.asyncProperty(body, query, param, async (b, q, p) => {
          if (!c.cookies.roams_session) c = await t.login('finance_admin'); // logout and password routes end the session
          const url = concrete(r.url, encodeURIComponent(p)) + (Object.keys(q).length ? `?${new URLSearchParams(q as Record<string, string>).toString()}` : '');
          const res = await c.request({
            method: r.method as 'GET',
            url,
            ...(WRITE.has(r.method) ? { payload: JSON.stringify(b), headers: { 'content-type': 'application/json' } } : {}),
          });
          requests++;
          // The invoice PDF answers 503 `pdf_unavailable` while its renderer is not built (issue 16): a known outage, not a crash.
          if (res.statusCode === 503 && r.url === '/api/v1/invoices/:id/pdf' && res.json().code === 'pdf_unavailable') return;
          if (res.statusCode >= 500) failures.push(`${r.method} ${url} ${JSON.stringify(b).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          expect(res.statusCode, `${r.method} ${url}`).toBeLessThan(500);
          if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
        }),
        { numRuns: RANDOM_RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261125), endOnFailure: true },
      );
    }
    // Deterministic sweep: a NUL byte in every body field, every query field and the path.
    for (const r of routes) {
      const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const bodyKeys = Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      const queryKeys = [...(op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), 'q'];
      const cases: { url: string; body?: Record<string, unknown> }[] = [
        { url: concrete(r.url, '%00') },
        ...queryKeys.map((k) => ({ url: `${concrete(r.url)}?${k}=a%00b` })),
        ...bodyKeys.map((k) => ({ url: concrete(r.url), body: { [k]: 'a\u0000b' } })),
        { url: concrete(r.url), body: { 'k\u0000': 'v', nested: [{ x: '\u0000' }] } },
      ];
      for (const k of cases) {
        if (!c.cookies.roams_session) c = await t.login('finance_admin');
        const res = await c.request({
          method: r.method as 'GET',
          url: k.url,
          ...(WRITE.has(r.method) ? { payload: JSON.stringify(k.body ?? {}), headers: { 'content-type': 'application/json' } } : {}),
        });
        requests++;
        if (res.statusCode === 503 && r.url === '/api/v1/invoices/:id/pdf' && res.json().code === 'pdf_unavailable') continue; // known outage (above)
        if (res.statusCode >= 500) failures.push(`${r.method} ${k.url} ${JSON.stringify(k.body ?? null)} → ${res.statusCode}`);
      }
    }
    console.log(`A9 fuzz: ${requests} requests over ${routes.length} routes, seed ${process.env.FUZZ_SEED ?? 20261125}`);
    expect(failures).toEqual([]);
  }, 300_000);
});
