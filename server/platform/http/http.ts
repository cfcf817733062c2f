import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { SECURITY_LOGGED_ERRORS, SECURITY_LOGGED_STATUSES } from '../../../shared/contracts/security.ts';
import type { TFieldCode, TFieldError, TProblem } from '../../../shared/errors.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import { roleHas, type TRoutePermission } from '../../../shared/permissions.ts';
import type { Db } from '../../db/client.ts';
import { maskTypedUsername, resolveSession, type LoadedSession } from '../auth/auth.service.ts';
import type { Ctx } from '../context.ts';
import { AppError, guardRefusal, isDbUnavailable, pgErrorCode } from '../errors.ts';
import { pickLocale, translator } from '../i18n/i18n.ts';
import { safeEqual } from '../auth/tokens.ts';
import { contentDisposition } from '../files/files.ts';
import { CONTENT_TYPES } from '../tabular/tabular.ts';
import { reachOf } from '../access/access.ts';
import { recordSecurityEvent } from '../security/security.service.ts';

export const SESSION_COOKIE = 'roams_session';
export const CSRF_COOKIE = 'roams_csrf';
export const LANG_COOKIE = 'roams_lang';

declare module 'fastify' {
  interface FastifyRequest {
    session: LoadedSession | null;
    locale: TLocale;
  }
  interface FastifyInstance {
    /** Every /api/v1 route with its permission: the authorisation-matrix test walks it. */
    routeTable: RouteInfo[];
  }
  interface FastifyContextConfig {
    /** Required on every /api/v1 route: who may call it (shared/permissions.ts). */
    permission?: TRoutePermission;
  }
}

export type RouteInfo = { method: string; url: string; permission: TRoutePermission };

export type HttpDeps = { db: Db; now: () => Date; cookieSecure: boolean /** LOGIN_FAILURES_PER_MINUTE (0: no cap). */; loginFailuresPerMinute?: number };

/** The service context for this request. */
export function ctxOf(req: FastifyRequest, deps: { now: () => Date }): Ctx {
  return { actor: req.session?.actor ?? null, ip: req.ip, locale: req.locale, now: deps.now(), sessionId: req.session?.id };
}

/** The acting role assignment, or 403 when the user has not picked one. */
export function actorOf(req: FastifyRequest) {
  const a = req.session?.actor;
  if (!a) throw new AppError('forbidden');
  return a;
}

export function setSessionCookies(reply: FastifyReply, deps: HttpDeps, token: string, csrf: string) {
  const base = { path: '/', sameSite: 'strict' as const, secure: deps.cookieSecure };
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true, maxAge: 12 * 3600 });
  // Double-submit CSRF token: readable by our own scripts, echoed in the x-csrf-token header.
  reply.setCookie(CSRF_COOKIE, csrf, { ...base, httpOnly: false, maxAge: 12 * 3600 });
}

