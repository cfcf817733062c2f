import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleHas } from '../../shared/permissions.ts';
import type { TRole } from '../../shared/roles.ts';
import { DEMO_USERS } from '../db/seed/demo.ts';
import { type Client, createTestApp, type TestApp } from './harness.ts';

/**
 * Bar A9: fuzzed input never yields a 500 nor a response that leaks internals.
 *
 * Derived from the OpenAPI document (GET /api/openapi.json), so a new route is fuzzed without
 * anyone adding it here: every operation × every demo role that may call it (and anonymous
 * callers for public routes) × at least 30 malformed inputs placed in the path, the query and
 * the body — wrong types, nulls, 1 MB strings, deep nesting, Unicode edge cases (lone
 * surrogates, bidi overrides, NUL, non-ASCII digits), impossible and out-of-range dates, huge
 * and negative numbers, broken JSON and multipart. Values come from a fixed catalogue plus
 * fast-check samples with a fixed seed, so a failure reproduces.
 *
 * Inputs that would be valid are avoided where they could change who is logged in: a route
 * without a request body gets malformed path parameters only (so `…/deactivate` never
 * deactivates a real record), and `POST /auth/logout` runs last for each client.
 */

const SEED = 20261203;
/**
 * The whole walk (every role) runs on PGlite; on the PostgreSQL server (the suite's second pass,
 * TEST_DATABASE_URL) each route is fuzzed by one of the roles allowed to call it, rotating over the
 * routes, with the same inputs. What refuses malformed input is the route's schema and the error
 * handler, the same code on both engines; the engine only matters for what reaches SQL (NUL bytes,
 * out-of-range numbers and dates), and every input still reaches it once per route. FUZZ_ALL_ROLES=1
 * walks every role on PostgreSQL too (docs/TESTING.md: the CI time budget).
 */
const ONE_ROLE_PER_ROUTE = Boolean(process.env.TEST_DATABASE_URL) && process.env.FUZZ_ALL_ROLES !== '1';
const INPUTS_PER_CALLER = 30;
/** Broken envelopes (bad JSON, oversize, wrong media types) added for each route with a body. */
const ENVELOPES = 6;
const MB = 1024 * 1024;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  default?: unknown;
};
type Param = { in: 'path' | 'query'; name: string; schema?: JsonSchema };
type Operation = { method: string; path: string; params: Param[]; body: JsonSchema | null; multipart: boolean };

function deep(n: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < n; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

/** Malformed values for any field (JSON-typed; query and path use their string forms). */
const CATALOGUE: unknown[] = [
  null,
  true,
  0,
  -1,
  -2_147_483_649,
  2_147_483_648,
  9_007_199_254_740_992,
  1e308,
  -1e308,
  1.5,
  '',
  ' ',
  'x'.repeat(MB),
  '\ud800',
  'a\udfffb',
  'invoice\u202efdp.exe',
  '\u2066x\u2069',
  'nul\u0000byte',
  'bell\u0007\u001b[31m',
  '\u0661\u0662\u0663',
  '𝟙𝟚𝟛',
  '0000-01-01',
  '0001-01-01',
  '2026-02-30',
  '9999-12-31',
  '+275760-09-13',
  '2026-13-01T25:61:61Z',
  '1e999',
  'NaN',
  "' OR 1=1 --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '__proto__',
  { __proto__: null, constructor: { prototype: { polluted: true } } },
  {},
  [],
  ['a', 1, null],
  deep(60),
];

/** Path values that are never a valid id once coerced (a valid id could change a real record). */
const PATH_VALUES = [
  '0',
  '-1',
  '2147483648',
  '99999999999999999999',
  '1.5',
  'abc',
  '1e3x',
  '\ud800',
  '\u202e1',
  '%00',
  '..%2F..%2Fetc',
  '١',
  'null',
  ' ',
  '0x10',
  '-0.5',
];

/** Well-typed filler for the fields that are not the one being broken. */
function plausible(s: JsonSchema | undefined, depth = 0): unknown {
  if (!s || depth > 4) return 'x';
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return plausible(alt.find((a) => a.type !== 'null') ?? alt[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'array':
      return [plausible(s.items, depth + 1)];
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) o[k] = plausible(v, depth + 1);
      return o;
    }
    default:
      return s.format === 'date' ? '2026-05-01' : 'x';
  }
}

/**
 * The values most likely to slip past a weak schema, by the type the document declares, the
 * most telling first: each field gets the first TYPED_PER_FIELD of its list while every other
 * field keeps a well-typed value, so the request reaches the handler unless the schema stops it.
 */
