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
  user_of_other_department: 409,
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
  // Agencies (spec 03).
  agency_pan_registered: 409,
  agency_status_conflict: 409,
  agency_not_in_charge: 403,
  agency_no_documents: 409,
  // Contracts and minimum wages (spec 03, 06).
  contract_period_invalid: 400,
  gem_contract_no_invalid: 400,
  agency_not_verified: 409,
  agency_blacklisted: 409,
  agency_suspended: 409,
  agency_licence_expired: 409,
  ddo_not_for_office: 400,
  budget_line_not_for_office: 400,
  minimum_wage_unknown: 400,
  wage_below_minimum: 400,
  positions_exceed_capacity: 409,
  duplicate_contract_no: 409,
  contract_not_draft: 409,
  version_not_draft: 409,
  contract_not_active: 409,
  version_draft_exists: 409,
  termination_date_invalid: 400,
  minimum_wage_exists: 409,
  minimum_wage_in_force: 409,
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
  'date_not_exist',
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
  // Agencies (spec 03): shared/domain/identifiers.ts.
  'pan_format',
  'pan_holder_type',
  'gstin_format',
  'gstin_state_code',
  'gstin_check_char',
  'gstin_pan_mismatch',
  'ifsc_format',
  'bank_account_format',
  'pan_registered',
  'mobile_registered',
  'period_order',
  // Contracts and minimum wages (spec 03, 06).
  'end_before_start',
  'gem_contract_no_invalid',
  'agency_not_contractable',
  'ddo_not_for_office',
  'budget_line_not_for_office',
  'minimum_wage_unknown',
  'below_minimum_wage',
  'exceeds_capacity',
  'minimum_wage_exists',
  'termination_date_invalid',
  // Bar A9: bounded inputs (shared/contracts/common.ts).
  'date_out_of_range',
  'text_invalid_chars',
  // Passwords: mostly a keyboard walk (server/platform/auth/password.ts).
  'password_keyboard',
  'user_of_other_department',
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