export function clearSessionCookies(reply: FastifyReply, deps: HttpDeps) {
  const base = { path: '/', sameSite: 'strict' as const, secure: deps.cookieSecure };
  reply.clearCookie(SESSION_COOKIE, base);
  reply.clearCookie(CSRF_COOKIE, base);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identity, permission and errors for every route:
 * - each /api/v1 route must declare `config.permission` and a schema, or the app refuses to
 *   build (bars A1, A9);
 * - the session cookie is resolved on every request; writes by a cookie session need the
 *   CSRF header (bar A8);
 * - the route's permission is checked against the acting role before the handler runs;
 *   services then check the record's scope.
 */
export function registerHttpPlatform(app: FastifyInstance, deps: HttpDeps) {
  app.decorateRequest('session', null);
  app.decorateRequest('locale', 'hi');

  app.decorate('routeTable', [] as RouteInfo[]);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const permission = route.config?.permission;
    if (!permission) throw new Error(`Route ${route.method} ${route.url} declares no permission (config.permission)`);
    if (!route.schema) throw new Error(`Route ${route.method} ${route.url} declares no request schema`);
    for (const m of [route.method].flat()) if (m !== 'HEAD') app.routeTable.push({ method: m, url: route.url, permission });
  });

  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    req.session = token ? await resolveSession(deps.db, token, deps.now()) : null;
    // Every log line of this request, including "request completed", names the user (bar P5).
    if (req.session) nameUserInLog(req, req.session);
    req.locale = pickLocale({ cookie: req.cookies[LANG_COOKIE], userLocale: req.session?.locale, acceptLanguage: req.headers['accept-language'] });
  });

  // preValidation runs before the body is validated: an unauthorised caller learns nothing from 400s.
  app.addHook('preValidation', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const permission = req.routeOptions.config?.permission;
    if (!permission || permission === 'public') return refuseNul(req);
    const s = req.session;
    if (!s) throw new AppError(req.cookies[SESSION_COOKIE] ? 'session_expired' : 'unauthenticated');
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, s.csrfToken)) throw new AppError('csrf_failed');
    }
    if (permission !== 'session') {
      if (s.mustChangePassword) throw new AppError('password_change_required');
      if (!s.actor || !roleHas(s.actor.role, permission)) throw new AppError('forbidden');
    }
    refuseNul(req);
  });

  app.setNotFoundHandler(async (req, reply) => {
    if (!req.url.startsWith('/api/')) return reply.code(404).send();
    const err = new AppError('not_found');
    await recordRefusal(deps, req, err);
    return sendProblem(reply, req, err);
  });

  app.setErrorHandler(async (err, req, reply) => {
    const e = toAppError(err, req);
    await recordRefusal(deps, req, e);
    return sendProblem(reply, req, e);
  });
}

/** Problems that go to the security log besides every 401, 403, 404 and 429 (the page labels each: shared/contracts/security.ts). */
const LOGGED_CODES = new Set<string>(SECURITY_LOGGED_ERRORS);

/**
 * Bar P5 (ASVS 7.2): a refused /api request leaves one security event naming who (when the
 * session is known), from where, which route, and why. Never the body: only a typed login id.
 * A failure to record is logged and does not change the answer.
 */
async function recordRefusal(deps: HttpDeps, req: FastifyRequest, err: AppError) {
  if (!req.url.startsWith('/api/')) return;
  if (!SECURITY_LOGGED_STATUSES.includes(err.status) && !LOGGED_CODES.has(err.code)) return;
  try {
    const details: Record<string, unknown> = { path: req.url.split('?')[0]?.slice(0, 300) ?? '' };
    const typed = (req.body as { username?: unknown } | undefined)?.username;
    // Masked like the login's own records (bar P1/P3): people type their mobile or Aadhaar number as the user id.
    if (typeof typed === 'string') details.username = maskTypedUsername(typed).slice(0, 64);
    await recordSecurityEvent(deps.db, { ...(await whoOf(deps, req)), status: err.status, code: err.code, details });
  } catch (e) {
    req.log.error({ err: loggableError(e) }, 'security event not recorded');
  }
}

/** Who made the request and where from, for a security event. */
export async function whoOf(deps: Pick<HttpDeps, 'db'>, req: FastifyRequest) {
  const s = req.session;
  const a = s?.actor && s.actor.assignmentId ? s.actor : null;
  const departmentId = a ? (await reachOf(deps.db, a)).departmentId : null;
  return {
    userId: s?.userId ?? null,
    userName: s?.userName ?? '',
    role: a?.role ?? '',
    departmentId,
    ip: req.ip,
    method: req.method,
    route: req.routeOptions?.url ?? req.url.split('?')[0] ?? '',
  };
}

/** Adds the user id to the request's logger (shared by the reply's "request completed" line). */
function nameUserInLog(req: FastifyRequest, s: LoadedSession) {
  const log = req.log as { setBindings?: (b: Record<string, unknown>) => void };
  if (typeof log.setBindings === 'function') log.setBindings({ userId: s.userId });
}

