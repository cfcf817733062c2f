import { z } from 'zod';

/** Paging for every list: 1-based page, at most 200 rows. */
export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});

export function ZPage<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export const ZOk = z.object({ ok: z.literal(true) });

export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string().optional() })).optional(),
});

// --- Bounded inputs (bar A9: no input reaches the database that it would refuse) -------------

/** The largest PostgreSQL `integer` (int4): every id column. */
export const INT4_MAX = 2_147_483_647;

/** A record id in a path or query string (text, coerced): 1 … 2^31 − 1. */
export const ZId = z.coerce.number().int().min(1).max(INT4_MAX);
/** A record id in a JSON body (a number, not coerced): 1 … 2^31 − 1. */
export const ZIdNumber = z.number().int().min(1).max(INT4_MAX);

/**
 * A yes / no in a query string: exactly `true` or `false`. Never `z.coerce.boolean()`: it is
 * `Boolean(text)`, so `?breachedOnly=false` — any non-empty text — reads as true (a lint rule,
 * scripts/lint/no-coerce-boolean.grit, refuses it). Give the default where it is used: `.default(false)`.
 */
export const ZQueryBool = z.stringbool({ truthy: ['true'], falsy: ['false'] });

/**
 * A whole number typed into a form and sent as text (a multipart field), 0 … `max`: digits only.
 * Not `z.coerce.number()`: it reads '' and ' ' as 0, so an amount left empty would be taken as ₹0;
 * here an empty value is `required`, and '1e3', '0x10' or '12.5' are refused.
 */
export function zTextInt(max: number) {
  return z.string().min(1).regex(/^\d+$/).transform(Number).pipe(z.number().int().max(max));
}

/**
 * The range each kind of date may take. `z.iso.date()` alone accepts 0000-01-01, which
 * PostgreSQL refuses (a 500) and which no real order carries. The choice:
 * - `record` 1950-01-01 … 2100-12-31: dates of orders, contracts, notifications, licences,
 *   periods and terminations. Nothing in the portal predates MP's outsourcing rules by decades;
 *   a legacy contract or an old sanction order entered today still falls after 1950, and nothing
 *   is planned past 2100.
 * - `search` 1900-01-01 … 2199-12-31: from / to / on filters of lists and the audit trail.
 *   Wider, so a filter never refuses what a user may reasonably type, but still inside what
 *   PostgreSQL's date type and JavaScript's Date handle exactly.
 */
export const DATE_RANGES = {
  record: { from: '1950-01-01', to: '2100-12-31' },
  search: { from: '1900-01-01', to: '2199-12-31' },
} as const;
export type TDateKind = keyof typeof DATE_RANGES;

/** An ISO date (YYYY-MM-DD) inside the range of its kind; out of range → `date_out_of_range`. */
export function zDate(kind: TDateKind) {
  const { from, to } = DATE_RANGES[kind];
  return z.iso.date().refine((v) => v >= from && v <= to, {
    params: { code: 'date_out_of_range', from: formatDmy(from), to: formatDmy(to) },
  });
}

function formatDmy(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/**
 * Characters no free text may hold: lone surrogates (not Unicode; PostgreSQL's JSON refuses
 * them), C0 and C1 control characters and DEL, and the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069) that make text read differently from what it stores
 * ("Trojan source"). Multi-line text may also hold newline, carriage return and tab.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const SINGLE_LINE_BAD = /[\p{Cs}\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const MULTI_LINE_BAD = /[\p{Cs}\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/** True when `v` holds a character free text may not (see above). */
export function hasBadChars(v: string, multiLine = false): boolean {
  return (multiLine ? MULTI_LINE_BAD : SINGLE_LINE_BAD).test(v);
}

/**
 * Free text: trimmed, `min`…`max` characters, no lone surrogates, control characters or bidi
 * overrides (`text_invalid_chars`). `multiLine` allows newline, carriage return and tab.
 */
export function zText(opts: { min?: number; max: number; multiLine?: boolean }) {
  const s = z.string().trim().max(opts.max);
  return (opts.min ? s.min(opts.min) : s).refine((v) => !hasBadChars(v, opts.multiLine), { params: { code: 'text_invalid_chars' } });
}

export const ZIdParam = z.object({ id: ZId });

/**
 * The optional `Idempotency-Key` header of a record-creating request (8–100 characters): the web
 * client sends one per opened form, so a double click or a retry creates one record and the repeat
 * is answered with it (`Idempotent-Replayed: true`); another body under the same key → 422
 * `idempotency_key_reused`. Loose: the request's other headers stay as they are.
 */
export const ZIdempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().trim().min(8).max(100).optional(),
});
