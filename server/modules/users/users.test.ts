import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { departments, offices } from '../org/index.ts';

let t: TestApp;
let admin: Client; // officeadmin_state (state scope)
let finAdmin: Client; // officeadmin_fin (Finance department)
let sedOfficeId: number;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('officeadmin_state');
  finAdmin = await t.login('officeadmin_fin');
  const db = t.database.db;
  const [sed] = await db.select().from(departments).where(eq(departments.code, 'SED'));
  const [o] = await db.select().from(offices).where(eq(offices.departmentId, sed!.id)).limit(1);
  sedOfficeId = o!.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const newUser = (over: Record<string, unknown> = {}) => ({
  officeId: 79,
  mobile: '9000011111',
  name: 'Kavita Joshi',
  employeeId: 'E-7001',
  officePhone: '0755-2550099',
  officialEmail: 'kavita.joshi@mp.gov.in',
  designation: 'Assistant Grade 2',
  role: 'department_manager',
  ...over,
});

function passwordFrom(sms: string): string {
  const m = /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/.exec(sms);
  if (!m) throw new Error(`no password in: ${sms}`);
  return m[1]!;
}

async function countUsers() {
  const [r] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(users);
  return r!.n;
}

describe('office users — list and scope', () => {
  it('requires a login', async () => {
    expect((await t.anon.get('/api/v1/office-users?officeId=79')).statusCode).toBe(401);
  });

  it('refuses roles without users.manage', async () => {
    const dm = await t.login('dm_bhopal');
    const res = await dm.get('/api/v1/office-users?officeId=79');
    expect([403, 409]).toContain(res.statusCode);
  });

  it("lists the users of an office in scope with the manual's columns", async () => {
    const res = await finAdmin.get('/api/v1/office-users?officeId=79');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBeGreaterThan(0);
    const dm = page.items.find((r: { name: string }) => r.name === 'Ramesh Sharma');
    expect(dm).toMatchObject({
      officeId: 79,
      mobile: '9876500004',
      role: 'department_manager',
      userStatus: 'active',
      assignmentActive: true,
      employeeId: expect.any(String),
    });
    expect(JSON.stringify(page)).not.toMatch(/passwordHash|argon2/);
  });

  it('pages and searches on the server', async () => {
    const p1 = (await finAdmin.get('/api/v1/office-users?officeId=79&pageSize=1&page=1')).json();
    expect(p1.items).toHaveLength(1);
    expect(p1.pageSize).toBe(1);
    const s = (await finAdmin.get('/api/v1/office-users?officeId=79&q=Sunita')).json();
    expect(s.items.map((r: { name: string }) => r.name)).toEqual(['Sunita Verma']);
  });

  it('every page carries the same total, in name order, and a page past the end is empty with that total', async () => {
    const all = (await finAdmin.get('/api/v1/office-users?officeId=79&status=all&pageSize=100')).json();
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThan(1);
    const names: string[] = [];
    for (let page = 1; page <= all.total; page++) {
      const p = (await finAdmin.get(`/api/v1/office-users?officeId=79&status=all&pageSize=1&page=${page}`)).json();
      expect(p.total).toBe(all.total);
      names.push(p.items[0].name);
    }
    expect(names).toEqual(all.items.map((r: { name: string }) => r.name));
    const past = (await finAdmin.get(`/api/v1/office-users?officeId=79&status=all&pageSize=1&page=${all.total + 1}`)).json();
    expect(past).toMatchObject({ items: [], total: all.total });
    const none = (await finAdmin.get('/api/v1/office-users?officeId=79&q=nobody-by-this-name')).json();
    expect(none).toMatchObject({ items: [], total: 0 });
  });

  it("follows a user's name: renamed first or last, the user moves there on every view; a forged sort copy is put right", async () => {
    const db = t.database.db;
    type Row = { userId: number; name: string; assignmentActive: boolean };
    const names = async (status: string) => (await finAdmin.get(`/api/v1/office-users?officeId=79&status=${status}&pageSize=100`)).json().items as Row[];
    const before = await names('current');
    expect(before.length).toBeGreaterThan(2);
    const mover = before[1]!;
    const original = mover.name;
    try {
      await db.execute(sql`update users set name = ${'ZZZ Last Of All'} where id = ${mover.userId}`);
      for (const status of ['current', 'all']) {
        const now = await names(status);
        // Active assignments come first, each part in name order.
        expect(now.filter((r) => r.assignmentActive).at(-1)?.userId).toBe(mover.userId);
      }
      const searched = (await finAdmin.get('/api/v1/office-users?officeId=79&q=ZZZ')).json();
      expect(searched.items.map((r: { userId: number }) => r.userId)).toContain(mover.userId);
      await db.execute(sql`update users set name = ${'AAA First Of All'} where id = ${mover.userId}`);
      expect((await names('current'))[0]?.userId).toBe(mover.userId);
      // The copy the list sorts by cannot be set to anything but the user's name.
      await db.execute(sql`update role_assignments set user_name = ${'ZZZZ forged'} where user_id = ${mover.userId}`);
      expect((await names('current'))[0]?.userId).toBe(mover.userId);
    } finally {
      await db.execute(sql`update users set name = ${original} where id = ${mover.userId}`);
    }
    expect((await names('current')).map((r) => r.userId)).toEqual(before.map((r) => r.userId));
  });

  it('an office admin of Finance cannot list a School Education office (404) and nothing changes', async () => {
    const before = await dbFingerprint(t.database);
    const res = await finAdmin.get(`/api/v1/office-users?officeId=${sedOfficeId}`);
    expect(res.statusCode).toBe(404);
    const add = await finAdmin.post('/api/v1/office-users', newUser({ officeId: sedOfficeId, mobile: '9000099999' }));
    expect(add.statusCode).toBe(404);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('offers only offices in scope in the picker', async () => {
    const fin = (await finAdmin.get('/api/v1/office-users/offices?q=')).json();
    expect(fin.items.length).toBeGreaterThan(0);
    expect(fin.items.some((o: { id: number }) => o.id === sedOfficeId)).toBe(false);
    expect(fin.items.some((o: { id: number }) => o.id === 79)).toBe(true);
    const st = (await admin.get(`/api/v1/office-users/offices?q=${sedOfficeId}`)).json();
    expect(st.items.map((o: { id: number }) => o.id)).toContain(sedOfficeId);
  });

  it("the office picker finds an office by part of its English or Hindi name, by its department's name, or by its number", async () => {
    const db = t.database.db;
    const [o] = await db.select().from(offices).where(eq(offices.id, 79));
    const [d] = await db.select().from(departments).where(eq(departments.id, o!.departmentId));
    type Opt = { id: number; departmentNameEn: string };
    const search = async (q: string): Promise<Opt[]> => (await admin.get(`/api/v1/office-users/offices?q=${encodeURIComponent(q)}`)).json().items;
    const middle = (s: string) => s.slice(Math.floor(s.length / 4), Math.floor((3 * s.length) / 4));
    expect((await search(middle(o!.nameEn).toUpperCase())).map((x) => x.id)).toContain(79);
    expect((await search(middle(o!.nameHi))).map((x) => x.id)).toContain(79);
    for (const q of [d!.nameEn.toLowerCase(), d!.nameHi]) {
      const hits = await search(q);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((x) => x.departmentNameEn === d!.nameEn)).toBe(true);
    }
    expect((await search('79')).map((x) => x.id)).toContain(79);
    expect(await search('079')).not.toContainEqual(expect.objectContaining({ id: 79 }));
    expect(await search('no office is called this')).toEqual([]);
  });
});

describe('office users — adding by mobile', () => {
  let created: { userId: number; assignmentId: number; username: string };

  it('refuses a bad mobile and a bad e-mail with field errors, saving nothing', async () => {
    const before = await dbFingerprint(t.database);
    const res = await finAdmin.post('/api/v1/office-users', newUser({ mobile: '5123', officialEmail: 'not-an-email' }));
    expect(res.statusCode).toBe(400);
    const fields = Object.fromEntries(res.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(fields).toMatchObject({ mobile: 'mobile_format', officialEmail: 'email_format' });
    const role = await finAdmin.post('/api/v1/office-users', newUser({ role: 'finance_admin' }));
    expect(role.statusCode).toBe(400);
    expect(role.json().errors[0].field).toBe('role');
    const noName = await finAdmin.post('/api/v1/office-users', newUser({ name: '' }));
    expect(noName.statusCode).toBe(400);
    expect(noName.json().errors[0]).toMatchObject({ field: 'name', code: 'required' });
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('the lookup says a new mobile is not yet a user', async () => {
    const res = await finAdmin.get('/api/v1/office-users/lookup?officeId=79&mobile=9000011111');
    expect(res.json()).toEqual({ exists: false, name: null, inOffice: false });
  });

  it('creates a new user, sends the user id and a temporary password by SMS, and forces a change at first login', async () => {
    const n = await countUsers();
    const res = await finAdmin.post('/api/v1/office-users', newUser());
    expect(res.statusCode).toBe(201);
    created = res.json();
    expect(res.json()).toMatchObject({ outcome: 'created' });
    expect(res.body).not.toMatch(/password/i);
    expect(await countUsers()).toBe(n + 1);
    const [u] = await t.database.db.select().from(users).where(eq(users.id, created.userId));
    expect(u).toMatchObject({
      name: 'Kavita Joshi',
      mobile: '9000011111',
      employeeId: 'E-7001',
      officePhone: '0755-2550099',
      mustChangePassword: true,
      status: 'active',
    });

    await t.flushOutbox();
    const sms = await t.lastSms('9000011111');
    expect(sms).toContain(created.username);
    const password = passwordFrom(sms!);

    const c = await t.login(created.username, password);
    const me = (await c.get('/api/v1/auth/me')).json();
    expect(me.mustChangePassword).toBe(true);
    expect((await c.get('/api/v1/org/districts')).statusCode).toBe(403);
    const ch = await c.post('/api/v1/auth/change-password', { currentPassword: password, newPassword: 'Narmada river 2026 kavita' });
    expect(ch.statusCode).toBe(200);
    expect(ch.json().mustChangePassword).toBe(false);

    // The new row shows in the office's list with its assignment's e-mail and designation.
    const list = (await finAdmin.get('/api/v1/office-users?officeId=79&q=9000011111')).json();
    expect(list.items).toEqual([
      expect.objectContaining({
        assignmentId: created.assignmentId,
        officialEmail: 'kavita.joshi@mp.gov.in',
        designation: 'Assistant Grade 2',
        role: 'department_manager',
      }),
    ]);
  });

  it('audits the creation without the password', async () => {
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'user'), eq(auditLog.entityId, String(created.userId))));
    expect(rows.some((r) => r.action === 'created')).toBe(true);
    const sms = await t.lastSms('9000011111');
    const password = passwordFrom(sms!);
    const all = await t.database.db.execute<{ x: string }>(
      sql`select string_agg(coalesce(before::text,'') || coalesce(after::text,''), '|') as x from audit_log`,
    );
    expect(all.rows[0]!.x).not.toContain(password);
    expect(all.rows[0]!.x).toContain('Kavita Joshi');
  });

  it('maps an existing mobile to the office (no new user) and refuses the same role twice (409)', async () => {
    const look = (await finAdmin.get('/api/v1/office-users/lookup?officeId=4881&mobile=9000011111')).json();
    expect(look).toEqual({ exists: true, name: 'Kavita Joshi', inOffice: false });
    const n = await countUsers();
    const res = await finAdmin.post('/api/v1/office-users', newUser({ officeId: 4881, name: '', designation: 'Accountant', officialEmail: '' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'mapped', userId: created.userId });
    expect(await countUsers()).toBe(n);
    const before = await dbFingerprint(t.database);
    const dup = await finAdmin.post('/api/v1/office-users', newUser({ officeId: 4881 }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('already_in_office');
    expect(await dbFingerprint(t.database)).toBe(before);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'role_assignment'), eq(auditLog.action, 'mapped')));
    expect(audit.length).toBe(1);
  });

  it('ends a role assignment: the role is unusable and sessions acting in it die', async () => {
    const db = t.database.db;
    const as = await db
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, created.userId), eq(roleAssignments.officeId, 4881)));
    const target = as[0]!;
    const c = await t.login(created.username, 'Narmada river 2026 kavita');
    expect((await c.post('/api/v1/auth/switch', { assignmentId: target.id })).statusCode).toBe(200);
    expect((await c.get('/api/v1/org/districts')).statusCode).toBe(200);

    // Someone else's scope: 404 and nothing changes.
    const sed = await sedAssignment();
    const before = await dbFingerprint(t.database);
    expect((await finAdmin.post(`/api/v1/office-users/assignments/${sed.id}/end`)).statusCode).toBe(404);
    expect(await dbFingerprint(t.database)).toBe(before);

    const res = await finAdmin.post(`/api/v1/office-users/assignments/${target.id}/end`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ assignmentId: target.id, active: false });
    const [after] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, target.id));
    expect(after!.active).toBe(false);
    expect(after!.endedAt).not.toBeNull();
    expect((await c.get('/api/v1/org/districts')).statusCode).toBe(401);
    const c2 = await t.login(created.username, 'Narmada river 2026 kavita');
    expect((await c2.post('/api/v1/auth/switch', { assignmentId: target.id })).statusCode).toBe(404);
    const me = (await c2.get('/api/v1/auth/me')).json();
    expect(me.assignments.map((a: { id: number }) => a.id)).not.toContain(target.id);
    // It still shows in the list as ended.
    const ended = (await finAdmin.get('/api/v1/office-users?officeId=4881&status=ended')).json();
    expect(ended.items.map((r: { assignmentId: number }) => r.assignmentId)).toContain(target.id);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'role_assignment'), eq(auditLog.entityId, String(target.id)), eq(auditLog.action, 'ended')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toMatchObject({ active: true });
    expect(audit[0]!.after).toMatchObject({ active: false });
  });

  it("refuses to end the last active role (deactivate instead) and the admin's own role", async () => {
    const [only] = await t.database.db
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, created.userId), eq(roleAssignments.active, true)));
    const res = await finAdmin.post(`/api/v1/office-users/assignments/${only!.id}/end`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('last_assignment');
    const me = (await finAdmin.get('/api/v1/auth/me')).json();
    const own = await finAdmin.post(`/api/v1/office-users/assignments/${me.activeAssignmentId}/end`);
    expect([403, 409]).toContain(own.statusCode);
  });

  it('deactivates a user: no login, existing sessions die; activation restores; never deleted', async () => {
    const c = await t.login(created.username, 'Narmada river 2026 kavita');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    const res = await finAdmin.post(`/api/v1/office-users/users/${created.userId}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ userId: created.userId, status: 'inactive' });
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await t.anon.post('/api/v1/auth/login', { username: created.username, password: 'Narmada river 2026 kavita' });
    expect(again.statusCode).toBe(401);
    const [u] = await t.database.db.select().from(users).where(eq(users.id, created.userId));
    expect(u!.status).toBe('inactive');
    const list = (await finAdmin.get('/api/v1/office-users?officeId=79&status=inactive')).json();
    expect(list.items.map((r: { userId: number }) => r.userId)).toContain(created.userId);

    expect((await finAdmin.post(`/api/v1/office-users/users/${created.userId}/activate`)).statusCode).toBe(200);
    expect((await t.anon.post('/api/v1/auth/login', { username: created.username, password: 'Narmada river 2026 kavita' })).statusCode).toBe(200);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'user'), eq(auditLog.entityId, String(created.userId))));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['created', 'deactivated', 'activated']));
  });

  it('an admin cannot deactivate themself, nor a user of another department', async () => {
    const me = (await finAdmin.get('/api/v1/auth/me')).json();
    const self = await finAdmin.post(`/api/v1/office-users/users/${me.user.id}/deactivate`);
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('own_account');
    const sed = await sedAssignment();
    const before = await dbFingerprint(t.database);
    const foreign = await finAdmin.post(`/api/v1/office-users/users/${sed.userId}/deactivate`);
    expect(foreign.statusCode).toBe(404);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('a department office admin cannot switch off a state-wide role shown under its office', async () => {
    // finance_admin's assignment is shown under office 4889 (GAD); officeadmin_fin is FIN → 404,
    // and the state office admin may not touch a finance_admin role either (403).
    const [fa] = await t.database.db.select().from(users).where(eq(users.username, 'finance_admin'));
    expect((await finAdmin.post(`/api/v1/office-users/users/${fa!.id}/deactivate`)).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/office-users/users/${fa!.id}/deactivate`)).statusCode).toBe(403);
  });
});

