import { isDeepStrictEqual } from 'node:util';
import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType, safeEncode } from 'zod/v4/core';

/**
 * Response serialisation (issue 13 item 1, "compiled response serialisation"; bench/RESULTS.md).
 *
 * Every route declares its responses as zod schemas (the OpenAPI document is made from them).
 * fastify-type-provider-zod's serialiser runs zod over every response and then JSON.stringify:
 * on a 25-row list page that was ≈ 16 % of the request's Node CPU. Here each response schema is
 * turned once into a JSON schema and compiled by fast-json-stringify (Fastify's own serialiser),
 * which writes only the declared properties in the declared order — a column a query returns but
 * the schema does not declare never reaches the client, as with zod.
 *
 * What the compiled writer does not do is refuse a wrong value (zod answers 500 where the compiled
 * writer would coerce). So under test (`verify`: every Vitest run, and the journeys' servers with
 * ROAMS_VERIFY_RESPONSES=1) each response is written both ways and the two must be the same JSON
 * value (the same text but for the order of keys: fast-json-stringify writes an object's required
 * properties before its optional ones), or the request fails as zod's would: the suite checks the compiled writer
 * against zod on every response it produces. A schema the JSON-schema form cannot carry exactly
 * (transforms, dates, unions of objects, records…) keeps zod's serialiser.
 */

type Serializer = (data: unknown) => string;

function resolveSchema(maybe: unknown): $ZodType {
  if (maybe instanceof $ZodType) return maybe;
  const p = (maybe as { properties?: unknown } | null)?.properties;
  if (p instanceof $ZodType) return p;
  throw new Error(`Not a zod schema: ${JSON.stringify(maybe)}`);
}

type Json = Record<string, unknown>;

/**
 * The JSON schema in the shapes fast-json-stringify writes without running a validator: a
 * nullable primitive, enum, object or array as `type: [t, 'null']`. Returns null when a part has no such shape
 * (any other `anyOf`, `oneOf`, `allOf`, `$ref`, `not`, `if`, pattern or additional properties by
 * schema): those responses keep zod.
 */
function simplify(s: unknown): Json | null {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return null;
  const { $schema: _s, anyOf, ...rest } = s as Json;
  let node: Json = rest;
  if (anyOf !== undefined) {
    if (!Array.isArray(anyOf) || anyOf.length !== 2) return null;
    const nul = anyOf.findIndex((x) => (x as Json)?.type === 'null' && Object.keys(x as Json).length === 1);
    if (nul < 0) return null;
    const other = anyOf[1 - nul] as Json;
    if (typeof other?.type !== 'string' || other.type === 'null') return null;
    if (Object.keys(rest).length > 0) return null;
    const { enum: en, ...o } = other;
    node = { ...o, type: [other.type, 'null'] };
    if (Array.isArray(en)) node.enum = [...en, null];
  }
  for (const k of ['oneOf', 'allOf', '$ref', 'not', 'if', 'patternProperties', 'prefixItems', '$defs', 'definitions']) if (k in node) return null;
  if (Array.isArray(node.type) && node.type.filter((t) => t !== 'null').length !== 1) return null;
  const t = Array.isArray(node.type) ? node.type.find((x) => x !== 'null') : node.type;
  if (t === undefined && !('const' in node)) return null;
  if (t === 'object') {
    if (node.additionalProperties !== false) return null;
    const props = (node.properties ?? {}) as Json;
    const out: Json = {};
    for (const [k, v] of Object.entries(props)) {
      const sv = simplify(v);
      if (!sv) return null;
      out[k] = sv;
    }
    return { ...node, properties: out };
  }
  if (t === 'array') {
    const items = simplify(node.items);
    if (!items) return null;
    return { ...node, items };
  }
  return node;
}

/** The compiled writer of one response schema, or null when it keeps zod's. */
export function compileResponse(schema: $ZodType): Serializer | null {
  let json: unknown;
  try {
    json = z.toJSONSchema(schema as z.ZodType, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  } catch {
    return null;
  }
  const simple = simplify(json);
  if (!simple) return null;
  return fastJson(simple as unknown as Parameters<typeof fastJson>[0]) as Serializer;
}

/**
 * Each schema's writer, compiled once per process: the same schema object serves every app a
 * process builds (a Vitest worker builds one per test file from one module graph).
 */
const compiledBySchema = new WeakMap<$ZodType, Serializer | null>();
function compiledOf(schema: $ZodType): Serializer | null {
  let c = compiledBySchema.get(schema);
  if (c === undefined) {
    c = compileResponse(schema);
    compiledBySchema.set(schema, c);
  }
  return c;
}

/**
 * The writer of a route's response, compiled on the route's first answer, not when the app is
 * built: a server start compiled ≈ 250 routes' writers (0.14 s of its 1.1 s of CPU, with zod's
 * JSON schemas for them), most of which a test file or a journey's server never answers.
 */
export function serializerCompiler(opts: { verify: boolean; zodOnly?: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema: maybe, method, url }) => {
    const schema = resolveSchema(maybe);
    const viaZod: Serializer = (data) => {
      const r = safeEncode(schema, data);
      if (r.error) throw new ResponseSerializationError(method, url, { cause: r.error });
      return JSON.stringify(r.data);
    };
    if (opts.zodOnly) return viaZod;
    return (data: unknown) => {
      const compiled = compiledOf(schema);
      if (!compiled) return viaZod(data);
      if (!opts.verify) return compiled(data);
      const expected = viaZod(data);
      const got = compiled(data);
      if (got !== expected && !isDeepStrictEqual(JSON.parse(got), JSON.parse(expected))) {
        throw new Error(`${method} ${url}: the compiled response differs from zod's:\n zod:      ${expected.slice(0, 2000)}\n compiled: ${got.slice(0, 2000)}`);
      }
      return got;
    };
  };
}
