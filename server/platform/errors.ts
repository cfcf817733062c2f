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

/** PostgreSQL unique violation → 409 duplicate, naming the constraint's field where we know it. */
export function isUniqueViolation(e: unknown): e is { code: string; constraint?: string } {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

export function pgErrorCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.cause?.code ?? err?.code;
}

export function pgConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: string; cause?: { constraint?: string } };
  return err?.cause?.constraint ?? err?.constraint;
}
