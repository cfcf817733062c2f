import type { MatrixFixture } from '../../test/matrix-fixtures.ts';
import { fixtures as rep } from './pd.rep.fixtures.ts';
import { advFixtures } from './pd.adv.fixtures.ts';
import { fixtures as efileFixtures } from './pd.efile.fixtures.ts';
import { fixtures as pdOpen } from './pd.open.fixtures.ts';
import { fixtures as year } from './pd.year.fixtures.ts';

/**
 * Authorisation-matrix inputs for the PD routes (see server/test/matrix-fixtures.ts). The demo
 * seed (pd.demo.ts) makes PD account 3 a School Education account at the Indore treasury, and
 * e-cheque 1 a prepared e-cheque on it — outside the PD administrator's account and the Bhopal
 * treasury. Bodies are valid so the refusal comes from authorisation, not validation.
 */
const FOREIGN_ACCOUNT_ID = 3;
const FOREIGN_ECHEQUE_ID = 1;

const account = { params: () => ({ id: FOREIGN_ACCOUNT_ID }) };
const echeque = { params: () => ({ id: FOREIGN_ECHEQUE_ID }) };

export const fixtures: Record<string, MatrixFixture> = {
  ...rep,
  ...efileFixtures,
  ...pdOpen,
  ...year,
  'GET /api/v1/pd/accounts/:id': account,
  'GET /api/v1/pd/accounts/:id/statement': { ...account, query: 'from=2026-04-01&to=2027-03-31' },
  'POST /api/v1/pd/accounts/:id/deposits': {
    ...account,
    body: () => ({ lineId: 5, amountPaise: 100, mode: 'book_transfer', sourceBudgetLineId: 5, reference: 'MATRIX', valueDate: '2026-11-01' }),
  },
  // Vendor 1 is account 3's (pd.adv.demo.ts).
  'POST /api/v1/pd/accounts/:id/echeques': { ...account, body: () => ({ payeeKind: 'vendor', lineId: 5, amountPaise: 100, vendorId: 1 }) },
  // Posting 1 is the demo deposit into account 3 (seeded first).
  'POST /api/v1/pd/deposits/:id/reverse': { params: () => ({ id: 1 }), body: () => ({ reason: 'Matrix probe' }) },
  'POST /api/v1/pd/echeques/:id/pass': echeque,
  'POST /api/v1/pd/echeques/:id/return': { ...echeque, body: () => ({ reason: 'Matrix probe' }) },
  ...advFixtures,
};
