import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TResource } from '../../../shared/contracts/resource.ts';
import type { TCapacityRow } from '../../../shared/contracts/sanction.ts';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { hods, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from '../sanction/sanction.demo.ts';
import { addSanctionPosts, newSanctionOrder } from '../sanction/sanction.fixtures.ts';

/**
 * The world the resource tests start from (test-only; named `.fixtures.ts` so the boundaries test
 * lets it set up records in any table, as a person with the database would): agency 1's admin,
 * a verified agency 2 with its own admin, the department manager of office 79 (switched to it),
 * Finance, a locked sanction order giving office 79 peon posts, and two active contracts of
 * office 79 (A with agency 1, B with agency 2) from 1 Dec 2026 to 31 Mar 2027. Also the steps
 * every resource test takes: particulars, a draft, a submitted draft, the approval body, and the
 * capacity count — each response kept in `bodies` for the Aadhaar-leak check.
 */

export type ResourceIds = { skill: Record<string, number>; post: Record<string, number>; cif: number; contractA: number; contractB: number };

export type ResourceWorld = {
  t: TestApp;
  agency: Client; // agency_admin: agency 1
  agency2: Client; // a test user of agency 2 (made verified here)
  dm: Client; // dm_bhopal: department manager, office 79 (Finance)
  finance: Client; // finance_admin: state
  fin: Client; // officeadmin_fin: Finance's sanction orders
  ids: ResourceIds;
};

export const PDF = demoPdf(['Identity document', 'test']);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(64)]);

/** Switches a user with several assignments to the one of office 79. */
export async function asOffice79(c: Client) {
  const me = (await c.get('/api/v1/auth/me')).json() as { assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === 79);
  if (a && me.assignments.length > 1) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
}

/** A locked sanction order of Finance giving office 79 `n` posts of (skill, post). */
async function sanction(w: ResourceWorld, skill: string, post: string, n: number) {
  const o = await newSanctionOrder(w.fin, { prefix: 'R', pdf: PDF });
  await addSanctionPosts(w.fin, o.id, { hodId: w.ids.cif, skillLevelId: w.ids.skill[skill]!, postNameId: w.ids.post[post]!, officeId: 79, posts: n });
  expect((await w.fin.post(`/api/v1/sanction-orders/${o.id}/lock`, {})).statusCode).toBe(200);
}

/** An active contract of office 79 with `agencyId` for `positions` peons, 1 Dec 2026 – 31 Mar 2027. */
async function activeContract(w: ResourceWorld, agencyId: number, positions: number): Promise<number> {
  const db = w.t.database.db;
  const ddo = (await db.execute<{ id: number }>(sql`select id from ddo_codes where office_id = 79 order by id limit 1`)).rows[0]!.id;
  const bl = (await db.execute<{ id: number }>(sql`select budget_line_id as id from budget_line_map where office_id = 79 limit 1`)).rows[0]!.id;
  const c = await w.dm.post('/api/v1/contracts', {
    contractNo: `RES/${randomBytes(3).toString('hex')}`,
    contractDate: '2026-11-01',
    agencyId,
    procurementMode: 'open_tender',
    gemContractNo: '',
    gemBidNo: '',
    startDate: '2026-12-01',
    endDate: '2027-03-31',
    ddoCodeId: ddo,
    budgetLineIds: [bl],
    paymentMode: 'through_agency',
    wageBasis: 'monthly',
    serviceChargeBp: 385,
    epfMode: 'capped',
    esicApplies: true,
    bonusBp: 833,
    remark: '',
    posts: [{ officeId: 79, skillLevelId: w.ids.skill.unskilled, postNameId: w.ids.post.peon, positions, basicPaise: 1_000_000, vdaPaise: 257_500 }],
  });
  expect(c.statusCode, c.body).toBe(201);
  const m = multipart({}, { field: 'document', name: 'work-order.pdf', bytes: PDF });
  const up = await w.dm.request({ method: 'PUT', url: `/api/v1/contracts/${c.json().id}/versions/1/document`, payload: m.payload, headers: m.headers });
  expect(up.statusCode, up.body).toBe(200);
  const act = await w.dm.post(`/api/v1/contracts/${c.json().id}/versions/1/activate`, {});
  expect(act.statusCode, act.body).toBe(200);
  return c.json().id;
}

/**
 * The resource tests' world and steps. Call once at module level; `start` in `beforeAll` (the
 * steps read the world when they run, so they may be taken apart at module level).
 */
