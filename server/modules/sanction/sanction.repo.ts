import { and, asc, desc, eq, ilike, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { TCapacityQuery, TOrderListQuery } from '../../../shared/contracts/sanction.ts';
import type { DbOrTx } from '../../db/client.ts';
import { accessCondition, type Reach, sourceCondition } from '../../platform/access/access.ts';
import { likeOf } from '../../db/query.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { departments, hods, offices, postNames, skillLevels } from '../org/index.ts';
import { sanctionOrderAccess } from './sanction.policy.ts';
import { sanctionOrders, sanctionPostOffices, sanctionPosts } from './sanction.table.ts';
import { executeNamed, selectNamed } from '../../db/named.ts';
import { readAll } from '../../db/read-all.ts';

/** The sanction orders an actor may see, as a condition on `sanction_orders` (the access layer's rule). */
function visibleOrders(reach: Reach): SQL {
  return sql`${sanctionOrders.id} in (select ${sanctionOrderAccess.id} from ${sanctionOrderAccess.from} where ${sourceCondition(reach, sanctionOrderAccess)})`;
}

/**
 * Departments (and what sits in one: HODs, offices) read with the sanction-order rule: the
 * departments whose orders the actor sees — where it may issue orders and read capacity.
 */
function inOrderDepartments(reach: Reach, departmentId: SQL): SQL {
  return accessCondition(reach, 'department_record', { departmentId });
}

/** The summary columns of an order (names, file, post counts). */
function summaryFields() {
  return {
    id: sanctionOrders.id,
    orderNo: sanctionOrders.orderNo,
    orderDate: sanctionOrders.orderDate,
    issuingOfficerName: sanctionOrders.issuingOfficerName,
    issuingOfficerDesignation: sanctionOrders.issuingOfficerDesignation,
    remark: sanctionOrders.remark,
    kind: sanctionOrders.kind,
    refOrderId: sanctionOrders.refOrderId,
    refOrderNo: sql<string | null>`(select r.order_no from sanction_orders r where r.id = ${sanctionOrders.refOrderId})`.as('ref_order_no'),
    departmentId: sanctionOrders.departmentId,
    departmentNameEn: departments.nameEn,
    departmentNameHi: departments.nameHi,
    lockedAt: sanctionOrders.lockedAt,
    postCount: sql<number>`(select count(*)::int from sanction_posts p where p.order_id = ${sanctionOrders.id})`.as('post_count'),
    totalPosts: sql<number>`(select coalesce(sum(p.total), 0)::int from sanction_posts p where p.order_id = ${sanctionOrders.id})`.as('total_posts'),
    fileId: sanctionOrders.fileId,
    fileSizeBytes: storedFiles.sizeBytes,
    fileSha256: storedFiles.sha256,
    createdAt: sanctionOrders.createdAt,
  };
}

export type OrderSummaryRow = NonNullable<Awaited<ReturnType<typeof getOrderSummary>>>;

function listWhere(reach: Reach, q: Pick<TOrderListQuery, 'q' | 'locked'>): SQL | undefined {
  const conds: (SQL | undefined)[] = [visibleOrders(reach)];
  if (q.q) {
    const like = likeOf(q.q);
    conds.push(
      or(
        ilike(sanctionOrders.orderNo, like),
        ilike(sanctionOrders.issuingOfficerName, like),
        ilike(sanctionOrders.issuingOfficerDesignation, like),
        ilike(sanctionOrders.remark, like),
      ),
    );
  }
  if (q.locked === 'true') conds.push(isNotNull(sanctionOrders.lockedAt));
  if (q.locked === 'false') conds.push(isNull(sanctionOrders.lockedAt));
  return and(...conds);
}

function listOrder(q: Pick<TOrderListQuery, 'sort' | 'dir'>): SQL[] {
  const by = q.dir === 'asc' ? asc : desc;
  const col = q.sort === 'orderDate' ? sanctionOrders.orderDate : q.sort === 'orderNo' ? sql`lower(${sanctionOrders.orderNo})` : sanctionOrders.createdAt;
  return [by(col), by(sanctionOrders.id)];
}

export async function listOrders(db: DbOrTx, reach: Reach, q: TOrderListQuery) {
  const where = listWhere(reach, q);
  // Named statements (server/db/named.ts): the page's three sub-selects made planning it cost
  // more than running it (0.69 against 0.46 ms a request, bench/RESULTS.md).
  const [items, [c]] = await readAll(db, [
    () =>
      selectNamed(
        db,
        db
          .select(summaryFields())
          .from(sanctionOrders)
          .innerJoin(departments, eq(departments.id, sanctionOrders.departmentId))
          .innerJoin(storedFiles, eq(storedFiles.id, sanctionOrders.fileId))
          .where(where)
          .orderBy(...listOrder(q))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
      ),
    () => selectNamed(db, db.select({ n: sql<number>`count(*)::int` }).from(sanctionOrders).where(where)),
  ]);
  return { items, total: c?.n ?? 0 };
}

export async function listOrdersAll(db: DbOrTx, reach: Reach, q: Pick<TOrderListQuery, 'q' | 'locked' | 'sort' | 'dir'>, limit = 100_000) {
  return db
    .select(summaryFields())
    .from(sanctionOrders)
    .innerJoin(departments, eq(departments.id, sanctionOrders.departmentId))
    .innerJoin(storedFiles, eq(storedFiles.id, sanctionOrders.fileId))
    .where(listWhere(reach, q))
    .orderBy(...listOrder(q))
    .limit(limit);
}

export async function getOrderSummary(db: DbOrTx, id: number) {
  const [row] = await db
    .select(summaryFields())
    .from(sanctionOrders)
    .innerJoin(departments, eq(departments.id, sanctionOrders.departmentId))
    .innerJoin(storedFiles, eq(storedFiles.id, sanctionOrders.fileId))
    .where(eq(sanctionOrders.id, id))
    .limit(1);
  return row ?? null;
}

/** The order row, locked for the rest of the transaction. */
export async function getOrderForUpdate(db: DbOrTx, id: number) {
  const [row] = await db.select().from(sanctionOrders).where(eq(sanctionOrders.id, id)).limit(1).for('update');
  return row ?? null;
}

export async function getOrder(db: DbOrTx, id: number) {
  const [row] = await db.select().from(sanctionOrders).where(eq(sanctionOrders.id, id)).limit(1);
  return row ?? null;
}

/** Is there another order with this number (case-insensitive) in the department? */
export async function orderNoTaken(db: DbOrTx, departmentId: number, orderNo: string, exceptId?: number) {
  const conds = [eq(sanctionOrders.departmentId, departmentId), sql`lower(${sanctionOrders.orderNo}) = lower(${orderNo})`];
  if (exceptId !== undefined) conds.push(ne(sanctionOrders.id, exceptId));
  const [row] = await db
    .select({ id: sanctionOrders.id })
    .from(sanctionOrders)
    .where(and(...conds))
    .limit(1);
  return Boolean(row);
}

/** Orders (other than `exceptId`) of kind cancellation that reference `refId`; `lockedOnly` to count only locked ones. */
export async function cancellationsOf(db: DbOrTx, refId: number, exceptId?: number) {
  const conds = [eq(sanctionOrders.refOrderId, refId), eq(sanctionOrders.kind, 'cancellation')];
  if (exceptId !== undefined) conds.push(ne(sanctionOrders.id, exceptId));
  return db
    .select({ id: sanctionOrders.id, lockedAt: sanctionOrders.lockedAt })
    .from(sanctionOrders)
    .where(and(...conds));
}

export async function insertOrder(db: DbOrTx, v: typeof sanctionOrders.$inferInsert) {
  const [row] = await db.insert(sanctionOrders).values(v).returning();
  return row!;
}

export async function updateOrder(db: DbOrTx, id: number, v: Partial<typeof sanctionOrders.$inferInsert>) {
  const [row] = await db.update(sanctionOrders).set(v).where(eq(sanctionOrders.id, id)).returning();
  return row!;
}

/** Sets locked_at only if it is still unset: of two concurrent locks exactly one gets a row back. */
export async function lockOrder(db: DbOrTx, id: number, userId: number, now: Date) {
  const [row] = await db
    .update(sanctionOrders)
    .set({ lockedAt: now, lockedBy: userId, updatedAt: now })
    .where(and(eq(sanctionOrders.id, id), isNull(sanctionOrders.lockedAt)))
    .returning();
  return row ?? null;
}

/** Serialises locks of one department's orders (capacity checks read what others lock). */
export async function lockDepartmentForSanction(db: DbOrTx, departmentId: number) {
  await db.execute(sql`select pg_advisory_xact_lock(7242002, ${departmentId}::int)`);
}

export async function deleteOrder(db: DbOrTx, id: number) {
  const posts = await db.select({ id: sanctionPosts.id }).from(sanctionPosts).where(eq(sanctionPosts.orderId, id));
  if (posts.length) {
    await db.delete(sanctionPostOffices).where(
      inArray(
        sanctionPostOffices.postId,
        posts.map((p) => p.id),
      ),
    );
    await db.delete(sanctionPosts).where(eq(sanctionPosts.orderId, id));
  }
  await db.delete(sanctionOrders).where(eq(sanctionOrders.id, id));
}

// --- Posts ------------------------------------------------------------------------------------

export async function listPosts(db: DbOrTx, orderIds: number[]) {
  if (orderIds.length === 0) return [];
  const posts = await db
    .select({
      id: sanctionPosts.id,
      orderId: sanctionPosts.orderId,
      hodId: sanctionPosts.hodId,
      hodNameEn: hods.nameEn,
      hodNameHi: hods.nameHi,
      skillLevelId: sanctionPosts.skillLevelId,
      skillLevelNameEn: skillLevels.nameEn,
      skillLevelNameHi: skillLevels.nameHi,
      postNameId: sanctionPosts.postNameId,
      postNameEn: postNames.nameEn,
      postNameHi: postNames.nameHi,
      total: sanctionPosts.total,
    })
    .from(sanctionPosts)
    .innerJoin(hods, eq(hods.id, sanctionPosts.hodId))
    .innerJoin(skillLevels, eq(skillLevels.id, sanctionPosts.skillLevelId))
    .innerJoin(postNames, eq(postNames.id, sanctionPosts.postNameId))
    .where(inArray(sanctionPosts.orderId, orderIds))
    .orderBy(asc(sanctionPosts.id));
  const offs = posts.length
    ? await db
        .select({
          postId: sanctionPostOffices.postId,
          officeId: sanctionPostOffices.officeId,
          officeNameEn: offices.nameEn,
          officeNameHi: offices.nameHi,
          posts: sanctionPostOffices.posts,
        })
        .from(sanctionPostOffices)
        .innerJoin(offices, eq(offices.id, sanctionPostOffices.officeId))
        .where(
          inArray(
            sanctionPostOffices.postId,
            posts.map((p) => p.id),
          ),
        )
        .orderBy(asc(sanctionPostOffices.officeId))
    : [];
  return posts.map((p) => ({ ...p, offices: offs.filter((o) => o.postId === p.id).map(({ postId: _, ...o }) => o) }));
}

export async function getPost(db: DbOrTx, orderId: number, postId: number) {
  const [row] = await db
    .select()
    .from(sanctionPosts)
    .where(and(eq(sanctionPosts.id, postId), eq(sanctionPosts.orderId, orderId)))
    .limit(1);
  return row ?? null;
}

export async function postOffices(db: DbOrTx, postId: number) {
  return db
    .select({ officeId: sanctionPostOffices.officeId, posts: sanctionPostOffices.posts })
    .from(sanctionPostOffices)
    .where(eq(sanctionPostOffices.postId, postId))
    .orderBy(asc(sanctionPostOffices.officeId));
}

export async function insertPost(db: DbOrTx, v: typeof sanctionPosts.$inferInsert, offs: { officeId: number; posts: number }[]) {
  const [row] = await db.insert(sanctionPosts).values(v).returning();
  if (offs.length) await db.insert(sanctionPostOffices).values(offs.map((o) => ({ postId: row!.id, officeId: o.officeId, posts: o.posts })));
  return row!;
}

export async function replacePost(db: DbOrTx, postId: number, v: Partial<typeof sanctionPosts.$inferInsert>, offs: { officeId: number; posts: number }[]) {
  const [row] = await db.update(sanctionPosts).set(v).where(eq(sanctionPosts.id, postId)).returning();
  await db.delete(sanctionPostOffices).where(eq(sanctionPostOffices.postId, postId));
  if (offs.length) await db.insert(sanctionPostOffices).values(offs.map((o) => ({ postId, officeId: o.officeId, posts: o.posts })));
  return row!;
}

export async function deletePost(db: DbOrTx, postId: number) {
  await db.delete(sanctionPostOffices).where(eq(sanctionPostOffices.postId, postId));
  await db.delete(sanctionPosts).where(eq(sanctionPosts.id, postId));
}

// --- Masters ----------------------------------------------------------------------------------

export async function getHod(db: DbOrTx, id: number) {
  const [row] = await db.select({ id: hods.id, departmentId: hods.departmentId, active: hods.active }).from(hods).where(eq(hods.id, id)).limit(1);
  return row ?? null;
}

export async function activeOfficesOfHod(db: DbOrTx, hodId: number) {
  return db
    .select({ id: offices.id, nameEn: offices.nameEn, nameHi: offices.nameHi })
    .from(offices)
    .where(and(eq(offices.hodId, hodId), eq(offices.active, true)))
    .orderBy(asc(offices.id));
}

export async function skillLevelActive(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ id: skillLevels.id })
    .from(skillLevels)
    .where(and(eq(skillLevels.id, id), eq(skillLevels.active, true)))
    .limit(1);
  return Boolean(row);
}

