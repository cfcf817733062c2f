import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the PD year-end routes (pd.year.routes.ts). PD account 3 (School
 * Education, Indore treasury; pd.demo.ts) is the foreign record. Bodies are valid, so a refusal
 * comes from authorisation, not validation.
 */
export const fixtures: Record<string, MatrixFixture> = {
  'POST /api/v1/pd/accounts/:id/continuations': { params: () => ({ id: 3 }), body: () => ({ fy: 2026, orderNo: 'MATRIX/1', orderDate: '2026-04-02' }) },
  'POST /api/v1/pd/year-end/runs': { body: () => ({ fy: 2025 }) },
  'PUT /api/v1/pd/year-end/settings': { body: () => ({ dormantYears: 5 }) },
  'GET /api/v1/pd/year-end/runs': { query: 'fy=2025' },
  'GET /api/v1/pd/year-end/continuations': { query: 'fy=2026' },
};