const TYPED_PER_FIELD = 2;
function typedValues(s: JsonSchema | undefined): unknown[] {
  const alt = s?.anyOf ?? s?.oneOf;
  const t = alt ? alt.find((a) => a.type !== 'null') : s;
  const type = Array.isArray(t?.type) ? t.type.find((x) => x !== 'null') : t?.type;
  if (t?.enum) return ['__proto__', 'constructor', '', `${String(t.enum[0]).toUpperCase()} `];
  switch (type) {
    case 'integer':
    case 'number':
      return [2_147_483_648, -1, 0, 9_007_199_254_740_992, 1.5, -2_147_483_649, '1'];
    case 'boolean':
      return ['true', null, 1];
    case 'array':
      return [[null], deep(60), [], ['\ud800']];
    case 'object':
      return [null, [], deep(60)];
    default:
      return t?.format === 'date'
        ? ['0000-01-01', '0001-01-01', '9999-12-31', '2026-02-30', '+275760-09-13']
        : ['\ud800', 'x\u202ey', 'bell\u0007', 'constructor', '__proto__', 'a'.repeat(5000), '\u0661\u0662', ''];
  }
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) is sent as its raw bytes. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s
      .split('')
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

function asQueryValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function operationsOf(doc: {
  paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: m.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
        body: content['application/json']?.schema ?? null,
        multipart: 'multipart/form-data' in content,
      });
    }
  }
  return ops;
}

/** At least INPUTS_PER_CALLER malformed requests for one operation, the same on every run. */
function inputsFor(op: Operation, salt: number): InjectOptions[] {
  const rnd = fc.sample(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
      fc.double(),
      fc.jsonValue({ maxDepth: 4 }),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    ),
    { seed: SEED + salt, numRuns: INPUTS_PER_CALLER },
  );
  const values = [...CATALOGUE, ...rnd];
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const hasBody = op.body !== null || op.multipart;
  const url = (bad?: { name: string; value: string }) =>
    op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (bad?.name === name) return enc(bad.value);
      // A route without a body acts on its path alone: keep that path malformed.
      return hasBody ? '1' : enc(PATH_VALUES[(name.length + salt) % PATH_VALUES.length] ?? '0');
    });
  const payloadOf = (v: unknown) => (op.body ? { payload: JSON.stringify(v), headers: { 'content-type': 'application/json' } } : {});
  const base = op.body ? plausible(op.body) : undefined;
  const fields = op.body?.properties ? Object.keys(op.body.properties) : [];
  const out: InjectOptions[] = [];
  const method = op.method as InjectOptions['method'];
  for (const f of fields) {
    for (const v of typedValues(op.body?.properties?.[f]).slice(0, TYPED_PER_FIELD))
      out.push({ method, url: url(), ...payloadOf({ ...(base as object), [f]: v }) });
  }
  for (const q of queryParams) {
    const dateLike = q.schema?.format === 'date' || /^(from|to|on)$/.test(q.name);
    for (const v of typedValues(dateLike ? { type: 'string', format: 'date' } : q.schema).slice(0, TYPED_PER_FIELD)) {
      out.push({ method, url: `${url()}?${new URLSearchParams({ [q.name]: asQueryValue(v) }).toString()}`, ...payloadOf(base) });
    }
  }
  // Each route gets its own slice of the values (rotated by its position), so the whole run
  // covers the catalogue many times while one route costs only INPUTS_PER_CALLER requests.
  const budget = INPUTS_PER_CALLER - (hasBody ? ENVELOPES : 0);
  for (let i = 0; out.length < budget && i < 4 * values.length; i++) {
    const v = values[(i + salt * 7) % values.length];
    const kinds = [pathParams.length && 'path', queryParams.length && 'query', op.body && 'body', op.body && 'whole-body'].filter(Boolean) as string[];
    const kind = kinds.length ? kinds[i % kinds.length] : 'none';
    if (kind === 'path') {
      const p = pathParams[i % pathParams.length]!;
      const pv = typeof v === 'string' && v.length < 1000 ? v : PATH_VALUES[i % PATH_VALUES.length]!;
      if (/^\s*[0-9]+\s*$/.test(pv) && Number(pv) >= 1 && Number(pv) < 2 ** 31) continue;
      out.push({ method, url: url({ name: p.name, value: pv }), ...payloadOf(base) });
    } else if (kind === 'query') {
      const q = queryParams[i % queryParams.length]!;
      const qs = new URLSearchParams();
      qs.append(q.name, asQueryValue(v));
      if (i % 3 === 0) qs.append(q.name, '2'); // the same key twice: an array
      out.push({ method, url: `${url()}?${qs.toString()}`, ...payloadOf(base) });
    } else if (kind === 'body') {
      const f = fields[i % Math.max(1, fields.length)];
      const body = f && base && typeof base === 'object' ? { ...(base as object), [f]: v } : v;
      out.push({ method, url: url(), ...payloadOf(body) });
    } else if (kind === 'whole-body') {
      out.push({ method, url: url(), ...payloadOf(v) });
    } else {
      // No parameters and no body: junk the server must ignore or refuse.
      out.push({
        method,
        url: `${url()}?${new URLSearchParams({ junk: asQueryValue(v) }).toString()}`,
        payload: JSON.stringify(v),
        headers: { 'content-type': 'application/json' },
      });
    }
  }
  // Broken envelopes for every route that takes a body.
  if (hasBody) {
    const u = url();
    out.push({ method, url: u, payload: '{"a":', headers: { 'content-type': 'application/json' } });
    out.push({ method, url: u, payload: 'x'.repeat(MB + 10), headers: { 'content-type': 'application/json' } });
    out.push({
      method,
      url: u,
      payload: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      headers: { 'content-type': 'application/json' },
    });
    out.push({ method, url: u, payload: 'a=b', headers: { 'content-type': 'text/plain' } });
    out.push({
      method,
      url: u,
      payload: '--zz\r\nContent-Disposition: form-data; name="x"\r\n\r\nbroken',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
    });
    out.push({
      method,
      url: u,
      payload: '--zz\r\nContent-Disposition: form-data; name="order"; filename="invoice\u202efdp.exe"\r\nContent-Type: text/html\r\n\r\n<html>\r\n--zz--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
    });
  }
  return out;
}

