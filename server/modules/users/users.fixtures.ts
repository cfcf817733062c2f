import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for this module's routes (see server/test/matrix-fixtures.ts):
 * every id points into a School Education office, outside every below-state demo user's scope.
 */
export const fixtures: Record<string, MatrixFixture> = {
  // A query is a fixed string: 5006 is the first School Education office of the demo seed.
  'GET /api/v1/office-users': { query: 'officeId=5006' },
  'GET /api/v1/office-users/lookup': { query: 'officeId=5006&mobile=9876500004' },
  'POST /api/v1/office-users/assignments/:id/end': { params: (ids) => ({ id: ids.foreignAssignmentId }) },
  'POST /api/v1/office-users/users/:id/deactivate': { params: (ids) => ({ id: ids.foreignUserId }) },
  'POST /api/v1/office-users/users/:id/activate': { params: (ids) => ({ id: ids.foreignUserId }) },
  'POST /api/v1/office-users': {
    body: (ids) => ({
      officeId: ids.foreignOfficeId,
      mobile: '9123400002',
      name: 'Matrix Probe',
      employeeId: 'M-1',
      officePhone: '',
      officialEmail: 'probe@mp.gov.in',
      designation: 'Clerk',
      role: 'department_manager',
    }),
  },
};
