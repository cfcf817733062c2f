import { and, asc, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../platform/context.ts';
import { departments, districts, hods, offices } from './org.table.ts';

export async function listDistricts(db: DbOrTx, q: { q?: string | undefined; sort?: string | undefined; dir: 'asc' | 'desc'; page: number; pageSize: number }) {
  const conds: SQL[] = [];
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const c = or(ilike(districts.nameEn, like), ilike(districts.nameHi, like), ilike(districts.code, like));
    if (c) conds.push(c);
  }
  const where = conds.length ? and(...conds) : undefined;
  const col = q.sort === 'nameHi' ? districts.nameHi : q.sort === 'code' ? districts.code : districts.nameEn;
  const [items, [c]] = await Promise.all([
    db.select().from(districts).where(where).orderBy(q.dir === 'desc' ? desc(col) : asc(col)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(districts).where(where),
  ]);
  return { items, total: c?.n ?? 0 };
}

/** Where an office sits in the tree (for scope checks), or null. */
export async function getOfficePlace(db: DbOrTx, officeId: number) {
  const [o] = await db
    .select({ officeId: offices.id, hodId: offices.hodId, departmentId: offices.departmentId, nameEn: offices.nameEn, nameHi: offices.nameHi, active: offices.active })
    .from(offices)
    .where(eq(offices.id, officeId))
    .limit(1);
  return o ?? null;
}

/** A condition on `offices` that keeps only the offices inside the actor's scope. */
export function officeScopeCondition(actor: Pick<Actor, 'scopeKind' | 'scopeId'>): SQL | undefined {
  switch (actor.scopeKind) {
    case 'state':
      return undefined;
    case 'department':
      return eq(offices.departmentId, actor.scopeId);
    case 'hod':
      return eq(offices.hodId, actor.scopeId);
    case 'office':
      return eq(offices.id, actor.scopeId);
    default:
      return sql`false`;
  }
}

/** Offices in scope matching a search (id, Hindi or English name, department), for selectors. */
export async function searchOfficesInScope(db: DbOrTx, actor: Pick<Actor, 'scopeKind' | 'scopeId'>, q: string, limit = 20) {
  const like = `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
  const text = q ? or(ilike(offices.nameEn, like), ilike(offices.nameHi, like), ilike(departments.nameEn, like), ilike(departments.nameHi, like), sql`${offices.id}::text = ${q}`) : undefined;
  return db
    .select({ id: offices.id, nameEn: offices.nameEn, nameHi: offices.nameHi, departmentId: offices.departmentId, departmentNameEn: departments.nameEn, departmentNameHi: departments.nameHi, hodId: offices.hodId, hodNameEn: hods.nameEn, hodNameHi: hods.nameHi })
    .from(offices)
    .innerJoin(departments, eq(departments.id, offices.departmentId))
    .innerJoin(hods, eq(hods.id, offices.hodId))
    .where(and(eq(offices.active, true), officeScopeCondition(actor), text))
    .orderBy(asc(departments.nameEn), asc(offices.id))
    .limit(limit);
}
