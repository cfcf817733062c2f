import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Query strings and path parameters arrive as text. `z.coerce.boolean()` is `Boolean(text)`
 * (`?breachedOnly=false` read as true) and `z.coerce.number()` reads '' and ' ' as 0 (an empty
 * `?page=` as page 0, `?officeId=` as office 0). Every query and path schema the contracts export
 * is checked here, and the sources may not use `coerce.boolean` at all (the lint rule
 * scripts/lint/no-coerce-boolean.grit says the same in the editor).
 */
const root = path.resolve(import.meta.dirname, '../..');
const contracts = path.join(root, 'shared/contracts');

type Shape = Record<string, z.ZodType>;
function shapeOf(s: z.ZodType): Shape | null {
  const def = (s as unknown as { _zod: { def: { shape?: Shape; in?: z.ZodType; innerType?: z.ZodType } } })._zod.def;
  if (def.shape) return def.shape;
  const inner = def.in ?? def.innerType;
  return inner ? shapeOf(inner) : null;
}

async function querySchemas(): Promise<[string, Shape][]> {
  const out: [string, Shape][] = [];
  for (const f of readdirSync(contracts).filter((n) => n.endsWith('.ts') && !n.includes('.test.'))) {
    const mod = (await import(path.join(contracts, f))) as Record<string, unknown>;
    for (const [name, s] of Object.entries(mod)) {
      if (!(s instanceof z.ZodType) || !/(Query|Params?)$/.test(name)) continue;
      const shape = shapeOf(s);
      if (shape) out.push([`${f} ${name}`, shape]);
    }
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

describe('query strings and path parameters read as people mean them', () => {
  it('no query or path field takes an empty or blank value as 0, or any text as true', async () => {
    const schemas = await querySchemas();
    expect(schemas.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const [name, shape] of schemas) {
      for (const [key, field] of Object.entries(shape)) {
        for (const text of ['', ' ']) {
          const r = field.safeParse(text);
          if (r.success && (typeof r.data === 'number' || typeof r.data === 'boolean'))
            wrong.push(`${name}.${key}: ${JSON.stringify(text)} → ${JSON.stringify(r.data)}`);
        }
        const no = field.safeParse('false');
        if (no.success && no.data === true) wrong.push(`${name}.${key}: 'false' → true`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("no source coerces text to a boolean (ZQueryBool instead); this file's own patterns excepted", () => {
    const found = ['server', 'shared', 'web']
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => f !== import.meta.filename)
      .filter((f) => /\bcoerce\s*(\.\s*boolean|\[\s*['"`]boolean)\b/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map((f) => path.relative(root, f));
    expect(found).toEqual([]);
  });
});
