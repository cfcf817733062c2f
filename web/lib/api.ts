import type { TFieldError, TProblem } from '../../shared/errors.ts';

/** An API failure carrying the server's problem document (already translated). */
export class ApiError extends Error {
  constructor(readonly problem: TProblem) {
    super(problem.title);
  }
  get code() {
    return this.problem.code;
  }
  /** Field errors keyed by field name, for forms. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? ([] as TFieldError[])) out[e.field] = e.message ?? e.code;
    return out;
  }
}

function csrf(): string {
  return document.cookie.match(/(?:^|; )roams_csrf=([^;]+)/)?.[1] ?? '';
}

/** A fresh Idempotency-Key for one money form (bar M1): kept while the form is retried, replaced after success. */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Calls the API; a money action passes its `idempotencyKey` (sent as the Idempotency-Key header). */
export async function api<T>(method: string, url: string, body?: unknown, opts: { idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = decodeURIComponent(csrf());
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const ct = res.headers.get('content-type') ?? '';
  const data = ct.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem = (
      typeof data === 'object' && data && 'code' in data ? data : { type: 'about:blank', title: String(res.status), status: res.status, code: 'internal' }
    ) as TProblem;
    throw new ApiError(problem);
  }
  return data as T;
}

/** Builds a query string from defined values only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
