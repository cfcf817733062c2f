import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for this module's routes (see server/test/matrix-fixtures.ts).
 * Agency 2 of the demo seed (agency.demo.ts) is not the demo agency user's (agency 1), so
 * `agency_admin` must get 404 on every route below. Department roles see every agency by design
 * (they choose agencies for contracts, spec 03), so for them agency 2 is in scope: `inScopeFor`.
 * The demo users below the state with these permissions are office admins, department managers
 * and DDOs. Bodies are valid, so a refusal comes from authorisation and not from validation.
 * Seeing is not acting (issue 11 finding 7): agency 2 signed up itself and holds no contract,
 * so no department below the state may verify, reject, suspend, blacklist or reinstate it —
 * the status moves are not `inScopeFor` anyone (Finance, at state level, is not refused).
 */
const FOREIGN_AGENCY_ID = 2;
const DEPARTMENT_ROLES = ['office_admin', 'department_manager', 'ddo'] as const;
const agency = { params: () => ({ id: FOREIGN_AGENCY_ID }), inScopeFor: DEPARTMENT_ROLES };
const notInCharge = { params: () => ({ id: FOREIGN_AGENCY_ID }) };
const sanction = { reason: 'Matrix probe', orderRef: 'MATRIX/1', periodFrom: '2026-11-01', periodTo: '2027-10-31' };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/agencies/:id': agency,
  'GET /api/v1/agencies/:id/documents': agency,
  'GET /api/v1/agencies/:id/documents/:docId/file': { params: () => ({ id: FOREIGN_AGENCY_ID, docId: 1 }), inScopeFor: DEPARTMENT_ROLES },
  'POST /api/v1/agencies/:id/documents': agency,
  'POST /api/v1/agencies/:id/verify': { ...notInCharge, body: () => ({}) },
  'POST /api/v1/agencies/:id/reject': { ...notInCharge, body: () => ({ reason: 'Matrix probe' }) },
  'POST /api/v1/agencies/:id/suspend': { ...notInCharge, body: () => sanction },
  'POST /api/v1/agencies/:id/blacklist': { ...notInCharge, body: () => sanction },
  'POST /api/v1/agencies/:id/reinstate': { ...notInCharge, body: () => ({ reason: 'Matrix probe' }) },
  // An assignment of another office's user: never an operator of the demo agency.
  'POST /api/v1/my-agency/operators/:id/deactivate': { params: (ids) => ({ id: ids.foreignAssignmentId }) },
  'POST /api/v1/my-agency/operators': { body: () => ({ name: 'Matrix Probe', mobile: '9123400055' }) },
  'POST /api/v1/agency-signup/otp': { body: () => ({ mobile: '9123400056' }) },
};
