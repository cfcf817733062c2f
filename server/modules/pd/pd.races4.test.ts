import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import { auditCount, burst, countOf, oneWinner, spread } from '../../test/races.ts';

/**
 * Twenty identical "add vendor" forms at once on a PD account's vendor master (the administrator's
 * double click on "save", a retry, two tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL): one
 * vendor, one proof file kept, one audit entry; every other answer 409 pd_vendor_duplicate, never a
 * 500. The master has no edit or deactivate route (pd.adv.routes.ts): adding is its only change.
 */
let t: TestApp;
let admin: Client; // pd_admin: PD account 1
const N = 20;
const count = (s: ReturnType<typeof sql>) => countOf(t.database.db, s);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('pd_admin');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

let seq = 0;
const bankNo = () => `8${String(Date.now()).slice(-8)}${String(seq++).padStart(4, '0')}`;
function addVendor(fields: Record<string, string>) {
  const m = multipart(
    { name: 'Race Traders', ifsc: 'sbin0001308', proofKind: 'cancelled_cheque', ...fields },
    { field: 'proof', bytes: PDF, name: 'cheque.pdf' },
  );
  return admin.request({ method: 'POST', url: '/api/v1/pd/accounts/1/vendors', payload: m.payload, headers: m.headers });
}
const vendorsWith = (no: string) => count(sql`select count(*)::int as n from pd_vendors where account_id = 1 and bank_account_no = ${no}`);
const files = () => count(sql`select count(*)::int as n from stored_files`);

for (const [name, fire] of [
  ['at once', burst],
  ['a few milliseconds apart', spread],
] as const)
  describe(`${N} identical vendors added ${name}`, () => {
    it('one vendor, one proof kept, audited once; the others 409 pd_vendor_duplicate', async () => {
      const no = bankNo();
      const filesBefore = await files();
      const rs = await fire(N, () => addVendor({ bankAccountNo: no }));
      const win = oneWinner(rs, ['409 pd_vendor_duplicate'], { status: 201 });
      const id = (JSON.parse(win.body) as { id: number }).id;
      expect(await vendorsWith(no)).toBe(1);
      expect(await auditCount(t.database.db, 'pd_vendor', id, 'create')).toBe(1);
      expect(
        await count(
          sql`select count(*)::int as n from audit_log where entity = 'pd_vendor' and action = 'create' and after->>'accountId' = '1' and entity_id not in (select id::text from pd_vendors)`,
        ),
      ).toBe(0);
      expect(await files()).toBe(filesBefore + 1);
      const listed = (await admin.get('/api/v1/pd/accounts/1/vendors')).json().items as { id: number; bankAccountNo: string }[];
      expect(listed.filter((v) => v.bankAccountNo.endsWith(no.slice(-4)) && v.id === id)).toHaveLength(1);
    });
  });