export async function postNameActive(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ id: postNames.id })
    .from(postNames)
    .where(and(eq(postNames.id, id), eq(postNames.active, true)))
    .limit(1);
  return Boolean(row);
}

export async function getDepartment(db: DbOrTx, id: number) {
  const [row] = await db.select({ id: departments.id, active: departments.active }).from(departments).where(eq(departments.id, id)).limit(1);
  return row ?? null;
}

export async function options(db: DbOrTx, reach: Reach) {
  const [depts, hodRows, skills, posts] = await readAll(db, [
    () =>
      db
        .select({ id: departments.id, nameEn: departments.nameEn, nameHi: departments.nameHi })
        .from(departments)
        .where(and(eq(departments.active, true), inOrderDepartments(reach, sql`${departments.id}`)))
        .orderBy(asc(departments.nameEn)),
    () =>
      db
        .select({ id: hods.id, nameEn: hods.nameEn, nameHi: hods.nameHi, departmentId: hods.departmentId })
        .from(hods)
        .where(and(eq(hods.active, true), inOrderDepartments(reach, sql`${hods.departmentId}`)))
        .orderBy(asc(hods.nameEn)),
    () =>
      db
        .select({ id: skillLevels.id, nameEn: skillLevels.nameEn, nameHi: skillLevels.nameHi })
        .from(skillLevels)
        .where(eq(skillLevels.active, true))
        .orderBy(asc(skillLevels.sortOrder), asc(skillLevels.id)),
    () =>
      db
        .select({ id: postNames.id, nameEn: postNames.nameEn, nameHi: postNames.nameHi })
        .from(postNames)
        .where(eq(postNames.active, true))
        .orderBy(asc(postNames.nameEn)),
  ]);
  return { departments: depts, hods: hodRows, skillLevels: skills, postNames: posts };
}

