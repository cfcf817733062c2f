import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TContract, TContractDashboard, TContractOptions, TContractSummary } from '../../../shared/contracts/contract.ts';
import type { TCapacityRow } from '../../../shared/contracts/sanction.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { ddoCodes, hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from '../sanction/sanction.demo.ts';
import { office79Terms } from './contract.fixtures.ts';
import { contractVersions } from './contract.table.ts';

let t: TestApp;
let dm: Client; // dm_bhopal: department manager, office 79 (Finance)
let fin: Client; // officeadmin_fin: sanction orders of Finance
let finance: Client; // finance_admin: state, minimum wages
let agency: Client; // agency_admin: agency 1
let ddoUser: Client; // ddo_bhopal: DDO of office 79
let state: Client; // officeadmin_state
let ids: {
  cif: number;
  ddo79: number;
  bl79: number;
  ddoOther: number;
  blOther: number;
  sedOffice: number;
  skill: Record<string, number>;
  post: Record<string, number>;
};

const PDF = demoPdf(['Work order', 'test']);

/** A locked sanction order of Finance giving office 79 `n` posts of (skill, post). */
async function sanction(skill: string, post: string, n: number) {
  const m = multipart(
    {
      orderNo: `T/${randomBytes(4).toString('hex')}`,
      orderDate: '2026-01-15',
      issuingOfficerName: 'Test',
      issuingOfficerDesignation: 'Deputy Secretary',
      remark: '',
    },
    { field: 'order', name: 'order.pdf', bytes: PDF },
  );
  const o = await fin.request({ method: 'POST', url: '/api/v1/sanction-orders', payload: m.payload, headers: m.headers });
  expect(o.statusCode, o.body).toBe(201);
  const p = await fin.post(`/api/v1/sanction-orders/${o.json().id}/posts`, {
    hodId: ids.cif,
    skillLevelId: ids.skill[skill],
    postNameId: ids.post[post],
    total: n,
    offices: [{ officeId: 79, posts: n }],
  });
  expect(p.statusCode, p.body).toBe(201);
  expect((await fin.post(`/api/v1/sanction-orders/${o.json().id}/lock`, {})).statusCode).toBe(200);
}

let seq = 0;
type Post = { officeId?: number; skill?: string; post?: string; positions?: number; basicPaise?: number; vdaPaise?: number };
function body(over: Record<string, unknown> = {}, posts: Post[] = [{}]) {
  seq += 1;
  return {
    contractNo: `FIN/T/${seq}/${randomBytes(2).toString('hex')}`,
    contractDate: '2026-11-01',
    agencyId: 1,
    procurementMode: 'open_tender',
    gemContractNo: '',
    gemBidNo: '',
    ...office79Terms(ids),
    remark: 'test',
    posts: posts.map((p) => ({
      officeId: p.officeId ?? 79,
      skillLevelId: ids.skill[p.skill ?? 'unskilled'],
      postNameId: ids.post[p.post ?? 'peon'],
      positions: p.positions ?? 1,
      basicPaise: p.basicPaise ?? 957_500,
      vdaPaise: p.vdaPaise ?? 257_500,
    })),
    ...over,
  };
}

async function createOk(b: Record<string, unknown>): Promise<TContract> {
  const res = await dm.post('/api/v1/contracts', b);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function upload(id: number, versionNo = 1, c: Client = dm) {
  const m = multipart({}, { field: 'document', name: 'work-order.pdf', bytes: PDF });
  return c.request({ method: 'PUT', url: `/api/v1/contracts/${id}/versions/${versionNo}/document`, payload: m.payload, headers: m.headers });
}

const activate = (id: number, versionNo = 1) => dm.post(`/api/v1/contracts/${id}/versions/${versionNo}/activate`, {});

async function registerActive(b: Record<string, unknown>): Promise<TContract> {
  const c = await createOk(b);
  expect((await upload(c.id)).statusCode).toBe(200);
  const res = await activate(c.id);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const { refused, dbRefusal } = checksOn(() => t.database);

async function asOffice79(c: Client) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === 79);
  if (a && me.assignments.length > 1) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
}

