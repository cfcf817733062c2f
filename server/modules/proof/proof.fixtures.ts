import { billedRupees, formatEcrLine } from '../../../shared/domain/ecr.ts';
import type { MatrixFixture } from '../../test/matrix-fixtures.ts';
import type { BilledRow } from './proof.repo.ts';

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

/** The EPFO ECR text (#~# separated) of billed members with a UAN, each with `epf(m)` rupees as gross and EPF wages (default: exactly the billed EPF wage). */
export function ecrFor(ms: BilledRow[], epf: (m: BilledRow) => number = (m) => billedRupees(m.epfWagePaise)): string {
  return ms
    .filter((m) => m.uan !== '')
    .map((m) =>
      formatEcrLine({
        uan: m.uan,
        name: m.nameHi,
        grossWages: epf(m),
        epfWages: epf(m),
        epsWages: 15000,
        edliWages: 15000,
        eeShare: 1800,
        epsShare: 1250,
        erShare: 550,
        ncpDays: 0,
        refund: 0,
      }),
    )
    .join('\n');
}
