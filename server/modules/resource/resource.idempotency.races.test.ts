import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TResource } from '../../../shared/contracts/resource.ts';
import { type Client, fakeClock, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { auditCount, burst, countOf, idemKey, oneRecord, spread } from '../../test/races.ts';
import { PDF, type ResourceIds, resourceWorld } from './resource.world.fixtures.ts';

/**
 * The review's double click on "save" when an agency adds a resource (a draft carries no Aadhaar,
 * so the one-person-one-deployment rule cannot catch it): with the Idempotency-Key the add form
 * sends, twenty identical requests at once — on PGlite and on PostgreSQL (TEST_DATABASE_URL) —
 * add one draft with one audit entry and all answer 201 with it; the same key with another body
 * is 422 idempotency_key_reused; without a key the route adds a draft per request, as before.
 * The same for an event of a working resource (an accident, maternity leave: no natural key
 * refuses a second one; a death has one, resource.races.test.ts).
 */
let t: TestApp;
let agency: Client;
let agency2: Client;
let dm: Client;
let ids: ResourceIds;
const N = 20;
const { start, particulars, submitted, approveBody } = resourceWorld();

beforeAll(async () => {
  // 4 Dec 2026, 11:30 IST: the test contracts run from 1 Dec, so an accident on 2 Dec is in the past.
  ({ t, agency, agency2, dm, ids } = await start({ app: { clock: fakeClock(new Date('2026-12-04T06:00:00Z')) }, sanctioned: 5, contractA: 4 }));
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const add = (body: unknown, key?: string) =>
  agency.request({ method: 'POST', url: '/api/v1/resources', payload: body as object, headers: key ? { 'idempotency-key': key } : {} });
const drafts = (nameEn: string) => countOf(t.database.db, sql`select count(*)::int as n from resources where name_en = ${nameEn}`);

describe(`${N} identical adds of a resource`, () => {
  for (const [how, fire] of [
    ['at once', burst],
    ['a few ms apart', spread],
  ] as const)
    it(`under one key, ${how}: one draft, one audit entry, every answer 201 with it`, async () => {
      const body = particulars();
      const key = idemKey();
      const id = oneRecord(await fire(N, () => add(body, key)));
      expect(await drafts(body.nameEn as string)).toBe(1);
      expect(await auditCount(t.database.db, 'resource', id, 'create')).toBe(1);
      // A retry later (the answer was lost): the same draft again, nothing written.
      const again = await add(body, key);
      expect(again.statusCode, again.body).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(id);
      expect(await auditCount(t.database.db, 'resource', id, 'create')).toBe(1);
    });

  it('the same key with another body: 422 idempotency_key_reused, nothing written', async () => {
    const body = particulars();
    const key = idemKey();
    expect((await add(body, key)).statusCode).toBe(201);
    const other = { ...body, address: 'Ward 2, Bhopal' };
    const rs = await burst(5, () => add(other, key));
    for (const r of rs) {
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe('idempotency_key_reused');
    }
    expect(await drafts(body.nameEn as string)).toBe(1);
  });

  it('a refused request does not use up its key: the corrected body is added under it', async () => {
    const body = particulars({ ifsc: 'BAD' });
    const key = idemKey();
    expect((await add(body, key)).statusCode).toBe(400);
    const fixed = await add({ ...body, ifsc: 'SBIN0001308' }, key);
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('another user with the same key adds their own draft (a key is a user’s own)', async () => {
    const key = idemKey();
    const mine = await add(particulars(), key);
    expect(mine.statusCode, mine.body).toBe(201);
    const theirs = await agency2.request({
      method: 'POST',
      url: '/api/v1/resources',
      payload: particulars({ contractId: ids.contractB }),
      headers: { 'idempotency-key': key },
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  it('without a key: as before, each request adds a draft', async () => {
    const body = particulars();
    const rs = await burst(3, () => add(body));
    expect(rs.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(rs.every((r) => r.headers['idempotent-replayed'] === undefined)).toBe(true);
    expect(await drafts(body.nameEn as string)).toBe(3);
  });

  it('a key of fewer than 8 characters is refused (400)', async () => {
    const r = await add(particulars(), 'short');
    expect(r.statusCode, r.body).toBe(400);
  });
});

describe(`${N} identical events of a working resource`, () => {
  let r: TResource;
  beforeAll(async () => {
    const s = await submitted();
    const ok = await dm.post(`/api/v1/resources/${s.id}/approve`, approveBody());
    expect(ok.statusCode, ok.body).toBe(200);
    r = ok.json();
  });
  const record = (fields: Record<string, string>, key?: string) => {
    const m = multipart(fields, { field: 'document', name: 'report.pdf', bytes: PDF });
    return agency.request({
      method: 'POST',
      url: `/api/v1/resources/${r.id}/events`,
      payload: m.payload,
      headers: { ...m.headers, ...(key ? { 'idempotency-key': key } : {}) },
    });
  };
  const events = (remark: string) =>
    countOf(t.database.db, sql`select count(*)::int as n from resource_events where resource_id = ${r.id} and remark = ${remark}`);
  const audits = () => auditCount(t.database.db, 'resource', r.id, 'event_accident');

  for (const [how, fire] of [
    ['at once', burst],
    ['a few ms apart', spread],
  ] as const)
    it(`an accident under one key, ${how}: one event, one audit entry, every answer 200 with the resource`, async () => {
      const remark = `Fell ${idemKey()}`;
      const fields = { kind: 'accident', onDate: '2026-12-02', atTime: '10:30', remark };
      const before = await audits();
      const key = idemKey();
      expect(oneRecord(await fire(N, () => record(fields, key)), { status: 200 })).toBe(r.id);
      expect(await events(remark)).toBe(1);
      expect(await audits()).toBe(before + 1);
    });

  it('the same key with another event: 422 idempotency_key_reused; without a key each request records one, as before', async () => {
    const remark = `Slipped ${idemKey()}`;
    const key = idemKey();
    expect((await record({ kind: 'accident', onDate: '2026-12-02', atTime: '09:00', remark }, key)).statusCode).toBe(200);
    const other = await record({ kind: 'accident', onDate: '2026-12-02', atTime: '09:05', remark }, key);
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
    expect(await events(remark)).toBe(1);
    const plain = `Plain ${idemKey()}`;
    const rs = await burst(2, () => record({ kind: 'maternity', onDate: '2026-12-01', toDate: '2027-03-01', remark: plain }));
    expect(rs.map((x) => x.statusCode)).toEqual([200, 200]);
    expect(await events(plain)).toBe(2);
  });
});