export function resourceWorld() {
  let w: ResourceWorld | undefined;
  const world = (): ResourceWorld => {
    if (!w) throw new Error('resourceWorld: start() has not run');
    return w;
  };
  const bodies: string[] = [];
  let seq = 0;

  function keep<T extends { body: string }>(res: T): T {
    bodies.push(res.body);
    return res;
  }

  /**
   * Opens the app and sets the world up: a sanction of `sanctioned` peons for office 79,
   * contract A (agency 1) for `contractA` of them and contract B (agency 2) for one.
   */
  async function start(opts: { app?: Parameters<typeof createTestApp>[0]; sanctioned: number; contractA: number }): Promise<ResourceWorld> {
    const t = await createTestApp(opts.app);
    const agency = await t.login('agency_admin');
    const dm = await t.login('dm_bhopal');
    await asOffice79(dm);
    const finance = await t.login('finance_admin');
    const fin = await t.login('officeadmin_fin');
    const db = t.database.db;
    // A second agency's admin: agency 2 verified, with a user made like agency_admin.
    await db.execute(sql`update agencies set status = 'verified' where id = 2`);
    const u = await db.execute<{ id: number }>(sql`
      insert into users (username, name, mobile, password_hash, must_change_password, status)
      select 'agency2_admin', 'Second Agency', '9876511111', password_hash, false, 'active' from users where username = 'agency_admin' returning id`);
    await db.execute(sql`insert into role_assignments (user_id, role, scope_kind, scope_id) values (${u.rows[0]!.id}, 'agency_admin', 'agency', 2)`);
    const agency2 = await t.login('agency2_admin');
    const [cif] = await db.select().from(hods).where(eq(hods.code, 'FIN-CIF'));
    const ids: ResourceIds = {
      cif: cif!.id,
      skill: Object.fromEntries((await db.select().from(skillLevels)).map((s) => [s.code, s.id])),
      post: Object.fromEntries((await db.select().from(postNames)).map((p) => [p.code, p.id])),
      contractA: 0,
      contractB: 0,
    };
    w = { t, agency, agency2, dm, finance, fin, ids };
    await sanction(w, 'unskilled', 'peon', opts.sanctioned);
    ids.contractA = await activeContract(w, 1, opts.contractA);
    ids.contractB = await activeContract(w, 2, 1);
    return w;
  }

  /** Valid particulars of a new peon of contract A, each call a different person. */
  function particulars(over: Record<string, unknown> = {}) {
    seq += 1;
    return {
      contractId: world().ids.contractA,
      skillLevelId: world().ids.skill.unskilled,
      postNameId: world().ids.post.peon,
      nameEn: `Test Worker ${seq}`,
      nameHi: 'परीक्षण कर्मी',
      relation: 'father',
      relativeName: 'Shri Test',
      dob: '1995-06-15',
      gender: 'M',
      mobile: `9${String(100000000 + seq * 7919).slice(0, 9)}`,
      address: 'Ward 1, Bhopal',
      qualification: 'secondary',
      bankAccount: `5${String(seq).padStart(13, '0')}`,
      ifsc: 'SBIN0001308',
      uan: '',
      esicIp: '',
      ...over,
    };
  }

  async function draft(c: Client = world().agency, over: Record<string, unknown> = {}): Promise<TResource> {
    const res = keep(await c.post('/api/v1/resources', particulars(over)));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  /** A draft verified by the department against another document, then submitted. */
  async function submitted(over: Record<string, unknown> = {}): Promise<TResource> {
    const { agency, dm } = world();
    const r = await draft(agency, over);
    const m = multipart(
      { docType: 'voter_id', docNumber: 'MP/12/345/678901', remark: 'No mobile linked' },
      { field: 'document', name: 'voter.pdf', bytes: PDF },
    );
    const alt = keep(await dm.request({ method: 'POST', url: `/api/v1/resources/${r.id}/kyc/alternative`, payload: m.payload, headers: m.headers }));
    expect(alt.statusCode, alt.body).toBe(200);
    const s = keep(await agency.post(`/api/v1/resources/${r.id}/submit`, {}));
    expect(s.statusCode, s.body).toBe(200);
    return s.json();
  }

  const approveBody = (over: Record<string, unknown> = {}) => ({
    contractId: world().ids.contractA,
    officeId: 79,
    skillLevelId: world().ids.skill.unskilled,
    postNameId: world().ids.post.peon,
    joiningDate: '2026-12-01',
    ...over,
  });

  /** Peons deployed in office 79, as Finance's capacity view counts them. */
  async function deployedPeons(): Promise<number> {
    const { finance, ids } = world();
    const res = await finance.get(`/api/v1/sanction/capacity?officeId=79&skillLevelId=${ids.skill.unskilled}&postNameId=${ids.post.peon}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as TCapacityRow[]).reduce((n, r) => n + r.deployed, 0);
  }

  /** Another active contract of office 79 for `agencyId` (within the sanction `start` made). */
  const contract = (agencyId: number, positions: number) => activeContract(world(), agencyId, positions);

  return { start, bodies, keep, particulars, draft, submitted, approveBody, deployedPeons, contract };
}
