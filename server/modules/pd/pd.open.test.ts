import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApplication, TProposal } from '../../../shared/contracts/pd-open.ts';
import { AppError } from '../../platform/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { type Client, createTestApp, dbFingerprint, type TestApp } from '../../test/harness.ts';
import { assertMayWithdraw, registerApplication } from './pd.open.register.ts';
import { sanctionProposal } from './pd.open.ts';

/**
 * Opening a PD account (issue 18 item 1) through the API, on PGlite and on PostgreSQL
 * (TEST_DATABASE_URL): the whole way from the department's proposal to the treasury's
 * registration, the PD account number as the administrator's login that may not withdraw before
 * the password is changed, maker ≠ HOD (also held by the database), each role on its own records
 * only, unique account numbers under concurrent registrations, an audit entry per transition,
 * and bad proposals refused with nothing saved. Demo data: pd.open.demo.ts.
 */
let t: TestApp;
let maker: Client; // officeadmin_fin: Finance Department
let hod: Client; // hod_fin: office admin at a Finance HOD
let finance: Client; // finance_admin
let treasury: Client; // treasury_bhopal
let stateAdmin: Client; // officeadmin_state
let bhopal: { id: number; code: string };
let indoreId: number;
let finLines: number[];
let sedLineId: number;

const q = async <T>(s: ReturnType<typeof sql>) => (await t.database.db.execute<T & Record<string, unknown>>(s)).rows;
const mobile = () => `7${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
const row = (over: Record<string, unknown> = {}) => ({
  administratorDesignation: 'Joint Director',
  administratorOffice: 'Directorate of Treasuries and Accounts, Bhopal',
  administratorMobile: mobile(),
  treasuryId: bhopal.id,
  purpose: 'Scheme deposits',
  items: 'Scheme money by book transfer',
  lines: [{ budgetLineId: finLines[0] }, { budgetLineId: finLines[1] }],
  ...over,
});
const proposalBody = (over: Record<string, unknown> = {}) => ({
  hodDesignation: 'Commissioner, Treasuries and Accounts',
  source: 'consolidated',
  rows: [row()],
  ...over,
});

async function auditActions(entity: string, id: number): Promise<string[]> {
  const rows = await q<{ action: string }>(sql`select action from audit_log where entity = ${entity} and entity_id = ${String(id)} order by seq`);
  return rows.map((r) => r.action);
}

/** Makes a proposal and walks it to `upTo` through the API (each step asserted). */
/** A service call as a demo user from no login (no second factor: the hourly limit of codes would stop a long test). */
async function ctxOf(username: string): Promise<Ctx> {
  const [a] = await q<{ id: number; user_id: number; role: string; scope_kind: string; scope_id: number }>(
    sql`select ra.id, ra.user_id, ra.role, ra.scope_kind, ra.scope_id from role_assignments ra join users u on u.id = ra.user_id where u.username = ${username} order by ra.id limit 1`,
  );
  return {
    actor: { userId: a!.user_id, name: username, assignmentId: a!.id, role: a!.role as never, scopeKind: a!.scope_kind as never, scopeId: a!.scope_id },
    ip: '',
    locale: 'en',
    now: t.clock.now(),
  };
}

async function walk(body: Record<string, unknown>, upTo: 'draft' | 'submitted' | 'recommended' | 'sanctioned' | 'applied', viaApi = false): Promise<TProposal> {
  const c = await maker.post('/api/v1/pd/opening/proposals', body);
  expect(c.statusCode, c.body).toBe(201);
  let p = c.json() as TProposal;
  const go = async (client: Client, action: string, payload?: unknown) => {
    const r = await client.post(`/api/v1/pd/opening/proposals/${p.id}/${action}`, payload);
    expect(r.statusCode, r.body).toBe(200);
    p = r.json();
  };
  if (upTo === 'draft') return p;
  await go(maker, 'submit');
  if (upTo === 'submitted') return p;
  await go(hod, 'recommend');
  if (upTo === 'recommended') return p;
  const sanction = { sanctionNo: `F-11-${p.id}/2026`, sanctionDate: '2026-11-20' };
  if (viaApi) await go(finance, 'sanction', { ...sanction, otp: await t.stepUpCode(finance) });
  else p = await sanctionProposal(t.database.db, await ctxOf('finance_admin'), p.id, sanction);
  if (upTo === 'sanctioned') return p;
  await go(maker, 'apply');
  return p;
}

async function refused(p: Promise<{ statusCode: number; body: string; json: () => { code: string } }>, status: number, code: string) {
  const before = await dbFingerprint(t.database);
  const r = await p;
  expect(r.statusCode, r.body).toBe(status);
  expect(r.json().code).toBe(code);
  expect(await dbFingerprint(t.database)).toBe(before);
}

beforeAll(async () => {
  t = await createTestApp();
  maker = await t.login('officeadmin_fin');
  hod = await t.login('hod_fin');
  finance = await t.login('finance_admin');
  treasury = await t.login('treasury_bhopal');
  stateAdmin = await t.login('officeadmin_state');
  const ts = (await maker.get('/api/v1/pd/opening/treasuries')).json().items as { id: number; code: string; nameEn: string }[];
  const [tb] = await q<{ id: number; code: string }>(
    sql`select t.id, t.code from treasuries t join districts d on d.id = t.district_id where d.name_en = 'Bhopal'`,
  );
  bhopal = tb!;
  indoreId = (await q<{ id: number }>(sql`select t.id from treasuries t join districts d on d.id = t.district_id where d.name_en = 'Indore'`))[0]!.id;
  expect(ts.map((x) => x.id)).toContain(bhopal.id);
  finLines = ((await maker.get('/api/v1/pd/opening/budget-lines')).json().items as { id: number }[]).map((b) => b.id);
  expect(finLines.length).toBeGreaterThanOrEqual(2);
  sedLineId = (await q<{ id: number }>(sql`select b.id from budget_lines b join departments d on d.id = b.department_id where d.code = 'SED' limit 1`))[0]!.id;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('PD opening: the whole way, from proposal to a working login', () => {
  it('proposal → HOD → Finance → application → treasury: the account, its number and its login; audited at every step', async () => {
    const p = await walk(proposalBody(), 'applied', true);
    expect(p.state).toBe('applied');
    expect(p.sanctionNo).toBe(`F-11-${p.id}/2026`);
    const rowId = p.rows[0]!.id;
    const adminMobile = (await q<{ m: string }>(sql`select administrator_mobile as m from pd_proposal_rows where id = ${rowId}`))[0]!.m;

    const work = (await treasury.get('/api/v1/pd/opening/applications')).json().items as TApplication[];
    expect(work.map((a) => a.id)).toContain(rowId);
    const reg = await treasury.post(`/api/v1/pd/opening/applications/${rowId}/register`, { otp: await t.stepUpCode(treasury) });
    expect(reg.statusCode, reg.body).toBe(201);
    const app = reg.json() as TApplication;
    expect(app.accountNo).toMatch(new RegExp(`^PD${bhopal.code}[0-9]{4,}$`));
    expect(app.loginId).toBe(app.accountNo);
    // The account exists with the sanctioned budget lines, at the treasury, for the department.
    const acct = await treasury.get(`/api/v1/pd/accounts/${app.accountId}`);
    expect(acct.statusCode, acct.body).toBe(200);
    expect(acct.json().lines.map((l: { budgetLineId: number }) => l.budgetLineId)).toEqual(finLines.slice(0, 2));
    expect((await maker.get(`/api/v1/pd/opening/proposals/${p.id}`)).json().state).toBe('registered');
    // Registering twice is refused.
    await refused(treasury.post(`/api/v1/pd/opening/applications/${rowId}/register`, {}), 409, 'pd_open_already_registered');

    expect(await auditActions('pd_proposal', p.id)).toEqual(['create', 'submit', 'recommend', 'sanction', 'apply', 'register_row', 'registered']);
    expect(await auditActions('pd_account', app.accountId!)).toEqual(['open']);
    const [sanctionAudit] = await q<{ after: { sanctioned: { lines: unknown[] }[] } }>(
      sql`select after from audit_log where entity = 'pd_proposal' and entity_id = ${String(p.id)} and action = 'sanction'`,
    );
    expect(sanctionAudit!.after.sanctioned[0]!.lines.length).toBe(2);

    // The login: the account number, the first password by SMS; no withdrawal before it is changed.
    await t.flushOutbox();
    const sms = (await t.lastSms(adminMobile)) ?? '';
    expect(sms).toContain(app.accountNo!);
    const password = /Temporary password: (\S+)/.exec(sms)?.[1] ?? /पासवर्ड\S*:? (\S+)/.exec(sms)?.[1];
    expect(password).toBeTruthy();
    const admin = await t.login(app.accountNo!, password!);
    // A book transfer: a newly opened account has no vendor master yet (vendors need a proof).
    const echeque = {
      payeeKind: 'book_transfer',
      lineId: acct.json().lines[0].id,
      amountPaise: 10_000,
      payeeName: 'Collector, Bhopal',
      headOfAccount: '2202-02-109-0101',
    };
    const early = await admin.request({
      method: 'POST',
      url: `/api/v1/pd/accounts/${app.accountId}/echeques`,
      payload: echeque,
      headers: { 'idempotency-key': 'k-open-early-1' },
    });
    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('password_change_required');
    // The service's own lock, whatever the route layer does.
    const [asg] = await q<{ id: number; user_id: number }>(
      sql`select ra.id, ra.user_id from role_assignments ra join users u on u.id = ra.user_id where u.username = ${app.accountNo}`,
    );
    const ctx: Ctx = {
      actor: { userId: asg!.user_id, name: 'x', assignmentId: asg!.id, role: 'pd_admin', scopeKind: 'pd_account', scopeId: app.accountId! },
      ip: '',
      locale: 'en',
      now: t.clock.now(),
    };
    await expect(assertMayWithdraw(t.database.db, ctx)).rejects.toMatchObject({ code: 'pd_password_not_changed' });

    const changed = await admin.post('/api/v1/auth/change-password', { currentPassword: password, newPassword: 'Narmada#Ghat2026x' });
    expect(changed.statusCode, changed.body).toBe(200);
    await expect(assertMayWithdraw(t.database.db, ctx)).resolves.toBeUndefined();
    const dep = await treasury.post(`/api/v1/pd/accounts/${app.accountId}/deposits`, {
      lineId: echeque.lineId,
      amountPaise: 50_000,
      mode: 'book_transfer',
      sourceBudgetLineId: finLines[0],
      reference: 'OPEN/1',
      valueDate: '2026-11-20',
    });
    expect(dep.statusCode, dep.body).toBe(201);
    const made = await admin.request({
      method: 'POST',
      url: `/api/v1/pd/accounts/${app.accountId}/echeques`,
      payload: echeque,
      headers: { 'idempotency-key': 'k-open-after-1' },
    });
    expect(made.statusCode, made.body).toBe(201);
    // The login reaches its own account only.
    expect((await admin.get('/api/v1/pd/accounts/1')).statusCode).toBe(404);
  });

  it('the demo registered login has not changed its password: the e-cheque service refuses it', async () => {
    const [demo] = await q<{ user_id: number; id: number; account_id: number }>(sql`
      select ra.user_id, ra.id, r.account_id from pd_proposal_rows r join role_assignments ra on ra.user_id = r.login_user_id where r.account_id is not null order by r.id limit 1`);
    const ctx: Ctx = {
      actor: { userId: demo!.user_id, name: 'x', assignmentId: demo!.id, role: 'pd_admin', scopeKind: 'pd_account', scopeId: demo!.account_id },
      ip: '',
      locale: 'en',
      now: t.clock.now(),
    };
    const { prepareEcheque } = await import('./pd.service.ts');
    const [line] = await q<{ id: number }>(sql`select id from pd_lines where account_id = ${demo!.account_id} order by id limit 1`);
    await expect(
      prepareEcheque(t.database.db, ctx, demo!.account_id, 'k-demo-open-1', {
        payeeKind: 'vendor',
        lineId: line!.id,
        amountPaise: 100,
        payeeName: 'X',
        payeeAccountNo: '123456789012',
        payeeIfsc: 'SBIN0001308',
        purpose: '',
      } as never),
    ).rejects.toMatchObject({ code: 'pd_password_not_changed' });
  });

  it('Finance refuses with a reason; a refused proposal goes no further', async () => {
    const p = await walk(proposalBody(), 'recommended');
    const r = await finance.post(`/api/v1/pd/opening/proposals/${p.id}/refuse`, { reason: 'Not needed', otp: await t.stepUpCode(finance) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().state).toBe('refused');
    expect(r.json().refusalReason).toBe('Not needed');
    await refused(maker.post(`/api/v1/pd/opening/proposals/${p.id}/apply`), 409, 'pd_open_wrong_state');
    expect(await auditActions('pd_proposal', p.id)).toEqual(['create', 'submit', 'recommend', 'refuse']);
  });

  it('a non-government institution’s row is registered without a login (seed 004 para 1(a)(8))', async () => {
    const p = await walk(
      proposalBody({ source: 'other', rows: [row({ institution: 'non_government', administratorMobile: '', lines: [{ purpose: 'Donations' }] })] }),
      'applied',
    );
    const logins = (await q<{ n: number }>(sql`select count(*)::int as n from users`))[0]!.n;
    const reg = await treasury.post(`/api/v1/pd/opening/applications/${p.rows[0]!.id}/register`, { otp: await t.stepUpCode(treasury) });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json().accountNo).toMatch(/^PD/);
    expect(reg.json().loginId).toBeNull();
    expect((await q<{ n: number }>(sql`select count(*)::int as n from users`))[0]!.n).toBe(logins);
  });
});

describe('PD opening: who may do what', () => {
  it('the maker cannot recommend its own proposal (bar A3), and the database holds it too', async () => {
    const p = await walk(proposalBody(), 'submitted');
    await refused(maker.post(`/api/v1/pd/opening/proposals/${p.id}/recommend`), 403, 'maker_checker');
    const err = await t.database.db
      .execute(sql`update pd_proposals set state = 'recommended', recommended_by = created_by where id = ${p.id}`)
      .then(() => '')
      .catch((e: { message?: string; cause?: { message?: string } }) => `${e.message} ${e.cause?.message ?? ''}`);
    expect(err).toContain('pd_proposals_maker_checker');
  });

  it("a proposal's rows are frozen by the database once it leaves the draft", async () => {
    const p = await walk(proposalBody(), 'submitted');
    const err = await t.database.db
      .execute(sql`update pd_proposal_rows set purpose = 'changed' where proposal_id = ${p.id}`)
      .then(() => '')
      .catch((e: { message?: string; cause?: { message?: string } }) => `${e.message} ${e.cause?.message ?? ''}`);
    expect(err).toContain('ROAMS_FROZEN');
    await refused(maker.put(`/api/v1/pd/opening/proposals/${p.id}`, proposalBody()), 409, 'pd_open_wrong_state');
  });

  it('wrong roles and other scopes are refused; another treasury’s application is not found', async () => {
    const p = await walk(proposalBody(), 'recommended');
    await refused(maker.post(`/api/v1/pd/opening/proposals/${p.id}/sanction`, { sanctionNo: 'X/1', sanctionDate: '2026-11-20' }), 403, 'forbidden');
    await refused(treasury.post(`/api/v1/pd/opening/proposals/${p.id}/apply`), 403, 'forbidden');
    await refused(finance.post(`/api/v1/pd/opening/proposals/${p.id}/apply`), 403, 'forbidden');
    // The state office admin places no department: it cannot propose.
    await refused(stateAdmin.post('/api/v1/pd/opening/proposals', proposalBody()), 403, 'pd_open_no_department');
    // School Education's proposal 1 and its row at Indore (demo): outside Finance's office admins and the Bhopal treasury.
    expect((await maker.get('/api/v1/pd/opening/proposals/1')).statusCode).toBe(404);
    await refused(hod.post('/api/v1/pd/opening/proposals/1/recommend'), 404, 'not_found');
    expect((await treasury.get(`/api/v1/pd/opening/proposals/${p.id}`)).statusCode).toBe(404);
    const [foreignRow] = await q<{ id: number; treasury_id: number }>(sql`select id, treasury_id from pd_proposal_rows where id = 1`);
    expect(foreignRow!.treasury_id).toBe(indoreId);
    await refused(treasury.post('/api/v1/pd/opening/applications/1/register', {}), 404, 'not_found');
    const mine = (await maker.get('/api/v1/pd/opening/proposals')).json().items as { id: number; departmentEn: string }[];
    expect(mine.map((x) => x.id)).not.toContain(1);
    expect(((await finance.get('/api/v1/pd/opening/proposals')).json().items as { id: number }[]).map((x) => x.id)).toContain(1);
    const work = (await treasury.get('/api/v1/pd/opening/applications')).json().items as TApplication[];
    expect(work.every((a) => a.treasuryId === bhopal.id)).toBe(true);
    expect(work.length).toBeGreaterThan(0);
  });

  it('requires a login', async () => {
    expect((await t.anon.get('/api/v1/pd/opening/proposals')).statusCode).toBe(401);
  });
});

describe('PD opening: bad proposals are refused, nothing saved', () => {
  const post = (body: unknown) => maker.post('/api/v1/pd/opening/proposals', body);
  it('no rows', async () => {
    await refused(post(proposalBody({ rows: [] })), 400, 'validation_failed');
  });
  it('a consolidated-fund row without a budget line', async () => {
    await refused(post(proposalBody({ rows: [row({ lines: [{ purpose: 'Something' }] })] })), 400, 'pd_open_budget_line_required');
  });
  it("another department's budget line", async () => {
    await refused(post(proposalBody({ rows: [row({ lines: [{ budgetLineId: sedLineId }] })] })), 400, 'pd_open_budget_line_foreign');
  });
  it('a budget line on an account of other money', async () => {
    await refused(
      post(proposalBody({ source: 'other', rows: [row({ lines: [{ budgetLineId: finLines[0], purpose: 'x' }] })] })),
      400,
      'pd_open_budget_line_not_allowed',
    );
  });
  it('a validity date in the past (IST)', async () => {
    await refused(post(proposalBody({ rows: [row({ validityDate: '2026-01-01' })] })), 400, 'pd_open_validity_past');
  });
  it('huge fields, an unknown treasury, a missing mobile', async () => {
    await refused(post(proposalBody({ rows: [row({ purpose: 'x'.repeat(5000) })] })), 400, 'validation_failed');
    await refused(post(proposalBody({ hodDesignation: 'y'.repeat(100_000) })), 400, 'validation_failed');
    await refused(post(proposalBody({ rows: Array.from({ length: 21 }, () => row()) })), 400, 'validation_failed');
    await refused(post(proposalBody({ rows: [row({ treasuryId: 999_999 })] })), 400, 'validation_failed');
    await refused(post(proposalBody({ rows: [row({ administratorMobile: '' })] })), 400, 'validation_failed');
  });
});

describe('PD opening: account numbers', () => {
  it('20 registrations at one treasury at once: 20 accounts, 20 different numbers, none colliding with an existing one', async () => {
    const p = await walk(
      proposalBody({
        source: 'other',
        rows: Array.from({ length: 20 }, (_, i) =>
          // Half with a login (a password hashed each), half non-government (none): the platform's hash gate queues at most 16 at once.
          row({ purpose: `Purpose ${i}`, lines: [{ purpose: `Purpose ${i}` }], ...(i % 2 ? { institution: 'non_government', administratorMobile: '' } : {}) }),
        ),
      }),
      'applied',
    );
    const before = new Set((await q<{ account_no: string }>(sql`select account_no from pd_accounts`)).map((r) => r.account_no));
    // Straight to the service (a call from no login needs no second factor: 20 codes would hit the hourly limit).
    const ctx = await ctxOf('treasury_bhopal');
    const results = await Promise.allSettled(p.rows.map((r) => registerApplication(t.database.db, ctx, r.id, undefined)));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.code ?? r.reason));
    expect(failed).toEqual([]);
    const nos = results.map((r) => (r as PromiseFulfilledResult<TApplication>).value.accountNo!);
    expect(new Set(nos).size).toBe(20);
    for (const no of nos) expect(before.has(no)).toBe(false);
    const serials = nos.map((n) => Number(n.slice(`PD${bhopal.code}`.length))).sort((a, b) => a - b);
    expect(serials[19]! - serials[0]!).toBe(19);
    expect((await maker.get(`/api/v1/pd/opening/proposals/${p.id}`)).json().state).toBe('registered');
  }, 120_000);

  it('skips a number already taken as a login id', async () => {
    const p = await walk(proposalBody(), 'applied');
    const [{ max }] = (await q<{ max: string }>(
      sql`select max(substr(account_no, ${`PD${bhopal.code}`.length + 1}::int)::int)::text as max from pd_accounts where account_no like ${`PD${bhopal.code}%`}`,
    )) as [{ max: string }];
    const next = `PD${bhopal.code}${String(Number(max) + 1).padStart(4, '0')}`;
    await t.database.db.execute(sql`update users set username = ${next} where username = 'firstlogin_demo'`);
    const reg = await treasury.post(`/api/v1/pd/opening/applications/${p.rows[0]!.id}/register`, { otp: await t.stepUpCode(treasury) });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json().accountNo).not.toBe(next);
    expect(reg.json().accountNo).toBe(`PD${bhopal.code}${String(Number(max) + 2).padStart(4, '0')}`);
    await t.database.db.execute(sql`update users set username = 'firstlogin_demo' where username = ${next}`);
  });
});

void AppError;
