import { z } from 'zod';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

export const ZAuditQuery = ZPageQuery.extend({
  q: zText({ max: 100 }).optional(),
  entity: zText({ max: 64 }).optional(),
  action: zText({ max: 64 }).optional(),
  actorUserId: ZId.optional(),
  /** Who: the acting user's login id (also matches failed logins typed with that id). */
  username: zText({ max: 128 }).optional(),
  role: zText({ max: 64 }).optional(),
  /** An address or its beginning, e.g. `10.6.` */
  ip: zText({ max: 64 }).optional(),
  from: zDate('search').optional(),
  to: zDate('search').optional(),
});

export const ZAuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string(),
  actorUsername: z.string().nullable(),
  role: z.string(),
  ip: z.string(),
  entity: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditPage = ZPage(ZAuditEntry);

export const ZAuditVerify = z.object({ ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().nullable(), reason: z.string().nullable() });
