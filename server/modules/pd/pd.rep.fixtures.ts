import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the PD report routes (pd.rep.routes.ts). The foreign records are
 * the demo's: PD account 3 (School Education, Indore treasury) and the Indore treasury itself —
 * treasury 21, the 21st district of shared mp-districts.csv in seed order (pd.rep.test.ts checks
 * that account 3 is kept there). Queries are valid so a refusal comes from authorisation.
 */
const FOREIGN_ACCOUNT_ID = 3;
export const FOREIGN_TREASURY_ID = 21;

const account = { params: () => ({ id: FOREIGN_ACCOUNT_ID }) };
const treasury = { params: () => ({ id: FOREIGN_TREASURY_ID }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/pd/accounts/:id/report': { ...account, query: 'from=2026-04-01&to=2027-03-31' },
  'GET /api/v1/pd/accounts/:id/report/file': { ...account, query: 'from=2026-04-01&to=2027-03-31&format=xlsx' },
  'GET /api/v1/pd/accounts/:id/monthly-account': { ...account, query: 'month=2026-04' },
  'GET /api/v1/pd/accounts/:id/monthly-account/file': { ...account, query: 'month=2026-04&format=xlsx' },
  'GET /api/v1/pd/treasuries/:id/monthly-account': { ...treasury, query: 'month=2026-04' },
  'GET /api/v1/pd/treasuries/:id/monthly-account/file': { ...treasury, query: 'month=2026-04&format=csv' },
  'GET /api/v1/pd/treasuries/:id/ag-list': { ...treasury, query: 'month=2026-04&format=csv' },
};