describe('office users — people who work in several departments', () => {
  it('refuses to map a user of another department into a role here (issue 11 finding 7), and may not deactivate that user', async () => {
    const sed = await sedAssignment();
    const look = (await finAdmin.get('/api/v1/office-users/lookup?officeId=79&mobile=9000022222')).json();
    expect(look).toEqual({ exists: true, name: 'SED Person', inOffice: false });
    const before = await dbFingerprint(t.database);
    const map = await finAdmin.post('/api/v1/office-users', newUser({ mobile: '9000022222', name: '', officialEmail: '' }));
    expect(map.statusCode).toBe(409);
    expect(map.json().code).toBe('user_of_other_department');
    expect(map.json().errors).toMatchObject([{ field: 'mobile', code: 'user_of_other_department' }]);
    // Not mapped, so not in this admin's offices at all: another department's user is 404.
    const off = await finAdmin.post(`/api/v1/office-users/users/${sed.userId}/deactivate`);
    expect(off.statusCode).toBe(404);
    expect(await dbFingerprint(t.database)).toBe(before);
  });

  it('maps a user of the same department; the user sees on the profile who gave the role and when, and the mapping is audited', async () => {
    const first = await finAdmin.post('/api/v1/office-users', newUser({ mobile: '9000066666', name: 'Fin Person', role: 'auditor', officialEmail: '' }));
    expect(first.statusCode).toBe(201);
    const map = await finAdmin.post('/api/v1/office-users', newUser({ mobile: '9000066666', name: '', officialEmail: '' }));
    expect(map.statusCode, map.body).toBe(201);
    expect(map.json()).toMatchObject({ outcome: 'mapped', userId: first.json().userId });
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'role_assignment'), eq(auditLog.entityId, String(map.json().assignmentId)), eq(auditLog.action, 'mapped')));
    expect(audit).toHaveLength(1);
    await t.flushOutbox();
    const sms = await t.database.db.execute<{ body: string }>(
      sql`select body from sandbox_messages where recipient = '9000066666' and body like '%password%' or recipient = '9000066666' and body like '%पासवर्ड%'`,
    );
    const password = /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/.exec(sms.rows[0]!.body)?.[1];
    const person = await t.login(first.json().username, password!);
    const profile = (await person.get('/api/v1/profile')).json();
    const mapped = profile.assignments.find((a: { id: number }) => a.id === map.json().assignmentId);
    const [adminName] = (await t.database.db.execute<{ name: string }>(sql`select name from users where username = 'officeadmin_fin'`)).rows;
    expect(mapped).toMatchObject({ addedByName: adminName!.name, addedAt: t.clock.now().toISOString() });
  });

  it('an auditor added to an office is scoped to its department, and only by an admin covering that department', async () => {
    const res = await finAdmin.post('/api/v1/office-users', newUser({ mobile: '9000055555', name: 'Audit Person', role: 'auditor', officialEmail: '' }));
    expect(res.statusCode).toBe(201);
    const [a] = await t.database.db.select().from(roleAssignments).where(eq(roleAssignments.id, res.json().assignmentId));
    const [fin] = await t.database.db.select().from(departments).where(eq(departments.code, 'FIN'));
    expect(a).toMatchObject({ role: 'auditor', scopeKind: 'department', scopeId: fin!.id, officeId: 79 });
  });
});

let sedCache: { id: number; userId: number } | null = null;
async function sedAssignment() {
  if (sedCache) return sedCache;
  const r = await admin.post('/api/v1/office-users', newUser({ officeId: sedOfficeId, mobile: '9000022222', name: 'SED Person', officialEmail: '' }));
  expect(r.statusCode).toBe(201);
  sedCache = { id: r.json().assignmentId, userId: r.json().userId };
  return sedCache;
}
