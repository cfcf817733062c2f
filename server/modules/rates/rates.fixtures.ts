import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the minimum-wage routes. Minimum wages are state-wide (no
 * scope below the state), so the only parameterised route takes any id: below-state roles lack
 * `rates.manage` and must be refused before the record is looked at. Id 1 is a demo row in force
 * (finance_admin would get 409, never a change).
 */
export const fixtures: Record<string, MatrixFixture> = {
  'DELETE /api/v1/rates/minimum-wages/:id': { params: () => ({ id: 1 }) },
  'DELETE /api/v1/rates/heads/:id': { params: () => ({ id: 1 }) },
  'DELETE /api/v1/rates/heads/wage-definitions/:id': { params: () => ({ id: 1 }) },
  'POST /api/v1/rates/heads': {
    body: () => ({
      code: 'MATRIX_PROBE',
      effectiveFrom: '2099-01-01',
      nameEn: 'Matrix probe',
      nameHi: 'मैट्रिक्स जाँच',
      kind: 'payable',
      stage: 'cost',
      base: 'earned_wage',
      ratePpm: 1000,
      rounding: 'paisa_half_up',
      sortOrder: 999,
      notificationRef: 'Matrix probe',
    }),
  },
  'POST /api/v1/rates/heads/wage-definitions': {
    body: () => ({ effectiveFrom: '2099-01-01', kind: 'labour_code', allowanceSharePpm: 500000, notificationRef: 'Matrix probe' }),
  },
  'POST /api/v1/rates/minimum-wages': {
    body: () => ({ skillLevelId: 1, effectiveFrom: '2025-10-01', basicPaise: 957500, vdaPaise: 257500, notificationRef: 'Matrix probe' }),
  },
};