async function covered(skill: string, post: string): Promise<number> {
  const res = await fin.get(`/api/v1/sanction/capacity?officeId=79&skillLevelId=${ids.skill[skill]}&postNameId=${ids.post[post]}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as TCapacityRow[]).reduce((n, r) => n + r.covered, 0);
}

beforeAll(async () => {
  t = await createTestApp();
  dm = await t.login('dm_bhopal');
  await asOffice79(dm);
  fin = await t.login('officeadmin_fin');
  finance = await t.login('finance_admin');
  agency = await t.login('agency_admin');
  ddoUser = await t.login('ddo_bhopal');
  state = await t.login('officeadmin_state');
  const db = t.database.db;
  const [cif] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
  const [ddo79] = await db.select().from(ddoCodes).where(eq(ddoCodes.officeId, 79));
  const [ddoOther] = await db.select().from(ddoCodes).where(eq(ddoCodes.officeId, 4889));
  const bl = await db.execute<{ budget_line_id: number; office_id: number }>(
    sql`select budget_line_id, office_id from budget_line_map where office_id in (79, 4889)`,
  );
  const [sedOffice] = (
    await db.execute<{ id: number }>(sql`select o.id from offices o join departments d on d.id = o.department_id where d.code = 'SED' order by o.id limit 1`)
  ).rows;
  ids = {
    cif: cif!.id,
    ddo79: ddo79!.id,
    ddoOther: ddoOther!.id,
    bl79: bl.rows.find((r) => r.office_id === 79)!.budget_line_id,
    blOther: bl.rows.find((r) => r.office_id === 4889)!.budget_line_id,
    sedOffice: sedOffice!.id,
    skill: Object.fromEntries((await db.select().from(skillLevels)).map((s) => [s.code, s.id])),
    post: Object.fromEntries((await db.select().from(postNames)).map((p) => [p.code, p.id])),
  };
  // Capacity for these tests (office 79): 20 peons (unskilled), 3 guards, 1 driver, 2 sweepers, 1 stenographer (semi-skilled).
  await sanction('unskilled', 'peon', 20);
  await sanction('semi_skilled', 'guard', 3);
  await sanction('semi_skilled', 'driver', 1);
  await sanction('semi_skilled', 'sweeper', 2);
  await sanction('semi_skilled', 'stenographer', 1);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('contracts — who sees what', () => {
  it('requires a login', async () => {
    expect((await t.anon.get('/api/v1/contracts')).statusCode).toBe(401);
  });

  it("the department manager sees office 79's contracts; the state sees all; the agency its own, read only", async () => {
    const mine = (await dm.get('/api/v1/contracts?pageSize=200')).json() as { items: TContractSummary[] };
    expect(mine.items.map((c) => c.contractNo).sort()).toEqual(['FIN/CIF/2025/112', 'FIN/CIF/2026/318', 'FIN/CIF/2026/GEM-07']);
    const all = (await state.get('/api/v1/contracts?pageSize=200')).json() as { items: TContractSummary[] };
    const sed = all.items.find((c) => c.contractNo === 'SED/DPI/2026/44')!;
    expect(sed).toMatchObject({ agencyId: 3, agencyStatus: 'blacklisted', status: 'active' });
    const own = (await agency.get('/api/v1/contracts?pageSize=200')).json() as { items: TContractSummary[] };
    expect(own.items.length).toBe(3);
    expect(own.items.every((c) => c.agencyId === 1)).toBe(true);
    const gem = own.items.find((c) => c.procurementMode === 'gem')!;
    expect((await agency.get(`/api/v1/contracts/${gem.id}`)).statusCode).toBe(200);
    expect((await agency.get(`/api/v1/contracts/${gem.id}/versions/1/document`)).statusCode).toBe(200);
    await refused(() => agency.post('/api/v1/contracts', body()), 403, 'forbidden');
    await refused(() => agency.post(`/api/v1/contracts/${gem.id}/terminate`, { terminatedOn: '2026-12-01', reason: 'x' }), 403, 'forbidden');
    // Another agency's contract (and another department's) is not found.
    for (const c of [agency, dm, ddoUser, fin]) {
      await refused(() => c.get(`/api/v1/contracts/${sed.id}`), 404, 'not_found');
      await refused(() => c.get(`/api/v1/contracts/${sed.id}/versions/1/document`), 404, 'not_found');
    }
    await refused(() => dm.post(`/api/v1/contracts/${sed.id}/terminate`, { terminatedOn: '2026-12-01', reason: 'x' }), 404, 'not_found');
    expect((await finance.get(`/api/v1/contracts/${sed.id}`)).statusCode).toBe(200);
    expect((await ddoUser.get('/api/v1/contracts?pageSize=200')).json().total).toBe(3);
  });

  it("shows the demo contracts' history, legacy flag and registration", async () => {
    const list = (await dm.get('/api/v1/contracts?legacy=true')).json() as { items: TContractSummary[] };
    expect(list.items).toHaveLength(1);
    const legacy = (await dm.get(`/api/v1/contracts/${list.items[0]!.id}`)).json() as TContract;
    expect(legacy).toMatchObject({
      isLegacy: true,
      contractDate: '2025-09-20',
      registeredOn: '2026-06-12',
      registeredLate: false,
      currentVersionNo: 2,
      status: 'active',
      endDate: '2027-01-31',
    });
    expect(legacy.versions.map((v) => [v.versionNo, v.kind, v.state])).toEqual([
      [2, 'extension', 'in_force'],
      [1, 'original', 'superseded'],
    ]);
    expect(legacy.versions[0]!.posts[0]).toMatchObject({ positions: 2, basicPaise: 1_229_400, vdaPaise: 257_500, totalPaise: 1_486_900 });
  });
});

describe('contracts — register, and every refusal', () => {
  it('registers a draft with version 1 and audits it', async () => {
    const b = body();
    const c = await createOk(b);
    expect(c).toMatchObject({
      contractNo: b.contractNo,
      status: 'draft',
      isLegacy: false,
      officeId: 79,
      agencyId: 1,
      currentVersionNo: null,
      draftVersionNo: 1,
      totalPositions: 1,
      registeredOn: null,
    });
    expect(c.versions[0]).toMatchObject({
      versionNo: 1,
      kind: 'original',
      state: 'draft',
      document: null,
      serviceChargeBp: 385,
      bonusBp: 833,
      epfMode: 'capped',
    });
    expect(c.versions[0]!.budgetLines.map((l) => l.id)).toEqual([ids.bl79]);
    const [a] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'contract'), eq(auditLog.entityId, String(c.id)), eq(auditLog.action, 'create')));
    expect(a?.after).toMatchObject({ contractNo: b.contractNo, version: 1 });
  });

  it('refuses an end date before the start', async () => {
    await refused(() => dm.post('/api/v1/contracts', body({ endDate: '2026-11-30' })), 400, 'contract_period_invalid', 'endDate');
  });

  it('refuses GeM without a GEMC- number, and accepts it with one', async () => {
    await refused(() => dm.post('/api/v1/contracts', body({ procurementMode: 'gem', gemContractNo: '' })), 400, 'gem_contract_no_invalid', 'gemContractNo');
    await refused(
      () => dm.post('/api/v1/contracts', body({ procurementMode: 'gem', gemContractNo: 'GEM/2026/B/12' })),
      400,
      'gem_contract_no_invalid',
      'gemContractNo',
    );
    const c = await createOk(body({ procurementMode: 'gem', gemContractNo: 'GEMC-511687700001234', gemBidNo: 'GEM/2026/B/7000001' }));
    expect(c).toMatchObject({ procurementMode: 'gem', gemContractNo: 'GEMC-511687700001234' });
  });

  it('refuses an agency that is pending, blacklisted, suspended or whose licence has expired', async () => {
    await refused(() => dm.post('/api/v1/contracts', body({ agencyId: 2 })), 409, 'agency_not_verified', 'agencyId');
    await refused(() => dm.post('/api/v1/contracts', body({ agencyId: 3 })), 409, 'agency_blacklisted', 'agencyId');
    const db = t.database.db;
    const district = (await db.execute<{ id: number }>(sql`select id from districts limit 1`)).rows[0]!.id;
    const mk = async (pan: string, status: string, validTo: string) =>
      (
        await db.execute<{
          id: number;
        }>(sql`insert into agencies (legal_name, type, pan, gstin, epfo_code, esic_code, licence_no, licence_workmen, licence_valid_to, address, district_id, contact_name, mobile, email, bank_account, ifsc, status, registered_via)
        values (${`Test ${pan}`}, 'firm', ${pan}, ${`23${pan}1Z5`}, 'X', 'Y', 'L', 10, ${validTo}, 'Bhopal', ${district}, 'C', '9811111111', '', '123456789', 'SBIN0001308', ${status}, 'department') returning id`)
      ).rows[0]!.id;
    const suspended = await mk('AAFFT1111A', 'suspended', '2030-01-01');
    const expired = await mk('AAFFT2222B', 'verified', '2026-11-24');
    await refused(() => dm.post('/api/v1/contracts', body({ agencyId: suspended })), 409, 'agency_suspended', 'agencyId');
    const res = await refused(() => dm.post('/api/v1/contracts', body({ agencyId: expired })), 409, 'agency_licence_expired', 'agencyId');
    expect(res.json().errors?.[0]?.message).toBeTruthy();
    await refused(() => dm.post('/api/v1/contracts', body({ agencyId: 99_999 })), 400, 'validation_failed', 'agencyId');
  });

  it('refuses a DDO code or budget line not mapped to the office', async () => {
    await refused(() => dm.post('/api/v1/contracts', body({ ddoCodeId: ids.ddoOther })), 400, 'ddo_not_for_office', 'ddoCodeId');
    await refused(() => dm.post('/api/v1/contracts', body({ budgetLineIds: [ids.bl79, ids.blOther] })), 400, 'budget_line_not_for_office', 'budgetLineIds.1');
  });

  it('offers and accepts a DDO code that draws for the office through the DDO-office map, until it is made inactive', async () => {
    const db = t.database.db;
    await db.execute(sql`insert into ddo_office_map (ddo_code_id, office_id) values (${ids.ddoOther}, 79)`);
    try {
      const o = (await dm.get('/api/v1/contracts/options')).json() as TContractOptions;
      expect(o.ddoCodes.map((d) => d.id).sort((a, b) => a - b)).toEqual([ids.ddo79, ids.ddoOther].sort((a, b) => a - b));
      const c = await createOk(body({ ddoCodeId: ids.ddoOther }));
      expect(c.versions[0]?.ddoCodeId).toBe(ids.ddoOther);
      await db.execute(sql`update ddo_codes set active = false where id = ${ids.ddoOther}`);
      expect(((await dm.get('/api/v1/contracts/options')).json() as TContractOptions).ddoCodes.map((d) => d.id)).toEqual([ids.ddo79]);
      await refused(() => dm.post('/api/v1/contracts', body({ ddoCodeId: ids.ddoOther })), 400, 'ddo_not_for_office', 'ddoCodeId');
    } finally {
      await db.execute(sql`update ddo_codes set active = true where id = ${ids.ddoOther}`);
      await db.execute(sql`delete from ddo_office_map where ddo_code_id = ${ids.ddoOther} and office_id = 79`);
    }
  });

  it('refuses a wage 1 paisa below the minimum (basic + VDA) and accepts exactly the minimum', async () => {
    const res = await refused(() => dm.post('/api/v1/contracts', body({}, [{ basicPaise: 957_499 }])), 400, 'wage_below_minimum', 'posts.0.basicPaise');
    expect(res.json().title).toContain('12,150.00');
    await refused(() => dm.post('/api/v1/contracts', body({}, [{ basicPaise: 900_000, vdaPaise: 314_999 }])), 400, 'wage_below_minimum', 'posts.0.basicPaise');
    // The split between basic and VDA does not matter, the total does.
    await createOk(body({}, [{ basicPaise: 900_000, vdaPaise: 315_000 }]));
    await createOk(body({}, [{ basicPaise: 957_500, vdaPaise: 257_500 }]));
  });

  it('refuses a period starting before any minimum wage is known for the skill level', async () => {
    const res = await refused(
      () => dm.post('/api/v1/contracts', body({ contractDate: '2025-05-20', startDate: '2025-06-01', endDate: '2026-05-31' })),
      400,
      'minimum_wage_unknown',
      'posts.0.skillLevelId',
    );
    expect(res.json().errors?.[0]?.message).toBeTruthy();
  });

  it("refuses a duplicate number (any case), a post of another department's office, and fields nobody may set", async () => {
    const c = await createOk(body());
    await refused(() => dm.post('/api/v1/contracts', body({ contractNo: c.contractNo.toLowerCase() })), 409, 'duplicate_contract_no', 'contractNo');
    await refused(() => dm.post('/api/v1/contracts', body({}, [{ officeId: ids.sedOffice }])), 400, 'validation_failed', 'posts.0.officeId');
    await refused(() => dm.post('/api/v1/contracts', body({ status: 'active' })), 400, 'validation_failed');
    await refused(() => dm.post('/api/v1/contracts', body({ bonusBp: 500 })), 400, 'validation_failed', 'bonusBp');
    await refused(() => dm.post('/api/v1/contracts', body({}, [{ positions: 1.5 }])), 400, 'validation_failed', 'posts.0.positions');
    await refused(() => dm.post('/api/v1/contracts', body({}, [{}, {}])), 400, 'validation_failed', 'posts.1.postNameId');
  });

  it('answers in Hindi too', async () => {
    const res = await dm.request({ method: 'POST', url: '/api/v1/contracts', payload: body({ endDate: '2026-11-30' }), headers: { cookie: 'roams_lang=hi' } });
    expect(res.json().code).toBe('contract_period_invalid');
    expect(res.json().title).toMatch(/[\u0900-\u097F]/);
  });
});

describe('contracts — capacity', () => {
  it('refuses one position too many and saves nothing; the capacity page shows what is covered', async () => {
    const res = await refused(
      () => dm.post('/api/v1/contracts', body({}, [{ skill: 'semi_skilled', post: 'guard', positions: 4, basicPaise: 1_057_100 }])),
      409,
      'positions_exceed_capacity',
      'posts.0.positions',
    );
    expect(res.json().errors?.[0]).toMatchObject({ code: 'exceeds_capacity' });
    expect(await covered('semi_skilled', 'guard')).toBe(0);
    await registerActive(body({}, [{ skill: 'semi_skilled', post: 'guard', positions: 3, basicPaise: 1_057_100 }]));
    expect(await covered('semi_skilled', 'guard')).toBe(3);
    // Overlapping period: nothing left. After the first ends (31 Mar 2027): all 3 again.
    await refused(
      () =>
        dm.post(
          '/api/v1/contracts',
          body({ startDate: '2027-03-01', endDate: '2027-06-30' }, [{ skill: 'semi_skilled', post: 'guard', positions: 1, basicPaise: 1_057_100 }]),
        ),
      409,
      'positions_exceed_capacity',
      'posts.0.positions',
    );
    await registerActive(
      body({ startDate: '2027-04-01', endDate: '2027-09-30' }, [{ skill: 'semi_skilled', post: 'guard', positions: 3, basicPaise: 1_057_100 }]),
    );
    const opts = (await dm.get('/api/v1/contracts/options')).json() as TContractOptions;
    // Two successive contracts of 3 cover 3 at a time, not 6.
    expect(opts.capacity.find((c) => c.skillLevelId === ids.skill.semi_skilled && c.postNameId === ids.post.guard)).toMatchObject({
      sanctioned: 3,
      covered: 3,
    });
    expect(await covered('semi_skilled', 'guard')).toBe(3);
  });

  it('a draft reserves nothing: two drafts for the last position; activated in parallel, exactly one succeeds', async () => {
    const a = await createOk(body({}, [{ skill: 'semi_skilled', post: 'driver', basicPaise: 1_057_100 }]));
    const b = await createOk(body({}, [{ skill: 'semi_skilled', post: 'driver', basicPaise: 1_057_100 }]));
    expect((await upload(a.id)).statusCode).toBe(200);
    expect((await upload(b.id)).statusCode).toBe(200);
    const results = await Promise.all([activate(a.id), activate(b.id)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes, results.map((r) => r.body).join('\n')).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('positions_exceed_capacity');
    const inForce = await t.database.db
      .select()
      .from(contractVersions)
      .where(and(sql`${contractVersions.contractId} in (${a.id}, ${b.id})`, eq(contractVersions.state, 'in_force')));
    expect(inForce).toHaveLength(1);
    expect(await covered('semi_skilled', 'driver')).toBe(1);
  });

  it("eight departments' clerks activating drafts for the last position at once: exactly one succeeds", async () => {
    const drafts: TContract[] = [];
    for (let i = 0; i < 8; i++) drafts.push(await createOk(body({}, [{ skill: 'semi_skilled', post: 'stenographer', basicPaise: 1_057_100 }])));
    for (const d of drafts) expect((await upload(d.id)).statusCode).toBe(200);
    const results = await Promise.all(drafts.map((d) => activate(d.id)));
    expect(
      results.filter((r) => r.statusCode === 200),
      results.map((r) => r.body.slice(0, 80)).join('\n'),
    ).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409 && r.json().code === 'positions_exceed_capacity')).toHaveLength(7);
    const inForce = await t.database.db
      .select()
      .from(contractVersions)
      .where(
        and(
          sql`${contractVersions.contractId} in (${sql.join(
            drafts.map((d) => sql`${d.id}`),
            sql`, `,
          )})`,
          eq(contractVersions.state, 'in_force'),
        ),
      );
    expect(inForce).toHaveLength(1);
    expect(await covered('semi_skilled', 'stenographer')).toBe(1);
  });

  it('a double-clicked Activate activates once', async () => {
    const c = await createOk(body({}, [{ skill: 'semi_skilled', post: 'sweeper', basicPaise: 1_057_100 }]));
    expect((await upload(c.id)).statusCode).toBe(200);
    const results = await Promise.all([activate(c.id), activate(c.id)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('version_not_draft');
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'contract_version'), eq(auditLog.action, 'activate'), sql`${auditLog.after}->>'contractId' = ${String(c.id)}`));
    expect(audits).toHaveLength(1);
    expect(await covered('semi_skilled', 'sweeper')).toBe(1);
  });

  it('needs the document before activation', async () => {
    const c = await createOk(body());
    await refused(() => activate(c.id), 400, 'file_required', 'document');
    const bad = multipart({}, { field: 'document', name: 'x.pdf', bytes: Buffer.from('not a pdf') });
    await refused(
      () => dm.request({ method: 'PUT', url: `/api/v1/contracts/${c.id}/versions/1/document`, payload: bad.payload, headers: bad.headers }),
      400,
      'file_not_pdf',
      'document',
    );
  });
});

describe('contracts — versions, never silent edits', () => {
  let c: TContract;
  beforeAll(async () => {
    c = await registerActive(body({}, [{ positions: 2 }]));
  });

  it('an in-force version cannot be edited through the API, nor by raw SQL', async () => {
    const v1 = c.versions[0]!;
    await refused(() => dm.put(`/api/v1/contracts/${c.id}/versions/1`, { ...body(), contractNo: undefined }), 400, 'validation_failed');
    const { contractNo: _a, contractDate: _b, agencyId: _c, procurementMode: _d, gemContractNo: _e, gemBidNo: _f, ...terms } = body({}, [{ positions: 5 }]);
    await refused(() => dm.put(`/api/v1/contracts/${c.id}/versions/1`, terms), 409, 'version_not_draft');
    await refused(
      () =>
        dm.put(`/api/v1/contracts/${c.id}`, {
          contractNo: 'X',
          contractDate: '2026-11-01',
          agencyId: 1,
          procurementMode: 'other',
          gemContractNo: '',
          gemBidNo: '',
        }),
      409,
      'contract_not_draft',
    );
    expect(await dbRefusal(sql`update contract_versions set end_date = '2030-01-01' where id = ${v1.id}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`update contract_posts set positions = 9 where version_id = ${v1.id}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`delete from contract_posts where version_id = ${v1.id}`)).toMatch(/ROAMS_FROZEN/);
    expect(await dbRefusal(sql`insert into contract_version_budget_lines (version_id, budget_line_id) values (${v1.id}, ${ids.blOther})`)).toMatch(
      /ROAMS_FROZEN/,
    );
    expect(await dbRefusal(sql`delete from contract_versions where id = ${v1.id}`)).toMatch(/ROAMS_FROZEN/);
    const res = await dm.post(`/api/v1/contracts/${c.id}/versions/1/activate`, {});
    expect(res.json().code).toBe('version_not_draft');
  });

  it('an extension is a new version: checked again, previous one superseded, history kept', async () => {
    const {
      contractNo: _a,
      contractDate: _b,
      agencyId: _c,
      procurementMode: _d,
      gemContractNo: _e,
      gemBidNo: _f,
      ...terms
    } = body({ endDate: '2027-06-30' }, [{ positions: 2 }]);
    await refused(
      () => dm.post(`/api/v1/contracts/${c.id}/versions`, { kind: 'extension', ...terms, endDate: '2027-03-31' }),
      400,
      'validation_failed',
      'endDate',
    );
    await refused(
      () => dm.post(`/api/v1/contracts/${c.id}/versions`, { kind: 'extension', ...terms, posts: [{ ...terms.posts[0], basicPaise: 900_000 }] }),
      400,
      'wage_below_minimum',
      'posts.0.basicPaise',
    );
    const draft = await dm.post(`/api/v1/contracts/${c.id}/versions`, { kind: 'extension', ...terms });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({ currentVersionNo: 1, draftVersionNo: 2, endDate: '2027-03-31' });
    await refused(() => dm.post(`/api/v1/contracts/${c.id}/versions`, { kind: 'amendment', ...terms }), 409, 'version_draft_exists');
    const edited = await dm.put(`/api/v1/contracts/${c.id}/versions/2`, { ...terms, positions: undefined, posts: [{ ...terms.posts[0], positions: 3 }] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await upload(c.id, 2)).statusCode).toBe(200);
    const res = await activate(c.id, 2);
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as TContract;
    expect(after).toMatchObject({ status: 'active', currentVersionNo: 2, draftVersionNo: null, endDate: '2027-06-30', totalPositions: 3 });
    expect(after.versions.map((v) => [v.versionNo, v.kind, v.state])).toEqual([
      [2, 'extension', 'in_force'],
      [1, 'original', 'superseded'],
    ]);
    expect(after.versions[1]!.posts[0]!.positions).toBe(2);
  });

  it('terminates with a reason and a date inside the period; the positions are free again', async () => {
    const before = await covered('unskilled', 'peon');
    await refused(
      () => dm.post(`/api/v1/contracts/${c.id}/terminate`, { terminatedOn: '2027-07-01', reason: 'Work over' }),
      400,
      'termination_date_invalid',
      'terminatedOn',
    );
    await refused(() => dm.post(`/api/v1/contracts/${c.id}/terminate`, { terminatedOn: '2027-01-31' }), 400, 'validation_failed', 'reason');
    const res = await dm.post(`/api/v1/contracts/${c.id}/terminate`, { terminatedOn: '2026-12-31', reason: 'Unsatisfactory service' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'terminated', terminatedOn: '2026-12-31', terminationReason: 'Unsatisfactory service' });
    expect(await covered('unskilled', 'peon')).toBe(before - 3);
    await refused(() => dm.post(`/api/v1/contracts/${c.id}/terminate`, { terminatedOn: '2026-12-31', reason: 'again' }), 409, 'contract_not_active');
    await refused(() => dm.post(`/api/v1/contracts/${c.id}/versions`, { kind: 'amendment', ...body(), contractNo: undefined }), 400, 'validation_failed');
  });

  it('deletes a draft contract, never an activated one', async () => {
    const d = await createOk(body());
    expect((await dm.del(`/api/v1/contracts/${d.id}`)).statusCode).toBe(204);
    expect((await dm.get(`/api/v1/contracts/${d.id}`)).statusCode).toBe(404);
    await refused(() => dm.del(`/api/v1/contracts/${c.id}`), 409, 'contract_not_draft');
  });
});

describe('contracts — a later minimum-wage revision', () => {
  it('is checked mid-period at registration, and flags contracts already in force', async () => {
    // In force at exactly the 1 Oct 2025 minimum, to 30 Nov 2027.
    const c = await registerActive(body({ endDate: '2027-11-30' }, [{ positions: 1 }]));
    expect(c.belowMinimumWage).toBe(false);
    const rev = await finance.post('/api/v1/rates/minimum-wages', {
      skillLevelId: ids.skill.unskilled,
      effectiveFrom: '2027-04-01',
      basicPaise: 990_000,
      vdaPaise: 260_000,
      notificationRef: 'Test revision from 1 Apr 2027',
    });
    expect(rev.statusCode, rev.body).toBe(201);
    // Registration: a period running into the revision is checked against it; one ending before it is not.
    const res = await refused(() => dm.post('/api/v1/contracts', body({ endDate: '2027-11-30' })), 400, 'wage_below_minimum', 'posts.0.basicPaise');
    expect(res.json().title).toContain('01/04/2027');
    await createOk(body({ endDate: '2027-03-31' }));
    await createOk(body({ endDate: '2027-11-30' }, [{ basicPaise: 990_000, vdaPaise: 260_000 }]));
    // The contract in force is flagged, listing the post and the revision.
    const flagged = (await dm.get(`/api/v1/contracts/${c.id}`)).json() as TContract;
    expect(flagged.belowMinimumWage).toBe(true);
    expect(flagged.belowMinimumWageFlags).toEqual([
      expect.objectContaining({
        skillLevelId: ids.skill.unskilled,
        wagePaise: 1_215_000,
        minimumPaise: 1_250_000,
        revisionId: rev.json().id,
        revisionEffectiveFrom: '2027-04-01',
      }),
    ]);
    const list = (await dm.get('/api/v1/contracts?belowMinimumWage=true&pageSize=200')).json() as { items: TContractSummary[] };
    expect(list.items.map((x) => x.id)).toContain(c.id);
    // Finance withdraws the (future) revision: the flag goes.
    expect((await finance.del(`/api/v1/rates/minimum-wages/${rev.json().id}`)).statusCode).toBe(204);
    expect(((await dm.get(`/api/v1/contracts/${c.id}`)).json() as TContract).belowMinimumWage).toBe(false);
  });
});

describe('contracts — legacy registration and lateness', () => {
  it('counts legacy contracts against 30 June 2026 and lists new contracts registered late', async () => {
    const before = (await dm.get('/api/v1/contracts/dashboard')).json() as TContractDashboard;
    expect(before).toMatchObject({ deadline: '2026-06-30', legacyBefore: '2026-04-01', lateAfterDays: 30 });
    expect(before.totals).toMatchObject({ legacyRegistered: 1, legacyByDeadline: 1, legacyAfterDeadline: 0 });
    const legacy = await registerActive(body({ contractDate: '2025-11-15', startDate: '2025-12-01', endDate: '2027-02-28' }));
    expect(legacy).toMatchObject({ isLegacy: true, contractDate: '2025-11-15', startDate: '2025-12-01', registeredOn: '2026-11-25', registeredLate: false });
    const late = await registerActive(body({ contractDate: '2026-09-01' }));
    expect(late.registeredLate).toBe(true);
    const onTime = await registerActive(body({ contractDate: '2026-11-01' }));
    expect(onTime.registeredLate).toBe(false);
    const after = (await dm.get('/api/v1/contracts/dashboard')).json() as TContractDashboard;
    expect(after.totals.legacyRegistered).toBe(before.totals.legacyRegistered + 1);
    expect(after.totals.legacyAfterDeadline).toBe(before.totals.legacyAfterDeadline + 1);
    expect(after.totals.newRegisteredLate).toBe(before.totals.newRegisteredLate + 1);
    expect(after.departments.map((d) => d.nameEn)).toEqual(['Finance Department']);
    const lateList = (await dm.get('/api/v1/contracts?late=true&pageSize=200')).json() as { items: TContractSummary[] };
    expect(lateList.items.map((x) => x.id)).toContain(late.id);
    expect(lateList.items.map((x) => x.id)).not.toContain(onTime.id);
    const stateDash = (await finance.get('/api/v1/contracts/dashboard')).json() as TContractDashboard;
    expect(stateDash.departments.map((d) => d.nameEn).sort()).toEqual(['Finance Department', 'School Education Department']);
  });
});

describe('contracts — lists and options', () => {
  it('pages, filters, sorts on the server and exports', async () => {
    const p1 = (await dm.get('/api/v1/contracts?pageSize=2&sort=contractNo&dir=asc')).json() as { items: TContractSummary[]; total: number };
    expect(p1.items).toHaveLength(2);
    const all = (await dm.get('/api/v1/contracts?pageSize=200&sort=contractNo&dir=asc')).json() as { items: TContractSummary[]; total: number };
    expect(all.total).toBe(p1.total);
    expect(all.items.slice(0, 2).map((x) => x.id)).toEqual(p1.items.map((x) => x.id));
    const sorted = all.items.map((x) => x.contractNo.toLowerCase());
    expect(sorted).toEqual([...sorted].sort());
    const drafts = (await dm.get('/api/v1/contracts?status=draft&pageSize=200')).json() as { items: TContractSummary[] };
    expect(drafts.items.every((x) => x.status === 'draft')).toBe(true);
    const q = (await dm.get('/api/v1/contracts?q=GEM-07')).json() as { items: TContractSummary[] };
    expect(q.items.map((x) => x.contractNo)).toEqual(['FIN/CIF/2026/GEM-07']);
    const ending = (await dm.get('/api/v1/contracts?endingWithinDays=90&pageSize=200')).json() as { items: TContractSummary[] };
    expect(ending.items.map((x) => x.contractNo)).toContain('FIN/CIF/2025/112');
    const csv = await dm.get('/api/v1/contracts/export?format=csv&legacy=true');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('FIN/CIF/2025/112');
    expect(csv.body).not.toContain('GEM-07');
    const xlsx = await dm.get('/api/v1/contracts/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it("offers the office's DDO codes, budget lines, capacity and which agencies can be contracted", async () => {
    const o = (await dm.get('/api/v1/contracts/options')).json() as TContractOptions;
    expect(o.offices.map((x) => x.id)).toEqual([79]);
    expect(o.ddoCodes.map((d) => d.id)).toEqual([ids.ddo79]);
    expect(o.budgetLines.map((b) => b.id)).toEqual([ids.bl79]);
    expect(o.capacity.find((c) => c.skillLevelId === ids.skill.skilled && c.postNameId === ids.post.deo)).toMatchObject({ sanctioned: 3, covered: 2 });
    expect(o.agencies.find((a) => a.id === 1)).toMatchObject({ contractable: true, reason: null });
    expect(o.agencies.find((a) => a.id === 3)).toMatchObject({ contractable: false, reason: 'blacklisted' });
    expect((await dm.get(`/api/v1/contracts/options?officeId=${ids.sedOffice}`)).statusCode).toBe(404);
  });

  it('offers a DDO the office its code belongs to (the access layer: a DDO scope reaches its own office), and no other', async () => {
    const o = (await ddoUser.get('/api/v1/contracts/options')).json() as TContractOptions;
    expect(o.offices.map((x) => x.id)).toEqual([79]);
    expect(o.ddoCodes.map((d) => d.id)).toEqual([ids.ddo79]);
    expect((await ddoUser.get('/api/v1/contracts/options?officeId=79')).statusCode).toBe(200);
    expect((await ddoUser.get(`/api/v1/contracts/options?officeId=${ids.sedOffice}`)).statusCode).toBe(404);
  });
});
