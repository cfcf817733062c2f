import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCapacityRow, TSanctionOrder } from '../../../shared/contracts/sanction.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { departments, hods, offices, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from './sanction.demo.ts';

let t: TestApp;
let fin: Client; // officeadmin_fin: office admin, Finance Department scope
let state: Client; // officeadmin_state: office admin, state scope
let dm: Client; // dm_bhopal: department manager in office 79 (Finance), read only
let ids: {
  cif: number;
  dta: number;
  sedHod: number;
  sedOffice: number;
  dtaOffice: number;
  sed: number;
  fin: number;
  accountant: number;
  deo: number;
  high: number;
  skilled: number;
};

const PDF = demoPdf(['Sanction order', 'test']);

let seq = 0;
function fields(over: Record<string, string> = {}) {
  seq += 1;
  return {
    orderNo: `T/${seq}/${randomBytes(2).toString('hex')}`,
    orderDate: '2025-07-09',
    issuingOfficerName: 'Manoj Kumar',
    issuingOfficerDesignation: 'Deputy Secretary',
    remark: 'test',
    kind: 'original',
    ...over,
  };
}

async function create(
  c: Client,
  f: Record<string, string> = fields(),
  file: { name: string; bytes: Buffer; type?: string; field?: string } | null = { name: 'order.pdf', bytes: PDF },
) {
  const m = multipart(f, file ? { field: 'order', ...file } : []);
  return c.request({ method: 'POST', url: '/api/v1/sanction-orders', payload: m.payload, headers: m.headers });
}

