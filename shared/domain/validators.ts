/** Validators shared by the server and the web forms, so both say the same thing. */

export const MOBILE_RE = /^[6-9][0-9]{9}$/;
/** A pragmatic e-mail check (WHATWG's input[type=email] rule). */
export const EMAIL_RE = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
export const USERNAME_RE = /^[a-zA-Z0-9_.-]{3,64}$/;

/** Bar A4: at least 12 characters, up to 128 (≥ 64 required), no composition rules. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export type TPasswordProblem = 'password_too_short' | 'password_too_long' | null;

/** Length rules; the common-password list is checked on the server only (it is large). */
export function passwordLengthProblem(pw: string): TPasswordProblem {
  const n = [...pw].length;
  if (n < PASSWORD_MIN) return 'password_too_short';
  if (n > PASSWORD_MAX) return 'password_too_long';
  return null;
}
