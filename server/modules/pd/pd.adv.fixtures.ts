import { randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { MatrixFixture } from '../../test/matrix-fixtures.ts';
import { insertApprovedAdvice } from './pd.adv.repo.ts';
import { pdEcheques } from './pd.table.ts';

/**
 * Vendor master and advices (issue 18 item 4): the authorisation-matrix inputs, and a test kit.
 *
 * Foreign records (pd.demo.ts / pd.adv.demo.ts seed account 3 — School Education, Indore — first):
 * PD account 3, vendor 1 (its vendor) and advice 1 (its approved advice holding e-cheque 1).
 */
const FOREIGN_ACCOUNT_ID = 3;
const FOREIGN_VENDOR_ID = 1;
const FOREIGN_ADVICE_ID = 1;

const account = { params: () => ({ id: FOREIGN_ACCOUNT_ID }) };

export const advFixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/pd/accounts/:id/vendors': account,
  'POST /api/v1/pd/accounts/:id/vendors': account,
  'GET /api/v1/pd/accounts/:id/vendors/:vendorId/proof': { params: () => ({ id: FOREIGN_ACCOUNT_ID, vendorId: FOREIGN_VENDOR_ID }) },
  'GET /api/v1/pd/accounts/:id/advices': account,
  'POST /api/v1/pd/accounts/:id/advices': { ...account, body: () => ({ echequeIds: [1] }) },
  'GET /api/v1/pd/advices/:id': { params: () => ({ id: FOREIGN_ADVICE_ID }) },
  'POST /api/v1/pd/advices/:id/approve': { params: () => ({ id: FOREIGN_ADVICE_ID }), body: () => ({}) },
};

/**
 * Puts prepared e-cheques (of one account) into a new approved advice, directly in the database —
 * what the administrator's "new advice" and "approve" do — so a test can go on to the treasury's
 * pass / return. Returns the advice id. The maker of the first e-cheque is recorded as its maker.
 */
export async function approveInAdvice(db: DbOrTx, echequeIds: number[]): Promise<number> {
  const rows = await db
    .select({ accountId: pdEcheques.accountId, preparedBy: pdEcheques.preparedBy })
    .from(pdEcheques)
    .where(inArray(pdEcheques.id, echequeIds));
  const first = rows[0];
  if (!first || rows.length !== echequeIds.length) throw new Error(`approveInAdvice: unknown e-cheque in ${echequeIds.join(', ')}`);
  return insertApprovedAdvice(db, {
    accountId: first.accountId,
    echequeIds,
    by: first.preparedBy,
    now: new Date(),
    key: `test-${randomBytes(8).toString('hex')}`,
  });
}
