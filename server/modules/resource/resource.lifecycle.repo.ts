import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { agencyNamesSql } from '../agency/index.ts';
import { type Reach, sourceCondition } from '../../platform/access/access.ts';
import { resourceAccess } from './resource.policy.ts';
import { resourceEvents, resourceProfileChanges, resourceReplacements, resources } from './resource.table.ts';

/** Resources' life cycle: the queries of replacement, profile-change requests and events. */

export type ReplacementRow = typeof resourceReplacements.$inferSelect;
export type ProfileChangeRow = typeof resourceProfileChanges.$inferSelect;
export type EventRow = typeof resourceEvents.$inferSelect;

// --- Replacement ----------------------------------------------------------------------------------

/** Replacements the resource is part of, outgoing or incoming, newest first, with the other one's names. */
export async function listReplacements(db: DbOrTx, resourceId: number) {
  const r = await db.execute<
    ReplacementRow & { outNameEn: string; outNameHi: string; inNameEn: string; inNameHi: string; requestedAt: string | Date; decidedAt: string | Date | null }
  >(sql`
    select x.id, x.resource_id as "resourceId", x.replacement_id as "replacementId", x.state, x.relieve_on::text as "relieveOn",
           x.join_on::text as "joinOn", x.reason_code as "reasonCode", x.remark, x.requested_at as "requestedAt", x.decided_at as "decidedAt",
           x.decision_remark as "decisionRemark", a.name_en as "outNameEn", a.name_hi as "outNameHi", b.name_en as "inNameEn", b.name_hi as "inNameHi"
      from resource_replacements x join resources a on a.id = x.resource_id join resources b on b.id = x.replacement_id
     where x.resource_id = ${resourceId} or x.replacement_id = ${resourceId}
     order by x.id desc`);
  return r.rows;
}

export async function openReplacement(db: DbOrTx, resourceId: number, forUpdate = false) {
  const q = db
    .select()
    .from(resourceReplacements)
    .where(and(eq(resourceReplacements.resourceId, resourceId), eq(resourceReplacements.state, 'requested')))
    .limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

/** An open request naming the resource as the incoming one (it may be named in one request at a time). */
export async function openIncoming(db: DbOrTx, replacementId: number) {
  const [row] = await db
    .select({ id: resourceReplacements.id })
    .from(resourceReplacements)
    .where(and(eq(resourceReplacements.replacementId, replacementId), eq(resourceReplacements.state, 'requested')))
    .limit(1);
  return row ?? null;
}

export async function insertReplacement(db: DbOrTx, v: typeof resourceReplacements.$inferInsert) {
  const [row] = await db.insert(resourceReplacements).values(v).returning();
  return row!;
}

export async function decideReplacement(db: DbOrTx, id: number, v: Partial<typeof resourceReplacements.$inferInsert>) {
  const [row] = await db
    .update(resourceReplacements)
    .set(v)
    .where(and(eq(resourceReplacements.id, id), eq(resourceReplacements.state, 'requested')))
    .returning();
  return row ?? null;
}

/** Moves B onto A's position: only from `draft` or `submitted` (a conditional update). */
export async function joinAsReplacement(db: DbOrTx, id: number, v: Partial<typeof resources.$inferInsert>) {
  const [row] = await db
    .update(resources)
    .set(v)
    .where(and(eq(resources.id, id), or(eq(resources.status, 'draft'), eq(resources.status, 'submitted'))))
    .returning();
  return row ?? null;
}

// --- Profile changes ------------------------------------------------------------------------------

export async function listProfileChanges(db: DbOrTx, resourceId: number) {
  return db.select().from(resourceProfileChanges).where(eq(resourceProfileChanges.resourceId, resourceId)).orderBy(desc(resourceProfileChanges.id));
}

export async function openProfileChange(db: DbOrTx, resourceId: number, forUpdate = false) {
  const q = db
    .select()
    .from(resourceProfileChanges)
    .where(and(eq(resourceProfileChanges.resourceId, resourceId), eq(resourceProfileChanges.state, 'requested')))
    .limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertProfileChange(db: DbOrTx, v: typeof resourceProfileChanges.$inferInsert) {
  const [row] = await db.insert(resourceProfileChanges).values(v).returning();
  return row!;
}

export async function updateProfileChange(db: DbOrTx, id: number, v: Partial<typeof resourceProfileChanges.$inferInsert>) {
  const [row] = await db
    .update(resourceProfileChanges)
    .set(v)
    .where(and(eq(resourceProfileChanges.id, id), eq(resourceProfileChanges.state, 'requested')))
    .returning();
  return row ?? null;
}

// --- Events ---------------------------------------------------------------------------------------

export async function listEvents(db: DbOrTx, resourceId: number) {
  return db.select().from(resourceEvents).where(eq(resourceEvents.resourceId, resourceId)).orderBy(desc(resourceEvents.occurredOn), desc(resourceEvents.id));
}

export async function getEvent(db: DbOrTx, resourceId: number, eventId: number, forUpdate = false) {
  const q = db
    .select()
    .from(resourceEvents)
    .where(and(eq(resourceEvents.id, eventId), eq(resourceEvents.resourceId, resourceId)))
    .limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertEvent(db: DbOrTx, v: typeof resourceEvents.$inferInsert) {
  const [row] = await db.insert(resourceEvents).values(v).returning();
  return row!;
}

export async function updateEvent(db: DbOrTx, id: number, v: Partial<typeof resourceEvents.$inferInsert>) {
  const [row] = await db.update(resourceEvents).set(v).where(eq(resourceEvents.id, id)).returning();
  return row!;
}

export type OverdueRow = {
  eventId: number;
  resourceId: number;
  nameEn: string;
  nameHi: string;
  agencyName: string;
  occurredAt: string | Date;
  esicIp: string;
};

/**
 * Accidents not reported to ESIC within `hours` of their time, as of `now`, of resources in the
 * actor's reach (the department's list and badge), oldest first.
 */
export async function esicOverdue(db: DbOrTx, reach: Reach, now: Date, hours: number, limit = 200) {
  const due = new Date(now.getTime() - hours * 3_600_000);
  const where = sql`e.kind = 'accident' and e.esic_reported_at is null and e.occurred_at < ${due.toISOString()} and ${sourceCondition(reach, resourceAccess)}`;
  const rows = await db.execute<OverdueRow>(sql`
    select e.id as "eventId", r.id as "resourceId", r.name_en as "nameEn", r.name_hi as "nameHi", a.legal_name as "agencyName",
           e.occurred_at as "occurredAt", r.esic_ip as "esicIp"
      from resource_events e join resources r on r.id = e.resource_id join ${agencyNamesSql()} a on a.id = r.agency_id
     where ${where} order by e.occurred_at, e.id limit ${limit}`);
  const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from resource_events e join resources r on r.id = e.resource_id where ${where}`);
  return { items: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}