/** What a response must never contain: stack frames, SQL, file paths, driver messages. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat\s+\S+\s+\(?[^)\s]*:\d+:\d+\)?/],
  ['file path', /(\/work\/|\/home\/|node_modules|\.ts:\d+|\.m?js:\d+|file:\/\/)/],
  ['SQL', /\b(select\s+.+\s+from|insert\s+into|update\s+\S+\s+set|delete\s+from)\b|Failed query|syntax error at|violates .* constraint|relation "/i],
  ['driver', /\b(DrizzleQueryError|ZodError|PGlite|TypeError|ReferenceError|RangeError)\b/],
];

function leakIn(body: string): string | null {
  const s = body.length > 20_000 ? body.slice(0, 20_000) : body;
  for (const [what, re] of LEAKS) if (re.test(s)) return what;
  return null;
}

let t: TestApp;
let ops: Operation[] = [];
const clients = new Map<string, { role: TRole | null; client: Client }>();

beforeAll(async () => {
  t = await createTestApp();
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  ops = operationsOf(doc);
  // One demo user per role (a second user of the same role differs only in scope, which the
  // refusal of malformed input does not depend on; the authorisation matrix covers scopes).
  const seen = new Set<string>();
  for (const d of DEMO_USERS) {
    if (d.username === 'firstlogin_demo' || seen.has(d.role)) continue;
    seen.add(d.role);
    clients.set(d.username, { role: d.role as TRole, client: await t.login(d.username) });
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('fuzzing every route of the OpenAPI document (bar A9)', () => {
  it('answers malformed input with a 4xx that names no internals, never a 5xx', async () => {
    const permissionOf = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.permission]));
    const perRoute = new Map<string, number>();
    const msPerRoute = new Map<string, number>();
    const problems: string[] = [];
    let sent = 0;
    let fives = 0;
    const started = Date.now();
    const cpu = process.cpuUsage();
    const apiOps = ops.filter((o) => o.path.startsWith('/api/'));
    // Logging out ends the client's session: do it last.
    const ordered = [...apiOps.filter((o) => !o.path.endsWith('/logout')), ...apiOps.filter((o) => o.path.endsWith('/logout'))];
    for (const [n, op] of ordered.entries()) {
      const key = `${op.method} ${op.path}`;
      const permission = permissionOf.get(key) ?? (op.path === '/api/health' ? 'public' : undefined);
      expect(permission, `${key} is in the OpenAPI document but not in the route table`).toBeDefined();
      const callers: { name: string; client: Client }[] = [];
      if (permission === 'public') callers.push({ name: 'anonymous', client: t.anon });
      for (const [name, { role, client }] of clients) {
        if (permission === 'public' || permission === 'session' || (role && permission && roleHas(role, permission as Parameters<typeof roleHas>[1])))
          callers.push({ name, client });
      }
      const inputs = inputsFor(op, n);
      expect(inputs.length).toBeGreaterThanOrEqual(30);
      const t0 = Date.now();
      const chosen = ONE_ROLE_PER_ROUTE && callers.length > 1 ? [callers[n % callers.length]!] : callers;
      for (const { name, client } of chosen) {
        for (const input of inputs) {
          const res = await client.request(input);
          sent++;
          perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
          const what = `${name} ${input.method} ${String(input.url).slice(0, 120)} ${typeof input.payload === 'string' ? input.payload.slice(0, 80) : ''}`;
          if (res.statusCode >= 500) {
            fives++;
            problems.push(`${res.statusCode} ← ${what} → ${res.body.slice(0, 200)}`);
          }
          const leak = leakIn(res.body);
          if (leak) problems.push(`${leak} leaked ← ${what} → ${res.body.slice(0, 200)}`);
        }
      }
      msPerRoute.set(key, Date.now() - t0);
    }
    const lines = [...perRoute].map(([k, c]) => `${String(c).padStart(5)} ${String(msPerRoute.get(k)).padStart(6)} ms  ${k}`);
    const used = process.cpuUsage(cpu);
    console.log(
      `fuzz: ${sent} requests over ${perRoute.size} routes (${clients.size} roles + anonymous${ONE_ROLE_PER_ROUTE ? ', one role per route' : ''}) in ${((Date.now() - started) / 1000).toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} s CPU), ${fives} answered 5xx (seed ${SEED})\nrequests     ms  route\n${lines.join('\n')}`,
    );
    expect(perRoute.size).toBe(ordered.length);
    expect(problems).toEqual([]);
  }, 600_000);
});
