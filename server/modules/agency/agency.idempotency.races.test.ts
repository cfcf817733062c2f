import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { auditCount, burst, countOf, idemKey, oneRecord, spread } from '../../test/races.ts';

/**
 * The double click on "upload" of an agency's own document (a newer licence supersedes the older
 * one, so nothing refuses a twin), on PGlite and on PostgreSQL (TEST_DATABASE_URL): with the
 * Idempotency-Key the upload form sends, twenty identical uploads at once store one document with
 * one audit entry and every answer is 201 with the agency; the same key with another file is 422
 * idempotency_key_reused; without a key each upload is stored, as before.
 */
const N = 20;
let t: TestApp;
let ag: Client; // agency_admin of demo agency 1

beforeAll(async () => {
  t = await createTestApp();
  ag = await t.login('agency_admin');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const pdf = () => Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1'), Buffer.from(randomBytes(8).toString('hex'))]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const upload = (bytes: Buffer, key?: string, kind = 'other') => {
  const m = multipart({ kind }, [{ field: 'file', name: 'licence.pdf', bytes }]);
  return ag.request({
    method: 'POST',
    url: '/api/v1/agencies/1/documents',
    payload: m.payload,
    headers: { ...m.headers, ...(key ? { 'idempotency-key': key } : {}) },
  });
};
const stored = (bytes: Buffer) =>
  countOf(
    t.database.db,
    sql`select count(*)::int as n from agency_documents d join stored_files f on f.id = d.file_id where d.agency_id = 1 and f.sha256 = ${sha(bytes)}`,
  );
const audits = (bytes: Buffer) => auditCount(t.database.db, 'agency_document', { after: { sha256: sha(bytes) } }, 'uploaded');

describe(`${N} identical uploads of an agency document`, () => {
  for (const [how, fire] of [
    ['at once', burst],
    ['a few ms apart', spread],
  ] as const)
    it(`under one key, ${how}: one document, one audit entry, every answer 201 with the agency`, async () => {
      const bytes = pdf();
      const key = idemKey();
      expect(oneRecord(await fire(N, () => upload(bytes, key)))).toBe(1);
      expect(await stored(bytes)).toBe(1);
      expect(await audits(bytes)).toBe(1);
    });

  it('the same key with another file: 422 idempotency_key_reused; without a key each upload is stored, as before', async () => {
    const bytes = pdf();
    const key = idemKey();
    expect((await upload(bytes, key)).statusCode).toBe(201);
    const other = pdf();
    const r = await upload(other, key);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().code).toBe('idempotency_key_reused');
    expect(await stored(other)).toBe(0);
    const plain = pdf();
    const rs = await burst(2, () => upload(plain));
    expect(rs.map((x) => x.statusCode)).toEqual([201, 201]);
    expect(await stored(plain)).toBe(2);
  });
});
