import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleHas } from '../../shared/permissions.ts';
import type { TRole } from '../../shared/roles.ts';
import { DEMO_USERS } from '../db/seed/demo.ts';
import { departments, hods, offices } from '../modules/org/org.table.ts';
import { roleAssignments, users } from '../platform/auth/auth.table.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { type Client, createTestApp, dbFingerprint, DEMO_PASSWORD, type TestApp } from './harness.ts';
import { MATRIX_FIXTURES, type MatrixIds } from './matrix-fixtures.ts';

/**
 * Bars A1/A2: generated from the live route table. Every route × every demo role:
 * - a role without the route's permission gets 401/403/404;
 * - a role with it but scoped below the state gets 401/403/404 for a record of another scope;
 * - anonymous callers get 401 on every non-public route;
 * and across all of those refused requests the database does not change.
 */
let t: TestApp;
let ids: MatrixIds;
const clients = new Map<string, Client>();
const STATE_USERS = new Set(['finance_admin', 'officeadmin_state', 'auditor_state']);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const [sed] = await db.select().from(departments).where(eq(departments.code, 'SED'));
  const [office] = await db.select().from(offices).where(eq(offices.departmentId, sed!.id)).limit(1);
  const [hod] = await db.select().from(hods).where(eq(hods.departmentId, sed!.id)).limit(1);
  const [u] = await db
    .insert(users)
    .values({ username: 'sed_dm', name: 'SED DM', mobile: '9123400001', passwordHash: await hashPassword(DEMO_PASSWORD), mustChangePassword: false })
    .returning();
  const [a] = await db
    .insert(roleAssignments)
    .values({ userId: u!.id, role: 'department_manager', scopeKind: 'office', scopeId: office!.id, officeId: office!.id })
    .returning();
  ids = {
    foreignOfficeId: office!.id,
    foreignUserId: u!.id,
    foreignAssignmentId: a!.id,
    anyDistrictId: 1,
    foreignDepartmentId: sed!.id,
    foreignHodId: hod!.id,
  };
  for (const d of DEMO_USERS) if (d.username !== 'firstlogin_demo') clients.set(d.username, await t.login(d.username));
});
afterAll(async () => {
  await t?.close();
});

function buildRequest(method: string, url: string) {
  const fx = MATRIX_FIXTURES[`${method} ${url}`];
  const params = fx?.params?.(ids) ?? {};
  const path = url.replace(/:(\w+)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`authz matrix: add a fixture for "${method} ${url}" in server/test/matrix-fixtures.ts (param :${name})`);
    return encodeURIComponent(String(params[name]));
  });
  const body = fx?.body?.(ids) ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  return { method: method as 'GET', url: path + (fx?.query ? `?${fx.query}` : ''), ...(body === undefined ? {} : { payload: body as object }) };
}

describe('authorisation matrix', () => {
  it('has routes and every parameterised route has a fixture', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(5);
    for (const r of t.app.routeTable) buildRequest(r.method, r.url);
  });

  it("refuses every role without the permission, and every below-state role on another scope's record, changing nothing", async () => {
    const before = await dbFingerprint(t.database);
    const problems: string[] = [];
    for (const r of t.app.routeTable) {
      if (r.permission === 'public') continue;
      const anon = await t.anon.request(buildRequest(r.method, r.url));
      if (anon.statusCode !== 401) problems.push(`anonymous ${r.method} ${r.url} → ${anon.statusCode}`);
      for (const d of DEMO_USERS) {
        const c = clients.get(d.username);
        if (!c) continue;
        const has = r.permission === 'session' || roleHas(d.role as TRole, r.permission);
        const hasParams = r.url.includes(':');
        const inScope = MATRIX_FIXTURES[`${r.method} ${r.url}`]?.inScopeFor?.includes(d.role) ?? false;
        const mustRefuse = !has || (hasParams && !STATE_USERS.has(d.username) && r.permission !== 'session' && !inScope);
        if (!mustRefuse) continue;
        const res = await c.request(buildRequest(r.method, r.url));
        if (![401, 403, 404].includes(res.statusCode))
          problems.push(`${d.username} (${d.role}) ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(await dbFingerprint(t.database)).toBe(before);
    // Every route × every demo user (thousands of requests): minutes on a loaded 2-core machine,
    // so its own time limit rather than the suite's 60 s.
  }, 300_000);

  it('never answers 500 to an allowed role', async () => {
    const problems: string[] = [];
    for (const r of t.app.routeTable) {
      if (r.url.includes('logout') || r.url.includes('change-password')) continue;
      for (const d of DEMO_USERS) {
        const c = clients.get(d.username);
        if (!c) continue;
        if (r.permission !== 'public' && r.permission !== 'session' && !roleHas(d.role as TRole, r.permission)) continue;
        const res = await c.request(buildRequest(r.method, r.url));
        // The invoice PDF answers 503 `pdf_unavailable` while its renderer is not built (issue 16): a known outage, not a crash.
        const knownOutage = res.statusCode === 503 && r.url === '/api/v1/invoices/:id/pdf' && res.json().code === 'pdf_unavailable';
        if (res.statusCode >= 500 && !knownOutage) problems.push(`${d.username} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('makes a user who must change the password do that first', async () => {
    const c = await t.login('firstlogin_demo');
    for (const r of t.app.routeTable) {
      if (r.permission === 'public' || r.permission === 'session') continue;
      const res = await c.request(buildRequest(r.method, r.url));
      expect([401, 403], `${r.method} ${r.url}`).toContain(res.statusCode);
    }
    const me = await c.get('/api/v1/auth/me');
    expect(me.json().mustChangePassword).toBe(true);
    void sql;
  });
});
