import { z } from 'zod';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/** Search of the security log (refused requests and security events), for Finance and auditors. */
export const ZSecurityEventQuery = ZPageQuery.extend({
  userId: ZId.optional(),
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

export const ZSecurityEventPage = ZPage(ZSecurityEvent);
