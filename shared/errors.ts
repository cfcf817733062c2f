/**
 * Stable error codes. Each is a key under `errors.` in both locale catalogs; the API returns
 * RFC 9457 problem documents `{ type, title, status, code, detail, errors? }` with `title` in the
 * caller's language. Never rename a code: clients rely on them.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  session_expired: 401,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  user_not_in_office: 409,
  mobile_taken: 409,
  username_taken: 409,
  last_assignment: 409,
  already_in_office: 409,
  own_account: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  import_invalid: 422,
  // Sanction orders (spec 02).
  sanction_locked: 409,
  record_frozen: 409,
  sanction_empty: 409,
  duplicate_order_no: 409,
  reduction_below_deployed: 409,
  file_not_pdf: 400,
  file_too_large: 413,
  file_empty: 400,
  file_required: 400,
  file_name_invalid: 400,
  posts_sum_mismatch: 400,
  office_not_in_hod: 400,
  date_in_future: 400,
  ref_order_invalid: 400,
  otp_invalid: 422,
  otp_expired: 422,
  too_many_attempts: 429,
  rate_limited: 429,
  internal: 500,
  db_unavailable: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

/** Field-level reasons, keys under `validation.` in both catalogs. */
export const FIELD_CODES = [
  'required',
  'too_short',
  'too_long',
  'invalid_format',
  'invalid_type',
  'invalid_value',
  'unknown_field',
  'too_small',
  'too_big',
  'not_integer',
  'mobile_format',
  'email_format',
  'password_too_short',
  'password_too_long',
  'password_common',
  'password_same',
  'password_mismatch',
  'password_wrong',
  'not_found',
  'duplicate',
  'date_format',
  // Sanction orders (spec 02).
  'file_not_pdf',
  'file_too_large',
  'file_empty',
  'file_required',
  'file_name_invalid',
  'posts_sum_mismatch',
  'office_not_in_hod',
  'date_in_future',
  'ref_order_invalid',
  'below_deployed',
] as const;
export type TFieldCode = (typeof FIELD_CODES)[number];

export type TFieldError = { field: string; code: TFieldCode; message?: string; params?: Record<string, string | number> };

export type TProblem = {
  type: string;
  title: string;
  status: number;
  code: TErrorCode;
  detail?: string;
  errors?: TFieldError[];
};
