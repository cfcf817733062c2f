import { z } from 'zod';
import { ERROR_STATUS, type TErrorCode } from '../errors.ts';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/** Every refused /api request with one of these statuses goes to the security log (server/platform/http). */
export const SECURITY_LOGGED_STATUSES: readonly number[] = [401, 403, 404, 429];
/** Other refusals that go to the security log: wrong or used one-time codes (password reset, second factor), and a code entered for a login that was sent none. */
export const SECURITY_LOGGED_ERRORS: readonly TErrorCode[] = ['otp_invalid', 'otp_expired', 'otp_not_sent'];
/** Events that refuse nothing but are on record (server/platform/auth/auth.routes.ts). */
export const SECURITY_EVENTS = ['locale_changed', 'password_reset_unknown_user', 'password_reset_inactive_user'] as const;

/**
 * Every kind of security event the server records: the error codes of the logged statuses, the
 * logged reset-code errors and the named events. The security-log page offers exactly these as
 * its filter choices, each with a label in both languages (security.labels.test.ts).
 */
export const SECURITY_EVENT_KINDS: readonly string[] = [
  ...(Object.keys(ERROR_STATUS) as TErrorCode[]).filter((c) => SECURITY_LOGGED_STATUSES.includes(ERROR_STATUS[c]) || SECURITY_LOGGED_ERRORS.includes(c)),
  ...SECURITY_EVENTS,
];

/** Search of the security log (refused requests and security events), for Finance and auditors. */
export const ZSecurityEventQuery = ZPageQuery.extend({
  userId: ZId.optional(),
  /** A login id: events of that user, and refusals where it was typed (a failed login, a reset request). */
  username: zText({ max: 64 }).optional(),
  /** An address or its beginning, e.g. `10.6.` */
  ip: zText({ max: 64 }).optional(),
  /** An error code (`forbidden`, `csrf_failed`, `not_found`, …) or event (`locale_changed`). */
  code: zText({ max: 64 }).optional(),
  /** Calendar dates in India time. */
  from: zDate('search').optional(),
  to: zDate('search').optional(),
});

export const ZSecurityEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  /** The logged-in user's login id, when the request had a session. */
  username: z.string().nullable(),
  userName: z.string(),
  role: z.string(),
  ip: z.string(),
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  code: z.string(),
  details: z.unknown(),
});
export type TSecurityEvent = z.infer<typeof ZSecurityEvent>;

/** `totalCapped`: more events match than the search counts exactly (`total` is then that bound). */
export const ZSecurityEventPage = ZPage(ZSecurityEvent).extend({ totalCapped: z.boolean() });
