import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TResource, TResourceSummary } from '../../../shared/contracts/resource.ts';
import { fakeClock, type Client, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { auditCount, burst, oneWinner } from '../../test/races.ts';
import { PDF, resourceWorld } from './resource.world.fixtures.ts';

/**
 * Twenty identical requests at once on the department's decision on a submitted resource (the
 * review's double click, resource.test.ts has two), on PGlite and on PostgreSQL
 * (TEST_DATABASE_URL): decided once, one audit entry, the deployed count moves by one; every
 * other answer 409 resource_not_submitted, never a 500. The same for the department's other
 * decisions — relieving, replacement, a profile change (a new bank account), a death the agency
 * reported, the alternative (non-Aadhaar) verification — each over five rounds: one round of
 * twenty lets a lost race through too rarely to be seen (pd.races.test.ts measured it).
 */
let t: TestApp;
let agency: Client; // agency_admin: agency 1
let dm: Client; // dm_bhopal: department manager, office 79
const N = 20;
const used = new Set<number>();
const ROUNDS = 5;
const { start, draft, submitted, approveBody, deployedPeons } = resourceWorld();

beforeAll(async () => {
  // 4 Dec 2026, 11:30 IST: the test contracts run from 1 Dec, so a death on 2 Dec is in the past.
  ({ t, agency, dm } = await start({ app: { clock: fakeClock(new Date('2026-12-04T06:00:00Z')) }, sanctioned: 16, contractA: 14 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

/** Audit entries of `action` on resource `id`. */
const decisions = (id: number, action: string) => auditCount(t.database.db, 'resource', id, action);

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json: () => TResource };
/** One answer `200 <winner status>`; every other one of the `others` ('409 resource_not_submitted' unless named). */
function judge<R extends Res>(rs: readonly R[], winner: string, others: readonly string[] = ['409 resource_not_submitted']): R {
  return oneWinner(rs, others, { read: (r: TResource) => r.status, is: winner });
}
/** Twenty `fire`s at once. */
const all = <R>(fire: () => Promise<R>) => burst(N, fire);

describe(`${N} identical requests at once`, () => {
  it('approve: approved once, one audit entry, deployed up by one; the others 409 not submitted', async () => {
    const before = await deployedPeons();
    const r = await submitted();
    judge(await all(() => dm.post(`/api/v1/resources/${r.id}/approve`, approveBody())), 'approved');
    expect(await decisions(r.id, 'approve')).toBe(1);
    expect(await deployedPeons()).toBe(before + 1);
  });

  it('reject: rejected once, one audit entry, nothing deployed; the others 409 not submitted', async () => {
    const before = await deployedPeons();
    const r = await submitted();
    judge(await all(() => dm.post(`/api/v1/resources/${r.id}/reject`, { reason: 'Documents not genuine' })), 'rejected');
    expect(await decisions(r.id, 'reject')).toBe(1);
    expect(await deployedPeons()).toBe(before);
  });

  const relieving = [
    ['approve', { remark: 'Accepted' }, 'relieved', 'relieving_approve', ['409 resource_not_approved', '409 relieving_not_pending']],
    ['refuse', { remark: 'Still needed' }, 'approved', 'relieving_refuse', ['409 relieving_not_pending']],
  ] as const;
  for (const [verb, body, status, action, others] of relieving)
    it(`relieving ${verb}: decided once, one audit entry; the others 409`, async () => {
      const list = (await agency.get('/api/v1/resources?status=approved&pageSize=200')).json() as { items: TResourceSummary[] };
      const r = list.items.find((x) => x.agencyId === 1 && !used.has(x.id) && x.contractOfficeId === 79)!;
      expect(r).toBeTruthy();
      used.add(r.id);
      const req = await agency.post(`/api/v1/resources/${r.id}/relieving`, { relieveOn: '2026-12-31', reasonCode: 'resigned', remark: 'Moving away' });
      expect(req.statusCode, req.body).toBe(200);
      judge(await all(() => dm.post(`/api/v1/resources/${r.id}/relieving/${verb}`, body)), status, others);
      expect(await decisions(r.id, action)).toBe(1);
    });
});

/** A resource approved on a peon post of contract A from 1 Dec 2026. */
async function working(): Promise<TResource> {
  const r = await submitted();
  const ok = await dm.post(`/api/v1/resources/${r.id}/approve`, approveBody());
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json();
}
const ok200 = (r: Res) => expect(r.statusCode, r.body).toBe(200);

/** The agency asks to replace `a` by `b` (relieved and joined on 3 December); the department decides. */
async function askReplacement(a: number, b: number, remark: string) {
  ok200(
    await agency.post(`/api/v1/resources/${a}/replacement`, {
      replacementId: b,
      relieveOn: '2026-12-03',
      joinOn: '2026-12-03',
      reasonCode: 'resigned',
      remark,
    }),
  );
}

describe(`${N} identical decisions at once, ${ROUNDS} rounds`, () => {
  it('replacement approve: A relieved and B joined once (one audit entry each), deployed unchanged; the others 409', async () => {
    // A chain: each round's B is the next round's A, so the rounds use one position.
    let a = await working();
    for (let round = 0; round < ROUNDS; round++) {
      const b = await submitted();
      const before = await deployedPeons();
      await askReplacement(a.id, b.id, 'Left for another job');
      const rs = await all(() => dm.post(`/api/v1/resources/${a.id}/replacement/approve`, { remark: '' }));
      judge(rs, 'relieved', ['409 resource_not_approved', '409 replacement_not_pending']);
      expect(await decisions(a.id, 'replaced')).toBe(1);
      expect(await decisions(b.id, 'joined_as_replacement')).toBe(1);
      expect(await deployedPeons()).toBe(before);
      const nb = (await dm.get(`/api/v1/resources/${b.id}`)).json() as TResource;
      expect(nb.status).toBe('approved');
      a = nb;
    }
  });

  it('replacement refuse: refused once (one audit entry), A still working, B still waiting; the others 409 not pending', async () => {
    const a = await working();
    const b = await submitted();
    for (let round = 0; round < ROUNDS; round++) {
      await askReplacement(a.id, b.id, '');
      const rs = await all(() => dm.post(`/api/v1/resources/${a.id}/replacement/refuse`, { remark: 'Not now' }));
      judge(rs, 'approved', ['409 replacement_not_pending']);
      expect(await decisions(a.id, 'replacement_refuse')).toBe(round + 1);
      expect(((await dm.get(`/api/v1/resources/${b.id}`)).json() as TResource).status).toBe('submitted');
    }
  });

  for (const [verb, remark, action] of [
    ['approve', '', 'profile_change_approve'],
    ['refuse', 'Passbook not legible', 'profile_change_refuse'],
  ] as const)
    it(`profile change (a new bank account) ${verb}: decided once, one audit entry, the account in force moved at most once; the others 409 not pending`, async () => {
      const r = await working();
      let inForce = r.bankAccount;
      for (let round = 0; round < ROUNDS; round++) {
        const account = `6${String(r.id * 100 + round).padStart(13, '0')}`;
        ok200(await agency.post(`/api/v1/resources/${r.id}/profile-change`, { bankAccount: account, ifsc: 'HDFC0000123', remark: 'Account moved' }));
        const rs = await all(() => dm.post(`/api/v1/resources/${r.id}/profile-change/${verb}`, { remark }));
        judge(rs, 'approved', ['409 profile_change_not_pending']);
        expect(await decisions(r.id, action)).toBe(round + 1);
        if (verb === 'approve') inForce = account;
        const [row] = (await t.database.db.execute<{ bank_account: string }>(sql`select bank_account from resources where id = ${r.id}`)).rows;
        expect(row!.bank_account).toBe(inForce);
        const [n] = (
          await t.database.db.execute<{ n: number }>(
            sql`select count(*)::int as n from resource_profile_changes where resource_id = ${r.id} and state <> 'requested'`,
          )
        ).rows;
        expect(Number(n!.n)).toBe(round + 1);
      }
    });

  it('a death the agency reported, approve: the worker relieved once (one audit entry), deployed down by one; the others 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const r = await working();
      const before = await deployedPeons();
      const ev = await reportDeath(r.id);
      const rs = await all(() => dm.post(`/api/v1/resources/${r.id}/events/${ev}/approve`, { remark: '' }));
      judge(rs, 'relieved', ['409 event_not_pending', '409 resource_not_approved']);
      expect(await decisions(r.id, 'event_approve')).toBe(1);
      expect(await deployedPeons()).toBe(before - 1);
    }
  });

  it('a death the agency reported, refuse: refused once (one audit entry), the worker still working; the others 409 not pending', async () => {
    const r = await working();
    for (let round = 0; round < ROUNDS; round++) {
      const ev = await reportDeath(r.id);
      const rs = await all(() => dm.post(`/api/v1/resources/${r.id}/events/${ev}/refuse`, { remark: 'No certificate' }));
      judge(rs, 'approved', ['409 event_not_pending']);
      expect(await decisions(r.id, 'event_refuse')).toBe(round + 1);
    }
  });

  it('alternative verification of a draft: verified once (one audit entry, one document kept); the others 409 already done', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const r = await draft();
      const m = multipart(
        { docType: 'voter_id', docNumber: `MP/12/345/67${String(round).padStart(4, '0')}`, remark: 'No mobile linked' },
        { field: 'document', name: 'voter.pdf', bytes: PDF },
      );
      const rs = await all(() => dm.request({ method: 'POST', url: `/api/v1/resources/${r.id}/kyc/alternative`, payload: m.payload, headers: m.headers }));
      judge(rs, 'draft', ['409 kyc_already_done']);
      expect(await decisions(r.id, 'kyc_alternative')).toBe(1);
      const [row] = (
        await t.database.db.execute<{ kyc_status: string; alt_doc_file_id: number | null }>(
          sql`select kyc_status, alt_doc_file_id from resources where id = ${r.id}`,
        )
      ).rows;
      expect(row!.kyc_status).toBe('alternative');
      expect(row!.alt_doc_file_id).not.toBeNull();
    }
  });
});

describe(`${N} identical agency requests at once, ${ROUNDS} rounds (each refused by the department between rounds)`, () => {
  it('submit a verified draft: submitted once (one audit entry); the others 409 not a draft', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const r = await draft();
      const m = multipart({ docType: 'voter_id', docNumber: 'MP/12/345/678901', remark: '' }, { field: 'document', name: 'voter.pdf', bytes: PDF });
      ok200(await dm.request({ method: 'POST', url: `/api/v1/resources/${r.id}/kyc/alternative`, payload: m.payload, headers: m.headers }));
      judge(await all(() => agency.post(`/api/v1/resources/${r.id}/submit`, {})), 'submitted', ['409 resource_not_draft']);
      expect(await decisions(r.id, 'submit')).toBe(1);
    }
  });

  it('relieving, replacement and profile-change requests: each made once (one open request, one audit entry); the others 409 pending', async () => {
    const a = await working();
    const b = await submitted();
    const kinds = [
      ['relieving', { relieveOn: '2026-12-31', reasonCode: 'resigned', remark: '' }, 'relieving_request', 'relieving_pending', 'resource_relievings'],
      [
        'replacement',
        { replacementId: b.id, relieveOn: '2026-12-03', joinOn: '2026-12-03', reasonCode: 'resigned', remark: '' },
        'replacement_request',
        'replacement_pending',
        'resource_replacements',
      ],
      ['profile-change', { mobile: '9812345699', remark: '' }, 'profile_change_request', 'profile_change_pending', 'resource_profile_changes'],
    ] as const;
    for (let round = 0; round < ROUNDS; round++)
      for (const [path, body, action, code, table] of kinds) {
        judge(await all(() => agency.post(`/api/v1/resources/${a.id}/${path}`, body)), 'approved', [`409 ${code}`]);
        expect(await decisions(a.id, action), path).toBe(round + 1);
        const [n] = (
          await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)} where resource_id = ${a.id} and state = 'requested'`)
        ).rows;
        expect(Number(n!.n), path).toBe(1);
        // Refused, so the next kind (and the next round) may ask again.
        ok200(await dm.post(`/api/v1/resources/${a.id}/${path}/refuse`, { remark: 'Not now' }));
      }
  });

  it('a death reported by the agency: recorded once (one audit entry); the others 409 already recorded', async () => {
    const r = await working();
    for (let round = 0; round < ROUNDS; round++) {
      const m = multipart({ kind: 'death', onDate: '2026-12-02', remark: 'Heart attack' });
      const rs = await all(() => agency.request({ method: 'POST', url: `/api/v1/resources/${r.id}/events`, payload: m.payload, headers: m.headers }));
      const won = judge(rs, 'approved', ['409 death_already_recorded']);
      expect(await decisions(r.id, 'event_death')).toBe(round + 1);
      const ev = (won.json() as TResource).events.find((e) => e.kind === 'death' && e.state === 'requested')!;
      ok200(await dm.post(`/api/v1/resources/${r.id}/events/${ev.id}/refuse`, { remark: 'No certificate' }));
    }
  });

  it('an accident reported to ESIC: the time recorded once (one audit entry); the others 409 already reported', async () => {
    const r = await working();
    for (let round = 0; round < ROUNDS; round++) {
      const m = multipart({ kind: 'accident', onDate: '2026-12-02', atTime: `1${round}:00`, remark: 'Fell from the stairs' });
      const rec = await agency.request({ method: 'POST', url: `/api/v1/resources/${r.id}/events`, payload: m.payload, headers: m.headers });
      ok200(rec);
      const ev = (rec.json() as TResource).events.find((e) => e.kind === 'accident' && e.esicReportedAt === null)!;
      const rs = await all(() => agency.post(`/api/v1/resources/${r.id}/events/${ev.id}/esic-report`, { reportedOn: '2026-12-02', reportedTime: '20:00' }));
      judge(rs, 'approved', ['409 esic_already_reported']);
      expect(await decisions(r.id, 'event_esic_reported')).toBe(round + 1);
    }
  });
});

/** The agency reports the worker's death on 2 Dec; answers the event's id. */
async function reportDeath(id: number): Promise<number> {
  const m = multipart({ kind: 'death', onDate: '2026-12-02', remark: 'Heart attack' });
  const res = await agency.request({ method: 'POST', url: `/api/v1/resources/${id}/events`, payload: m.payload, headers: m.headers });
  expect(res.statusCode, res.body).toBe(200);
  const ev = (res.json() as TResource).events.find((e) => e.kind === 'death' && e.state === 'requested');
  expect(ev).toBeTruthy();
  return ev!.id;
}