// --- Capacity ---------------------------------------------------------------------------------

/**
 * What locked orders contribute, one row per (order, office, skill level, post name):
 * original and reduction orders their own office numbers (reductions are negative); a locked
 * cancellation order the negation of its referenced order's numbers.
 */
const contributions = sql`(
  select spo.office_id, sp.skill_level_id, sp.post_name_id, spo.posts as n
    from sanction_post_offices spo
    join sanction_posts sp on sp.id = spo.post_id
    join sanction_orders so on so.id = sp.order_id
   where so.locked_at is not null and so.kind <> 'cancellation'
  union all
  select spo.office_id, sp.skill_level_id, sp.post_name_id, -spo.posts as n
    from sanction_orders c
    join sanction_posts sp on sp.order_id = c.ref_order_id
    join sanction_post_offices spo on spo.post_id = sp.id
   where c.locked_at is not null and c.kind = 'cancellation'
)`;

/**
 * Sanctioned posts (locked orders only) for the given (office, skill level, post name) keys. Named
 * (one text per number of offices): its four-way union was planned afresh for every contract
 * registration and resource approval (0.46 ms, more than it runs; bench/RESULTS.md).
 */
export async function sanctionedFor(db: DbOrTx, keys: { officeId: number; skillLevelId: number; postNameId: number }[]) {
  const out = new Map<string, number>();
  if (keys.length === 0) return out;
  const officeIds = [...new Set(keys.map((k) => k.officeId))];
  const r = await executeNamed<{ office_id: number; skill_level_id: number; post_name_id: number; n: number }>(
    db,
    sql`
    select c.office_id, c.skill_level_id, c.post_name_id, sum(c.n)::int as n
      from ${contributions} c
     where c.office_id in (${sql.join(
       officeIds.map((i) => sql`${i}`),
       sql`, `,
     )})
     group by c.office_id, c.skill_level_id, c.post_name_id`,
  );
  for (const row of r.rows) out.set(capKey(row.office_id, row.skill_level_id, row.post_name_id), Number(row.n));
  return out;
}

