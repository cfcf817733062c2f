import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TResource, TResourceSummary, TTimeline } from '../../../shared/contracts/resource.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import { auditLog } from '../../platform/audit/audit.table.ts';
import { type Client, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn, multipart } from '../../test/helpers.ts';
import { JPEG, PDF, PNG, type ResourceIds, resourceWorld } from './resource.world.fixtures.ts';

/**
 * Resources' life cycle (issue 14 item 5) against the real engine (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL): replacement (the department at once; the agency asks and the department
 * approves), profile-change requests (the bank account in force changes only on approval), events
 * with documents (accident and its ESIC deadline, maternity leave, death), the retirement age
 * Finance sets — and their refusals, each leaving the database unchanged.
 */

let t: TestApp;
let agency: Client; // agency_admin: agency 1
let agency2: Client; // a test user of agency 2 (made verified here)
let dm: Client; // dm_bhopal: department manager, office 79 (Finance)
let finance: Client; // finance_admin: state
let ids: ResourceIds;
const { start, keep, particulars, draft, submitted, approveBody, deployedPeons } = resourceWorld();
const { refused } = checksOn(() => t.database);

beforeAll(async () => {
  // 4 Dec 2026, 11:30 IST: the test contracts run from 1 Dec, so events of 1–3 Dec are in the past.
  ({ t, agency, agency2, dm, finance, ids } = await start({ app: { clock: fakeClock(new Date('2026-12-04T06:00:00Z')) }, sanctioned: 16, contractA: 14 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

/** A resource approved on a peon post of contract A from 1 Dec 2026. */
async function working(over: Record<string, unknown> = {}): Promise<TResource> {
  const r = await submitted(over);
  const ok = keep(await dm.post(`/api/v1/resources/${r.id}/approve`, approveBody()));
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json();
}

async function actions(id: number): Promise<string[]> {
  return ((await dm.get(`/api/v1/resources/${id}/timeline`)).json() as TTimeline).items.map((i) => i.action);
}

async function foreignId(): Promise<number> {
  const all = (await finance.get('/api/v1/resources?pageSize=200&status=approved')).json() as { items: TResourceSummary[] };
  return all.items.find((r) => r.agencyId === 3)!.id;
}

/** An event form with an optional document. */
function eventForm(fields: Record<string, string>, doc?: { name: string; bytes: Buffer; type?: string }) {
  return multipart(fields, doc ? [{ field: 'document', name: doc.name, bytes: doc.bytes, type: doc.type ?? 'application/pdf' }] : []);
}
async function postEvent(c: Client, id: number, fields: Record<string, string>, doc?: { name: string; bytes: Buffer; type?: string }) {
  const m = eventForm(fields, doc);
  return keep(await c.request({ method: 'POST', url: `/api/v1/resources/${id}/events`, payload: m.payload, headers: m.headers }));
}

/** IST date and HH:MM of an instant. */
function istParts(d: Date): { date: string; time: string } {
  const s = new Date(d.getTime() + 5.5 * 3_600_000).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

describe('replacement', () => {
  it('the department replaces A by B at once: A relieved with the reason, B on the same position; both timelines show it', async () => {
    const before = await deployedPeons();
    const a = await working();
    const b = await submitted();
    const res = keep(
      await dm.post(`/api/v1/resources/${a.id}/replace`, {
        replacementId: b.id,
        relieveOn: '2026-12-02',
        joinOn: '2026-12-03',
        reasonCode: 'resigned',
        remark: 'Left for another job',
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'relieved', relievedOn: '2026-12-02', relieveReason: 'resigned' });
    const nb = keep(await dm.get(`/api/v1/resources/${b.id}`)).json() as TResource;
    expect(nb).toMatchObject({ status: 'approved', joiningDate: '2026-12-03', officeId: a.officeId, skillLevelId: a.skillLevelId, postNameId: a.postNameId });
    expect(nb.replacements[0]).toMatchObject({ direction: 'in', resourceId: a.id, state: 'approved' });
    expect(await actions(a.id)).toContain('replaced');
    expect(await actions(b.id)).toContain('joined_as_replacement');
    expect(await deployedPeons()).toBe(before + 1); // A's seat passes to B: only `working()` added one
  });

  it('refuses B of another agency, a joining date before the relieving date or outside the contract, a B not verified — nothing saved', async () => {
    const a = await working();
    const other = await draft(agency2, { contractId: ids.contractB });
    const body = (over: Record<string, unknown>) => ({
      replacementId: other.id,
      relieveOn: '2026-12-02',
      joinOn: '2026-12-03',
      reasonCode: 'resigned',
      remark: '',
      ...over,
    });
    await refused(() => dm.post(`/api/v1/resources/${a.id}/replace`, body({})), 400, 'validation_failed', 'replacementId');
    expect((await dm.post(`/api/v1/resources/${a.id}/replace`, body({}))).json().errors[0].code).toBe('replacement_other_agency');
    // The agency cannot even name another agency's worker.
    await refused(() => agency.post(`/api/v1/resources/${a.id}/replacement`, body({})), 400, 'validation_failed', 'replacementId');
    const b = await submitted();
    await refused(() => dm.post(`/api/v1/resources/${a.id}/replace`, body({ replacementId: b.id, joinOn: '2026-12-01' })), 400, 'validation_failed', 'joinOn');
    await refused(
      () => dm.post(`/api/v1/resources/${a.id}/replace`, body({ replacementId: b.id, relieveOn: '2027-04-01', joinOn: '2027-04-02' })),
      400,
      'joining_date_outside_contract',
      'joinOn',
    );
    const unverified = await draft();
    await refused(() => dm.post(`/api/v1/resources/${a.id}/replace`, body({ replacementId: unverified.id })), 400, 'validation_failed', 'replacementId');
    expect((await dm.get(`/api/v1/resources/${a.id}`)).json()).toMatchObject({ status: 'approved' });
  });

  it('the agency requests; nothing changes until the department approves; a double click approves once', async () => {
    const a = await working();
    const b = await submitted();
    const req = keep(
      await agency.post(`/api/v1/resources/${a.id}/replacement`, {
        replacementId: b.id,
        relieveOn: '2026-12-02',
        joinOn: '2026-12-02',
        reasonCode: 'other',
        remark: 'Family',
      }),
    );
    expect(req.statusCode, req.body).toBe(200);
    expect(req.json()).toMatchObject({ status: 'approved', can: { requestReplacement: false } });
    expect((await agency.get(`/api/v1/resources/${b.id}`)).json()).toMatchObject({ status: 'submitted' });
    await refused(
      () =>
        agency.post(`/api/v1/resources/${a.id}/replacement`, {
          replacementId: b.id,
          relieveOn: '2026-12-02',
          joinOn: '2026-12-02',
          reasonCode: 'other',
          remark: '',
        }),
      409,
      'replacement_pending',
    );
    // While it waits, the agency cannot also ask to relieve A.
    await refused(
      () => agency.post(`/api/v1/resources/${a.id}/relieving`, { relieveOn: '2026-12-02', reasonCode: 'resigned', remark: '' }),
      409,
      'replacement_pending',
    );
    const [x, y] = await Promise.all([
      dm.post(`/api/v1/resources/${a.id}/replacement/approve`, { remark: 'Agreed' }),
      dm.post(`/api/v1/resources/${a.id}/replacement/approve`, { remark: 'Agreed' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    expect((await agency.get(`/api/v1/resources/${a.id}`)).json()).toMatchObject({ status: 'relieved', relieveReason: 'other' });
    expect((await agency.get(`/api/v1/resources/${b.id}`)).json()).toMatchObject({ status: 'approved', joiningDate: '2026-12-02' });
    const joined = await t.database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.entity} = 'resource' and ${auditLog.entityId} = ${String(b.id)} and ${auditLog.action} = 'joined_as_replacement'`);
    expect(joined).toHaveLength(1);
  });
});

describe('profile-change requests', () => {
  it('a bank-account change takes effect only after approval: until then the old account is in force (page, export)', async () => {
    const r = await working();
    const other = await working();
    const old = r.bankAccount;
    const next = other.bankAccount; // the same account as another worker: a possible ghost once in force
    const ghostsOf = async () =>
      ((await dm.get('/api/v1/resources/ghosts?pageSize=100')).json() as { items: { kind: string; resources: { id: number }[] }[] }).items.filter(
        (g) => g.kind === 'bank_account' && g.resources.some((x) => x.id === r.id),
      );
    await refused(() => agency.post(`/api/v1/resources/${r.id}/profile-change`, { bankAccount: next }), 400, 'validation_failed', 'ifsc');
    await refused(
      () => agency.post(`/api/v1/resources/${r.id}/profile-change`, { bankAccount: '12AB34', ifsc: 'SBIN0001308' }),
      400,
      'validation_failed',
      'bankAccount',
    );
    const req = keep(await agency.post(`/api/v1/resources/${r.id}/profile-change`, { bankAccount: next, ifsc: 'hdfc0000123', remark: 'New account' }));
    expect(req.statusCode, req.body).toBe(200);
    const pending = req.json() as TResource;
    expect(pending.bankAccount).toBe(old);
    expect(pending.profileChanges[0]).toMatchObject({ state: 'requested', bankAccount: next, ifsc: 'HDFC0000123' });
    const line = (csv: string) => csv.split('\n').find((l) => l.includes(r.nameEn)) ?? '';
    const csv = (await dm.get('/api/v1/resources/export?format=csv')).body;
    expect(line(csv)).toContain(maskAccount(old));
    expect(line(csv)).not.toContain(maskAccount(next));
    expect(await ghostsOf()).toEqual([]);
    // One open request per worker.
    await refused(() => agency.post(`/api/v1/resources/${r.id}/profile-change`, { mobile: '9812345670' }), 409, 'profile_change_pending');
    await expect(t.database.db.execute(sql`insert into resource_profile_changes (resource_id, mobile) values (${r.id}, '9812345671')`)).rejects.toThrow();
    // A double click on approve approves once.
    const [x, y] = await Promise.all([
      dm.post(`/api/v1/resources/${r.id}/profile-change/approve`, { remark: '' }),
      dm.post(`/api/v1/resources/${r.id}/profile-change/approve`, { remark: '' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    expect((x.statusCode === 409 ? x : y).json().code).toBe('profile_change_not_pending');
    const after = (await agency.get(`/api/v1/resources/${r.id}`)).json() as TResource;
    expect(after).toMatchObject({ bankAccount: next, ifsc: 'HDFC0000123' });
    expect(line((await dm.get('/api/v1/resources/export?format=csv')).body)).toContain(maskAccount(next));
    expect(await ghostsOf()).toHaveLength(1);
    expect(await actions(r.id)).toEqual(expect.arrayContaining(['profile_change_request', 'profile_change_approve']));
  });

  it('the department refuses with a reason (required); nothing changes; a request changing nothing is refused', async () => {
    const r = await working();
    await refused(() => agency.post(`/api/v1/resources/${r.id}/profile-change`, { mobile: r.mobile }), 400, 'validation_failed', 'mobile');
    expect((await agency.post(`/api/v1/resources/${r.id}/profile-change`, { address: 'Ward 9, Sehore', qualification: 'graduate' })).statusCode).toBe(200);
    await refused(() => dm.post(`/api/v1/resources/${r.id}/profile-change/refuse`, { remark: '' }), 400, 'validation_failed', 'remark');
    const no = keep(await dm.post(`/api/v1/resources/${r.id}/profile-change/refuse`, { remark: 'Proof of address missing' }));
    expect(no.json()).toMatchObject({ address: r.address, qualification: r.qualification });
    expect(no.json().profileChanges[0]).toMatchObject({ state: 'refused', decisionRemark: 'Proof of address missing' });
    await refused(() => agency.post(`/api/v1/resources/${r.id}/profile-change/approve`, { remark: '' }), 403, 'forbidden');
  });
});

describe('events', () => {
  it('an accident with its PDF: overdue for ESIC after 24 h, on the department’s list until reported; the timeline shows it', async () => {
    const r = await working({ esicIp: '1234567890' });
    const res = await postEvent(
      agency,
      r.id,
      { kind: 'accident', onDate: '2026-12-01', atTime: '10:30', remark: 'Fell from a ladder' },
      { name: 'fir.pdf', bytes: PDF },
    );
    expect(res.statusCode, res.body).toBe(200);
    const ev = (res.json() as TResource).events[0]!;
    expect(ev).toMatchObject({ kind: 'accident', state: 'recorded', hasDocument: true, esicOverdue: true, esicReportedAt: null });
    expect(ev.esicDueAt).toBe('2026-12-02T05:00:00.000Z');
    const list = keep(await dm.get('/api/v1/resources/esic-overdue')).json() as { items: { eventId: number }[]; total: number };
    expect(list.items.map((x) => x.eventId)).toContain(ev.id);
    const doc = await dm.get(`/api/v1/resources/${r.id}/events/${ev.id}/document`);
    expect(doc.headers['content-type']).toBe('application/pdf');
    await refused(
      () => agency.post(`/api/v1/resources/${r.id}/events/${ev.id}/esic-report`, { reportedOn: '2026-11-30', reportedTime: '10:00' }),
      400,
      'validation_failed',
      'reportedOn',
    );
    const rep = keep(await agency.post(`/api/v1/resources/${r.id}/events/${ev.id}/esic-report`, { reportedOn: '2026-12-02', reportedTime: '11:00' }));
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json().events[0]).toMatchObject({ esicReportedAt: '2026-12-02T05:30:00.000Z', esicOverdue: true }); // reported late
    const after = (await dm.get('/api/v1/resources/esic-overdue')).json() as { items: { eventId: number }[] };
    expect(after.items.map((x) => x.eventId)).not.toContain(ev.id);
    await refused(
      () => agency.post(`/api/v1/resources/${r.id}/events/${ev.id}/esic-report`, { reportedOn: '2026-12-02', reportedTime: '12:00' }),
      409,
      'esic_already_reported',
    );
    expect(await actions(r.id)).toEqual(expect.arrayContaining(['event_accident', 'event_esic_reported']));
  });

  it('a recent accident is not overdue; a JPEG document is accepted', async () => {
    const r = await working();
    const now = istParts(new Date(t.clock.now().getTime() - 60 * 60_000));
    const res = await postEvent(
      dm,
      r.id,
      { kind: 'accident', onDate: now.date, atTime: now.time, remark: '' },
      { name: 'photo.jpg', bytes: JPEG, type: 'image/jpeg' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().events[0]).toMatchObject({ esicOverdue: false, hasDocument: true });
  });

  it('refuses a document that is not a PDF / JPEG / PNG by content, an accident without its time, a future date, maternity ending before it starts', async () => {
    const r = await working();
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(64)]);
    const accident = { kind: 'accident', onDate: '2026-12-02', atTime: '09:00', remark: '' };
    await refused(() => postEvent(agency, r.id, accident, { name: 'report.pdf', bytes: zip }), 400, 'file_not_document', 'document');
    await refused(() => postEvent(agency, r.id, { ...accident, atTime: '' }), 400, 'validation_failed', 'atTime');
    await refused(() => postEvent(agency, r.id, { ...accident, onDate: '2099-01-01' }), 400, 'validation_failed', 'onDate');
    await refused(() => postEvent(agency, r.id, { ...accident, onDate: '2026-11-30' }), 400, 'validation_failed', 'onDate');
    await refused(
      () => postEvent(agency, r.id, { kind: 'maternity', onDate: '2026-12-02', toDate: '2026-12-01', remark: '' }),
      400,
      'validation_failed',
      'toDate',
    );
    const ok = await postEvent(agency, r.id, { kind: 'maternity', onDate: '2026-12-02', toDate: '2027-05-31', remark: '26 weeks' });
    expect(ok.json().events[0]).toMatchObject({ kind: 'maternity', onDate: '2026-12-02', toDate: '2027-05-31', state: 'recorded' });
  });

  it('a death the agency reports awaits the department; on approval the worker is relieved (deceased) — once', async () => {
    const r = await working();
    const res = await postEvent(
      agency,
      r.id,
      { kind: 'death', onDate: '2026-12-02', remark: 'Heart attack' },
      { name: 'certificate.png', bytes: PNG, type: 'image/png' },
    );
    expect(res.statusCode, res.body).toBe(200);
    const ev = (res.json() as TResource).events[0]!;
    expect(ev).toMatchObject({ kind: 'death', state: 'requested' });
    expect(res.json().status).toBe('approved');
    await refused(() => postEvent(agency, r.id, { kind: 'death', onDate: '2026-12-02', remark: '' }), 409, 'death_already_recorded');
    const [x, y] = await Promise.all([
      dm.post(`/api/v1/resources/${r.id}/events/${ev.id}/approve`, { remark: '' }),
      dm.post(`/api/v1/resources/${r.id}/events/${ev.id}/approve`, { remark: '' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    expect((await agency.get(`/api/v1/resources/${r.id}`)).json()).toMatchObject({ status: 'relieved', relievedOn: '2026-12-02', relieveReason: 'deceased' });
  });
});

describe('the department’s decisions (one rule for relieving, replacement, profile change and death)', () => {
  it('nothing pending is "not pending"; a refusal needs a remark (nothing saved); a decided request is not decided again', async () => {
    const r = await working();
    const b = await submitted();
    const decide = (path: string, verb: 'approve' | 'refuse', remark: string) => dm.post(`/api/v1/resources/${r.id}/${path}/${verb}`, { remark });
    const kinds = [
      {
        path: 'relieving',
        code: 'relieving_not_pending',
        ask: () => agency.post(`/api/v1/resources/${r.id}/relieving`, { relieveOn: '2026-12-02', reasonCode: 'resigned', remark: '' }),
      },
      {
        path: 'replacement',
        code: 'replacement_not_pending',
        ask: () =>
          agency.post(`/api/v1/resources/${r.id}/replacement`, {
            replacementId: b.id,
            relieveOn: '2026-12-02',
            joinOn: '2026-12-03',
            reasonCode: 'resigned',
            remark: '',
          }),
      },
      {
        path: 'profile-change',
        code: 'profile_change_not_pending',
        ask: () => agency.post(`/api/v1/resources/${r.id}/profile-change`, { mobile: '9812345602' }),
      },
    ];
    for (const k of kinds) await refused(() => decide(k.path, 'approve', ''), 409, k.code);
    for (const k of kinds) {
      const asked = keep(await k.ask());
      expect(asked.statusCode, asked.body).toBe(200);
      await refused(() => decide(k.path, 'refuse', ''), 400, 'validation_failed', 'remark');
      const no = keep(await decide(k.path, 'refuse', 'Not now'));
      expect(no.statusCode, no.body).toBe(200);
      await refused(() => decide(k.path, 'approve', ''), 409, k.code);
      await refused(() => decide(k.path, 'refuse', 'Again'), 409, k.code);
    }
    const death = await postEvent(agency, r.id, { kind: 'death', onDate: '2026-12-02', remark: '' });
    expect(death.statusCode, death.body).toBe(200);
    const ev = (death.json() as TResource).events.find((e) => e.kind === 'death')!;
    await refused(() => decide(`events/${ev.id}`, 'refuse', ''), 400, 'validation_failed', 'remark');
    expect((await decide(`events/${ev.id}`, 'refuse', 'No certificate')).statusCode).toBe(200);
    await refused(() => decide(`events/${ev.id}`, 'approve', ''), 409, 'event_not_pending');
    const after = (await dm.get(`/api/v1/resources/${r.id}`)).json() as TResource;
    expect(after).toMatchObject({ status: 'approved', mobile: r.mobile });
    expect(after.relievings[0]).toMatchObject({ state: 'refused', decisionRemark: 'Not now' });
    expect(after.replacements[0]).toMatchObject({ state: 'refused', decisionRemark: 'Not now' });
    expect(after.profileChanges[0]).toMatchObject({ state: 'refused', decisionRemark: 'Not now' });
    expect(after.events.find((e) => e.id === ev.id)).toMatchObject({ state: 'refused' });
  });
});

describe('another department’s or agency’s worker by id', () => {
  it('is not found for replacement, profile change, events and their decisions', async () => {
    const id = await foreignId();
    const rep = { replacementId: id, relieveOn: '2026-12-02', joinOn: '2026-12-02', reasonCode: 'other', remark: '' };
    await refused(() => dm.post(`/api/v1/resources/${id}/replace`, rep), 404, 'not_found');
    await refused(() => dm.post(`/api/v1/resources/${id}/replacement/approve`, { remark: '' }), 404, 'not_found');
    await refused(() => agency.post(`/api/v1/resources/${id}/replacement`, rep), 404, 'not_found');
    await refused(() => agency.post(`/api/v1/resources/${id}/profile-change`, { mobile: '9812345679' }), 404, 'not_found');
    await refused(() => dm.post(`/api/v1/resources/${id}/profile-change/approve`, { remark: '' }), 404, 'not_found');
    await refused(() => postEvent(agency, id, { kind: 'maternity', onDate: '2026-12-02', toDate: '2026-12-31', remark: '' }), 404, 'not_found');
    await refused(() => postEvent(dm, id, { kind: 'death', onDate: '2026-12-02', remark: '' }), 404, 'not_found');
    await refused(() => finance.post(`/api/v1/resources/${id}/profile-change/approve`, { remark: '' }), 403, 'forbidden');
  });
});

describe('retirement age set by Finance', () => {
  it('Finance changes it in the state settings (audited); adding and approving read it; others cannot change it', async () => {
    const cur = (await finance.get('/api/v1/org/state-settings')).json() as Record<string, unknown>;
    expect(cur.retirementAge).toBe(62);
    const dob = '1967-06-15'; // 59 today
    const r = await submitted({ dob });
    await refused(() => dm.put('/api/v1/org/state-settings', { ...cur, retirementAge: 58 }), 403, 'forbidden');
    await refused(() => finance.put('/api/v1/org/state-settings', { ...cur, retirementAge: 80 }), 400, 'validation_failed', 'retirementAge');
    const set = await finance.put('/api/v1/org/state-settings', { ...cur, retirementAge: 58 });
    expect(set.statusCode, set.body).toBe(200);
    try {
      expect((await agency.get('/api/v1/resources/options')).json().retirementAge).toBe(58);
      const add = await refused(() => agency.post('/api/v1/resources', particulars({ dob })), 400, 'validation_failed', 'dob');
      expect(add.json().errors[0].params).toMatchObject({ max: 58 });
      await refused(() => dm.post(`/api/v1/resources/${r.id}/approve`, approveBody()), 400, 'validation_failed', 'joiningDate');
      const [row] = await t.database.db
        .select()
        .from(auditLog)
        .where(sql`${auditLog.entity} = 'state_settings' and ${auditLog.action} = 'update'`)
        .orderBy(sql`${auditLog.seq} desc`)
        .limit(1);
      expect(row?.after).toMatchObject({ retirementAge: 58 });
    } finally {
      await finance.put('/api/v1/org/state-settings', { ...cur, retirementAge: 62 });
    }
    expect(keep(await dm.post(`/api/v1/resources/${r.id}/approve`, approveBody())).statusCode).toBe(200);
  });
});
