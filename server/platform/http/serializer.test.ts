import { safeEncode } from 'zod/v4/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { compileResponse, serializerCompiler } from './serializer.ts';

// The compiled response writer must write exactly what zod's serialiser writes (and the suite
// checks that on every response it produces, under `verify`); these pin the shapes it takes and
// the ones it leaves to zod.
const viaZod = (schema: z.ZodType, data: unknown) => JSON.stringify(safeEncode(schema, data).data);

const Row = z.object({
  id: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  officeId: z.number().int().nullable(),
  status: z.enum(['draft', 'approved']),
  reason: z.enum(['resigned', 'misconduct']).nullable(),
  alert: z.object({ kind: z.enum(['expiring', 'expired']), days: z.number().int() }).nullable(),
  note: z.string().optional(),
  tags: z.array(z.string()),
  ok: z.literal(true),
});
const Page = z.object({ items: z.array(Row), total: z.number().int() });

const row = {
  id: 7,
  nameEn: 'Ram "R" \\ Kumar\n',
  nameHi: 'राम कुमार क्षत्रिय',
  officeId: null,
  status: 'approved',
  reason: null,
  alert: { kind: 'expired', days: -3 },
  tags: ['a', 'ब'],
  ok: true,
};

describe('compiled response writer', () => {
  it('writes what zod writes: nullable numbers, enums and objects, optional fields absent or present, Devanagari and escapes', () => {
    const w = compileResponse(Page)!;
    expect(w).not.toBeNull();
    const cases = [
      { items: [row], total: 1 },
      { items: [{ ...row, officeId: 12, reason: 'resigned', alert: null, note: 'x' }], total: 2 },
      { items: [], total: 0 },
    ];
    // The same JSON value; the text differs only in key order (required properties first).
    for (const c of cases) expect(JSON.parse(w(c))).toStrictEqual(JSON.parse(viaZod(Page, c)));
    expect(w(cases[0])).toBe(viaZod(Page, cases[0]));
  });

  it('never writes a property the schema does not declare (a raw row’s Aadhaar hash stays out)', () => {
    const out = compileResponse(Page)!({ items: [{ ...row, aadhaarHash: 'secret', extra: 1 }], total: 1, debug: true });
    expect(out).not.toContain('secret');
    expect(out).not.toContain('debug');
    expect(JSON.parse(out)).toEqual(JSON.parse(viaZod(Page, { items: [row], total: 1 })));
  });

  it('leaves to zod what a JSON schema cannot carry exactly: transforms, unions of objects', () => {
    expect(compileResponse(z.object({ at: z.string().transform((s) => s.length) }))).toBeNull();
    expect(compileResponse(z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]))).toBeNull();
  });

  it('under verify, a wrong value is refused as zod refuses it; without, the compiled writer answers', () => {
    const verify = serializerCompiler({ verify: true })({ schema: Page, method: 'GET', url: '/x', httpStatus: '200' });
    expect(() => verify({ items: [{ ...row, id: 'seven' }], total: 1 })).toThrow();
    expect(verify({ items: [row], total: 1 })).toBe(viaZod(Page, { items: [row], total: 1 }));
    const zodOnly = serializerCompiler({ verify: false, zodOnly: true })({ schema: Page, method: 'GET', url: '/x', httpStatus: '200' });
    expect(() => zodOnly({ items: [{ ...row, id: 'seven' }], total: 1 })).toThrow();
  });
});
