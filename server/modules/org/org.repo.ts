import { and, asc, desc, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { districts } from './org.table.ts';

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