export function capKey(officeId: number, skillLevelId: number, postNameId: number) {
  return `${officeId}:${skillLevelId}:${postNameId}`;
}

/** What one order would contribute once locked (its own numbers, or its reference's negated). */
export async function orderContribution(db: DbOrTx, order: { id: number; kind: string; refOrderId: number | null }) {
  const sourceId = order.kind === 'cancellation' ? order.refOrderId : order.id;
  const sign = order.kind === 'cancellation' ? -1 : 1;
  if (sourceId === null) return [];
  const rows = await db
    .select({
      officeId: sanctionPostOffices.officeId,
      skillLevelId: sanctionPosts.skillLevelId,
      postNameId: sanctionPosts.postNameId,
      n: sql<number>`sum(${sanctionPostOffices.posts})::int`,
    })
    .from(sanctionPostOffices)
    .innerJoin(sanctionPosts, eq(sanctionPosts.id, sanctionPostOffices.postId))
    .where(eq(sanctionPosts.orderId, sourceId))
    .groupBy(sanctionPostOffices.officeId, sanctionPosts.skillLevelId, sanctionPosts.postNameId);
  return rows.map((r) => ({ ...r, n: sign * Number(r.n) }));
}

export async function capacityPage(db: DbOrTx, reach: Reach, q: TCapacityQuery) {
  const conds: SQL[] = [inOrderDepartments(reach, sql`o.department_id`)];
  if (q.hodId !== undefined) conds.push(sql`o.hod_id = ${q.hodId}`);
  if (q.officeId !== undefined) conds.push(sql`o.id = ${q.officeId}`);
  if (q.skillLevelId !== undefined) conds.push(sql`s.skill_level_id = ${q.skillLevelId}`);
  if (q.postNameId !== undefined) conds.push(sql`s.post_name_id = ${q.postNameId}`);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const base = sql`
    from (select office_id, skill_level_id, post_name_id, sum(n)::int as sanctioned from ${contributions} c group by office_id, skill_level_id, post_name_id) s
    join offices o on o.id = s.office_id
    join skill_levels sl on sl.id = s.skill_level_id
    join post_names pn on pn.id = s.post_name_id
    ${where}`;
  const [items, count] = await readAll(db, [
    () =>
      db.execute<{
        office_id: number;
        office_name_en: string;
        office_name_hi: string;
        skill_level_id: number;
        skill_name_en: string;
        skill_name_hi: string;
        post_name_id: number;
        post_name_en: string;
        post_name_hi: string;
        sanctioned: number;
      }>(sql`
      select s.office_id, o.name_en as office_name_en, o.name_hi as office_name_hi,
             s.skill_level_id, sl.name_en as skill_name_en, sl.name_hi as skill_name_hi,
             s.post_name_id, pn.name_en as post_name_en, pn.name_hi as post_name_hi, s.sanctioned
      ${base}
      order by s.office_id, sl.sort_order, sl.id, pn.name_en, pn.id
      limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
    () => db.execute<{ n: number }>(sql`select count(*)::int as n ${base}`),
  ]);
  return { items: items.rows, total: Number(count.rows[0]?.n ?? 0) };
}
