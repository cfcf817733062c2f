import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the proof routes (see server/test/matrix-fixtures.ts). The demo
 * seed (proof.demo.ts) makes proof 2 the reconciled proof of agency 3 — an agency no department
 * of a below-state demo user contracts with (checked in proof.test.ts).
 */
const FOREIGN_PROOF_ID = 2;

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/proofs/:id': { params: () => ({ id: FOREIGN_PROOF_ID }) },
  'GET /api/v1/proofs/:id/ecr': { params: () => ({ id: FOREIGN_PROOF_ID }) },
  'PUT /api/v1/proofs/gate/:departmentId': {
    params: (ids) => ({ departmentId: ids.foreignDepartmentId }),
    body: () => ({ enabled: false, reason: 'Matrix probe: gate switched off' }),
  },
};
