import type { TFileLimit } from '../../shared/domain/file-limits.ts';
import { ERROR_STATUS, type TErrorCode, type TFieldError } from '../../shared/errors.ts';

/** The one error type services throw. The HTTP layer turns it into an RFC 9457 problem document. */
export class AppError extends Error {
  readonly code: TErrorCode;
  readonly status: number;
  readonly errors: TFieldError[] | undefined;
  readonly params: Record<string, string | number> | undefined;

  constructor(code: TErrorCode, opts: { errors?: TFieldError[]; params?: Record<string, string | number>; message?: string } = {}) {
    super(opts.message ?? code);
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = opts.errors;
    this.params = opts.params;
  }
}

export function fieldError(field: string, code: TFieldError['code'], params?: TFieldError['params']): AppError {
  return new AppError('validation_failed', { errors: [{ field, code, ...(params ? { params } : {}) }] });
}

/**
 * A file refused for its size or its absence. The message names the limit and the kinds of file
 * of the upload the user made (`{{max}}`, `{{types}}`: `fileLimit(...)`), on the problem and on
 * the field (when the form has one), never a limit of another upload.
 */
export function fileRefusal(code: 'file_too_large' | 'file_required', limit: TFileLimit, field?: string): AppError {
  return new AppError(code, { params: limit, ...(field ? { errors: [{ field, code, params: limit }] } : {}) });
}

/** PostgreSQL unique violation → 409 duplicate, naming the constraint's field where we know it. */
export function isUniqueViolation(e: unknown): e is { code: string; constraint?: string } {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

export function pgErrorCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.cause?.code ?? err?.code;
}

/**
 * The database is unreachable or restarting (bar M7): a refused or broken connection, a server
 * shutting down or in crash recovery (SQLSTATE classes 08 and 57P0x), or node-postgres's own
 * words for a connection that died under a query. The caller answers 503, never 500.
 */
export function isDbUnavailable(e: unknown): boolean {
  const code = pgErrorCode(e);
  if (code && (code.startsWith('08') || /^57P0[1-3]$/.test(code))) return true;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)) return true;
  const messages = [(e as { message?: unknown })?.message, (e as { cause?: { message?: unknown } })?.cause?.message];
  return messages.some(
    (m) =>
      typeof m === 'string' &&
      /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/.test(
        m,
      ),
  );
}

export function pgConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: string; cause?: { constraint?: string } };
  return err?.cause?.constraint ?? err?.constraint;
}

/**
 * A refusal written into the database (migrations 0001, 0003, 0006: triggers raise P0001 with a
 * marker word) as the error users get: immutable records are forbidden, a locked sanction order
 * is `sanction_locked`, a record in force is `record_frozen`. Null for any other error.
 */
export function guardRefusal(e: unknown): AppError | null {
  if (pgErrorCode(e) !== 'P0001') return null;
  const err = e as { message?: string; cause?: { message?: string } };
  const text = `${err?.message ?? ''} ${err?.cause?.message ?? ''}`;
  if (text.includes('ROAMS_IMMUTABLE')) return new AppError('forbidden');
  if (text.includes('ROAMS_LOCKED')) return new AppError('sanction_locked');
  if (text.includes('ROAMS_FROZEN')) return new AppError('record_frozen');
  // PD advices (migration 0035): an e-cheque decided outside an approved advice; an advice item refused.
  if (text.includes('ROAMS_PD_NO_ADVICE')) return new AppError('pd_echeque_not_advised');
  if (text.includes('ROAMS_PD_ADVICE')) return new AppError('pd_advice_echeque_not_prepared');
  if (text.includes('ROAMS_PD_TRANSITION')) return new AppError('pd_echeque_transition');
  if (text.includes('ROAMS_PD_CLOSED')) return new AppError('pd_account_closed');
  return null;
}

/**
 * The one translator of database errors a service expects: a unique violation whose constraint
 * is named in `onUnique` becomes that error, a guard trigger becomes its refusal, and anything
 * else is thrown unchanged (the HTTP layer answers the rest: an unnamed unique violation is a
 * plain `duplicate`). Call it in a `catch`: `catch (e) { throwDbError(e, { contracts_no_uq: () => ... }) }`.
 */
export function throwDbError(e: unknown, onUnique: Record<string, () => AppError> = {}): never {
  if (isUniqueViolation(e)) {
    const make = onUnique[pgConstraint(e) ?? ''];
    if (make) throw make();
  }
  throw guardRefusal(e) ?? e;
}
