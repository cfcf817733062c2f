import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TMinimumWage, TMinimumWageSummary } from '../../../shared/contracts/rates.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { checksOn } from '../../test/helpers.ts';
import { skillLevels } from '../org/index.ts';
import { minimumWageOn, minimumWagesOverlapping } from './index.ts';
import { MP_OCT_2025_NOTIFICATION } from './rates.demo.ts';

let t: TestApp;
let finance: Client;
let dm: Client;
let agency: Client;
let skill: Record<string, number>;

const { refused, dbRefusal } = checksOn(() => t.database);

beforeAll(async () => {
  t = await createTestApp();
  finance = await t.login('finance_admin');
  dm = await t.login('dm_bhopal');
  // dm_bhopal holds two assignments (offices 79 and 4881): act in office 79's.
  const me = (await dm.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  expect((await dm.post('/api/v1/auth/switch', { assignmentId: me.assignments.find((a) => a.officeId === 79)!.id })).statusCode).toBe(200);
  agency = await t.login('agency_admin');
  skill = Object.fromEntries((await t.database.db.select().from(skillLevels)).map((s) => [s.code, s.id]));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('minimum wages — reading', () => {
  it('requires a login; department and agency roles may read', async () => {
    expect((await t.anon.get('/api/v1/rates/minimum-wages')).statusCode).toBe(401);
    expect((await dm.get('/api/v1/rates/minimum-wages')).statusCode).toBe(200);
    expect((await agency.get('/api/v1/rates/minimum-wages')).statusCode).toBe(200);
  });

  it('lists the seeded 1 Oct 2025 rows, basic and VDA in paise, in force today, with their source', async () => {
    const page = (await dm.get('/api/v1/rates/minimum-wages')).json() as { items: TMinimumWage[]; total: number };
    expect(page.total).toBe(4);
    const skilled = page.items.find((r) => r.skillLevelId === skill.skilled)!;
    expect(skilled).toMatchObject({
      effectiveFrom: '2025-10-01',
      effectiveTo: null,
      basicPaise: 1_229_400,
      vdaPaise: 257_500,
      totalPaise: 1_486_900,
      inForceToday: true,
      future: false,
      notificationRef: MP_OCT_2025_NOTIFICATION,
    });
    expect(page.items.map((r) => r.totalPaise).sort()).toEqual([1_215_000, 1_314_600, 1_486_900, 1_649_400].sort());
  });

  it('warns that the 1 Oct 2026 revision has not been entered (nothing invented)', async () => {
    const s = (await dm.get('/api/v1/rates/minimum-wages/summary')).json() as TMinimumWageSummary;
    expect(s.today).toBe('2026-11-25');
    expect(s.expectedRevisionDate).toBe('2026-10-01');
    expect(s.anyStale).toBe(true);
    expect(s.skills).toHaveLength(4);
    expect(s.skills.every((k) => k.stale && k.inForce?.effectiveFrom === '2025-10-01')).toBe(true);
  });

  it('exports CSV and Excel', async () => {
    const csv = await dm.get('/api/v1/rates/minimum-wages/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('12294.00');
    expect(csv.body).toContain('कुशल');
    const xlsx = await dm.get('/api/v1/rates/minimum-wages/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('minimum wages — revisions', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    skillLevelId: skill.skilled,
    effectiveFrom: '2026-10-01',
    basicPaise: 1_229_400,
    vdaPaise: 290_000,
    notificationRef: 'Labour Dept. order 2026/10 (test)',
    ...over,
  });

  it('only Finance adds a revision', async () => {
    await refused(() => dm.post('/api/v1/rates/minimum-wages', body()), 403, 'forbidden');
    await refused(() => agency.post('/api/v1/rates/minimum-wages', body()), 403, 'forbidden');
  });

  it('refuses bad amounts, a missing reference and extra fields', async () => {
    await refused(() => finance.post('/api/v1/rates/minimum-wages', body({ basicPaise: 0 })), 400, 'validation_failed', 'basicPaise');
    await refused(() => finance.post('/api/v1/rates/minimum-wages', body({ vdaPaise: 12.5 })), 400, 'validation_failed', 'vdaPaise');
    await refused(() => finance.post('/api/v1/rates/minimum-wages', body({ notificationRef: '' })), 400, 'validation_failed', 'notificationRef');
    await refused(() => finance.post('/api/v1/rates/minimum-wages', body({ createdBy: 1 })), 400, 'validation_failed');
    await refused(() => finance.post('/api/v1/rates/minimum-wages', body({ skillLevelId: 999 })), 400, 'validation_failed', 'skillLevelId');
  });

  it('adds a revision (past dates allowed: notifications come late), refuses a second row for the same date, audits', async () => {
    const res = await finance.post('/api/v1/rates/minimum-wages', body());
    expect(res.statusCode, res.body).toBe(201);
    const row = res.json() as TMinimumWage;
    expect(row).toMatchObject({ effectiveFrom: '2026-10-01', totalPaise: 1_519_400, inForceToday: true });
    await refused(() => finance.post('/api/v1/rates/minimum-wages', body({ vdaPaise: 1 })), 409, 'minimum_wage_exists', 'effectiveFrom');
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'minimum_wage'), eq(auditLog.entityId, String(row.id)), eq(auditLog.action, 'create')));
    expect(a?.after).toMatchObject({ effectiveFrom: '2026-10-01', basicPaise: 1_229_400, vdaPaise: 290_000 });
    // The older row now ends the day before; the new one is in force today; skilled is no longer stale.
    const list = (await dm.get(`/api/v1/rates/minimum-wages?skillLevelId=${skill.skilled}&sort=effectiveFrom`)).json().items as TMinimumWage[];
    expect(list.map((r) => [r.effectiveFrom, r.effectiveTo, r.inForceToday])).toEqual([
      ['2025-10-01', '2026-09-30', false],
      ['2026-10-01', null, true],
    ]);
    const s = (await dm.get('/api/v1/rates/minimum-wages/summary')).json() as TMinimumWageSummary;
    expect(s.skills.find((k) => k.skillLevelId === skill.skilled)?.stale).toBe(false);
    expect(s.skills.find((k) => k.skillLevelId === skill.unskilled)?.stale).toBe(true);
    const on = (await dm.get('/api/v1/rates/minimum-wages?on=2026-09-30')).json().items as TMinimumWage[];
    expect(on.find((r) => r.skillLevelId === skill.skilled)?.effectiveFrom).toBe('2025-10-01');
  });

  it('the public reads for invoices: the row on a date, and the rows over a period', async () => {
    const db = t.database.db;
    expect(await minimumWageOn(db, skill.skilled!, '2025-09-30')).toBeNull();
    expect((await minimumWageOn(db, skill.skilled!, '2025-10-01'))?.totalPaise).toBe(1_486_900);
    expect((await minimumWageOn(db, skill.skilled!, '2026-10-01'))?.totalPaise).toBe(1_519_400);
    const rows = await minimumWagesOverlapping(db, [skill.skilled!, skill.unskilled!], '2026-09-01', '2026-12-31');
    expect(rows.map((r) => [r.skillLevelId, r.effectiveFrom])).toEqual(
      [
        [skill.unskilled, '2025-10-01'],
        [skill.skilled, '2025-10-01'],
        [skill.skilled, '2026-10-01'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    expect(await minimumWagesOverlapping(db, [skill.skilled!], '2026-10-01', '2026-12-31')).toHaveLength(1);
  });

  it('deletes only a row not yet in force; the database refuses the others too', async () => {
    const inForce = (await dm.get(`/api/v1/rates/minimum-wages?skillLevelId=${skill.unskilled}`)).json().items[0] as TMinimumWage;
    await refused(() => finance.del(`/api/v1/rates/minimum-wages/${inForce.id}`), 409, 'minimum_wage_in_force');
    await refused(() => dm.del(`/api/v1/rates/minimum-wages/${inForce.id}`), 403, 'forbidden');
    expect(await dbRefusal(sql`delete from minimum_wages where id = ${inForce.id}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`update minimum_wages set vda_paise = 0 where id = ${inForce.id}`)).toMatch(/ROAMS_FROZEN/);
    const future = (
      await finance.post(
        '/api/v1/rates/minimum-wages',
        body({ skillLevelId: skill.unskilled, effectiveFrom: '2027-04-01', basicPaise: 957_500, vdaPaise: 300_000 }),
      )
    ).json() as TMinimumWage;
    expect(future.future).toBe(true);
    const del = await finance.del(`/api/v1/rates/minimum-wages/${future.id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect((await minimumWageOn(t.database.db, skill.unskilled!, '2027-04-01'))?.effectiveFrom).toBe('2025-10-01');
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'minimum_wage'), eq(auditLog.entityId, String(future.id)), eq(auditLog.action, 'delete')));
    expect(a?.before).toMatchObject({ effectiveFrom: '2027-04-01' });
    await refused(() => finance.del(`/api/v1/rates/minimum-wages/${future.id}`), 404, 'not_found');
  });
});