async function createOk(c: Client = fin, f: Record<string, string> = fields()): Promise<TSanctionOrder> {
  const res = await create(c, f);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const post = (over: Record<string, unknown> = {}) => ({
  hodId: ids.cif,
  skillLevelId: ids.high,
  postNameId: ids.accountant,
  total: 10,
  offices: [
    { officeId: 79, posts: 6 },
    { officeId: 4881, posts: 4 },
  ],
  ...over,
});

async function addPost(c: Client, orderId: number, body: unknown = post()) {
  return c.post(`/api/v1/sanction-orders/${orderId}/posts`, body);
}

async function capacityOf(officeId: number, skillLevelId: number, postNameId: number, c: Client = fin): Promise<number> {
  const res = await c.get(`/api/v1/sanction/capacity?officeId=${officeId}&skillLevelId=${skillLevelId}&postNameId=${postNameId}`);
  expect(res.statusCode, res.body).toBe(200);
  const rows = res.json().items as TCapacityRow[];
  return rows.reduce((s, r) => s + r.sanctioned, 0);
}

const { refused } = checksOn(() => t.database);

beforeAll(async () => {
  t = await createTestApp();
  fin = await t.login('officeadmin_fin');
  state = await t.login('officeadmin_state');
  dm = await t.login('dm_bhopal');
  // dm_bhopal holds two assignments (offices 79 and 4881): act in office 79's.
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a79 = me.assignments.find((a) => a.officeId === 79);
  expect((await dm.post('/api/v1/auth/switch', { assignmentId: a79!.id })).statusCode).toBe(200);
  const db = t.database.db;
  const hodId = async (code: string) => (await db.select().from(hods).where(eq(hods.code, code)))[0]!.id;
  const [sed] = await db.select().from(departments).where(eq(departments.code, 'SED'));
  const [finDept] = await db.select().from(departments).where(eq(departments.code, 'FIN'));
  const sedHod = await hodId('SED-DPI');
  const dta = await hodId('FIN-DTA');
  const [sedOffice] = await db.select().from(offices).where(eq(offices.hodId, sedHod)).limit(1);
  const [dtaOffice] = await db.select().from(offices).where(eq(offices.hodId, dta)).limit(1);
  const skill = async (code: string) => (await db.select().from(skillLevels).where(eq(skillLevels.code, code)))[0]!.id;
  const pn = async (code: string) => (await db.select().from(postNames).where(eq(postNames.code, code)))[0]!.id;
  ids = {
    cif: await hodId('FIN-CIF'),
    dta,
    sedHod,
    sedOffice: sedOffice!.id,
    dtaOffice: dtaOffice!.id,
    sed: sed!.id,
    fin: finDept!.id,
    accountant: await pn('accountant'),
    deo: await pn('deo'),
    high: await skill('highly_skilled'),
    skilled: await skill('skilled'),
  };
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('sanction orders — access', () => {
  it('requires a login', async () => {
    expect((await t.anon.get('/api/v1/sanction-orders')).statusCode).toBe(401);
  });

  it('lets a read-only role read but not create', async () => {
    expect((await dm.get('/api/v1/sanction-orders')).statusCode).toBe(200);
    const res = await create(dm);
    expect(res.statusCode).toBe(403);
  });

  it("lists only the caller's department; the state scope sees all", async () => {
    const finList = (await fin.get('/api/v1/sanction-orders?pageSize=200')).json();
    expect(finList.items.length).toBeGreaterThan(0);
    expect(finList.items.every((o: { departmentId: number }) => o.departmentId === ids.fin)).toBe(true);
    const stateList = (await state.get('/api/v1/sanction-orders?pageSize=200')).json();
    expect(stateList.items.some((o: { departmentId: number }) => o.departmentId === ids.sed)).toBe(true);
  });

  it("answers 404 for another department's order, its PDF and its posts", async () => {
    const sedOrder = (await state.get('/api/v1/sanction-orders?q=SED/OS')).json().items[0];
    expect(sedOrder).toBeTruthy();
    expect((await state.get(`/api/v1/sanction-orders/${sedOrder.id}`)).statusCode).toBe(200);
    expect((await state.get(`/api/v1/sanction-orders/${sedOrder.id}/file`)).statusCode).toBe(200);
    for (const c of [fin, dm]) {
      await refused(() => c.get(`/api/v1/sanction-orders/${sedOrder.id}`), 404, 'not_found');
      await refused(() => c.get(`/api/v1/sanction-orders/${sedOrder.id}/file`), 404, 'not_found');
    }
    await refused(
      () =>
        fin.put(`/api/v1/sanction-orders/${sedOrder.id}`, {
          orderNo: 'X',
          orderDate: '2025-01-01',
          issuingOfficerName: 'x',
          issuingOfficerDesignation: 'y',
          remark: '',
        }),
      404,
      'not_found',
    );
    await refused(() => fin.get(`/api/v1/sanction/hods/${ids.sedHod}/offices`), 404, 'not_found');
  });

  it("offers only the caller's department's directorates and their offices", async () => {
    const o = (await fin.get('/api/v1/sanction/options')).json();
    expect(o.departments.map((d: { id: number }) => d.id)).toEqual([ids.fin]);
    expect(o.hods.every((h: { departmentId: number }) => h.departmentId === ids.fin)).toBe(true);
    expect(o.skillLevels.length).toBe(4);
    const offs = (await fin.get(`/api/v1/sanction/hods/${ids.cif}/offices`)).json();
    expect(offs.map((x: { id: number }) => x.id)).toEqual([79, 4881]);
  });
});

describe('sanction orders — create and the order / letter', () => {
  it('saves an order with its PDF, serves the same bytes and audits without the bytes', async () => {
    const f = fields();
    const order = await createOk(fin, f);
    expect(order).toMatchObject({
      orderNo: f.orderNo,
      orderDate: '2025-07-09',
      kind: 'original',
      departmentId: ids.fin,
      locked: false,
      postCount: 0,
      totalPosts: 0,
      posts: [],
    });
    expect(order.file).toEqual({ sizeBytes: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') });
    const file = await fin.get(`/api/v1/sanction-orders/${order.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
    expect(String(file.headers['content-disposition'])).toMatch(/^inline; filename="order.pdf"/);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'sanction_order'), eq(auditLog.entityId, String(order.id)), eq(auditLog.action, 'create')));
    expect(a).toBeTruthy();
    expect(JSON.stringify(a!.after)).toContain(order.file.sha256);
    expect(JSON.stringify(a!.after)).not.toContain('%PDF');
  });

  it('notices the same file uploaded twice (but accepts it)', async () => {
    await createOk();
    const res = await create(fin);
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-roams-duplicate-file']).toBeTruthy();
  });

  it('does not tell an office admin that the same file exists in another department (issue 11 finding 5)', async () => {
    const own = Buffer.from(`%PDF-1.4\n% only in another department ${randomBytes(8).toString('hex')}\n%%EOF\n`, 'latin1');
    const [other] = (await t.database.db.execute<{ id: number }>(sql`select id from departments where code <> 'FIN' order by id limit 1`)).rows;
    const elsewhere = await create(state, fields({ departmentId: String(other!.id) }), { name: 'order.pdf', bytes: own });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    const mine = await create(fin, fields(), { name: 'order.pdf', bytes: own });
    expect(mine.statusCode).toBe(201);
    expect(mine.headers['x-roams-duplicate-file']).toBeUndefined();
    // Within the caller's scope it is still noticed: the state admin sees both departments.
    const again = await create(state, fields({ departmentId: String(other!.id) }), { name: 'order.pdf', bytes: own });
    const [first] = (await t.database.db.execute<{ fileId: number }>(sql`select file_id as "fileId" from sanction_orders where id = ${elsewhere.json().id}`))
      .rows;
    expect(again.headers['x-roams-duplicate-file']).toBe(String(first!.fileId));
  });

  it('refuses a renamed PNG', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    await refused(() => create(fin, fields(), { name: 'order.pdf', bytes: png }), 400, 'file_not_pdf', 'order');
  });

  it('refuses an empty file and a missing file', async () => {
    await refused(() => create(fin, fields(), { name: 'order.pdf', bytes: Buffer.alloc(0) }), 400, 'file_empty', 'order');
    await refused(() => create(fin, fields(), null), 400, 'file_required', 'order');
  });

  it('accepts exactly 2 MiB and refuses one byte more, whole (never truncated)', async () => {
    const big = (n: number) => Buffer.concat([PDF, Buffer.alloc(n - PDF.length, 0x20)]);
    const res = await refused(() => create(fin, fields(), { name: 'big.pdf', bytes: big(2 * 1024 * 1024 + 1) }), 413, 'file_too_large', 'order');
    expect(res.json().title).toBe('फ़ाइल 2 MB से बड़ी है। अधिकतम 2 MB की फ़ाइल अपलोड करें (PDF)।');
    expect(res.json().errors[0].message).toBe('फ़ाइल 2 MB से बड़ी है। अधिकतम 2 MB की फ़ाइल चुनें (PDF)।');
    fin.cookies.roams_lang = 'en';
    try {
      const en = await refused(() => create(fin, fields(), { name: 'big.pdf', bytes: big(2 * 1024 * 1024 + 1) }), 413, 'file_too_large', 'order');
      expect(en.json().title).toBe('The file is larger than 2 MB. Upload a file of at most 2 MB (PDF).');
      expect(en.json().errors[0].message).toBe('The file is larger than 2 MB. Choose a file of at most 2 MB (PDF).');
      const none = await refused(() => create(fin, fields(), null), 400, 'file_required', 'order');
      expect(none.json().errors[0].message).toBe('Choose the file (PDF, at most 2 MB).');
    } finally {
      delete fin.cookies.roams_lang;
    }
    const ok = await create(fin, fields(), { name: 'max.pdf', bytes: big(2 * 1024 * 1024) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().file.sizeBytes).toBe(2 * 1024 * 1024);
  });

  it('refuses file names with folders, "..", or control characters', async () => {
    for (const name of ['../../etc/passwd.pdf', 'a/b.pdf', 'a\\\\b.pdf', '..pdf', 'bad\u0001name.pdf']) {
      await refused(() => create(fin, fields(), { name, bytes: PDF }), 400, 'file_name_invalid', 'order');
    }
  });

  it('refuses a future date (IST) and accepts today', async () => {
    await refused(() => create(fin, fields({ orderDate: '2026-11-26' })), 400, 'date_in_future', 'orderDate');
    await createOk(fin, fields({ orderDate: '2026-11-25' }));
  });

  it('refuses a duplicate number in the same department (any case), allows it in another', async () => {
    const f = fields({ orderNo: 'DUP/2025/1' });
    await createOk(fin, f);
    await refused(() => create(fin, { ...fields(), orderNo: 'dup/2025/1' }), 409, 'duplicate_order_no', 'orderNo');
    const other = await createOk(state, { ...fields(), orderNo: 'DUP/2025/1', departmentId: String(ids.sed) });
    expect(other.departmentId).toBe(ids.sed);
  });

  it('makes a state-scope admin name the department', async () => {
    await refused(() => create(state, fields()), 400, 'validation_failed', 'departmentId');
  });

  it('corrects an unlocked order, refusing a future date and a taken number', async () => {
    const a = await createOk();
    const b = await createOk();
    const body = {
      orderNo: `${a.orderNo}-C`,
      orderDate: '2025-08-01',
      issuingOfficerName: 'New Officer',
      issuingOfficerDesignation: 'Secretary',
      remark: 'corrected',
      kind: 'original',
    };
    const res = await fin.put(`/api/v1/sanction-orders/${a.id}`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ orderNo: `${a.orderNo}-C`, orderDate: '2025-08-01', issuingOfficerName: 'New Officer' });
    await refused(() => fin.put(`/api/v1/sanction-orders/${a.id}`, { ...body, orderNo: b.orderNo }), 409, 'duplicate_order_no', 'orderNo');
    await refused(() => fin.put(`/api/v1/sanction-orders/${a.id}`, { ...body, orderDate: '2030-01-01' }), 400, 'date_in_future', 'orderDate');
  });
});

describe('sanctioned posts', () => {
  it("adds a post distributed over the HOD's offices", async () => {
    const o = await createOk();
    const res = await addPost(fin, o.id);
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json() as TSanctionOrder;
    expect(order.postCount).toBe(1);
    expect(order.totalPosts).toBe(10);
    expect(order.posts[0]).toMatchObject({
      hodId: ids.cif,
      skillLevelId: ids.high,
      postNameId: ids.accountant,
      total: 10,
      locked: false,
      postNameEn: 'Accountant',
    });
    expect(order.posts[0]!.offices.map((x) => [x.officeId, x.posts])).toEqual([
      [79, 6],
      [4881, 4],
    ]);
  });

  it('refuses a total of 0, a negative total and a non-integer on an original order', async () => {
    const o = await createOk();
    await refused(() => addPost(fin, o.id, post({ total: 0, offices: [] })), 400, 'validation_failed', 'total');
    await refused(() => addPost(fin, o.id, post({ total: -2, offices: [{ officeId: 79, posts: -2 }] })), 400, 'validation_failed', 'total');
    await refused(() => addPost(fin, o.id, post({ total: 2.5, offices: [{ officeId: 79, posts: 2.5 }] })), 400, 'validation_failed', 'total');
    await refused(
      () =>
        addPost(
          fin,
          o.id,
          post({
            total: 3,
            offices: [
              { officeId: 79, posts: 4 },
              { officeId: 4881, posts: -1 },
            ],
          }),
        ),
      400,
      'validation_failed',
      'offices.1.posts',
    );
  });

  it('refuses office numbers that do not add up to the total', async () => {
    const o = await createOk();
    await refused(
      () =>
        addPost(
          fin,
          o.id,
          post({
            total: 10,
            offices: [
              { officeId: 79, posts: 6 },
              { officeId: 4881, posts: 3 },
            ],
          }),
        ),
      400,
      'posts_sum_mismatch',
      'offices',
    );
  });

  it('refuses an office outside the chosen HOD', async () => {
    const o = await createOk();
    await refused(
      () =>
        addPost(
          fin,
          o.id,
          post({
            total: 2,
            offices: [
              { officeId: 79, posts: 1 },
              { officeId: ids.dtaOffice, posts: 1 },
            ],
          }),
        ),
      400,
      'office_not_in_hod',
      'offices.1',
    );
    await refused(
      () =>
        addPost(
          fin,
          o.id,
          post({
            total: 2,
            offices: [
              { officeId: 79, posts: 1 },
              { officeId: ids.sedOffice, posts: 1 },
            ],
          }),
        ),
      400,
      'office_not_in_hod',
      'offices.1',
    );
  });

  it('refuses a HOD of another department', async () => {
    const o = await createOk();
    await refused(
      () => addPost(fin, o.id, post({ hodId: ids.sedHod, total: 1, offices: [{ officeId: ids.sedOffice, posts: 1 }] })),
      400,
      'validation_failed',
      'hodId',
    );
  });

  it('edits and deletes a post of an unlocked order', async () => {
    const o = await createOk();
    const added = (await addPost(fin, o.id)).json() as TSanctionOrder;
    const p = added.posts[0]!;
    const res = await fin.put(`/api/v1/sanction-orders/${o.id}/posts/${p.id}`, post({ total: 3, offices: [{ officeId: 4881, posts: 3 }] }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().posts[0].offices).toEqual([
      { officeId: 4881, officeNameEn: 'AD Directorate of Institutional Finance Bhopal', officeNameHi: 'सहायक संचालक, संस्थागत वित्त संचालनालय भोपाल', posts: 3 },
    ]);
    const del = await fin.del(`/api/v1/sanction-orders/${o.id}/posts/${p.id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json().posts).toEqual([]);
  });
});

describe('lock', () => {
  it('refuses to lock an order without posts', async () => {
    const o = await createOk();
    await refused(() => fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {}), 409, 'sanction_empty');
  });

  it('locks once; a second lock is 409; afterwards every change is 409 and nothing changes', async () => {
    const o = await createOk();
    const p = ((await addPost(fin, o.id)).json() as TSanctionOrder).posts[0]!;
    const res = await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ locked: true });
    expect(res.json().posts[0].locked).toBe(true);
    await refused(() => fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {}), 409, 'sanction_locked');
    await refused(
      () =>
        fin.put(`/api/v1/sanction-orders/${o.id}`, {
          orderNo: `${o.orderNo}-x`,
          orderDate: '2025-07-09',
          issuingOfficerName: 'x',
          issuingOfficerDesignation: 'y',
          remark: '',
          kind: 'original',
        }),
      409,
      'sanction_locked',
    );
    await refused(
      () => fin.put(`/api/v1/sanction-orders/${o.id}/posts/${p.id}`, post({ total: 1, offices: [{ officeId: 79, posts: 1 }] })),
      409,
      'sanction_locked',
    );
    await refused(() => fin.del(`/api/v1/sanction-orders/${o.id}/posts/${p.id}`), 409, 'sanction_locked');
    // The same with an empty body declared as JSON (as a generic fetch helper sends it).
    await refused(
      () => fin.request({ method: 'DELETE', url: `/api/v1/sanction-orders/${o.id}/posts/${p.id}`, headers: { 'content-type': 'application/json' } }),
      409,
      'sanction_locked',
    );
    await refused(() => addPost(fin, o.id, post({ postNameId: ids.deo })), 409, 'sanction_locked');
    await refused(() => fin.del(`/api/v1/sanction-orders/${o.id}`), 409, 'sanction_locked');
    const m = multipart({}, { field: 'order', name: 'new.pdf', bytes: demoPdf(['other']) });
    await refused(
      () => fin.request({ method: 'PUT', url: `/api/v1/sanction-orders/${o.id}/file`, payload: m.payload, headers: m.headers }),
      409,
      'sanction_locked',
    );
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'sanction_order'), eq(auditLog.entityId, String(o.id)), eq(auditLog.action, 'lock')));
    expect(audits).toHaveLength(1);
  });

  it('a concurrent double-click locks once', async () => {
    const o = await createOk();
    await addPost(fin, o.id);
    const [a, b] = await Promise.all([fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {}), fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {})]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'sanction_order'), eq(auditLog.entityId, String(o.id)), eq(auditLog.action, 'lock')));
    expect(audits).toHaveLength(1);
  });

  it('the database itself refuses changes to a locked order, its posts and office numbers', async () => {
    const o = await createOk();
    const p = ((await addPost(fin, o.id)).json() as TSanctionOrder).posts[0]!;
    await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {});
    const db = t.database.db;
    const before = await dbFingerprint(t.database);
    const attempts = [
      sql`update sanction_orders set remark = 'tampered' where id = ${o.id}`,
      sql`update sanction_orders set locked_at = null, locked_by = null where id = ${o.id}`,
      sql`delete from sanction_orders where id = ${o.id}`,
      sql`update sanction_posts set total = 99 where id = ${p.id}`,
      sql`delete from sanction_posts where id = ${p.id}`,
      sql`update sanction_post_offices set posts = 99 where post_id = ${p.id}`,
      sql`delete from sanction_post_offices where post_id = ${p.id}`,
      sql`insert into sanction_posts (order_id, hod_id, skill_level_id, post_name_id, total) values (${o.id}, ${ids.cif}, ${ids.skilled}, ${ids.deo}, 1)`,
      sql`insert into sanction_post_offices (post_id, office_id, posts) values (${p.id}, 79, 1)`,
    ];
    for (const q of attempts) {
      const err = await db.execute(q).then(
        () => null,
        (e: unknown) => e as { message?: string; cause?: { message?: string; code?: string } },
      );
      expect(err, String(q.queryChunks[0])).not.toBeNull();
      expect(`${err?.message} ${err?.cause?.message}`).toContain('ROAMS_LOCKED');
    }
    expect(await dbFingerprint(t.database)).toBe(before);
  });
});

