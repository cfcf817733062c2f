import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for this module's routes (see server/test/matrix-fixtures.ts).
 * Every write is `org.manage` (Finance, state scope), so only the Finance administrator may call
 * them; the ids point at School Education records all the same.
 */
const byId = (pick: (ids: Parameters<NonNullable<MatrixFixture['params']>>[0]) => number): MatrixFixture => ({ params: (ids) => ({ id: pick(ids) }) });
const masters: Record<string, (ids: Parameters<NonNullable<MatrixFixture['params']>>[0]) => number> = {
  offices: (ids) => ids.foreignOfficeId,
  hods: (ids) => ids.foreignHodId,
  departments: (ids) => ids.foreignDepartmentId,
  districts: (ids) => ids.anyDistrictId,
  treasuries: () => 1,
  'ddo-codes': () => 1,
  'budget-lines': () => 1,
  'skill-levels': () => 1,
  'post-names': () => 1,
};

export const fixtures: Record<string, MatrixFixture> = {
  ...Object.fromEntries(
    Object.entries(masters).flatMap(([m, pick]) => [
      [`PUT /api/v1/org/${m}/:id`, byId(pick)],
      [`POST /api/v1/org/${m}/:id/deactivate`, byId(pick)],
      [`POST /api/v1/org/${m}/:id/activate`, byId(pick)],
    ]),
  ),
  'DELETE /api/v1/org/ddo-office-map/:ddoCodeId/:officeId': { params: (ids) => ({ ddoCodeId: 1, officeId: ids.foreignOfficeId }) },
  'DELETE /api/v1/org/budget-line-map/:budgetLineId/:officeId': { params: (ids) => ({ budgetLineId: 1, officeId: ids.foreignOfficeId }) },
};