/** The path of the first string (or key) holding a NUL character, which PostgreSQL text cannot store. */
function nulPath(v: unknown, path: string, depth = 0): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path : null;
  if (v === null || typeof v !== 'object' || depth > 32) return null;
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return p;
    const found = nulPath(x, p, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Bar A9: a NUL byte anywhere in the input is a 400 naming the field, not a database error (500). */
function refuseNul(req: FastifyRequest) {
  for (const part of [req.params, req.query, req.body]) {
    const field = nulPath(part, '');
    if (field !== null) throw new AppError('validation_failed', { errors: [{ field, code: 'invalid_value' }] });
  }
}

type ZodValidationItem = {
  keyword: string;
  instancePath: string;
  message: string;
  params: {
    origin?: string;
    expected?: string;
    format?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    keys?: string[];
    params?: { code?: TFieldCode } & Record<string, unknown>;
  };
};

/** A Zod issue (as fastify-type-provider-zod reports it) → our field error code. */
function fieldErrorOf(v: ZodValidationItem): TFieldError {
  const p = v.params ?? {};
  const missing = /received undefined/.test(v.message);
  let code: TFieldCode;
  switch (v.keyword) {
    case 'too_small':
      code = p.origin === 'string' ? (Number(p.minimum) === 1 ? 'required' : 'too_short') : 'too_small';
      break;
    case 'too_big':
      code = p.origin === 'string' ? 'too_long' : 'too_big';
      break;
    case 'invalid_type':
      code = missing ? 'required' : p.expected === 'int' ? 'not_integer' : 'invalid_type';
      break;
    case 'invalid_format':
      code = p.format === 'email' ? 'email_format' : p.format === 'date' ? 'date_format' : 'invalid_format';
      break;
    case 'unrecognized_keys':
      code = 'unknown_field';
      break;
    case 'custom':
      code = p.params?.code ?? 'invalid_value';
      break;
    case 'invalid_union':
      code = missing ? 'required' : 'invalid_format';
      break;
    default:
      code = 'invalid_value';
  }
  const params: Record<string, string | number> = {};
  if (p.minimum !== undefined) params.min = Number(p.minimum);
  if (p.maximum !== undefined) params.max = Number(p.maximum);
  if (v.keyword === 'custom') {
    // A refinement's own placeholders, e.g. the date range of `date_out_of_range`.
    for (const [k, x] of Object.entries(p.params ?? {})) if (k !== 'code' && (typeof x === 'string' || typeof x === 'number')) params[k] = x;
  }
  const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const field = v.keyword === 'unrecognized_keys' ? [path, ...(p.keys ?? [])].filter(Boolean).join('.') : path;
  return { field, code, ...(Object.keys(params).length ? { params } : {}) };
}

/**
 * What the log may say about an error (bar P3). A failed query (Drizzle's `DrizzleQueryError`)
 * carries every parameter, in `params` and in its message ("Failed query: … params: …"), and
 * those hold whatever the request sent: passwords' hashes, OTP hashes, mobile and bank account
 * numbers, session ids. Keep the SQL text (placeholders only), the database's error code and
 * message, and the stack; drop the values and the database's `detail` (it quotes key values).
 */
export function loggableError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err).slice(0, 300) };
  const e = err as Error & {
    code?: unknown;
    query?: unknown;
    params?: unknown[];
    constraint?: unknown;
    table?: unknown;
    column?: unknown;
    routine?: unknown;
    statusCode?: unknown;
  };
  const out: Record<string, unknown> = {
    type: e.name,
    message: e.message
      .replace(/\nparams: [\s\S]*$/, Array.isArray(e.params) ? `\nparams: [${e.params.length} withheld]` : '\nparams: [withheld]')
      .slice(0, 2000),
    stack: e.stack?.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [withheld]'),
  };
  for (const k of ['code', 'constraint', 'table', 'column', 'routine', 'statusCode'] as const)
    if (typeof e[k] === 'string' || typeof e[k] === 'number') out[k] = e[k];
  if (typeof e.query === 'string') out.query = e.query.slice(0, 2000);
  if (e.cause !== undefined && depth < 3) out.cause = loggableError(e.cause, depth + 1);
  return out;
}

