import { z } from 'zod';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/**
 * The audit page's filters. Who (a login id), what (kind and action), a department's scope and
 * the dates are read through indexes that end with seq (migration 0050), so a page reads its 25
 * entries whatever the trail's size; an address or a role filters the newest entries as they are
 * read (usually beside a user or dates). There is no free-text search: one over names, record ids
 * and addresses read the whole trail (1.1 s a request at a million entries, ten times that in a
 * state's year) and the page never offered it. Strict: a parameter it does not know (such as the
 * old `q`) is refused, not ignored.
 */
export const ZAuditQuery = ZPageQuery.extend({
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
}).strict();

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

/** `totalCapped`: more entries match than the search counts exactly (`total` is then that bound). */
export const ZAuditPage = ZPage(ZAuditEntry).extend({ totalCapped: z.boolean() });

export const ZAuditVerify = z.object({ ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().nullable(), reason: z.string().nullable() });