describe('capacity, reduction and cancellation', () => {
  it('counts only locked orders, including a locked reduction; refuses going below 0', async () => {
    const start79 = await capacityOf(79, ids.skilled, ids.deo);
    const o = await createOk();
    await addPost(fin, o.id, post({ skillLevelId: ids.skilled, postNameId: ids.deo, total: 5, offices: [{ officeId: 79, posts: 5 }] }));
    expect(await capacityOf(79, ids.skilled, ids.deo)).toBe(start79); // not locked yet
    await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {});
    expect(await capacityOf(79, ids.skilled, ids.deo)).toBe(start79 + 5);

    // A reduction must name a locked order of the department.
    const unlocked = await createOk();
    await refused(() => create(fin, fields({ kind: 'reduction' })), 400, 'ref_order_invalid', 'refOrderId');
    await refused(() => create(fin, fields({ kind: 'reduction', refOrderId: String(unlocked.id) })), 400, 'ref_order_invalid', 'refOrderId');
    const sedOrder = (await state.get('/api/v1/sanction-orders?q=SED/OS')).json().items[0];
    await refused(() => create(fin, fields({ kind: 'reduction', refOrderId: String(sedOrder.id) })), 400, 'ref_order_invalid', 'refOrderId');

    const r = await createOk(fin, fields({ kind: 'reduction', refOrderId: String(o.id) }));
    expect(r).toMatchObject({ kind: 'reduction', refOrderId: o.id, refOrderNo: o.orderNo });
    // Positive numbers on a reduction are refused; going below 0 is refused.
    await refused(
      () => addPost(fin, r.id, post({ skillLevelId: ids.skilled, postNameId: ids.deo, total: 2, offices: [{ officeId: 79, posts: 2 }] })),
      400,
      'validation_failed',
      'total',
    );
    const tooMuch = -(start79 + 6);
    await refused(
      () => addPost(fin, r.id, post({ skillLevelId: ids.skilled, postNameId: ids.deo, total: tooMuch, offices: [{ officeId: 79, posts: tooMuch }] })),
      409,
      'reduction_below_deployed',
      'offices.0',
    );
    const ok = await addPost(fin, r.id, post({ skillLevelId: ids.skilled, postNameId: ids.deo, total: -2, offices: [{ officeId: 79, posts: -2 }] }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await capacityOf(79, ids.skilled, ids.deo)).toBe(start79 + 5);
    const locked = await fin.post(`/api/v1/sanction-orders/${r.id}/lock`, {});
    expect(locked.statusCode, locked.body).toBe(200);
    expect(await capacityOf(79, ids.skilled, ids.deo)).toBe(start79 + 3);
    const row = (await fin.get(`/api/v1/sanction/capacity?officeId=79&skillLevelId=${ids.skilled}&postNameId=${ids.deo}`)).json().items[0] as TCapacityRow;
    // Covered: the demo legacy contract FIN/CIF/2025/112 (in force to 31 Jan 2027) covers 2 DEOs of office 79;
    // deployed: the 2 demo DEOs approved and not relieved under it (resource.demo.ts; the relieved one does not count).
    expect(row).toMatchObject({ sanctioned: start79 + 3, covered: 2, deployed: 2, vacant: start79 + 1 });
  });

  it("a locked cancellation order takes away the referenced order's posts, once", async () => {
    const start = await capacityOf(4881, ids.high, ids.accountant);
    const o = await createOk();
    await addPost(fin, o.id, post({ total: 3, offices: [{ officeId: 4881, posts: 3 }] }));
    await fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {});
    expect(await capacityOf(4881, ids.high, ids.accountant)).toBe(start + 3);
    const c = await createOk(fin, fields({ kind: 'cancellation', refOrderId: String(o.id) }));
    await refused(() => addPost(fin, c.id, post({ total: -3, offices: [{ officeId: 4881, posts: -3 }] })), 400, 'validation_failed', 'kind');
    await refused(() => create(fin, fields({ kind: 'cancellation', refOrderId: String(o.id) })), 400, 'ref_order_invalid', 'refOrderId');
    const res = await fin.post(`/api/v1/sanction-orders/${c.id}/lock`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(await capacityOf(4881, ids.high, ids.accountant)).toBe(start);
  });

  it("another department's user sees none of this department's capacity", async () => {
    const sedAll = (await state.get(`/api/v1/sanction/capacity?hodId=${ids.sedHod}`)).json();
    expect(sedAll.total).toBeGreaterThan(0);
    const finView = (await fin.get(`/api/v1/sanction/capacity?hodId=${ids.sedHod}`)).json();
    expect(finView.total).toBe(0);
  });
});

describe('delete and export', () => {
  it('deletes an unlocked order with its posts, audited', async () => {
    const o = await createOk();
    await addPost(fin, o.id);
    const res = await fin.del(`/api/v1/sanction-orders/${o.id}`);
    expect(res.statusCode).toBe(204);
    expect((await fin.get(`/api/v1/sanction-orders/${o.id}`)).statusCode).toBe(404);
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'sanction_order'), eq(auditLog.entityId, String(o.id)), eq(auditLog.action, 'delete')));
    expect(a).toBeTruthy();
  });

  it("searches, filters by locked and exports CSV and Excel of the caller's scope", async () => {
    const list = (await fin.get('/api/v1/sanction-orders?q=FIN/OS/2025/101&locked=true')).json();
    expect(list.items.map((o: { orderNo: string }) => o.orderNo)).toEqual(['FIN/OS/2025/101']);
    expect((await fin.get('/api/v1/sanction-orders?q=FIN/OS/2025/101&locked=false')).json().total).toBe(0);
    const csv = await fin.get('/api/v1/sanction-orders/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('FIN/OS/2025/101');
    expect(csv.body).not.toContain('SED/OS/2025/07');
    const xlsx = await fin.get('/api/v1/sanction-orders/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