/**
 * Retry-After of a 503 `db_unavailable`: the database is down or restarting (bar M7), or every
 * pooled connection stayed busy for the pool's 5 s checkout limit (a burst such as 150 parallel
 * logins on one account, each waiting for the throttle's lock). Our choice: 5 s, the checkout
 * limit itself — a client coming back then finds either a free connection or the same answer.
 */
export const DB_UNAVAILABLE_RETRY_AFTER_S = 5;

function toAppError(err: unknown, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new AppError('validation_failed', { errors: (err.validation as unknown as ZodValidationItem[]).map(fieldErrorOf) });
  }
  const e = err as { statusCode?: number; code?: string };
  if (isResponseSerializationError(err)) {
    req.log.error({ err: loggableError(err) }, 'response did not match its schema');
    return new AppError('internal');
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new AppError('payload_too_large');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) return new AppError('unsupported_media_type');
  if (e.code === 'FST_ERR_RATE_LIMIT_EXCEEDED' || e.statusCode === 429) return new AppError('rate_limited');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('bad_request');
  const pg = pgErrorCode(err);
  if (pg === '23505') return new AppError('duplicate');
  // Text the database cannot store (e.g. a NUL byte that slipped past refuseNul): the input's fault.
  if (pg === '22021' || pg === '22P05') return new AppError('bad_request');
  // A refusal written into the database (immutable records, a locked sanction order, a record in force).
  const refused = guardRefusal(err);
  if (refused) return refused;
  if (isDbUnavailable(err)) return new AppError('db_unavailable', { params: { retryAfter: DB_UNAVAILABLE_RETRY_AFTER_S } });
  req.log.error({ err: loggableError(err) }, 'unhandled error');
  return new AppError('internal');
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: AppError) {
  const t = translator(req.locale ?? 'hi');
  const body: TProblem = {
    type: `https://roams.mp.gov.in/problems/${err.code}`,
    title: t(`errors.${err.code}`, err.params),
    status: err.status,
    code: err.code,
  };
  if (err.params && Object.keys(err.params).length) body.params = err.params;
  if (err.errors) {
    body.errors = err.errors.map((fe) => ({ ...fe, message: t(`validation.${fe.code}`, fe.params ?? {}) }));
  }
  // A throttled (429) or unavailable (503) answer says when to come back (RFC 9110 §10.2.3), in whole seconds.
  if ((err.status === 429 || err.status === 503) && typeof err.params?.retryAfter === 'number')
    reply.header('retry-after', String(Math.max(1, Math.ceil(err.params.retryAfter))));
  return reply.code(err.status).header('content-type', 'application/problem+json; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * Sends a stored PDF to be shown in the browser: its type, its name (safely encoded) and no type
 * sniffing. For every route that serves an uploaded document (agency documents, sanction order
 * letters, contract version documents: one copy of these headers).
 */
export function sendStoredPdf(reply: FastifyReply, f: { name: string; bytes: Buffer | Uint8Array }) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', contentDisposition('inline', f.name))
    .header('x-content-type-options', 'nosniff')
    .send(f.bytes);
}

/**
 * A record-creating route's answer: 201 and the record, also to a repeat under the same
 * Idempotency-Key (platform/idempotency), which carries `Idempotent-Replayed: true`.
 */
export function sendCreated<T>(reply: FastifyReply, record: T, replayed: boolean, status = 201) {
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(status).send(record);
}

/** Sends a list export (CSV or Excel) as a download named by the server. */
export function sendExport(reply: FastifyReply, format: keyof typeof CONTENT_TYPES, e: { body: Buffer | string; filename: string }) {
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', contentDisposition('attachment', e.filename, `.${format}`))
    .send(e.body);
}
